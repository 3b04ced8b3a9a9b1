// Sprig v3's generic function map (minus env, expandenv, getHostByName, as Argo CD removes them), with Go signatures and Sprig's conversions.
import type { GoFunc, ParamType } from '../go/exec';
import { formatValue, goQuote } from '../go/fmt';
import { Int64, goKindName, goTypeName, intOf, isMap, setEntry, typedSlice, utf8Length } from '../go/values';
import { GoTime, durationString, formatTime, parseDuration, parseTime } from './dates';
import { fromYamlList, fromYamlMap, goJson, goYaml, parseGoJson } from './encoding';
import { adler32, base32Decode, base32Encode, base64Decode, base64Encode, sha1Hex, sha256Hex, sha512Hex, utf8 } from './hashes';
import type { GoRegexp } from './regex';
import { findAll, goRegexp, quoteMeta, replaceAll, split as regexSplitImpl } from './regex';
import { parseVersion, semverCompare } from './semver';
import { checkListLength, checkStringLength } from '../limits';

type Fn = (...args: never[]) => unknown;

function f(params: readonly ParamType[], fn: Fn, variadic?: ParamType): GoFunc {
  return variadic === undefined ? { params, fn } : { params, fn, variadic };
}

/** Sprig's strval: strings as is, Stringers via String, everything else with %v. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '<nil>';
  return formatValue(v);
}

/** spf13/cast ToInt64 as Sprig uses it (strings parsed with base prefixes, floats truncated, bools 0/1, else 0). */
export function toInt64(v: unknown): bigint {
  const i = intOf(v);
  if (i !== undefined) return i;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') {
    const s = v.replace(/\.0*$/, '');
    const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+|[1-9][0-9_]*|0)$/.exec(s);
    if (!m) return 0n;
    let body = m[2]!.replace(/_/g, '');
    if (/^0[0-7]+$/.test(body)) body = '0o' + body.slice(1);
    try {
      const n = BigInt(body);
      return m[1] === '-' ? -n : n;
    } catch {
      return 0n;
    }
  }
  return 0n;
}

/** spf13/cast ToFloat64. */
export function toFloat64(v: unknown): number {
  const i = intOf(v);
  if (i !== undefined) return Number(i);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = Number(v.trim());
    return v.trim() !== '' && !Number.isNaN(n) ? n : 0;
  }
  return 0;
}

/** Sprig's empty: zero values and empty collections are empty. */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  switch (typeof v) {
    case 'string':
      return v.length === 0;
    case 'boolean':
      return !v;
    case 'number':
      return v === 0;
    case 'bigint':
      return v === 0n;
  }
  if (v instanceof Int64) return v.v === 0n;
  if (Array.isArray(v)) return v.length === 0;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}

/** reflect.DeepEqual over template values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b) {
    if (a instanceof Int64 && b instanceof Int64) return a.v === b.v;
    return false;
  }
  if (a instanceof Int64 || b instanceof Int64) return a instanceof Int64 && b instanceof Int64 && a.v === b.v;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function deepCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) setEntry(out, k, deepCopy(v[k]));
    return out;
  }
  return v;
}

/** Sprig's strslice: a list of strings from a slice (nil elements dropped) or a single value. */
function strslice(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(strval);
  return [strval(v)];
}

const NIL_DEREF = 'runtime error: invalid memory address or nil pointer dereference';

/** Sprig's list functions switch on reflect.TypeOf(list).Kind(), which panics for nil. */
function asList(v: unknown, op: string): unknown[] {
  if (v === undefined || v === null) throw new Error(NIL_DEREF);
  if (Array.isArray(v)) return v;
  throw new Error(`Cannot ${op} on type ${goTypeName(v)}`);
}

function mustList<T>(name: string, op: string, body: (l: unknown[]) => T, onNil: T): { [k: string]: GoFunc } {
  const run = (list: unknown): T => (Array.isArray(list) && list.length === 0 ? onNil : body(asList(list, op)));
  return {
    [name]: f(['any'], run as Fn),
    ['must' + name[0]!.toUpperCase() + name.slice(1)]: f(['any'], run as Fn),
  };
}

function goTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    const sep = /[\s]/u.test(prev) || (/[\x21-\x7e]/.test(prev) && !/[A-Za-z0-9_]/.test(prev));
    out += sep ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

function untitle(s: string): string {
  return s.replace(/(^|\s)(\S)/g, (_m, a: string, b: string) => a + b.toLowerCase());
}

function splitWords(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '');
}

function byteSlice(s: string, start: number, end?: number): string {
  const b = utf8(s);
  return new TextDecoder().decode(b.slice(start, end));
}

function mergeInto(dst: Record<string, unknown>, src: Record<string, unknown>, overwrite: boolean): void {
  for (const k of Object.keys(src)) {
    const sv = src[k];
    const dv = dst[k];
    const has = Object.prototype.hasOwnProperty.call(dst, k);
    if (isMap(sv) && isMap(dv)) {
      mergeInto(dv, sv, overwrite);
      continue;
    }
    if (sv === null || sv === undefined) {
      if (overwrite) setEntry(dst, k, sv);
      continue;
    }
    if (overwrite || !has || isEmpty(dv)) setEntry(dst, k, sv);
  }
}

