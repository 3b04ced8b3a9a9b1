// Go's fmt printing for template values: %v and Print/Println/Printf with Go's verbs, flags and error markers.
import { Int64, goTypeName, isGoObject, isMap, sortedKeys } from './values';
import { TEMPLATE_LIMITS } from '../limits';

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
}

const NO_FLAGS: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined };

/** Decimal digits and decimal-point position of |f|: shortest round-trip digits, or `sig` significant digits. */
function decimalDigits(f: number, sig?: number): { digits: string; dp: number } {
  const s = sig === undefined ? Math.abs(f).toExponential() : Math.abs(f).toExponential(Math.max(0, sig - 1));
  const [m, e] = s.split('e');
  return { digits: m!.replace('.', ''), dp: Number(e) + 1 };
}

function expString(exp: number): string {
  const a = Math.abs(exp);
  return (exp < 0 ? '-' : '+') + (a < 10 ? '0' + a : String(a));
}

/** strconv.FormatFloat for verbs e, f, g with precision (-1 = shortest). */
export function formatFloat(f: number, verb: 'e' | 'E' | 'f' | 'F' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  const neg = f < 0 || Object.is(f, -0);
  const sign = neg ? '-' : '';
  const lower = verb.toLowerCase();
  if (lower === 'f') {
    if (prec < 0) {
      if (f === 0) return sign + '0';
      const { digits, dp } = decimalDigits(f);
      return sign + placeDigits(digits, dp, -1);
    }
    if (Math.abs(f) < 1e21) {
      const s = Math.abs(f).toFixed(prec);
      return sign + s;
    }
    const { digits, dp } = decimalDigits(f);
    return sign + placeDigits(digits, dp, prec);
  }
  if (lower === 'e') {
    if (f === 0) return sign + (prec > 0 ? '0.' + '0'.repeat(prec) : '0') + (verb === 'E' ? 'E' : 'e') + '+00';
    const { digits, dp } = prec < 0 ? decimalDigits(f) : decimalDigits(f, prec + 1);
    const mant = digits[0]! + (digits.length > 1 ? '.' + digits.slice(1) : '');
    return sign + mant + (verb === 'E' ? 'E' : 'e') + expString(dp - 1);
  }
  // %g
  if (f === 0) return sign + '0';
  const shortest = prec < 0;
  const dd = shortest ? decimalDigits(f) : decimalDigits(f, prec === 0 ? 1 : prec);
  const dp = dd.dp;
  let digits = dd.digits;
  if (!shortest) digits = digits.replace(/0+$/, '') || '0';
  let eprec = shortest ? 6 : prec === 0 ? 1 : prec;
  if (!shortest && eprec > digits.length && digits.length >= dp) eprec = digits.length;
  if (shortest) eprec = 6;
  const exp = dp - 1;
  if (exp < -4 || exp >= eprec) {
    const mant = digits[0]! + (digits.length > 1 ? '.' + digits.slice(1) : '');
    return sign + mant + (verb === 'G' ? 'E' : 'e') + expString(exp);
  }
  return sign + placeDigits(digits, dp, -1);
}

function placeDigits(digits: string, dp: number, prec: number): string {
  let intPart: string;
  let frac: string;
  if (dp <= 0) {
    intPart = '0';
    frac = '0'.repeat(-dp) + digits;
  } else if (dp >= digits.length) {
    intPart = digits + '0'.repeat(dp - digits.length);
    frac = '';
  } else {
    intPart = digits.slice(0, dp);
    frac = digits.slice(dp);
  }
  if (prec >= 0) frac = (frac + '0'.repeat(prec)).slice(0, prec);
  return frac ? `${intPart}.${frac}` : intPart;
}

/** Go's %v of a float64. */
export function formatFloatV(f: number): string {
  return formatFloatG(f);
}

function formatFloatG(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const { digits, dp } = decimalDigits(f);
  const exp = dp - 1;
  const sign = f < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const mant = digits[0]! + (digits.length > 1 ? '.' + digits.slice(1) : '');
    return sign + mant + 'e' + expString(exp);
  }
  return sign + placeDigits(digits, dp, -1);
}

/** Go's fmt %v of any template value (what a template prints for `{{ . }}`). */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return formatFloatV(v);
    case 'bigint':
      return v.toString();
  }
  if (v instanceof Int64) return v.v.toString();
  if (Array.isArray(v)) return '[' + v.map(formatValue).join(' ') + ']';
  if (isGoObject(v)) return v.toString();
  if (isMap(v)) return 'map[' + sortedKeys(v).map((k) => `${k}:${formatValue(v[k])}`).join(' ') + ']';
  return String(v);
}

