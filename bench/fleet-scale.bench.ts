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
  const cpuBySize = new Map<number, { generate: number; render: number }>();
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
      results.push(summary(`render --all -o DIR: ${apps3} Applications`, render, { under_20s_wall: median(render.map((r) => r.wall_ms)) < 20_000 ? 'yes' : 'no', ms_per_app_cpu: (median(render.map((r) => r.cpu_ms)) / apps3).toFixed(2) }));
      cpuBySize.set(apps, { generate: median(gen.map((r) => r.cpu_ms)), render: median(render.map((r) => r.cpu_ms)) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const sizes = [...cpuBySize.keys()].sort((a, b) => a - b);
  if (sizes.length >= 2) {
    const small = cpuBySize.get(sizes[0]!)!;
    const large = cpuBySize.get(sizes[sizes.length - 1]!)!;
    const per10x = (a: number, b: number): string => ((b / a) ** (1 / Math.log10(sizes[sizes.length - 1]! / sizes[0]!))).toFixed(1);
    results.push({ name: `growth of CPU per 10× apps (${sizes[0]} → ${sizes[sizes.length - 1]}; 10.0 is linear)`, median_ms: Number.NaN, unit: '', extra: { generate: per10x(small.generate, large.generate), render_all: per10x(small.render, large.render) } });
  }
  return results;
}

function summary(name: string, runs: readonly ChildRun[], extra: Record<string, string>): BenchResult {
  const rss = runs.map((r) => r.max_rss_mb ?? Number.NaN);
  return { name, median_ms: median(runs.map((r) => r.wall_ms)), samples: runs.map((r) => r.wall_ms), cpu_samples: runs.map((r) => r.cpu_ms), extra: { max_rss_mb: Math.max(...rss), ...extra } };
}
