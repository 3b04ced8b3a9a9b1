// The values of the expr language as Go's github.com/expr-lang/expr sees them over decoded JSON: nil, bool, int
// (bigint, Go's int), float64 (number), string, []any, map[string]any, and the time.Time / time.Duration that
// Argo CD's `time` helpers return. Operators follow expr's runtime helpers (Equal, Less, Add, …).

/** Go's time.Time as nanoseconds since the Unix epoch. */
export class ExprTime {
  constructor(readonly ns: bigint) {}
}

/** Go's time.Duration in nanoseconds. */
export class ExprDuration {
  constructor(readonly ns: bigint) {}
}

/** A callable value (a helper function or a bound method). */
export class ExprFunc {
  constructor(
    readonly name: string,
    readonly call: (args: readonly ExprValue[]) => ExprValue,
  ) {}
}

/** Any value an expression can hold. */
export type ExprValue =
  | null
  | boolean
  | bigint
  | number
  | string
  | ExprTime
  | ExprDuration
  | ExprFunc
  | readonly ExprValue[]
  | { readonly [key: string]: ExprValue };

/** A runtime failure (Go's panic inside expr.Run), carrying expr's message. */
export class ExprRuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExprRuntimeError';
  }
}

/** Whether `v` is a map[string]any (a plain object, not one of the wrapped Go values). */
export function isMap(v: ExprValue): v is { readonly [key: string]: ExprValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof ExprTime) && !(v instanceof ExprDuration) && !(v instanceof ExprFunc);
}

/** Go's %T-like name of a value, for error messages. */
export function typeName(v: ExprValue): string {
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float64';
    case 'string':
      return 'string';
    default:
      if (Array.isArray(v)) return '[]interface {}';
      if (v instanceof ExprTime) return 'time.Time';
      if (v instanceof ExprDuration) return 'time.Duration';
      if (v instanceof ExprFunc) return 'func';
      return 'map[string]interface {}';
  }
}

/** Wraps a Go int result to 64 bits. */
export function int64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

function isNumber(v: ExprValue): v is bigint | number {
  return typeof v === 'bigint' || typeof v === 'number';
}

function deepEqual(a: ExprValue, b: ExprValue): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (typeof a === 'number') return a === b; // NaN != NaN, as reflect.DeepEqual
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, (b as readonly ExprValue[])[i] ?? null));
  }
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k] ?? null, b[k] ?? null));
  }
  return false;
}

/** expr's `==`: numbers across int/float, strings, times (Equal), durations, nil with nil, else reflect.DeepEqual. */
export function equal(a: ExprValue, b: ExprValue): boolean {
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
    return Number(a) === Number(b);
  }
  if (a instanceof ExprTime && b instanceof ExprTime) return a.ns === b.ns;
  if (a instanceof ExprDuration && b instanceof ExprDuration) return a.ns === b.ns;
  if (a === null && b === null) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    const x = a as readonly ExprValue[];
    const y = b as readonly ExprValue[];
    return x.length === y.length && x.every((v, i) => equal(v, y[i]!));
  }
  return deepEqual(a, b);
}

/** expr's ordering operators; throws for operands that have no order. */
export function compare(op: '<' | '>' | '<=' | '>=', a: ExprValue, b: ExprValue): boolean {
  let x: number | bigint | string;
  let y: number | bigint | string;
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') [x, y] = [a, b];
    else [x, y] = [Number(a), Number(b)];
  } else if (typeof a === 'string' && typeof b === 'string') [x, y] = [a, b];
  else if (a instanceof ExprTime && b instanceof ExprTime) [x, y] = [a.ns, b.ns];
  else if (a instanceof ExprDuration && b instanceof ExprDuration) [x, y] = [a.ns, b.ns];
  else throw new ExprRuntimeError(`invalid operation: ${typeName(a)} ${op} ${typeName(b)}`);
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
  }
}

function mismatch(op: string, a: ExprValue, b: ExprValue): never {
  throw new ExprRuntimeError(`invalid operation: ${typeName(a)} ${op} ${typeName(b)}`);
}

/** Go's conversion of a float to int64 for Duration arithmetic (truncation). */
function truncInt(n: number): bigint {
  return Number.isFinite(n) ? BigInt(Math.trunc(n)) : 0n;
}

/** expr's arithmetic operators `+ - * / % **`. */
export function arithmetic(op: string, a: ExprValue, b: ExprValue): ExprValue {
  if (isNumber(a) && isNumber(b)) {
    const ints = typeof a === 'bigint' && typeof b === 'bigint';
    switch (op) {
      case '+':
        return ints ? int64(a + b) : Number(a) + Number(b);
      case '-':
        return ints ? int64(a - b) : Number(a) - Number(b);
      case '*':
        return ints ? int64(a * b) : Number(a) * Number(b);
      case '/':
        return Number(a) / Number(b);
      case '%':
        if (!ints) mismatch(op, a, b);
        if (b === 0n) throw new ExprRuntimeError('integer divide by zero');
        return (a as bigint) % (b as bigint);
      case '**':
      case '^':
        return Math.pow(Number(a), Number(b));
    }
  }
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (a instanceof ExprTime && b instanceof ExprDuration) return new ExprTime(a.ns + b.ns);
    if (a instanceof ExprDuration && b instanceof ExprTime) return new ExprTime(a.ns + b.ns);
    if (a instanceof ExprDuration && b instanceof ExprDuration) return new ExprDuration(int64(a.ns + b.ns));
  }
  if (op === '-') {
    if (a instanceof ExprTime && b instanceof ExprTime) return new ExprDuration(int64(a.ns - b.ns));
    if (a instanceof ExprTime && b instanceof ExprDuration) return new ExprTime(a.ns - b.ns);
    if (a instanceof ExprDuration && b instanceof ExprDuration) return new ExprDuration(int64(a.ns - b.ns));
  }
  if (op === '*') {
    const dur = (v: ExprValue): bigint | undefined =>
      v instanceof ExprDuration ? v.ns : typeof v === 'bigint' ? v : typeof v === 'number' ? truncInt(v) : undefined;
    // A float times a Duration is a float64 in expr's runtime; an int times a Duration is a Duration.
    if ((a instanceof ExprDuration && typeof b === 'number') || (typeof a === 'number' && b instanceof ExprDuration)) {
      return Number(a instanceof ExprDuration ? a.ns : a) * Number(b instanceof ExprDuration ? b.ns : b);
    }
    if (a instanceof ExprDuration || b instanceof ExprDuration) {
      const x = dur(a);
      const y = dur(b);
      if (x !== undefined && y !== undefined) return new ExprDuration(int64(x * y));
    }
  }
  return mismatch(op, a, b);
}

/** Go's reflect.Value.IsNil as expr's `??` and optional chaining use it. */
export function isNil(v: ExprValue): boolean {
  return v === null;
}
