// A canonical text of an expr value (int(5), float(0.5), "s", time(ns), [..], {..} with sorted keys), the form the
// Go comparison tool (test/tools/expr-eval) prints, so results can be compared across the two implementations.
import { ExprDuration, ExprFunc, ExprTime, isMap, type ExprValue } from './values';

/** The canonical text of a value. */
export function canonical(v: ExprValue): string {
  if (v === null) return 'nil';
  switch (typeof v) {
    case 'boolean':
      return String(v);
    case 'bigint':
      return `int(${v})`;
    case 'number':
      return `float(${formatFloat(v)})`;
    case 'string':
      return JSON.stringify(v);
  }
  if (v instanceof ExprTime) return `time(${v.ns})`;
  if (v instanceof ExprDuration) return `duration(${v.ns})`;
  if (v instanceof ExprFunc) return 'other(func)';
  if (Array.isArray(v)) return `[${(v as readonly ExprValue[]).map(canonical).join(',')}]`;
  if (isMap(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k]!)}`).join(',')}}`;
  return 'other';
}

function formatFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (Object.is(n, -0)) return '-0';
  const s = String(n);
  if (!/e/.test(s)) return s;
  // strconv.FormatFloat(f, 'f', -1, 64): shortest digits, no exponent.
  const [mant, exp] = s.split('e') as [string, string];
  const e = Number(exp);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const point = (mant.replace('-', '').indexOf('.') < 0 ? mant.replace('-', '').length : mant.replace('-', '').indexOf('.')) + e;
  const body = point <= 0 ? '0.' + '0'.repeat(-point) + digits : point >= digits.length ? digits + '0'.repeat(point - digits.length) : digits.slice(0, point) + '.' + digits.slice(point);
  return (neg ? '-' : '') + body;
}
