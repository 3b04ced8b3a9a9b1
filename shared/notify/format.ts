// Go's fmt.Sprintf("%v") of an expr value, as Argo CD turns an `oncePer` result into part of a state key.
import { ExprDuration, ExprFunc, ExprTime, type ExprValue } from './expr';

/** `%v` of a value: strings as they are, numbers as Go prints them, nil as `<nil>`. */
export function canonicalString(v: ExprValue): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? String(v) : String(v).replace('e+', 'e+');
  if (v instanceof ExprTime || v instanceof ExprDuration) return String(v.ns);
  if (v instanceof ExprFunc) return `func ${v.name}`;
  if (Array.isArray(v)) return `[${(v as readonly ExprValue[]).map(canonicalString).join(' ')}]`;
  return `map[${Object.keys(v).sort().map((k) => `${k}:${canonicalString((v as Record<string, ExprValue>)[k]!)}`).join(' ')}]`;
}
