// Go literal syntax used by templates: quoted strings and numeric constants.

/** A numeric constant as Go's parse.NumberNode sees it: whether it is an integer and/or a float, with both values. */
export interface GoNumber {
  readonly text: string;
  readonly isInt: boolean;
  readonly int: bigint;
  readonly isFloat: boolean;
  readonly float: number;
  /** Go's idealConstant picks float64 when the text has float syntax (., e, p) and is not a hex integer or rune. */
  readonly floatSyntax: boolean;
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** Unquotes a Go double-quoted or single-quoted literal (with its quotes); throws on bad syntax. */
export function unquoteGo(lit: string): string {
  const q = lit[0];
  if ((q !== '"' && q !== "'") || lit[lit.length - 1] !== q || lit.length < 2) throw new Error('invalid syntax');
  const body = lit.slice(1, -1);
  if (!body.includes('\\')) {
    if (body.includes(q)) throw new Error('invalid syntax');
    return body;
  }
  let out = '';
  const bytes: number[] = [];
  const flushBytes = (): void => {
    if (bytes.length) {
      out += new TextDecoder().decode(Uint8Array.from(bytes));
      bytes.length = 0;
    }
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      if (c === q) throw new Error('invalid syntax');
      flushBytes();
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new Error('invalid syntax');
    if (e in SIMPLE_ESCAPES) {
      if ((e === "'" && q === '"') || (e === '"' && q === "'")) throw new Error('invalid syntax');
      flushBytes();
      out += SIMPLE_ESCAPES[e];
      continue;
    }
    if (e === 'x') {
      const h = body.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new Error('invalid syntax');
      bytes.push(parseInt(h, 16));
      i += 2;
      continue;
    }
    if (e >= '0' && e <= '7') {
      const o = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) throw new Error('invalid syntax');
      bytes.push(parseInt(o, 8));
      i += 2;
      continue;
    }
    if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const h = body.slice(i + 1, i + 1 + n);
      if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) throw new Error('invalid syntax');
      const cp = parseInt(h, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) throw new Error('invalid syntax');
      flushBytes();
      out += String.fromCodePoint(cp);
      i += n;
      continue;
    }
    throw new Error('invalid syntax');
  }
  flushBytes();
  return out;
}

/** Parses a Go number literal (or a rune literal when `isChar`); undefined when it is not valid Go syntax. */
export function parseGoNumber(text: string, isChar = false): GoNumber | undefined {
  if (isChar) {
    let s: string;
    try {
      s = unquoteGo(text);
    } catch {
      return undefined;
    }
    const cp = s.codePointAt(0);
    if (cp === undefined || String.fromCodePoint(cp) !== s) return undefined;
    return { text, isInt: true, int: BigInt(cp), isFloat: true, float: cp, floatSyntax: false };
  }
  if (text.endsWith('i')) return undefined; // complex constants are not supported
  let t = text;
  let neg = false;
  if (t[0] === '+' || t[0] === '-') {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  if (t.includes('_')) {
    if (/__|^_|_$|\._|_\./.test(t) && !/^0[xXbBoO]_/.test(t)) return undefined;
    t = t.replace(/_/g, '');
  }
  const isHex = /^0[xX]/.test(t);
  let intVal: bigint | undefined;
  if (/^0[xX][0-9a-fA-F]+$/.test(t) || /^0[bB][01]+$/.test(t) || /^0[oO][0-7]+$/.test(t)) intVal = BigInt(t);
  else if (/^0[0-7]*$/.test(t)) intVal = t.length > 1 ? BigInt('0o' + t.slice(1)) : 0n;
  else if (/^0[0-9]+$/.test(t)) throw new Error(`integer overflow: ${JSON.stringify(text)}`);
  else if (/^[1-9][0-9]*$/.test(t)) intVal = BigInt(t);
  let floatVal: number | undefined;
  if (intVal !== undefined) floatVal = Number(intVal);
  else if (/^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t)) floatVal = Number(t);
  else if (isHex && /^0[xX]([0-9a-fA-F]*\.?[0-9a-fA-F]*)[pP][+-]?[0-9]+$/.test(t)) floatVal = parseHexFloat(t);
  if (floatVal === undefined) return undefined;
  // Go: integer-looking text that only parses as a float is too large for any integer type.
  if (intVal === undefined && !/[.eEpP]/.test(t)) throw new Error(`integer overflow: ${JSON.stringify(text)}`);
  if (intVal !== undefined && intVal >= 2n ** 64n) throw new Error(`integer overflow: ${JSON.stringify(text)}`);
  if (neg) {
    floatVal = -floatVal;
    if (intVal !== undefined) intVal = -intVal;
  }
  const floatSyntax = !(isHex && !/[pP]/.test(t)) && /[.eEpP]/.test(t);
  if (intVal === undefined && Number.isFinite(floatVal) && Number.isInteger(floatVal) && Math.abs(floatVal) < 2 ** 63) {
    intVal = BigInt(floatVal);
  }
  const isInt = intVal !== undefined && intVal >= -(2n ** 63n) && intVal < 2n ** 63n;
  return { text, isInt, int: intVal ?? 0n, isFloat: Number.isFinite(floatVal), float: floatVal, floatSyntax };
}

function parseHexFloat(t: string): number {
  const m = /^0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?[0-9]+)$/.exec(t)!;
  const mant = parseInt((m[1] || '0') + (m[2] ?? ''), 16);
  return mant * 2 ** (Number(m[3]) - 4 * (m[2]?.length ?? 0));
}
