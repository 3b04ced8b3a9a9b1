/**
 * Scalars as kustomize's YAML libraries see them: plain scalars resolved as yaml.v3 (YAML 1.2) and yaml.v2 (YAML 1.1)
 * read them, Go's integer, float and timestamp rules, and numbers formatted as Go's encoding/json and strconv print them.
 */
import type { Json } from './json';

/** Go's `strconv.FormatFloat(f, 'g', -1, 32)` (shortest digits that read back as the same float32), with yaml.v2's inf/nan names. */
export function formatFloat32G(f: number): string {
  const x = Math.fround(f);
  if (Number.isNaN(x)) return '.nan';
  if (!Number.isFinite(x)) return x > 0 ? '.inf' : '-.inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let shortest = x;
  for (let p = 1; p <= 9; p++) {
    const d = Number(x.toPrecision(p));
    if (Math.fround(d) === x) {
      shortest = d;
      break;
    }
  }
  const e = Number(/e([-+]\d+)$/.exec(shortest.toExponential())![1]);
  return e < -4 || e >= 6 ? goExp(shortest) : String(shortest);
}

/** A number or boolean as a map key string (Go's formatting of the value). */
export function formatNumberOrBool(v: number | bigint | boolean): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  return formatFloatForJson(v);
}

const FLOAT_RE = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const TIMESTAMP_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(\.\d*)?(?:[ \t]*(Z|[-+]\d{1,2}(?::\d{2})?))?)?$/;

/** Resolves a plain scalar as yaml.v3 does when decoding into interface{}. */
export function resolvePlain(s: string, tag: string | undefined): Json {
  const short = tag?.startsWith('tag:yaml.org,2002:') ? tag.slice(18) : tag;
  if (short === 'str') return s;
  if (short === 'null') return null;
  if (short === 'bool') return /^(true|True|TRUE)$/.test(s);
  if (short === 'float') {
    const n = parseGoFloat(s);
    if (n !== undefined) return n;
    const i = parseGoInt(s.replace(/_/g, ''));
    return i === undefined ? s : Number(i);
  }
  if (short === 'int') {
    const i = parseGoInt(s.replace(/_/g, ''));
    return i === undefined ? s : i;
  }
  if (short !== undefined && short !== 'timestamp') return s;
  switch (s) {
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case '.nan':
    case '.NaN':
    case '.NAN':
      return Number.NaN;
    case '.inf':
    case '.Inf':
    case '.INF':
    case '+.inf':
    case '+.Inf':
    case '+.INF':
      return Number.POSITIVE_INFINITY;
    case '-.inf':
    case '-.Inf':
    case '-.INF':
      return Number.NEGATIVE_INFINITY;
  }
  const c = s.charCodeAt(0);
  if (c === 46 /* . */) {
    const f = parseGoFloat(s);
    return f === undefined ? s : f;
  }
  if ((c >= 48 && c <= 57) || c === 43 || c === 45) {
    const ts = TIMESTAMP_RE.exec(s);
    if (ts) return timestampToJson(ts);
    const plain = s.replace(/_/g, '');
    const i = parseGoInt(plain);
    if (i !== undefined) return i;
    if (FLOAT_RE.test(plain)) return Number(plain);
    const m = /^(-?)0([bo])([0-7]+)$/.exec(plain);
    if (m) {
      const v = BigInt(`0${m[2]}${m[3]}`) * (m[1] ? -1n : 1n);
      return toIntValue(v);
    }
  }
  return s;
}