function cat(...v: unknown[]): string {
  return v.filter((x) => x !== null && x !== undefined).map((x) => formatValue(x)).join(' ');
}

function dateInZone(fmt: string, date: unknown): string {
  let t: GoTime;
  if (date instanceof GoTime) t = date;
  else if (typeof date === 'bigint') t = new GoTime(Number(date) * 1000);
  else if (date instanceof Int64) t = new GoTime(Number(date.v) * 1000);
  else t = new GoTime(Date.now());
  return formatTime(t, fmt);
}

function seq(...params: bigint[]): string {
  const nums: bigint[] = [];
  const [a, b, c] = params;
  let start = 1n;
  let end: bigint;
  let step = 1n;
  switch (params.length) {
    case 0:
      return '';
    case 1:
      end = a!;
      if (end < 1n) step = -1n;
      break;
    case 2:
      start = a!;
      end = b!;
      step = start > end ? -1n : 1n;
      break;
    case 3:
      start = a!;
      step = b!;
      end = c!;
      if ((end < start && step > 0n) || (end > start && step < 0n) || step === 0n) return '';
      break;
    default:
      return '';
  }
  if (step !== 0n) checkListLength('seq', (end - start) / step + 1n);
  for (let i = start; step > 0n ? i <= end : i >= end; i += step) nums.push(i);
  return nums.join(' ');
}

function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  const v: bigint[] = [];
  if (step !== 0n && (stop - start) / step > 0n) checkListLength('until', (stop - start) / step);
  if (stop < start) {
    if (step >= 0n) return v;
    for (let i = start; i > stop; i += step) v.push(i);
    return v;
  }
  if (step <= 0n) return v;
  for (let i = start; i < stop; i += step) v.push(i);
  return v;
}

function decimalString(x: number): string {
  return x.toFixed(20).replace(/\.?0+$/, '');
}

/** Exact decimal arithmetic for addf/subf/mulf (Sprig uses shopspring/decimal). */
function decimalOp(a: number, b: number, op: '+' | '-' | '*'): number {
  const parse = (x: number): [bigint, number] => {
    const s = Math.abs(x) < 1e21 ? decimalString(x) : String(x);
    if (/e/.test(s)) return [BigInt(Math.trunc(x)), 0];
    const [i, fr = ''] = s.replace('-', '').split('.');
    return [BigInt((x < 0 ? '-' : '') + i + fr), fr.length];
  };
  const shortest = (x: number): [bigint, number] => {
    const s = String(x);
    if (/e/.test(s)) return parse(x);
    const [i, fr = ''] = s.replace('-', '').split('.');
    return [BigInt((x < 0 ? '-' : '') + i + fr), fr.length];
  };
  const [ai, as] = shortest(a);
  const [bi, bs] = shortest(b);
  if (op === '*') return Number(`${ai * bi}e-${as + bs}`);
  const scale = Math.max(as, bs);
  const x = ai * 10n ** BigInt(scale - as);
  const y = bi * 10n ** BigInt(scale - bs);
  return Number(`${op === '+' ? x + y : x - y}e-${scale}`);
}

function dict(...v: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < v.length; i += 2) {
    const key = strval(v[i]);
    setEntry(out, key, i + 1 >= v.length ? '' : v[i + 1]);
  }
  return out;
}

function dig(...ps: unknown[]): unknown {
  if (ps.length < 3) throw new Error('dig needs at least three arguments');
  const dictV = ps[ps.length - 1];
  const def = ps[ps.length - 2];
  const keys = ps.slice(0, -2).map((k) => {
    if (typeof k !== 'string') throw new Error(`interface conversion: interface {} is ${goTypeName(k)}, not string`);
    return k;
  });
  let cur: unknown = dictV;
  for (const k of keys) {
    if (!isMap(cur)) throw new Error(`interface conversion: interface {} is ${goTypeName(cur)}, not map[string]interface {}`);
    if (!Object.prototype.hasOwnProperty.call(cur, k)) return def;
    cur = cur[k];
  }
  return cur;
}

function sprigSlice(list: unknown, ...indices: unknown[]): unknown[] | null {
  if (list !== null && list !== undefined && !Array.isArray(list)) throw new Error(`list should be type of slice or array but ${goTypeName(list)}`);
  const l = asList(list, 'slice');
  if (l.length === 0) return null;
  let start = 0;
  let end = l.length;
  if (indices.length > 0) start = Number(toInt64(indices[0]));
  if (indices.length > 1) end = Number(toInt64(indices[1]));
  if (start < 0 || end > l.length || start > end) throw new Error('reflect.Value.Slice: slice index out of bounds');
  return l.slice(start, end);
}