/** strconv.Quote: a double-quoted Go string literal with Go's escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    out += quoteRuneBody(ch, '"');
  }
  return out + '"';
}

function quoteRuneBody(ch: string, quote: string): string {
  const cp = ch.codePointAt(0)!;
  if (ch === quote || ch === '\\') return '\\' + ch;
  if (cp >= 0x20 && cp < 0x7f) return ch;
  switch (cp) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return '\\x' + cp.toString(16).padStart(2, '0');
  if (isPrintable(ch)) return ch;
  if (cp < 0x10000) return '\\u' + cp.toString(16).padStart(4, '0');
  return '\\U' + cp.toString(16).padStart(8, '0');
}

function isPrintable(ch: string): boolean {
  return !/[\p{C}\p{Z}]/u.test(ch) || ch === ' ';
}

/** strconv.QuoteRune */
export function goQuoteRune(cp: number): string {
  const ch = cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp < 0xe000) ? String.fromCodePoint(cp) : '\ufffd';
  return "'" + quoteRuneBody(ch, "'") + "'";
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  const w = spec.width;
  if (w === undefined) return s;
  const len = [...s].length;
  if (len >= w) return s;
  if (spec.minus) return s + ' '.repeat(w - len);
  if (spec.zero && numeric) {
    const signMatch = /^[+\- ]/.exec(s);
    if (signMatch) return signMatch[0] + '0'.repeat(w - len) + s.slice(1);
    return '0'.repeat(w - len) + s;
  }
  return ' '.repeat(w - len) + s;
}

function badVerb(verb: string, v: unknown): string {
  if (v === undefined || v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatValue(v)})`;
}

function fmtInteger(n: bigint, verb: string, spec: Spec): string {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let body: string;
  switch (verb) {
    case 'd':
    case 'v':
      body = a.toString();
      break;
    case 'x':
      body = (spec.sharp ? '0x' : '') + a.toString(16);
      break;
    case 'X':
      body = (spec.sharp ? '0X' : '') + a.toString(16).toUpperCase();
      break;
    case 'o':
      body = (spec.sharp ? '0' : '') + a.toString(8);
      break;
    case 'O':
      body = '0o' + a.toString(8);
      break;
    case 'b':
      body = a.toString(2);
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(n)), spec, false);
    case 'q':
      return pad(goQuoteRune(Number(n)), spec, false);
    case 'U': {
      const hex = a.toString(16).toUpperCase().padStart(4, '0');
      return pad(`U+${hex}`, spec, false);
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case 's':
    case 't':
    default:
      return '';
  }
  if (spec.prec !== undefined) body = body.padStart(spec.prec, '0');
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return pad(sign + body, spec.prec !== undefined ? { ...spec, zero: false } : spec, true);
}

function fmtFloatVerb(f: number, verb: string, spec: Spec): string {
  let s: string;
  switch (verb) {
    case 'v':
    case 'g':
    case 'G':
      s = spec.prec === undefined ? (verb === 'G' ? formatFloatG(f).toUpperCase() : formatFloatG(f)) : formatFloat(f, verb === 'G' ? 'G' : 'g', spec.prec);
      break;
    case 'e':
    case 'E':
      s = formatFloat(f, verb, spec.prec ?? 6);
      break;
    case 'f':
    case 'F':
      s = formatFloat(f, 'f', spec.prec ?? 6);
      break;
    default:
      return '';
  }
  if (spec.plus && !s.startsWith('-') && !s.startsWith('+')) s = '+' + s;
  else if (spec.space && !s.startsWith('-')) s = ' ' + s;
  if (s === '+Inf' && !spec.plus) s = spec.space ? ' Inf' : '+Inf';
  return pad(s, spec, Number.isFinite(f));
}

function fmtString(s: string, verb: string, spec: Spec): string {
  switch (verb) {
    case 'v':
    case 's': {
      let t = s;
      if (spec.prec !== undefined) t = [...t].slice(0, spec.prec).join('');
      return pad(t, spec, false);
    }
    case 'q':
      return pad(spec.sharp && !s.includes('`') ? '`' + s + '`' : goQuote(s), spec, false);
    case 'x':
    case 'X': {
      const bytes = new TextEncoder().encode(s);
      let hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(spec.space ? ' ' : '');
      if (verb === 'X') hex = hex.toUpperCase();
      return pad(hex, spec, false);
    }
    default:
      return '';
  }
}

