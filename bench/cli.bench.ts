// The CLI as a user runs it: `flotilla --help` and `flotilla render DIR` against `kubectl kustomize DIR` on one overlay
// of the synthetic fleet, with `node -e 0` as the floor. Paired runs: each round runs every command once, in an order
// that rotates, so a burst of load on the shared machine hits all of them alike; the CPU ratio is taken per round.
// CPU is that of the command and every process it waited for (bash `time`), so git and helm children count.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBuilt, projectRoot, timeCommand } from './child-process';
import type { ChildRun } from './child-process';
import { writeSyntheticFleet } from './synthetic-fleet';
import type { BenchResult } from './types';
import { median } from './types';

const ROUNDS = Number(process.env.CLI_BENCH_ROUNDS ?? 15);
const OVERLAY = 'apps/app-001/overlays/prod';

/** Runs the CLI benchmark. */
export async function run(): Promise<BenchResult[]> {
  const root = projectRoot();
  ensureBuilt(root);
  const bin = path.join(root, 'bin', 'flotilla.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-cli-bench-'));
  const cache = path.join(dir, 'compile-cache');
  try {
    writeSyntheticFleet(dir, { apps: 1, clustersPerEnv: 1 });
    const env = { FLOTILLA_COMPILE_CACHE: cache };
    const commands: Record<string, () => ChildRun> = {
      'node -e 0': () => timeCommand(process.execPath, ['-e', '0'], { cwd: dir }),
      'flotilla --help': () => timeCommand(process.execPath, [bin, '--help'], { cwd: dir, env }),
      'flotilla render DIR': () => timeCommand(process.execPath, [bin, 'render', OVERLAY], { cwd: dir, env }),
      'kubectl kustomize DIR': () => timeCommand('kubectl', ['kustomize', OVERLAY], { cwd: dir }),
      'flotilla render DIR, no compile cache': () => timeCommand(process.execPath, [bin, 'render', OVERLAY], { cwd: dir, env: { FLOTILLA_COMPILE_CACHE: 'off' } }),
    };
    const names = Object.keys(commands);
    // Warm-up: file caches, and the compile cache's first (writing) run.
    const outputs = new Map<string, string>();
    for (const n of names) outputs.set(n, commands[n]!().stdout);
    if (outputs.get('flotilla render DIR') !== outputs.get('kubectl kustomize DIR')) throw new Error('flotilla render and kubectl kustomize print different YAML');
    const runs = new Map<string, ChildRun[]>(names.map((n) => [n, []]));
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length]!);
      const got = new Map<string, ChildRun>();
      for (const n of order) got.set(n, commands[n]!());
      for (const [n, r] of got) runs.get(n)!.push(r);
      ratios.push(got.get('flotilla render DIR')!.cpu_ms / got.get('kubectl kustomize DIR')!.cpu_ms);
    }
    const cpuMedian = (n: string): number => median(runs.get(n)!.map((r) => r.cpu_ms));
    const results: BenchResult[] = names.map((n) => {
      const rs = runs.get(n)!;
      return { name: `${n} (CPU of the process and its children)`, median_ms: median(rs.map((r) => r.wall_ms)), samples: rs.map((r) => r.wall_ms), cpu_samples: rs.map((r) => r.cpu_ms) };
    });
    results.push({
      name: 'flotilla render DIR / kubectl kustomize DIR, CPU ratio per round',
      median_ms: Number.NaN,
      unit: '',
      extra: {
        ratio_median: median(ratios).toFixed(2),
        ratio_min: Math.min(...ratios).toFixed(2),
        ratio_max: Math.max(...ratios).toFixed(2),
        target: '<= 1.00',
        help_cpu_ms: cpuMedian('flotilla --help').toFixed(0),
        help_target_ms: 150,
        floor_node_e_0_cpu_ms: cpuMedian('node -e 0').toFixed(0),
        rounds: ROUNDS,
      },
    });
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