function round(a: unknown, p: bigint, ...rOpt: unknown[]): number {
  const roundOn = rOpt.length > 0 ? toFloat64(rOpt[0]) : 0.5;
  const val = toFloat64(a);
  const pow = 10 ** Number(p);
  const digit = pow * val;
  const div = digit - Math.trunc(digit);
  const r = div >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

function sprigUrlParse(v: string): Record<string, unknown> {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/(?:([^@/?#]*)@)?([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(v);
  if (!m) throw new Error(`unable to parse url: ${v}`);
  const host = m[3] ?? '';
  const rest = m[4] ?? '';
  const opaque = m[1] !== undefined && m[3] === undefined && rest !== '' && !rest.startsWith('/');
  return {
    scheme: m[1] ?? '',
    host,
    hostname: host.replace(/:\d*$/, '').replace(/^\[|\]$/g, ''),
    path: opaque ? '' : decodeURIComponent(rest),
    query: m[5] ?? '',
    opaque: opaque ? rest : '',
    fragment: m[6] !== undefined ? decodeURIComponent(m[6]) : '',
    userinfo: m[2] ?? '',
  };
}

function toDecimal(v: unknown): Int64 {
  const s = strval(v);
  if (!/^[+-]?[0-7]+$/.test(s)) return new Int64(0n);
  const neg = s.startsWith('-');
  const n = BigInt('0o' + s.replace(/^[+-]/, ''));
  return new Int64(neg ? -n : n);
}

function kebab(s: string): string {
  return splitWords(s).map((w) => w.toLowerCase()).join('-');
}

/** The Sprig function table. */
export function sprigFuncs(): Map<string, GoFunc> {
  const m = new Map<string, GoFunc>();
  const add = (name: string, fn: GoFunc): void => {
    m.set(name, fn);
  };
  const addAll = (o: Record<string, GoFunc>): void => {
    for (const [k, v] of Object.entries(o)) m.set(k, v);
  };

  // strings
  add('hello', f([], () => 'Hello!'));
  add('upper', f(['string'], (s: string) => s.toUpperCase()));
  add('lower', f(['string'], (s: string) => s.toLowerCase()));
  add('title', f(['string'], goTitle));
  add('untitle', f(['string'], untitle));
  add('substr', f(['int', 'int', 'string'], (start: bigint, end: bigint, s: string) => {
    const len = utf8Length(s);
    if (start < 0n) return byteSlice(s, 0, Number(end));
    if (end < 0n || end > BigInt(len)) return byteSlice(s, Number(start));
    if (start > end) throw new Error(`runtime error: slice bounds out of range [${start}:${end}]`);
    return byteSlice(s, Number(start), Number(end));
  }));
  add('repeat', f(['int', 'string'], (n: bigint, s: string) => {
    if (n < 0n) throw new Error('strings: negative Repeat count');
    checkStringLength('repeat', Number(n) * s.length);
    return s.repeat(Number(n));
  }));
  add('trim', f(['string'], (s: string) => s.trim()));
  const trimAll = f(['string', 'string'], (cut: string, s: string) => {
    const set = new Set(cut);
    let a = 0;
    let b = s.length;
    while (a < b && set.has(s[a]!)) a++;
    while (b > a && set.has(s[b - 1]!)) b--;
    return s.slice(a, b);
  });
  add('trimAll', trimAll);
  add('trimall', trimAll);
  add('trimSuffix', f(['string', 'string'], (suf: string, s: string) => (suf !== '' && s.endsWith(suf) ? s.slice(0, s.length - suf.length) : s)));
  add('trimPrefix', f(['string', 'string'], (pre: string, s: string) => (s.startsWith(pre) ? s.slice(pre.length) : s)));
  add('nospace', f(['string'], (s: string) => s.replace(/\s/gu, '')));
  add('initials', f(['string'], (s: string) => s.split(/\s+/).filter((w) => w).map((w) => [...w][0]).join('')));
  add('swapcase', f(['string'], (s: string) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('')));
  add('snakecase', f(['string'], (s: string) => splitWords(s).map((w) => w.toLowerCase()).join('_')));
  add('camelcase', f(['string'], (s: string) => s.split(/[_\-\s]+/).map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : '')).join('')));
  add('kebabcase', f(['string'], kebab));
  add('trunc', f(['int', 'string'], (c: bigint, s: string) => {
    const len = BigInt(utf8Length(s));
    if (c < 0n && len + c > 0n) return byteSlice(s, Number(len + c));
    if (c >= 0n && len > c) return byteSlice(s, 0, Number(c));
    return s;
  }));
  add('abbrev', f(['int', 'string'], (w: bigint, s: string) => (w < 4n || s.length <= Number(w) ? s : s.slice(0, Number(w) - 3) + '...')));
  add('abbrevboth', f(['int', 'int', 'string'], (l: bigint, r: bigint, s: string) => {
    if (r < 4n || (l > 0n && r < 7n)) return s;
    let str = s;
    const left = Number(l);
    if (left > 4 && str.length > Number(r)) str = '...' + str.slice(Math.min(left, str.length - (Number(r) - 3)));
    return str.length <= Number(r) ? str : str.slice(0, Number(r) - 3) + '...';
  }));
  add('contains', f(['string', 'string'], (sub: string, s: string) => s.includes(sub)));
  add('hasPrefix', f(['string', 'string'], (p: string, s: string) => s.startsWith(p)));
  add('hasSuffix', f(['string', 'string'], (p: string, s: string) => s.endsWith(p)));
  add('quote', f([], (...v: unknown[]) => v.filter((x) => x !== null && x !== undefined).map((x) => goQuote(strval(x))).join(' '), 'any'));
  add('squote', f([], (...v: unknown[]) => v.filter((x) => x !== null && x !== undefined).map((x) => `'${strval(x)}'`).join(' '), 'any'));
  add('cat', f([], cat as Fn, 'any'));
  add('indent', f(['int', 'string'], (n: bigint, s: string) => {
    const pad = ' '.repeat(Number(n));
    return pad + s.split('\n').join('\n' + pad);
  }));
  add('nindent', f(['int', 'string'], (n: bigint, s: string) => {
    const pad = ' '.repeat(Number(n));
    return '\n' + pad + s.split('\n').join('\n' + pad);
  }));
  add('replace', f(['string', 'string', 'string'], (o: string, n: string, s: string) => (o === '' ? s.split('').join(n).replace(/^/, n) + (s === '' ? '' : n) : s.split(o).join(n))));
  add('plural', f(['string', 'string', 'int'], (one: string, many: string, n: bigint) => (n === 1n ? one : many)));
  add('wrap', f(['int', 'string'], (n: bigint, s: string) => wrapWith(Number(n), '\n', s)));
  add('wrapWith', f(['int', 'string', 'string'], (n: bigint, sep: string, s: string) => wrapWith(Number(n), sep, s)));
  add('sha1sum', f(['string'], (s: string) => sha1Hex(utf8(s))));
  add('sha256sum', f(['string'], (s: string) => sha256Hex(utf8(s))));
  add('sha512sum', f(['string'], (s: string) => sha512Hex(utf8(s))));
  add('adler32sum', f(['string'], (s: string) => adler32(utf8(s))));
  add('toString', f(['any'], strval));
  add('atoi', f(['string'], (s: string) => (/^[+-]?[0-9]+$/.test(s) ? BigInt(s) : 0n)));
  add('int64', f(['any'], (v: unknown) => new Int64(toInt64(v))));
  add('int', f(['any'], (v: unknown) => toInt64(v)));
  add('float64', f(['any'], toFloat64));
  add('seq', f([], seq as Fn, 'int'));
  add('toDecimal', f(['any'], toDecimal));
  add('split', f(['string', 'string'], (sep: string, s: string) => {
    const out: Record<string, string> = {};
    goSplit(s, sep, -1).forEach((p, i) => (out['_' + i] = p));
    return out;
  }));
  add('splitList', f(['string', 'string'], (sep: string, s: string) => typedSlice(goSplit(s, sep, -1), '[]string')));
  add('splitn', f(['string', 'int', 'string'], (sep: string, n: bigint, s: string) => {
    const out: Record<string, string> = {};
    goSplit(s, sep, Number(n)).forEach((p, i) => (out['_' + i] = p));
    return out;
  }));
  add('toStrings', f(['any'], (v: unknown) => typedSlice(strslice(v), '[]string')));
  add('until', f(['int'], (n: bigint) => typedSlice(n < 0n ? untilStep(0n, n, -1n) : untilStep(0n, n, 1n), '[]int')));
  add('untilStep', f(['int', 'int', 'int'], (a: bigint, b: bigint, c: bigint) => typedSlice(untilStep(a, b, c), '[]int')));
  add('join', f(['string', 'any'], (sep: string, v: unknown) => strslice(v).join(sep)));
  add('sortAlpha', f(['any'], (v: unknown) => typedSlice(Array.isArray(v) ? strslice(v).sort() : [strval(v)], '[]string')));

  // math
  add('add1', f(['any'], (v: unknown) => new Int64(toInt64(v) + 1n)));
  add('add', f([], (...v: unknown[]) => new Int64(v.reduce<bigint>((a, b) => a + toInt64(b), 0n)), 'any'));
  add('sub', f(['any', 'any'], (a: unknown, b: unknown) => new Int64(toInt64(a) - toInt64(b))));
  add('div', f(['any', 'any'], (a: unknown, b: unknown) => {
    const d = toInt64(b);
    if (d === 0n) throw new Error('runtime error: integer divide by zero');
    return new Int64(toInt64(a) / d);
  }));
  add('mod', f(['any', 'any'], (a: unknown, b: unknown) => {
    const d = toInt64(b);
    if (d === 0n) throw new Error('runtime error: integer divide by zero');
    return new Int64(toInt64(a) % d);
  }));
  add('mul', f(['any'], (a: unknown, ...v: unknown[]) => new Int64(v.reduce<bigint>((x, y) => x * toInt64(y), toInt64(a))), 'any'));
  const maxFn = f(['any'], (a: unknown, ...v: unknown[]) => new Int64(v.reduce<bigint>((x, y) => (toInt64(y) > x ? toInt64(y) : x), toInt64(a))), 'any');
  add('max', maxFn);
  add('biggest', maxFn);
  add('min', f(['any'], (a: unknown, ...v: unknown[]) => new Int64(v.reduce<bigint>((x, y) => (toInt64(y) < x ? toInt64(y) : x), toInt64(a))), 'any'));
  add('add1f', f(['any'], (v: unknown) => decimalOp(toFloat64(v), 1, '+')));
  add('addf', f([], (...v: unknown[]) => v.reduce<number>((a, b) => decimalOp(a, toFloat64(b), '+'), 0), 'any'));
  add('subf', f(['any'], (a: unknown, ...v: unknown[]) => v.reduce<number>((x, y) => decimalOp(x, toFloat64(y), '-'), toFloat64(a)), 'any'));
  add('mulf', f(['any'], (a: unknown, ...v: unknown[]) => v.reduce<number>((x, y) => decimalOp(x, toFloat64(y), '*'), toFloat64(a)), 'any'));
  add('divf', f(['any'], (a: unknown, ...v: unknown[]) => v.reduce<number>((x, y) => {
    const d = toFloat64(y);
    if (d === 0) throw new Error('decimal division by 0');
    return Number((x / d).toPrecision(16));
  }, toFloat64(a)), 'any'));
  add('maxf', f(['any'], (a: unknown, ...v: unknown[]) => v.reduce<number>((x, y) => Math.max(x, toFloat64(y)), toFloat64(a)), 'any'));
  add('minf', f(['any'], (a: unknown, ...v: unknown[]) => v.reduce<number>((x, y) => Math.min(x, toFloat64(y)), toFloat64(a)), 'any'));
  add('ceil', f(['any'], (v: unknown) => Math.ceil(toFloat64(v))));
  add('floor', f(['any'], (v: unknown) => Math.floor(toFloat64(v))));
  add('round', f(['any', 'int'], round as Fn, 'any'));
  add('randInt', f(['int', 'int'], (a: bigint, b: bigint) => a + BigInt(Math.floor(Math.random() * Number(b - a)))));

  // defaults, flow, JSON
  add('default', f(['any'], (d: unknown, ...given: unknown[]) => (given.length === 0 || isEmpty(given[0]) ? d : given[0]), 'any'));
  add('empty', f(['any'], isEmpty));
  add('coalesce', f([], (...v: unknown[]) => v.find((x) => !isEmpty(x)) ?? null, 'any'));
  add('all', f([], (...v: unknown[]) => v.every((x) => !isEmpty(x)), 'any'));
  add('any', f([], (...v: unknown[]) => v.some((x) => !isEmpty(x)), 'any'));
  add('ternary', f(['any', 'any', 'bool'], (t: unknown, e: unknown, c: boolean) => (c ? t : e)));
  add('fail', f(['string'], (msg: string) => {
    throw new Error(msg);
  }));
  const swallow = (fn: (v: unknown) => string) => (v: unknown): string => {
    try {
      return fn(v);
    } catch {
      return '';
    }
  };
  const toJson = (v: unknown): string => goJson(v, { escapeHtml: true });
  const toPrettyJson = (v: unknown): string => goJson(v, { escapeHtml: true, indent: '  ' });
  const toRawJson = (v: unknown): string => goJson(v, { escapeHtml: false });
  add('toJson', f(['any'], swallow(toJson)));
  add('mustToJson', f(['any'], toJson));
  add('toPrettyJson', f(['any'], swallow(toPrettyJson)));
  add('mustToPrettyJson', f(['any'], toPrettyJson));
  add('toRawJson', f(['any'], swallow(toRawJson)));
  add('mustToRawJson', f(['any'], toRawJson));
  add('fromJson', f(['string'], (s: string) => {
    try {
      return parseGoJson(s);
    } catch {
      return null;
    }
  }));
  add('mustFromJson', f(['string'], parseGoJson));
  add('deepCopy', f(['any'], deepCopy));
  add('mustDeepCopy', f(['any'], (v: unknown) => {
    if (v === null || v === undefined) throw new Error('copy: Must be a pointer or map');
    return deepCopy(v);
  }));

  // reflection
  add('typeOf', f(['any'], (v: unknown) => goTypeName(v)));
  add('typeIs', f(['string', 'any'], (t: string, v: unknown) => t === goTypeName(v)));
  add('typeIsLike', f(['string', 'any'], (t: string, v: unknown) => t === goTypeName(v) || '*' + t === goTypeName(v)));
  add('kindOf', f(['any'], (v: unknown) => goKindName(v)));
  add('kindIs', f(['string', 'any'], (t: string, v: unknown) => t === goKindName(v)));
  add('deepEqual', f(['any', 'any'], deepEqual));

  // paths
  add('base', f(['string'], pathBase));
  add('dir', f(['string'], pathDir));
  add('clean', f(['string'], pathClean));
  add('ext', f(['string'], (p: string) => {
    const b = p.slice(p.lastIndexOf('/') + 1);
    const i = b.lastIndexOf('.');
    return i < 0 ? '' : b.slice(i);
  }));
  add('isAbs', f(['string'], (p: string) => p.startsWith('/')));
  add('osBase', f(['string'], pathBase));
  add('osDir', f(['string'], pathDir));
  add('osClean', f(['string'], pathClean));
  add('osExt', m.get('ext')!);
  add('osIsAbs', m.get('isAbs')!);

  // encoding
  add('b64enc', f(['string'], (s: string) => base64Encode(utf8(s))));
  add('b64dec', f(['string'], (s: string) => {
    try {
      return new TextDecoder().decode(base64Decode(s));
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }));
  add('b32enc', f(['string'], (s: string) => base32Encode(utf8(s))));
  add('b32dec', f(['string'], (s: string) => {
    try {
      return new TextDecoder().decode(base32Decode(s));
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }));

  // lists
  add('list', f([], (...v: unknown[]) => v, 'any'));
  add('tuple', f([], (...v: unknown[]) => v, 'any'));
  const push = (list: unknown, v: unknown): unknown[] => {
    return [...asList(list, 'push'), v];
  };
  for (const n of ['append', 'push', 'mustAppend', 'mustPush']) add(n, f(['any', 'any'], push as Fn));
  const prepend = (list: unknown, v: unknown): unknown[] => [v, ...asList(list, 'prepend')];
  add('prepend', f(['any', 'any'], prepend as Fn));
  add('mustPrepend', f(['any', 'any'], prepend as Fn));
  addAll(mustList<unknown>('first', 'find first', (l) => (l.length === 0 ? null : l[0]), null));
  addAll(mustList<unknown>('last', 'find last', (l) => (l.length === 0 ? null : l[l.length - 1]), null));
  addAll(mustList<unknown>('rest', 'find rest', (l) => (l.length === 0 ? null : l.slice(1)), null));
  addAll(mustList<unknown>('initial', 'find initial', (l) => (l.length === 0 ? null : l.slice(0, -1)), null));
  addAll(mustList<unknown>('reverse', 'find reverse', (l) => [...l].reverse(), []));
  addAll(mustList<unknown>('compact', 'compact', (l) => l.filter((x) => !isEmpty(x)), []));
  addAll(mustList<unknown>('uniq', 'find uniq', (l) => l.filter((x, i) => l.findIndex((y) => deepEqual(x, y)) === i), []));
  const without = (list: unknown, ...omit: unknown[]): unknown[] | null => {
    return asList(list, 'find without').filter((x) => !omit.some((o) => deepEqual(o, x)));
  };
  add('without', f(['any'], without as Fn, 'any'));
  add('mustWithout', f(['any'], without as Fn, 'any'));
  const has = (needle: unknown, hay: unknown): boolean => {
    if (hay === null || hay === undefined) return false;
    if (!Array.isArray(hay)) throw new Error(`Cannot find has on type ${goTypeName(hay)}`);
    return hay.some((x) => deepEqual(x, needle));
  };
  add('has', f(['any', 'any'], has as Fn));
  add('mustHas', f(['any', 'any'], has as Fn));
  add('slice', f(['any'], sprigSlice as Fn, 'any'));
  add('mustSlice', f(['any'], sprigSlice as Fn, 'any'));
  add('concat', f([], (...lists: unknown[]) => {
    const out: unknown[] = [];
    for (const l of lists) {
      if (l === null || l === undefined) throw new Error(NIL_DEREF);
      if (!Array.isArray(l)) throw new Error(`Cannot concat type ${goTypeName(l)} as list`);
      out.push(...l);
    }
    return out;
  }, 'any'));
  const chunk = (size: bigint, list: unknown): unknown[][] => {
    const l = asList(list, 'chunk');
    if (size <= 0n) throw new Error('runtime error: makeslice: len out of range');
    const out: unknown[][] = [];
    for (let i = 0; i < l.length; i += Number(size)) out.push(l.slice(i, i + Number(size)));
    return out;
  };
  add('chunk', f(['int', 'any'], chunk as Fn));
  add('mustChunk', f(['int', 'any'], chunk as Fn));

  // dicts
  add('dict', f([], dict as Fn, 'any'));
  add('get', f(['map', 'string'], (d: Record<string, unknown> | null, k: string) => (d && Object.prototype.hasOwnProperty.call(d, k) ? (d[k] ?? null) : '')));
  add('set', f(['map', 'string', 'any'], (d: Record<string, unknown> | null, k: string, v: unknown) => {
    if (!d) throw new Error('assignment to entry in nil map');
    setEntry(d, k, v);
    return d;
  }));
  add('unset', f(['map', 'string'], (d: Record<string, unknown> | null, k: string) => {
    if (d) delete d[k];
    return d;
  }));
  add('hasKey', f(['map', 'string'], (d: Record<string, unknown> | null, k: string) => !!d && Object.prototype.hasOwnProperty.call(d, k)));
  add('pluck', f(['string'], (k: string, ...ds: (Record<string, unknown> | null)[]) => ds.filter((d) => d && Object.prototype.hasOwnProperty.call(d, k)).map((d) => d![k]), 'map'));
  add('keys', f([], (...ds: (Record<string, unknown> | null)[]) => typedSlice(ds.flatMap((d) => (d ? Object.keys(d) : [])), '[]string'), 'map'));
  add('values', f(['map'], (d: Record<string, unknown> | null) => (d ? Object.values(d) : [])));
  add('pick', f(['map'], (d: Record<string, unknown> | null, ...ks: string[]) => {
    const out: Record<string, unknown> = {};
    for (const k of ks) if (d && Object.prototype.hasOwnProperty.call(d, k)) setEntry(out, k, d[k]);
    return out;
  }, 'string'));
  add('omit', f(['map'], (d: Record<string, unknown> | null, ...ks: string[]) => {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(d ?? {})) if (!ks.includes(k)) setEntry(out, k, d![k]);
    return out;
  }, 'string'));
  const merge = (overwrite: boolean) => (dst: Record<string, unknown> | null, ...srcs: (Record<string, unknown> | null)[]): Record<string, unknown> => {
    const d = dst ?? {};
    for (const s of srcs) if (s) mergeInto(d, s, overwrite);
    return d;
  };
  add('merge', f(['map'], merge(false) as Fn, 'map'));
  add('mustMerge', f(['map'], merge(false) as Fn, 'map'));
  add('mergeOverwrite', f(['map'], merge(true) as Fn, 'map'));
  add('mustMergeOverwrite', f(['map'], merge(true) as Fn, 'map'));
  add('dig', f([], dig as Fn, 'any'));

  // regular expressions
  const regexMatch = (r: string, s: string): boolean => goRegexp(r).matcher(s).find();
  add('regexMatch', f(['string', 'string'], (r: string, s: string) => {
    try {
      return regexMatch(r, s);
    } catch {
      return false;
    }
  }));
  add('mustRegexMatch', f(['string', 'string'], regexMatch));
  // The plain variants use regexp.MustCompile, whose panic text wraps the parse error.
  const mustCompile = (r: string): GoRegexp => {
    try {
      return goRegexp(r);
    } catch (e) {
      throw new Error(`regexp: Compile(\`${r}\`): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  };
  const findAllStr = (compile: (r: string) => GoRegexp) => (r: string, s: string, n: bigint): string[] => typedSlice(findAll(compile(r), s, Number(n)).map((x) => s.slice(x.start, x.end)), '[]string');
  add('regexFindAll', f(['string', 'string', 'int'], findAllStr(mustCompile)));
  add('mustRegexFindAll', f(['string', 'string', 'int'], findAllStr(goRegexp)));
  const findOne = (compile: (r: string) => GoRegexp) => (r: string, s: string): string => {
    const x = findAll(compile(r), s, 1)[0];
    return x ? s.slice(x.start, x.end) : '';
  };
  add('regexFind', f(['string', 'string'], findOne(mustCompile)));
  add('mustRegexFind', f(['string', 'string'], findOne(goRegexp)));
  const rra = (compile: (r: string) => GoRegexp, literal: boolean) => (r: string, s: string, repl: string): string => replaceAll(compile(r), s, repl, literal);
  add('regexReplaceAll', f(['string', 'string', 'string'], rra(mustCompile, false)));
  add('mustRegexReplaceAll', f(['string', 'string', 'string'], rra(goRegexp, false)));
  add('regexReplaceAllLiteral', f(['string', 'string', 'string'], rra(mustCompile, true)));
  add('mustRegexReplaceAllLiteral', f(['string', 'string', 'string'], rra(goRegexp, true)));
  const rsplit = (compile: (r: string) => GoRegexp) => (r: string, s: string, n: bigint): string[] => typedSlice(regexSplitImpl(compile(r), s, Number(n), r.length), '[]string');
  add('regexSplit', f(['string', 'string', 'int'], rsplit(mustCompile)));
  add('mustRegexSplit', f(['string', 'string', 'int'], rsplit(goRegexp)));
  add('regexQuoteMeta', f(['string'], quoteMeta));

  // semver
  add('semver', f(['string'], parseVersion));
  add('semverCompare', f(['string', 'string'], semverCompare));

  // dates
  add('now', f([], () => new GoTime(Date.now())));
  add('date', f(['string', 'any'], dateInZone));
  add('dateInZone', f(['string', 'any', 'string'], (fmt: string, d: unknown) => dateInZone(fmt, d)));
  add('date_in_zone', m.get('dateInZone')!);
  add('htmlDate', f(['any'], (d: unknown) => dateInZone('2006-01-02', d)));
  add('htmlDateInZone', f(['any', 'string'], (d: unknown) => dateInZone('2006-01-02', d)));
  add('unixEpoch', f(['time'], (d: GoTime) => String(Math.floor(d.ms / 1000))));
  const dateModify = (fmt: string, d: GoTime): GoTime => new GoTime(d.ms + parseDuration(fmt));
  add('dateModify', f(['string', 'time'], (fmt: string, d: GoTime) => {
    try {
      return dateModify(fmt, d);
    } catch {
      return d;
    }
  }));
  add('date_modify', m.get('dateModify')!);
  add('mustDateModify', f(['string', 'time'], dateModify));
  add('must_date_modify', m.get('mustDateModify')!);
  add('toDate', f(['string', 'string'], (fmt: string, s: string) => {
    try {
      return parseTime(fmt, s);
    } catch {
      return GoTime.zero();
    }
  }));
  add('mustToDate', f(['string', 'string'], parseTime));
  add('duration', f(['any'], (v: unknown) => {
    let n = 0n;
    if (typeof v === 'string') n = /^[+-]?[0-9]+$/.test(v) ? BigInt(v) : 0n;
    else if (v instanceof Int64) n = v.v;
    return durationString(n * 1000000000n);
  }));
  add('durationRound', f(['any'], (v: unknown) => {
    const secs = typeof v === 'string' ? parseDuration(v) / 1000 : Number(toInt64(v)) / 1e9;
    const a = Math.abs(secs);
    const units: [number, string][] = [[31536000, 'y'], [2592000, 'mo'], [86400, 'd'], [3600, 'h'], [60, 'm'], [1, 's']];
    for (const [u, name] of units) if (a >= u) return `${Math.floor(a / u)}${name}`;
    return '0s';
  }));
  add('ago', f(['any'], (d: unknown) => {
    const t = d instanceof GoTime ? d.ms : typeof d === 'bigint' ? Number(d) * 1000 : Date.now();
    return durationString(BigInt(Math.round((Date.now() - t) / 1000)) * 1000000000n);
  }));

  // urls, uuids, random
  add('urlParse', f(['string'], sprigUrlParse));
  add('urlJoin', f(['map'], (d: Record<string, unknown> | null) => {
    const g = (k: string): string => (d && typeof d[k] === 'string' ? (d[k] as string) : '');
    let s = g('scheme') ? g('scheme') + ':' : '';
    if (g('host')) s += '//' + (g('userinfo') ? g('userinfo') + '@' : '') + g('host');
    s += g('opaque') || (g('host') && g('path') && !g('path').startsWith('/') ? '/' + g('path') : g('path'));
    if (g('query')) s += '?' + g('query');
    if (g('fragment')) s += '#' + g('fragment');
    return s;
  }));
  add('uuidv4', f([], () => {
    const hexd = '0123456789abcdef';
    let u = '';
    for (let i = 0; i < 36; i++) {
      if ([8, 13, 18, 23].includes(i)) u += '-';
      else if (i === 14) u += '4';
      else if (i === 19) u += hexd[8 + Math.floor(Math.random() * 4)];
      else u += hexd[Math.floor(Math.random() * 16)];
    }
    return u;
  }));
  const rand = (chars: string) => (n: bigint): string => Array.from({ length: Number(n) }, () => chars[Math.floor(Math.random() * chars.length)]).join('');
  const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  add('randAlphaNum', f(['int'], rand(alpha + '0123456789')));
  add('randAlpha', f(['int'], rand(alpha)));
  add('randNumeric', f(['int'], rand('0123456789')));
  add('randAscii', f(['int'], rand(Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join(''))));
  add('randBytes', f(['int'], (n: bigint) => base64Encode(Uint8Array.from({ length: Number(n) }, () => Math.floor(Math.random() * 256)))));
  add('shuffle', f(['string'], (s: string) => [...s].sort(() => Math.random() - 0.5).join('')));
  return m;
}

/** strings.Split / SplitN semantics (empty separator splits into UTF-8 characters). */
function goSplit(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const chars = [...s];
    if (n > 0 && chars.length > n) return [...chars.slice(0, n - 1), chars.slice(n - 1).join('')];
    return chars;
  }
  const parts = s.split(sep);
  if (n > 0 && parts.length > n) return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
  return parts;
}

function wrapWith(width: number, sep: string, s: string): string {
  const words = s.split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur === '') cur = w;
    else if ((cur + ' ' + w).length <= width) cur += ' ' + w;
    else {
      lines.push(cur);
      cur = w;
    }
  }
  lines.push(cur);
  return lines.join(sep);
}

/** path.Clean */
export function pathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

/** path.Base */
export function pathBase(p: string): string {
  if (p === '') return '.';
  const t = p.replace(/\/+$/, '');
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

/** path.Dir */
export function pathDir(p: string): string {
  const i = p.lastIndexOf('/');
  return pathClean(p.slice(0, i + 1));
}

/** Argo CD's toYaml / fromYaml / fromYamlArray functions. */
export function argoYamlFuncs(): Map<string, GoFunc> {
  return new Map<string, GoFunc>([
    ['toYaml', f(['any'], (v: unknown) => goYaml(v).replace(/\n$/, ''))],
    ['fromYaml', f(['string'], fromYamlMap)],
    ['fromYamlArray', f(['string'], fromYamlList)],
  ]);
}
