// Objects as CEL sees them: the API server decodes JSON whole numbers as int64 (CEL `int`), other numbers as double.
// cel-js takes `int` as BigInt, so whole numbers are converted; everything else is passed through.

/** A deep copy of a JSON value with whole numbers as BigInt (CEL `int`). */
export function toCel(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(toCel);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toCel(x);
    return out;
  }
  return v;
}

/** The first line of a CEL error, in Go's wording where cel-go's differs only in case (`no such key: labels`). */
export function celErrorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const first = text.split('\n')[0] ?? text;
  return /^No such key: /.test(first) ? first.charAt(0).toLowerCase() + first.slice(1) : first;
}
