// What every benchmark reports, in one place: wall and CPU samples (so min/median/max of both can be printed), and
// helpers that take them. scripts/run-bench.mjs prints them beside the load average of the machine.

/** One figure a benchmark reports: a median over several runs, with its samples (wall and CPU) when it kept them. */
export interface BenchResult {
  readonly name: string;
  readonly median_ms: number;
  readonly unit?: string;
  readonly extra?: Readonly<Record<string, number | string>>;
  /** Every wall-clock sample (ms): run-bench prints min / median / max. */
  readonly samples?: readonly number[];
  /** The CPU time (user + system, ms) of each sample: of this process, or of the child process measured. */
  readonly cpu_samples?: readonly number[];
}

/** Wall-clock samples (ms) with the CPU time of each (ms). */
export type Samples = number[] & { cpu?: number[] };

/** Median of a list of samples (milliseconds). */
export function median(samples: readonly number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** This process's CPU time so far (user + system, all threads), in ms. */
export function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs `fn` `runs` times (after one warm-up) and returns the wall samples in ms, with the CPU of each in `.cpu`. */
export async function sample(runs: number, fn: () => unknown): Promise<Samples> {
  await fn();
  const out: Samples = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = cpuNow();
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
    cpu.push(cpuNow() - c);
  }
  out.cpu = cpu;
  return out;
}

/** A figure from samples: the median wall time, and every wall and CPU sample for run-bench to summarise. */
export function stats(samples: Samples, cpu: readonly number[] | undefined = samples.cpu): Pick<BenchResult, 'median_ms' | 'samples' | 'cpu_samples'> {
  return { median_ms: median(samples), samples: [...samples], ...(cpu && cpu.length ? { cpu_samples: [...cpu] } : {}) };
}
