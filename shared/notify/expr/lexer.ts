// The tokens of the expr language (github.com/expr-lang/expr/parser/lexer): numbers, strings, identifiers,
// operators and brackets, each with its line and column in the source.

/** One token and where it starts. */
export interface Token {
  readonly kind: 'number' | 'string' | 'ident' | 'operator' | 'bracket' | 'eof';
  readonly text: string;
  /** The decoded value of a string token, or the number's value. */
  readonly value?: string | number | bigint;
  readonly offset: number;
}

/** A syntax error at an offset of the expression (expr.Compile would fail). */
export class ExprSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'ExprSyntaxError';
  }
}

const WORD_OPERATORS = new Set(['and', 'or', 'not', 'in', 'matches', 'contains', 'startsWith', 'endsWith']);
const OPERATORS = ['?.', '??', '..', '==', '!=', '<=', '>=', '&&', '||', '**', '?', ':', '.', ',', '<', '>', '!', '+', '-', '*', '/', '%', '^', '#', '|'];
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && (c === '_' || c === '$' || /\p{L}/u.test(c));
}

function isIdentPart(c: string | undefined): boolean {
  return c !== undefined && (isIdentStart(c) || isDigit(c));
}

function readString(src: string, start: number): { end: number; value: string } {
  const quote = src[start]!;
  let i = start + 1;
  let out = '';
  if (quote === '`') {
    const close = src.indexOf('`', i);
    if (close < 0) throw new ExprSyntaxError('literal not terminated', start);
    return { end: close + 1, value: src.slice(i, close) };
  }
  while (i < src.length && src[i] !== quote) {
    const c = src[i]!;
    if (c === '\n') throw new ExprSyntaxError('literal not terminated', start);
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = src[i + 1];
    if (e !== undefined && ESCAPES[e] !== undefined) {
      out += ESCAPES[e];
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = src.slice(i + 2, i + 2 + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) throw new ExprSyntaxError('invalid char escape', i);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 2 + n;
    } else throw new ExprSyntaxError('invalid char escape', i);
  }
  if (i >= src.length) throw new ExprSyntaxError('literal not terminated', start);
  return { end: i + 1, value: out };
}

function readNumber(src: string, start: number): { end: number; value: number | bigint; text: string } {
  const m = /^(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|[0-9][0-9_]*(\.[0-9_]+)?([eE][+-]?[0-9]+)?)/.exec(src.slice(start));
  const text = m![0];
  const end = start + text.length;
  const clean = text.replace(/_/g, '');
  if (/^0[xXbBoO]/.test(clean) || !/[.eE]/.test(clean)) {
    const v = BigInt(clean);
    if (v > 0x7fffffffffffffffn) throw new ExprSyntaxError(`invalid integer literal: ${text}`, start);
    return { end, value: v, text };
  }
  return { end, value: Number(clean), text };
}

/** Splits an expression into tokens; throws ExprSyntaxError on a character it cannot read. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const close = src.indexOf('*/', i + 2);
      if (close < 0) throw new ExprSyntaxError('unclosed comment', i);
      i = close + 2;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(src[i + 1]) && src[i - 1] !== '.')) {
      if (c === '.') {
        const n = readNumber('0' + src.slice(i), 0);
        out.push({ kind: 'number', text: n.text.slice(1), value: n.value, offset: i });
        i += n.end - 1;
        continue;
      }
      const n = readNumber(src, i);
      // `1..3` is a range: the number ends before the dots.
      out.push({ kind: 'number', text: n.text, value: n.value, offset: i });
      i = n.end;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const s = readString(src, i);
      out.push({ kind: 'string', text: src.slice(i, s.end), value: s.value, offset: i });
      i = s.end;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (isIdentPart(src[j])) j++;
      const word = src.slice(i, j);
      out.push({ kind: WORD_OPERATORS.has(word) ? 'operator' : 'ident', text: word, offset: i });
      i = j;
      continue;
    }
    if ('()[]{}'.includes(c)) {
      out.push({ kind: 'bracket', text: c, offset: i });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op === undefined) throw new ExprSyntaxError(`unrecognized character: U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${c}'`, i);
    // `?.` followed by a digit is a ternary and a float (`a?.5:1`), as in expr's lexer.
    if (op === '?.' && isDigit(src[i + 2])) {
      out.push({ kind: 'operator', text: '?', offset: i });
      i++;
      continue;
    }
    out.push({ kind: 'operator', text: op, offset: i });
    i += op.length;
  }
  out.push({ kind: 'eof', text: '', offset: src.length });
  return out;
}
