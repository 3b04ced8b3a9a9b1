// Go's fmt.Sprintf("%v") of an expr value, as Argo CD turns an `oncePer` result into part of a state key.
import { ExprDuration, ExprFunc, ExprTime, type ExprValue } from './expr';

/** `%v` of a value: strings as they are, numbers as Go prints them, nil as `<nil>`. */
export function canonicalString(v: ExprValue): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  // Go's %v of a float64 is its shortest form; exponents differ from JavaScript's only below 1e-4 (rare in a key).
  if (typeof v === 'number') return String(v);
  if (v instanceof ExprTime || v instanceof ExprDuration) return String(v.ns);
  if (v instanceof ExprFunc) return `func ${v.name}`;
  if (Array.isArray(v)) return `[${(v as readonly ExprValue[]).map(canonicalString).join(' ')}]`;
  return `map[${Object.keys(v).sort().map((k) => `${k}:${canonicalString((v as Record<string, ExprValue>)[k]!)}`).join(' ')}]`;
}
