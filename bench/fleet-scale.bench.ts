// The CLI at fleet scale: synthetic fleets of 1,000 and 10,000 apps × 3 clusters (3,000 and 30,000 Applications), as
// real git repositories; `flotilla generate -o json` and `flotilla render --all -o DIR` run as a user runs them
// (bin/flotilla.js), with wall, CPU (the command and its git children) and peak memory; and the growth per 10×.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBuilt, projectRoot, timeCommand } from './child-process';
import type { ChildRun } from './child-process';
import { writeSyntheticFleet } from './synthetic-fleet';
import type { BenchResult } from './types';
import { median } from './types';

const SIZES = (process.env.FLEET_SCALE_APPS ?? '1000,10000').split(',').map(Number);
const GENERATE_RUNS = Number(process.env.FLEET_SCALE_RUNS ?? 3);
/** render --all is long at 10,000 apps: one run per size unless asked for more. */
const RENDER_RUNS = Number(process.env.FLEET_SCALE_RENDER_RUNS ?? 1);

/** Runs the fleet-scale benchmark. */
export async function run(): Promise<BenchResult[]> {
  const root = projectRoot();
  ensureBuilt(root);
  const bin = path.join(root, 'bin', 'flotilla.js');
  const results: BenchResult[] = [];
  const bySize = new Map<number, { generate: ChildRun[]; render: ChildRun[] }>();
  for (const apps of SIZES) {
    const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-scale-bench-'));
    try {
      const repo = path.join(dir, 'repo');
      const t = performance.now();
      writeSyntheticFleet(repo, { apps, clustersPerEnv: 1, packed: true });
      const setupMs = performance.now() - t;
      const env = { FLOTILLA_COMPILE_CACHE: path.join(dir, 'compile-cache') };
      const apps3 = apps * 3;

      const gen: ChildRun[] = [];
      for (let i = 0; i <= GENERATE_RUNS; i++) {
        const r = timeCommand(process.execPath, [bin, 'generate', '-o', 'json'], { cwd: repo, env, rss: true });
        const count = (JSON.parse(r.stdout) as unknown[]).length;
        if (count !== apps3) throw new Error(`generate printed ${count} Applications, expected ${apps3}`);
        if (i > 0) gen.push(r); // the first run writes the compile cache
      }
      results.push(summary(`generate -o json: ${apps} apps × 3 clusters (${apps3} Applications)`, gen, { under_1s_wall: median(gen.map((r) => r.wall_ms)) < 1000 ? 'yes' : 'no', setup_s: (setupMs / 1000).toFixed(0) }));

      const render: ChildRun[] = [];
      for (let i = 0; i < RENDER_RUNS; i++) {
        const out = path.join(dir, `out-${i}`);
        render.push(timeCommand(process.execPath, [bin, 'render', '--all', '-o', out], { cwd: repo, env, rss: true }));
        const written = readdirSync(out).reduce((n, c) => n + readdirSync(path.join(out, c)).length, 0);
        if (written !== apps3) throw new Error(`render --all wrote ${written} files, expected ${apps3}`);
        rmSync(out, { recursive: true, force: true });
      }
      // FLEET_SCALE_RENDER_RUNS=0 measures generate alone: no render figure (and no growth for it) rather than NaN.
      if (render.length > 0) results.push(summary(`render --all -o DIR: ${apps3} Applications`, render, { under_20s_wall: median(render.map((r) => r.wall_ms)) < 20_000 ? 'yes' : 'no', ms_per_app_cpu: (median(render.map((r) => r.cpu_ms)) / apps3).toFixed(2) }));
      bySize.set(apps, { generate: gen, render });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const growth = growthPer10x(bySize);
  if (growth) results.push(growth);
  return results;
}

/**
 * How CPU and wall time grow per 10× apps between the smallest and the largest size (10.0 is linear; less is better
 * than linear), for each command measured at both sizes; undefined with fewer than two sizes.
 */
function growthPer10x(bySize: ReadonlyMap<number, { readonly generate: readonly ChildRun[]; readonly render: readonly ChildRun[] }>): BenchResult | undefined {
  const sizes = [...bySize.keys()].sort((a, b) => a - b);
  if (sizes.length < 2) return undefined;
  const lo = sizes[0]!;
  const hi = sizes[sizes.length - 1]!;
  const decades = Math.log10(hi / lo);
  const extra: Record<string, string> = {};
  for (const cmd of ['generate', 'render'] as const) {
    const a = bySize.get(lo)![cmd];
    const b = bySize.get(hi)![cmd];
    if (a.length === 0 || b.length === 0) continue;
    const per10x = (f: (r: ChildRun) => number): string => ((median(b.map(f)) / median(a.map(f))) ** (1 / decades)).toFixed(1);
    extra[`${cmd}_cpu`] = per10x((r) => r.cpu_ms);
    extra[`${cmd}_wall`] = per10x((r) => r.wall_ms);
  }
  if (Object.keys(extra).length === 0) return undefined;
  const linear = Object.entries(extra).filter(([k]) => k.endsWith('_cpu')).every(([, v]) => Number(v) <= 10.5);
  return { name: `growth per 10× apps (${lo} → ${hi}; 10.0 is linear)`, median_ms: Number.NaN, unit: '', extra: { ...extra, linear_or_better_cpu: linear ? 'yes' : 'no' } };
}

/** One figure: wall and CPU samples (min / median / max printed by run-bench), peak memory, and the load average at each run. */
function summary(name: string, runs: readonly ChildRun[], extra: Record<string, string>): BenchResult {
  const rss = runs.flatMap((r) => (r.max_rss_mb === undefined ? [] : [r.max_rss_mb]));
  return {
    name,
    median_ms: median(runs.map((r) => r.wall_ms)),
    samples: runs.map((r) => r.wall_ms),
    cpu_samples: runs.map((r) => r.cpu_ms),
    extra: { ...(rss.length > 0 ? { max_rss_mb: Math.max(...rss) } : {}), load_1m: runs.map((r) => r.load.toFixed(1)).join(' '), ...extra },
  };
}
