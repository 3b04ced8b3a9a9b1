// Flux rendering in process: a synthetic Flux fleet of 300 Kustomizations × 3 clusters (each pointing at an app's
// overlay for that cluster, with targetNamespace and postBuild substitution) rendered as kustomize-controller builds
// them, against the same 900 overlays rendered as Argo CD Kustomize apps (the plain in-process kustomize build).
// Also: discovering the Flux apps of the whole synthetic repository (the scan + walk `flotilla apps` does).
import { discoverFluxApps } from '../shared/flux/discover-flux';
import { renderFluxKustomization } from '../shared/flux/kustomization-build';
import { ArtifactFileTree } from '../shared/flux/source-ignore';
import { objectStore } from '../shared/flux/types';
import { kustomizeBuild } from '../shared/kustomize';
import type { JsonMap } from '../shared/kustomize/yaml';
import { MemoryFileTree } from '../shared/repo/file-tree';
import { scanRepository } from '../shared/repo/scan';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './child-process';
import type { BenchResult } from './types';
import { cpuNow, median } from './types';
import { SYNTHETIC_ENVIRONMENTS, syntheticFleetFiles } from './synthetic-fleet';

const APPS = Number(process.env.FLUX_BENCH_APPS ?? 300);

/** Runs the Flux benchmark. */
export async function run(): Promise<BenchResult[]> {
  const files = syntheticFleetFiles({ apps: APPS, clustersPerEnv: 1 });
  const overlays = Object.keys(files)
    .filter((p) => /^apps\/[^/]+\/overlays\/[^/]+\/kustomization\.yaml$/.test(p))
    .map((p) => p.slice(0, p.lastIndexOf('/')))
    .sort();
  // One Flux Kustomization per overlay, in clusters/<env>/ (its cluster), as flux bootstrap lays a repository out.
  const kustomizations: JsonMap[] = [];
  const byCluster = new Map<string, string[]>();
  for (const o of overlays) {
    const [, app, , env] = o.split('/') as [string, string, string, string];
    const ks: JsonMap = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: app, namespace: 'flux-system' },
      spec: { interval: '10m', prune: true, path: `./${o}`, targetNamespace: app, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, postBuild: { substitute: { cluster_name: env } } },
    };
    kustomizations.push(ks);
    const docs = byCluster.get(env) ?? [];
    docs.push(JSON.stringify(ks));
    byCluster.set(env, docs);
  }
  for (const [env, docs] of byCluster) files[`clusters/${env}/apps.yaml`] = docs.join('\n---\n');
  // The fleet file lists where Flotilla reads its objects: the Flux Kustomizations' folders too.
  files['flotilla.yaml'] = files['flotilla.yaml']!.replace('    - appsets/*.yaml\n', '    - appsets/*.yaml\n    - clusters/**/*.yaml\n');
  const tree = new MemoryFileTree(files);
  const artifact = new ArtifactFileTree(tree);
  const store = objectStore([]);

  // Without postBuild: the same Kustomizations with nothing to substitute (what the substitution round trip costs).
  const plain = kustomizations.map((ks) => ({ ...ks, spec: Object.fromEntries(Object.entries(ks['spec'] as JsonMap).filter(([k]) => k !== 'postBuild')) }) as JsonMap);
  // Per pass: the whole set rendered, wall and CPU of this process, divided by the count (per overlay / Kustomization).
  const argo = { wall: [] as number[], cpu: [] as number[] };
  const flux = { wall: [] as number[], cpu: [] as number[] };
  const fluxPlain = { wall: [] as number[], cpu: [] as number[] };
  const timed = (into: { wall: number[]; cpu: number[] }, n: number, body: () => void): void => {
    const t = performance.now();
    const c = cpuNow();
    body();
    into.cpu.push((cpuNow() - c) / n);
    into.wall.push((performance.now() - t) / n);
  };
  // From a commit's tree (a revision: git's trees, as `render --app`, the grid and promotions read): the base builds
  // of the commit are shared (shared/kustomize/base-cache.ts), so an app's base is built once for its 3 overlays.
  // A fresh tree per pass, made outside the timing: every pass starts with the cache cold, as a new commit does.
  const fluxCommit = { wall: [] as number[], cpu: [] as number[] };
  const fluxFresh = { wall: [] as number[], cpu: [] as number[] };
  for (let pass = 0; pass < 5; pass++) {
    timed(argo, overlays.length, () => {
      for (const o of overlays) {
        const r = kustomizeBuild(tree, o);
        if (r.problems.some((p) => p.severity === 'error')) throw new Error(`${o}: ${r.problems[0]!.message}`);
      }
    });
    for (const [into, set] of [[flux, kustomizations], [fluxPlain, plain]] as const) {
      timed(into, set.length, () => {
        for (const ks of set) {
          const r = renderFluxKustomization({ object: ks, artifact, store, where: {} });
          if (r.problems.some((p) => p.severity === 'error')) throw new Error(`${JSON.stringify(ks['spec'])}: ${r.problems[0]!.message}`);
        }
      });
    }
    // The pair: fresh trees without and with a revision (the same cold artifact verdicts; only the cache differs).
    for (const [into, revision] of [[fluxFresh, undefined], [fluxCommit, pass.toString(16).padStart(40, '0')]] as const) {
      const fresh = new ArtifactFileTree(new MemoryFileTree(files, revision));
      timed(into, kustomizations.length, () => {
        for (const ks of kustomizations) {
          const r = renderFluxKustomization({ object: ks, artifact: fresh, store, where: {} });
          if (r.problems.some((p) => p.severity === 'error')) throw new Error(`${JSON.stringify(ks['spec'])}: ${r.problems[0]!.message}`);
        }
      });
    }
  }
  const discoverMs: number[] = [];
  const discoverCpu: number[] = [];
  let apps = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const c = cpuNow();
    const scan = scanRepository(tree);
    apps = discoverFluxApps(scan.fluxDocs ?? [], [], { treeAt: () => tree, localURL: '.' }, []).apps.length;
    if (apps !== kustomizations.length) throw new Error(`discovered ${apps} Flux apps, expected ${kustomizations.length}`);
    discoverMs.push(performance.now() - t);
    discoverCpu.push(cpuNow() - c);
  }
  // The vendored fluxcd/flux2-kustomize-helm-example: scanned and its Flux apps discovered (every Kustomization
  // rendered to follow what it applies), as `flotilla apps` does once git has listed the tree.
  const exampleDir = path.join(projectRoot(), 'test', 'fixtures', 'flux2-kustomize-helm-example');
  const exampleFiles: Record<string, string> = {};
  for (const f of readdirSync(exampleDir, { recursive: true, withFileTypes: true })) {
    if (f.isFile()) exampleFiles[path.relative(exampleDir, path.join(f.parentPath, f.name)).split(path.sep).join('/')] = readFileSync(path.join(f.parentPath, f.name), 'utf8');
  }
  const example = new MemoryFileTree(exampleFiles);
  const exampleMs: number[] = [];
  const exampleCpu: number[] = [];
  let exampleApps = 0;
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    const c = cpuNow();
    const scan = scanRepository(example);
    exampleApps = discoverFluxApps(scan.fluxDocs ?? [], [], { treeAt: () => example, localURL: 'https://github.com/fluxcd/flux2-kustomize-helm-example' }, []).apps.length;
    exampleCpu.push(cpuNow() - c);
    exampleMs.push(performance.now() - t);
  }
  if (exampleApps !== 12) throw new Error(`flux2-kustomize-helm-example: ${exampleApps} Flux apps, expected 12`);

  const a = median(argo.cpu);
  return [
    { name: `Argo CD Kustomize app render (in process), per overlay, ${overlays.length} overlays × 5 passes`, median_ms: median(argo.wall), samples: argo.wall, cpu_samples: argo.cpu, unit: 'ms/overlay' },
    { name: `Flux Kustomization render (in process: artifact filter, generated kustomization, build, substitution, owner labels), per Kustomization, ${kustomizations.length} × 5 passes`, median_ms: median(flux.wall), samples: flux.wall, cpu_samples: flux.cpu, unit: 'ms/Kustomization', extra: { cpu_ratio_vs_argo: (median(flux.cpu) / a).toFixed(2) } },
    { name: `the same Kustomizations from a fresh tree with no revision (no base builds shared; a new tree per pass)`, median_ms: median(fluxFresh.wall), samples: fluxFresh.wall, cpu_samples: fluxFresh.cpu, unit: 'ms/Kustomization', extra: { cpu_ratio_vs_argo: (median(fluxFresh.cpu) / a).toFixed(2) } },
    { name: `the same Kustomizations from a fresh commit's tree (base builds shared across the commit's renders; a new commit per pass)`, median_ms: median(fluxCommit.wall), samples: fluxCommit.wall, cpu_samples: fluxCommit.cpu, unit: 'ms/Kustomization', extra: { cpu_ratio_vs_argo: (median(fluxCommit.cpu) / a).toFixed(2), cpu_ratio_vs_no_revision: (median(fluxCommit.cpu) / median(fluxFresh.cpu)).toFixed(2) } },
    { name: `the same Kustomizations without postBuild (no substitution round trip)`, median_ms: median(fluxPlain.wall), samples: fluxPlain.wall, cpu_samples: fluxPlain.cpu, unit: 'ms/Kustomization', extra: { cpu_ratio_vs_argo: (median(fluxPlain.cpu) / a).toFixed(2) } },
    { name: 'fluxcd/flux2-kustomize-helm-example (vendored): scan + Flux app discovery, in process', median_ms: median(exampleMs), samples: exampleMs, cpu_samples: exampleCpu, unit: 'ms', extra: { apps: exampleApps } },
    { name: `Flux app discovery of the synthetic repository (scan + render every Kustomization): ${SYNTHETIC_ENVIRONMENTS.length} clusters`, median_ms: median(discoverMs), samples: discoverMs, cpu_samples: discoverCpu, unit: 'ms', extra: { apps } },
  ];
}
