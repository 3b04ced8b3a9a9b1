// The Go value model the template engine works on, mapped onto JSON-like JavaScript values.
//
//   undefined        an invalid reflect.Value ("no value": a missing map key)
//   null             a nil interface{} (JSON null, or a missing key under missingkey=zero)
//   string, boolean  string, bool
//   number           float64 (JSON numbers, as encoding/json decodes them)
//   bigint           int (template integer constants, len, atoi, int ...)
//   Int64            int64 (Sprig's arithmetic results)
//   array            []interface{}
//   plain object     map[string]interface{}
//   GoObject         a Go value with methods or fields (time.Time, *semver.Version)

/** Go int64 (Sprig's add/sub/mul/div/max/min/int64 return it); distinct from int as in Go's type checks. */
export class Int64 {
  constructor(readonly v: bigint) {}
}

/** A Go value with a type name, fields or zero-argument methods, and a String form (a fmt.Stringer). */
export interface GoObject {
  readonly goType: string;
  /** The result of `.name` on this value, or undefined when it has no such field or method. */
  goField(name: string): { readonly value: unknown } | undefined;
  toString(): string;
}

/** Whether `v` is a GoObject. */
export function isGoObject(v: unknown): v is GoObject {
  return typeof v === 'object' && v !== null && typeof (v as { goField?: unknown }).goField === 'function' && typeof (v as { goType?: unknown }).goType === 'string';
}

const sliceTypes = new WeakMap<readonly unknown[], string>();

/** Marks a list a function returned as a typed Go slice ([]string, []int) so that typeOf and %T name it. */
export function typedSlice<T extends readonly unknown[]>(list: T, goType: string): T {
  sliceTypes.set(list, goType);
  return list;
}

/** Whether `v` is a Go map (a plain JSON object). */
export function isMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Sets a map entry as an own property, even for the key `__proto__` (which plain assignment would treat as the prototype). */
export function setEntry(m: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(m, key, { value, enumerable: true, writable: true, configurable: true });
  else m[key] = value;
}

/** Go's basic kinds for comparisons (eq, lt, ...). */
export type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid';

/** Go's basicKind: which comparison family a value belongs to. */
export function basicKind(v: unknown): BasicKind {
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float';
    case 'bigint':
      return 'int';
    case 'string':
      return 'string';
  }
  if (v instanceof Int64) return 'int';
  return 'invalid';
}

/** The Go type name of a value, as fmt's %T and template error texts print it. */
export function goTypeName(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int';
  }
  if (v instanceof Int64) return 'int64';
  if (Array.isArray(v)) return sliceTypes.get(v) ?? '[]interface {}';
  if (isGoObject(v)) return v.goType;
  if (typeof v === 'function') return 'func';
  return 'map[string]interface {}';
}

/** Go's reflect Kind name of a value (Sprig's kindOf). */
export function goKindName(v: unknown): string {
  if (v === undefined || v === null) return 'invalid';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int';
  }
  if (v instanceof Int64) return 'int64';
  if (Array.isArray(v)) return 'slice';
  if (isGoObject(v)) return v.goType.startsWith('*') ? 'ptr' : 'struct';
  return 'map';
}

/** Go's template truth: false, 0, nil, and empty strings, slices and maps are false. */
export function isTrue(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    case 'string':
      return v.length > 0;
  }
  if (v instanceof Int64) return v.v !== 0n;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) {
    for (const _ in v) return true;
    return false;
  }
  return true;
}

/** A Go integer value (int or int64) as bigint, or undefined when `v` is not an integer type. */
export function intOf(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (v instanceof Int64) return v.v;
  return undefined;
}

/** Byte length of a string in UTF-8 (Go's len of a string). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Sorted keys of a Go map, as range and fmt visit them. */
export function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort(compareStrings);
}

/** Byte-wise string order (Go's < on strings), which for UTF-16 matches except astral vs. high BMP. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
