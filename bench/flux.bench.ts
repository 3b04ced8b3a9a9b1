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
import type { BenchResult } from './types';
import { median } from './types';
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
  const tree = new MemoryFileTree(files);
  const artifact = new ArtifactFileTree(tree);
  const store = objectStore([]);

  const argoMs: number[] = [];
  const fluxMs: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    for (const o of overlays) {
      const t = performance.now();
      const r = kustomizeBuild(tree, o);
      argoMs.push(performance.now() - t);
      if (r.problems.some((p) => p.severity === 'error')) throw new Error(`${o}: ${r.problems[0]!.message}`);
    }
    for (const ks of kustomizations) {
      const t = performance.now();
      const r = renderFluxKustomization({ object: ks, artifact, store, where: {} });
      fluxMs.push(performance.now() - t);
      if (r.problems.some((p) => p.severity === 'error')) throw new Error(`${JSON.stringify(ks['spec'])}: ${r.problems[0]!.message}`);
    }
  }
  const discoverMs: number[] = [];
  let apps = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const scan = scanRepository(tree);
    apps = discoverFluxApps(scan.fluxDocs ?? [], [], { treeAt: () => tree, localURL: '.' }, []).apps.length;
    discoverMs.push(performance.now() - t);
  }
  const a = median(argoMs);
  const f = median(fluxMs);
  return [
    { name: `Argo CD Kustomize app render (in process), per overlay, ${overlays.length} overlays × 3 passes`, median_ms: a, unit: 'ms/overlay' },
    { name: `Flux Kustomization render (in process: artifact filter, generated kustomization, build, substitution, owner labels), per Kustomization, ${kustomizations.length} × 3 passes`, median_ms: f, unit: 'ms/Kustomization', extra: { ratio_vs_argo: (f / a).toFixed(2) } },
    { name: `Flux app discovery of the synthetic repository (scan + render every Kustomization): ${SYNTHETIC_ENVIRONMENTS.length} clusters`, median_ms: median(discoverMs), samples: discoverMs, unit: 'ms', extra: { apps } },
  ];
}