/** Formats one operand with a verb, as fmt does (including `%!verb(type=value)` for mismatches). */
export function formatVerb(v: unknown, verb: string, spec: Spec = NO_FLAGS): string {
  if (verb === 'T') return pad(goTypeName(v), spec, false);
  if (v === undefined || v === null) {
    if (verb === 'v') return pad('<nil>', spec, false);
    return badVerb(verb, v);
  }
  if (typeof v === 'boolean') {
    if (verb === 'v' || verb === 't') return pad(v ? 'true' : 'false', spec, false);
    return badVerb(verb, v);
  }
  if (typeof v === 'bigint' || v instanceof Int64) {
    const n = typeof v === 'bigint' ? v : v.v;
    const s = fmtInteger(n, verb, spec);
    return s === '' ? badVerb(verb, v) : s;
  }
  if (typeof v === 'number') {
    const s = fmtFloatVerb(v, verb, spec);
    return s === '' ? badVerb(verb, v) : s;
  }
  if (typeof v === 'string') {
    const s = fmtString(v, verb, spec);
    return s === '' && v !== '' ? badVerb(verb, v) : s === '' && !'vsqxX'.includes(verb) ? badVerb(verb, v) : s;
  }
  if (Array.isArray(v)) {
    return pad('[' + v.map((e) => formatElem(e, verb, { ...spec, width: undefined })).join(' ') + ']', spec, false);
  }
  if (isGoObject(v)) {
    if (verb === 'v' || verb === 's') return fmtString(v.toString(), verb, spec);
    if (verb === 'q') return fmtString(v.toString(), 'q', spec);
    return badVerb(verb, v);
  }
  if (isMap(v)) {
    const inner = { ...spec, width: undefined };
    return pad('map[' + sortedKeys(v).map((k) => `${formatElem(k, verb, inner)}:${formatElem(v[k], verb, inner)}`).join(' ') + ']', spec, false);
  }
  return badVerb(verb, v);
}

/** An element inside a slice or map: a nil interface prints `<nil>` whatever the verb. */
function formatElem(v: unknown, verb: string, spec: Spec): string {
  return v === null || v === undefined ? '<nil>' : formatVerb(v, verb, spec);
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a);
  }
  return out;
}

/** fmt.Sprintln: operands always separated by spaces, with a trailing newline. */
export function sprintln(args: readonly unknown[]): string {
  return args.map(formatValue).join(' ') + '\n';
}

/** fmt.Sprintf with Go's verbs, flags, width, precision and error markers. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  const n = format.length;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { ...NO_FLAGS };
    flags: for (; i < n; i++) {
      switch (format[i]) {
        case '-':
          spec.minus = true;
          spec.zero = false;
          break;
        case '+':
          spec.plus = true;
          break;
        case '#':
          spec.sharp = true;
          break;
        case ' ':
          spec.space = true;
          break;
        case '0':
          spec.zero = !spec.minus;
          break;
        default:
          break flags;
      }
    }
    const argIndex = (): void => {
      const m = /^\[([0-9]+)\]/.exec(format.slice(i));
      if (m) {
        argi = Number(m[1]) - 1;
        i += m[0].length;
      }
    };
    const readNum = (): number | undefined => {
      const m = /^[0-9]+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    argIndex();
    if (format[i] === '*') {
      i++;
      const w = args[argi++];
      spec.width = typeof w === 'bigint' ? Number(w) : w instanceof Int64 ? Number(w.v) : undefined;
      if (spec.width !== undefined && spec.width < 0) {
        spec.minus = true;
        spec.width = -spec.width;
      }
      // Go's fmt refuses widths and precisions beyond 1e6 (tooLarge): no template pads a value to gigabytes.
      if (spec.width !== undefined && spec.width > TEMPLATE_LIMITS.maxFormatWidth) {
        spec.width = undefined;
        out += '%!(BADWIDTH)';
      }
    } else {
      spec.width = readNum();
      if (spec.width !== undefined && spec.width > TEMPLATE_LIMITS.maxFormatWidth) {
        // parsenum gives up on a too-large literal and consumes the rest of the format.
        out += '%!(NOVERB)';
        break;
      }
    }
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        i++;
        const p = args[argi++];
        spec.prec = typeof p === 'bigint' ? Number(p) : p instanceof Int64 ? Number(p.v) : undefined;
      } else spec.prec = readNum() ?? 0;
      if (spec.prec !== undefined && Math.abs(spec.prec) > TEMPLATE_LIMITS.maxFormatWidth) {
        spec.prec = undefined;
        out += '%!(BADPREC)';
      }
    }
    argIndex();
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[argi++];
    if (verb === 'v' && spec.sharp) {
      out += pad(goSyntax(arg), spec, false);
      continue;
    }
    if (!/[a-zA-Z]/.test(verb)) {
      out += badVerb(verb, arg);
      continue;
    }
    // %+v only asks for field names (plusV); it never adds signs.
    if (verb === 'v' && spec.plus) spec.plus = false;
    out += formatVerb(arg, verb, spec);
  }
  if (argi < args.length && !/%[-+# 0-9.]*\[/.test(format)) {
    out += '%!(EXTRA ' + args.slice(argi).map((a) => (a === undefined || a === null ? '<nil>' : `${goTypeName(a)}=${formatValue(a)}`)).join(', ') + ')';
  }
  return out;
}

/** %#v: Go-syntax representation. */
function goSyntax(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') {
    const s = formatFloatG(v);
    return /[.eInN]/.test(s) ? s : s + '';
  }
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Int64) return v.v.toString();
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return '[]interface {}{' + v.map(goSyntax).join(', ') + '}';
  if (isMap(v)) return 'map[string]interface {}{' + sortedKeys(v).map((k) => `${goQuote(k)}:${goSyntax(v[k])}`).join(', ') + '}';
  return formatValue(v);
}
