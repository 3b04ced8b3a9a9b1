// Go text/template's predefined functions (and, or, not, len, index, slice, print*, html, js, urlquery, eq, ne, lt, le, gt, ge, call).
import type { GoFunc } from './exec';
import { formatVerb, sprint, sprintf, sprintln } from './fmt';
import type { BasicKind } from './values';
import { basicKind, goTypeName, intOf, isMap, isTrue, utf8Length } from './values';

const errBadComparisonType = 'invalid type for comparison';
const errBadComparison = 'incompatible types for comparison';
const errNoComparison = 'missing argument for comparison';

/** indirectInterface: a nil interface{} is no value. */
function ind(v: unknown): unknown {
  return v === null ? undefined : v;
}

function cmpValue(v: unknown, k: BasicKind): number | bigint | string | boolean {
  if (k === 'int') return intOf(v)!;
  return v as number | string | boolean;
}

/** Go's eq: arg1 equals any of the others; mismatched basic kinds are an error. */
export function goEq(arg1: unknown, ...rest: unknown[]): boolean {
  arg1 = ind(arg1);
  if (rest.length === 0) throw new Error(errNoComparison);
  const k1 = basicKind(arg1);
  for (let a of rest) {
    a = ind(a);
    const k2 = basicKind(a);
    let truth = false;
    if (k1 !== k2) {
      if (arg1 !== undefined && a !== undefined) throw new Error(`${errBadComparison}: ${goTypeName(arg1)} and ${goTypeName(a)}`);
    } else if (k1 !== 'invalid') {
      truth = cmpValue(arg1, k1) === cmpValue(a, k2);
    } else if (arg1 === undefined || a === undefined) {
      truth = arg1 === a;
    } else {
      if (Array.isArray(arg1) || isMap(arg1) || Array.isArray(a) || isMap(a)) {
        const bad = Array.isArray(arg1) || isMap(arg1) ? arg1 : a;
        throw new Error(`non-comparable type ${formatVerb(bad, 's')}: ${goTypeName(bad)}`);
      }
      truth = arg1 === a || String(arg1) === String(a);
    }
    if (truth) return true;
  }
  return false;
}

/** Go's lt on basic kinds. */
export function goLt(a: unknown, b: unknown): boolean {
  a = ind(a);
  b = ind(b);
  const k1 = basicKind(a);
  if (k1 === 'invalid') throw new Error(errBadComparisonType);
  const k2 = basicKind(b);
  if (k2 === 'invalid') throw new Error(errBadComparisonType);
  if (k1 !== k2) throw new Error(`${errBadComparison}: ${goTypeName(a)} and ${goTypeName(b)}`);
  if (k1 === 'bool') throw new Error(errBadComparisonType);
  return cmpValue(a, k1) < cmpValue(b, k2);
}

function goLe(a: unknown, b: unknown): boolean {
  return goLt(a, b) || goEq(a, b);
}

/** Go's index builtin over slices, strings and maps. */
export function goIndex(item: unknown, ...indexes: unknown[]): unknown {
  item = ind(item);
  if (item === undefined) throw new Error('index of untyped nil');
  for (let index of indexes) {
    index = ind(index);
    if (item === null || item === undefined) throw new Error('index of nil pointer');
    if (Array.isArray(item) || typeof item === 'string') {
      const x = indexArg(index, Array.isArray(item) ? item.length : utf8Length(item));
      if (Array.isArray(item)) {
        if (x >= item.length) throw new Error('reflect: slice index out of range');
        item = item[x] === undefined ? null : item[x];
      } else {
        const bytes = new TextEncoder().encode(item);
        if (x >= bytes.length) throw new Error('reflect: string index out of range');
        item = BigInt(bytes[x]!);
      }
    } else if (isMap(item)) {
      if (index === undefined) throw new Error('value is nil; should be of type string');
      if (typeof index !== 'string') throw new Error(`value has type ${goTypeName(index)}; should be string`);
      item = Object.prototype.hasOwnProperty.call(item, index) ? (item[index] ?? null) : null;
    } else {
      throw new Error(`can't index item of type ${goTypeName(item)}`);
    }
  }
  return item;
}

