// Overlay rendering: Flotilla's in-process kustomize build against `kubectl kustomize` on a synthetic fleet
// (300 apps × 3 environments = 900 overlays), outputs compared byte for byte; and re-rendering after one base
// file changes, through KustomizeCache.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KustomizeCache, kustomizeBuild } from '../shared/kustomize';
import { MemoryFileTree } from '../shared/repo/file-tree';
import type { BenchResult } from './types';
import { median } from './types';
import { SYNTHETIC_ENVIRONMENTS, writeSyntheticFleet } from './synthetic-fleet';

const APPS = Number(process.env.KUSTOMIZE_BENCH_APPS ?? 300);

/** Runs the kustomize benchmark. */
export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-kustomize-bench-'));
  try {
    const files = writeSyntheticFleet(dir, { apps: APPS, clustersPerEnv: 1 });
    const tree = new MemoryFileTree(files);
    const overlays = Object.keys(files)
      .filter((p) => /^apps\/[^/]+\/overlays\/[^/]+\/kustomization\.yaml$/.test(p))
      .map((p) => path.posix.dirname(p))
      .sort();

    // In process: three passes over every overlay; per-overlay time is the median over all renders.
    const ours = new Map<string, string>();
    const oursMs: number[] = [];
    for (let pass = 0; pass < 3; pass++) {
      for (const o of overlays) {
        const t = performance.now();
        const r = kustomizeBuild(tree, o);
        oursMs.push(performance.now() - t);
        if (r.problems.some((p) => p.severity === 'error')) throw new Error(`${o}: ${r.problems.map((p) => p.message).join('; ')}`);
        ours.set(o, r.yaml);
      }
    }

    // kubectl kustomize, once per overlay (it is the slow side), comparing bytes.
    const kubectlMs: number[] = [];
    const mismatched: string[] = [];
    for (const o of overlays) {
      const t = performance.now();
      const out = execFileSync('kubectl', ['kustomize', path.join(dir, o)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      kubectlMs.push(performance.now() - t);
      if (out !== ours.get(o)) mismatched.push(o);
    }
    if (mismatched.length > 0) console.error(`kustomize bench: ${mismatched.length} overlays differ from kubectl, e.g. ${mismatched.slice(0, 3).join(', ')}`);

    // Incremental: everything cached, then one base file changes and only what read it renders again.
    const cache = new KustomizeCache();
    for (const o of overlays) cache.build(tree, o);
    const incrementalMs: number[] = [];
    let rerendered = 0;
    for (let i = 0; i < Math.min(20, APPS); i++) {
      const app = `app-${String(i + 1).padStart(3, '0')}`;
      const changed = `apps/${app}/base/configmap.yaml`;
      tree.set(changed, `${files[changed]!}  CHANGED: "${i}"\n`);
      const t = performance.now();
      const stale = cache.invalidate([changed]);
      for (const o of stale) cache.build(tree, o);
      incrementalMs.push(performance.now() - t);
      rerendered = stale.length;
    }

    const oursMedian = median(oursMs);
    const kubectlMedian = median(kubectlMs);
    return [
      {
        name: `kustomize build in process, per overlay (${overlays.length} overlays)`,
        median_ms: oursMedian,
        extra: { byte_identical: `${overlays.length - mismatched.length}/${overlays.length}` },
      },
      { name: 'kubectl kustomize, per overlay', median_ms: kubectlMedian, extra: { ratio: `${(kubectlMedian / oursMedian).toFixed(1)}x` } },
      {
        name: 'after one base file changes: invalidate + re-render',
        median_ms: median(incrementalMs),
        extra: { overlays_rerendered: rerendered, environments: SYNTHETIC_ENVIRONMENTS.length },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
