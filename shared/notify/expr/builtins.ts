// The expr builtins Flotilla implements (len, upper, split, all, filter, …) with expr's runtime semantics over the
// values of ./values.
import { parseDuration } from './time';
import { equal, ExprRuntimeError, isMap, typeName, type ExprValue } from './values';

function str(v: ExprValue | undefined, fn: string): string {
  if (typeof v !== 'string') throw new ExprRuntimeError(`invalid argument for ${fn} (type ${typeName(v ?? null)})`);
  return v;
}

function list(v: ExprValue | undefined, fn: string): readonly ExprValue[] {
  if (!Array.isArray(v)) throw new ExprRuntimeError(`invalid argument for ${fn} (type ${typeName(v ?? null)})`);
  return v as readonly ExprValue[];
}

function trimCutset(s: string, cutset: string, left: boolean, right: boolean): string {
  const set = new Set(cutset);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (left && a < b && set.has(chars[a]!)) a++;
  while (right && b > a && set.has(chars[b - 1]!)) b--;
  return chars.slice(a, b).join('');
}

/** Runs a plain builtin on evaluated arguments. */
export function callBuiltin(name: string, args: readonly ExprValue[]): ExprValue {
  const a = args[0] ?? null;
  switch (name) {
    case 'len':
      if (typeof a === 'string') return BigInt([...a].length);
      if (Array.isArray(a)) return BigInt(a.length);
      if (isMap(a)) return BigInt(Object.keys(a).length);
      throw new ExprRuntimeError(`invalid argument for len (type ${typeName(a)})`);
    case 'abs':
      if (typeof a === 'bigint') return a < 0n ? -a : a;
      if (typeof a === 'number') return Math.abs(a);
      throw new ExprRuntimeError(`invalid argument for abs (type ${typeName(a)})`);
    case 'int':
      if (typeof a === 'bigint') return a;
      if (typeof a === 'number') return BigInt.asIntN(64, BigInt(Math.trunc(a)));
      if (typeof a === 'string' && /^[+-]?\d+$/.test(a)) return BigInt(a);
      throw new ExprRuntimeError(`invalid operation: int(${typeName(a)})`);
    case 'float':
      if (typeof a === 'bigint' || typeof a === 'number') return Number(a);
      if (typeof a === 'string' && a.trim() === a && a !== '' && !Number.isNaN(Number(a))) return Number(a);
      throw new ExprRuntimeError(`invalid operation: float(${typeName(a)})`);
    case 'trim':
      return args.length > 1 ? trimCutset(str(a, name), str(args[1], name), true, true) : str(a, name).replace(/^\s+|\s+$/g, '');
    case 'trimPrefix': {
      const s = str(a, name);
      const p = str(args[1], name);
      return s.startsWith(p) ? s.slice(p.length) : s;
    }
    case 'trimSuffix': {
      const s = str(a, name);
      const p = str(args[1], name);
      return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
    }
    case 'upper':
      return str(a, name).toUpperCase();
    case 'lower':
      return str(a, name).toLowerCase();
    case 'split': {
      const s = str(a, name);
      const sep = str(args[1], name);
      const parts = sep === '' ? [...s] : s.split(sep);
      const n = args[2] === undefined ? -1 : Number(args[2]);
      if (n === 0) return [];
      if (n > 0 && parts.length > n) return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
      return parts;
    }
    case 'replace':
      return str(a, name).split(str(args[1], name)).join(str(args[2], name));
    case 'repeat': {
      const n = args[1];
      if (typeof n !== 'bigint' || n < 0n) throw new ExprRuntimeError('invalid argument for repeat');
      return str(a, name).repeat(Number(n));
    }
    case 'join':
      return list(a, name).map((x) => str(x, name)).join(args.length > 1 ? str(args[1], name) : '');
    case 'indexOf':
      return BigInt(str(a, name).indexOf(str(args[1], name)));
    case 'hasPrefix':
      return str(a, name).startsWith(str(args[1], name));
    case 'hasSuffix':
      return str(a, name).endsWith(str(args[1], name));
    case 'keys':
      if (!isMap(a)) throw new ExprRuntimeError(`cannot get keys from ${typeName(a)}`);
      return Object.keys(a);
    case 'values':
      if (!isMap(a)) throw new ExprRuntimeError(`cannot get values from ${typeName(a)}`);
      return Object.values(a);
    case 'first':
      return list(a, name)[0] ?? null;
    case 'last':
      return list(a, name).at(-1) ?? null;
    case 'duration':
      return parseDuration(str(a, name));
    default:
      throw new ExprRuntimeError(`unknown builtin ${name}`);
  }
}

function predicateBool(v: ExprValue): boolean {
  if (typeof v !== 'boolean') throw new ExprRuntimeError(`interface conversion: interface {} is ${typeName(v)}, not bool`);
  return v;
}

/** Runs a predicate builtin (all, any, filter, map, count, …) over an array with `pred` applied to each element. */
export function callPredicate(name: string, items: ExprValue, pred: ((item: ExprValue) => ExprValue) | undefined): ExprValue {
  const arr = items === null ? [] : list(items, name);
  switch (name) {
    case 'all':
      return arr.every((x) => predicateBool(pred!(x)));
    case 'none':
      return !arr.some((x) => predicateBool(pred!(x)));
    case 'any':
      return arr.some((x) => predicateBool(pred!(x)));
    case 'one':
      return arr.filter((x) => predicateBool(pred!(x))).length === 1;
    case 'filter':
      return arr.filter((x) => predicateBool(pred!(x)));
    case 'map':
      return arr.map((x) => pred!(x));
    case 'count':
      return BigInt(arr.filter((x) => predicateBool(pred ? pred(x) : x)).length);
    case 'find':
      return arr.find((x) => predicateBool(pred!(x))) ?? null;
    default:
      throw new ExprRuntimeError(`unknown builtin ${name}`);
  }
}

/** expr's `in`: membership in an array (by ==) or a map's keys; `false` for nil. */
export function inOperator(needle: ExprValue, haystack: ExprValue): boolean {
  if (haystack === null) return false;
  if (Array.isArray(haystack)) return (haystack as readonly ExprValue[]).some((x) => equal(x, needle));
  if (isMap(haystack)) {
    if (needle === null) return Object.hasOwn(haystack, '');
    if (typeof needle !== 'string') throw new ExprRuntimeError(`reflect.Value.MapIndex: value of type ${typeName(needle)} is not assignable to type string`);
    return Object.hasOwn(haystack, needle);
  }
  throw new ExprRuntimeError(`operator "in" not defined on ${typeName(haystack)}`);
}