function indexArg(index: unknown, cap: number): number {
  const x = intOf(index);
  if (x === undefined) {
    if (index === undefined) throw new Error('cannot index slice/array with nil');
    throw new Error(`cannot index slice/array with type ${goTypeName(index)}`);
  }
  if (x < 0n || x > BigInt(cap)) throw new Error(`index out of range: ${x}`);
  return Number(x);
}

/** Go's slice builtin: item[i:j] for strings and slices. */
export function goSlice(item: unknown, ...indexes: unknown[]): unknown {
  item = ind(item);
  if (item === undefined) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string');
    cap = utf8Length(item);
  } else if (Array.isArray(item)) cap = item.length;
  else throw new Error(`can't slice item of type ${goTypeName(item)}`);
  const idx = [0, cap];
  for (let i = 0; i < indexes.length; i++) {
    const x = indexArg(ind(indexes[i]), cap);
    idx[i] = x;
  }
  if (idx[0]! > idx[1]!) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (typeof item === 'string') {
    const bytes = new TextEncoder().encode(item);
    return new TextDecoder().decode(bytes.slice(idx[0], idx[1]));
  }
  return item.slice(idx[0], idx[1]);
}

/** Go's len builtin. */
export function goLen(item: unknown): bigint {
  if (item === null) throw new Error('len of nil pointer');
  if (item === undefined) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  if (typeof item === 'string') return BigInt(utf8Length(item));
  if (Array.isArray(item)) return BigInt(item.length);
  if (isMap(item)) return BigInt(Object.keys(item).length);
  throw new Error(`len of type ${goTypeName(item)}`);
}

/** evalArgs of Go's escapers: a lone string as is, otherwise fmt.Sprint. */
function evalArgs(args: readonly unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === undefined ? null : a)));
}

/** template.HTMLEscapeString */
export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\ufffd', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

/** template.JSEscapeString */
export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (cp < 0x20) out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
    else if (cp < 0x80 || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) out += ch;
    else out += cp < 0x10000 ? '\\u' + cp.toString(16).toUpperCase().padStart(4, '0') : '\\U' + cp.toString(16).toUpperCase().padStart(8, '0');
  }
  return out;
}

/** url.QueryEscape */
export function queryEscape(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** The builtin function table of text/template. */
export const BUILTINS: ReadonlyMap<string, GoFunc> = new Map<string, GoFunc>([
  ['and', { params: ['value'], variadic: 'value', fn: () => undefined }],
  ['or', { params: ['value'], variadic: 'value', fn: () => undefined }],
  ['not', { params: ['value'], fn: (v: unknown) => !isTrue(v) }],
  ['call', { params: ['value'], variadic: 'value', fn: (f: unknown) => { throw new Error(f === undefined || f === null ? 'call of nil' : `non-function of type ${goTypeName(f)}`); } }],
  ['html', { params: [], variadic: 'any', fn: (...a: unknown[]) => htmlEscape(evalArgs(a)) }],
  ['js', { params: [], variadic: 'any', fn: (...a: unknown[]) => jsEscape(evalArgs(a)) }],
  ['urlquery', { params: [], variadic: 'any', fn: (...a: unknown[]) => queryEscape(evalArgs(a)) }],
  ['index', { params: ['value'], variadic: 'value', fn: goIndex }],
  ['slice', { params: ['value'], variadic: 'value', fn: goSlice }],
  ['len', { params: ['value'], fn: goLen }],
  ['print', { params: [], variadic: 'any', fn: (...a: unknown[]) => sprint(a) }],
  ['println', { params: [], variadic: 'any', fn: (...a: unknown[]) => sprintln(a) }],
  ['printf', { params: ['string'], variadic: 'any', fn: (f: string, ...a: unknown[]) => sprintf(f, a) }],
  ['eq', { params: ['value'], variadic: 'value', fn: goEq }],
  ['ne', { params: ['value', 'value'], fn: (a: unknown, b: unknown) => !goEq(a, b) }],
  ['lt', { params: ['value', 'value'], fn: goLt }],
  ['le', { params: ['value', 'value'], fn: goLe }],
  ['gt', { params: ['value', 'value'], fn: (a: unknown, b: unknown) => !goLe(a, b) }],
  ['ge', { params: ['value', 'value'], fn: (a: unknown, b: unknown) => !goLt(a, b) }],
]);