/** Resolves a plain scalar as yaml.v2 does when decoding into interface{} (timestamps stay strings). */
export function resolvePlainV2(s: string): Json {
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (V2_TRUE.has(s)) return true;
  if (V2_FALSE.has(s)) return false;
  const c = s[0]!;
  if (c === '.') {
    if (/^\.(inf|Inf|INF)$/.test(s)) return Number.POSITIVE_INFINITY;
    if (/^\.(nan|NaN|NAN)$/.test(s)) return Number.NaN;
    return parseDotFloat(s) ?? s;
  }
  if ('+-0123456789'.includes(c)) {
    if (/^[-+]\.(inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    if (/^\d{4}-/.test(s) && V2_TS.test(s)) return s;
    const plain = s.replace(/_/g, '');
    const i = parseGoInt(plain);
    if (i !== undefined) return i;
    // strconv.ParseFloat fails on overflow (`1e400`): yaml.v2 then keeps the text.
    if (FLOAT_RE.test(plain) && Number.isFinite(Number(plain))) return Number(plain);
    const m = /^(-?)0b([01]+)$/.exec(plain);
    if (m) return toIntValue(BigInt(`0b${m[2]}`) * (m[1] ? -1n : 1n));
  }
  return s;
}

const V2_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const V2_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

function timestampToJson(m: RegExpExecArray): string {
  const pad = (x: string | undefined, n: number) => (x ?? '0').padStart(n, '0');
  const date = `${m[1]}-${pad(m[2], 2)}-${pad(m[3], 2)}`;
  if (m[4] === undefined) return `${date}T00:00:00Z`;
  let frac = m[7] ?? '';
  frac = frac.replace(/0+$/, '');
  if (frac === '.') frac = '';
  let zone = m[8] ?? 'Z';
  if (zone !== 'Z') {
    const zm = /^([-+])(\d{1,2})(?::(\d{2}))?$/.exec(zone)!;
    zone = zm[2] === '0' && (zm[3] ?? '00') === '00' ? 'Z' : `${zm[1]}${pad(zm[2], 2)}:${zm[3] ?? '00'}`;
  }
  return `${date}T${pad(m[4], 2)}:${m[5]}:${m[6]}${frac}${zone}`;
}

const INT64_MIN = -(2n ** 63n);
/** The largest Go int64 (yaml.v3 reads larger integers as uint64 or floats). */
export const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function toIntValue(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** strconv.ParseInt/ParseUint(s, 0, 64): decimal, 0x, 0o, 0b, leading-0 octal, optional sign. */
export function parseGoInt(s: string): number | bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2]!;
  let v: bigint;
  if (/^0[xXoObB]/.test(body)) v = BigInt(body.toLowerCase());
  else if (body.length > 1 && body.startsWith('0')) v = BigInt(`0o${body.slice(1)}`);
  else v = BigInt(body);
  if (m[1] === '-') v = -v;
  if (v < INT64_MIN || v > UINT64_MAX) return undefined;
  return toIntValue(v);
}

function parseGoFloat(s: string): number | undefined {
  if (/^[-+]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[-+]?nan$/i.test(s)) return Number.NaN;
  if (!/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return undefined;
  return Number(s);
}

// ---------------------------------------------------------------------------------------------------------------
// Number formatting: Go encoding/json for floats, then yaml.v2's re-reading and strconv 'g' printing.

/** Formats a float the way Go's encoding/json does. */
export function formatFloatForJson(f: number): string {
  if (Number.isInteger(f) && Math.abs(f) < 1e21) return Object.is(f, -0) ? '0' : BigInt(f).toString();
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go: 'e' format, exponent at least 2 digits.
    return goExp(f);
  }
  return String(f);
}

function goExp(f: number): string {
  const s = f.toExponential(); // shortest digits, e.g. 1.5e-7
  const m = /^(-?[\d.]+)e([-+])(\d+)$/.exec(s)!;
  return `${m[1]}e${m[2]}${m[3]!.padStart(2, '0')}`;
}

/** Formats a number exactly as it appears in kustomize's output (JSON round trip, then yaml.v2). */
export function formatNumber(v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  if (Number.isNaN(v)) return '.nan';
  if (v === Number.POSITIVE_INFINITY) return '.inf';
  if (v === Number.NEGATIVE_INFINITY) return '-.inf';
  if (Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 64) return Object.is(v, -0) ? '0' : BigInt(v).toString();
  // strconv.FormatFloat(f, 'g', -1, 64)
  const m = /^-?\d(?:\.\d+)?e([-+]\d+)$/.exec(v.toExponential())!;
  const exp = Number(m[1]);
  if (exp < -4 || exp >= 6) return goExp(v);
  return String(v);
}

// ---------------------------------------------------------------------------------------------------------------
// yaml.v2 scalar resolution: does a plain scalar read back as something other than a string?

const V2_MAP = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);
/** A YAML 1.1 sexagesimal number (`1:30`): yaml.v2 reads it as a string but double-quotes it when printing. */
export const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const V2_TS = /^\d{4}-\d{1,2}-\d{1,2}(?:[Tt ]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d{1,9})?(?:Z|[-+]\d{2}:\d{2})?)?$/;

/** Whether yaml.v2 would read a plain scalar back as something other than a string (so it must be quoted). */
export function v2ResolvesToNonString(s: string): boolean {
  if (s === '') return true;
  const c = s[0]!;
  const hint = '+-0123456789'.includes(c) ? 'D' : 'yYnNtTfFoO~'.includes(c) ? 'M' : c === '.' ? '.' : '';
  if (hint === '') return false;
  if (V2_MAP.has(s)) return true;
  if (hint === '.') return parseDotFloat(s) !== undefined;
  if (hint === 'D') {
    if (/^\d{4}-/.test(s) && V2_TS.test(s)) return true;
    const plain = s.replace(/_/g, '');
    if (parseGoInt(plain) !== undefined) return true;
    if (FLOAT_RE.test(plain) && Number.isFinite(Number(plain))) return true;
    if (/^-?0b[01]+$/.test(plain)) return true;
  }
  return false;
}

/**
 * strconv.ParseFloat of a plain scalar starting with '.' (yaml.v2 calls it without removing underscores; Go accepts one
 * between digits), or undefined where Go fails: bad syntax or out of range.
 */
function parseDotFloat(s: string): number | undefined {
  if (!/^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/.test(s)) return undefined;
  const f = Number(s.replace(/_/g, ''));
  return Number.isFinite(f) ? f : undefined;
}
