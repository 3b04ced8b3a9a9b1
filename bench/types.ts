/** One figure a benchmark reports: a median over several runs, and any ratio or count beside it. */
export interface BenchResult {
  readonly name: string;
  readonly median_ms: number;
  readonly unit?: string;
  readonly extra?: Readonly<Record<string, number | string>>;
}

/** Median of a list of samples (milliseconds). */
export function median(samples: readonly number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs `fn` `runs` times (after one warm-up) and returns the samples in milliseconds. */
export async function sample(runs: number, fn: () => unknown): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}
