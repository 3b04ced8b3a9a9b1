import { hideSecretData } from '../diff/secret';
import { isSecret, normalizeObject, resourceId, resourceKey } from '../diff/normalize';
import { toDiffYaml } from '../diff/render';
import { unifiedDiff } from '../diff/line-diff';
import { clusterForApp } from '../fleet/destination';
import type { RenderOptions } from '../fleet/render-apps';
import { renderApplication } from '../fleet/render-apps';
import { fluxIdentity } from '../flux/owner';
import type { Application } from '../model/application';
import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import { fluxSpecOf } from '../sources/flux-source';
import type { PlanInput, ResourceChange } from './plan';

// The rendered change a promotion makes on a cluster: two renders compared resource by resource, and for a Flux
// Kustomization the Flux apps it renders (a HelmRelease whose chart version or values moved) rendered before and after.

/** The Flux apps of `cluster` rendered by a Kustomization whose rendered object changed, each rendered before and after. */
export function fluxChildDiffs(input: PlanInput, opts: RenderOptions, cluster: string, before: readonly KubeObject[], after: readonly KubeObject[]): { changes: ResourceChange[]; problems: Problem[] }[] {
  const out: { changes: ResourceChange[]; problems: Problem[] }[] = [];
  const idOf = (kind: string, ns: string, name: string): string => `${kind}/${ns}/${name}`;
  const fluxObjects = (objs: readonly KubeObject[]): Map<string, KubeObject> => {
    const m = new Map<string, KubeObject>();
    for (const o of objs) {
      if ((o.kind !== 'HelmRelease' && o.kind !== 'Kustomization') || !String(o.apiVersion ?? '').includes('.toolkit.fluxcd.io/')) continue;
      const meta = o.metadata ?? {};
      m.set(idOf(o.kind, typeof meta['namespace'] === 'string' && meta['namespace'] ? meta['namespace'] : 'default', String(meta['name'] ?? '')), o);
    }
    return m;
  };
  const a = fluxObjects(before);
  const b = fluxObjects(after);
  for (const { application } of input.applications ?? []) {
    const id = fluxIdentity(application);
    if (!id || clusterForApp(application, input.clusters)?.name !== cluster) continue;
    const key = idOf(id.kind, id.namespace, id.name);
    const was = a.get(key);
    const now = b.get(key);
    if (!was || !now || JSON.stringify(was) === JSON.stringify(now)) continue;
    const swap = (obj: KubeObject): Application => {
      const source = application.spec.source!;
      return { ...application, spec: { ...application.spec, source: { ...source, flux: { ...fluxSpecOf(source)!, object: obj } } } } as Application;
    };
    const r0 = renderApplication(swap(was), { treeAt: () => input.tree }, opts);
    const r1 = renderApplication(swap(now), { treeAt: () => input.tree }, opts);
    const name = application.metadata.name;
    const failed = [...r0.problems, ...r1.problems].filter((p) => p.severity === 'error');
    if (failed.length > 0) {
      out.push({ changes: [], problems: failed.map((p) => ({ ...p, severity: 'warning' as const, message: `the rendered change of ${id.kind} ${name} cannot be shown: ${p.message}` })) });
      continue;
    }
    out.push({ changes: diffObjects(r0.objects, r1.objects, cluster), problems: [] });
  }
  return out;
}

/** The resources that differ between two renders, each with its unified diff (Secret values masked). */
export function diffObjects(before: readonly KubeObject[], after: readonly KubeObject[], cluster: string): ResourceChange[] {
  const index = (objs: readonly KubeObject[]): Map<string, KubeObject> => new Map(objs.map((o) => [resourceId(resourceKey(o)), o]));
  const a = index(before);
  const b = index(after);
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: ResourceChange[] = [];
  for (const id of ids) {
    // Secrets: stringData folded into data (as the API server stores it), then every value masked.
    const norm = (o: KubeObject | undefined): KubeObject | undefined => (o && isSecret(o) ? normalizeObject(o) : o);
    const [desired, current] = hideSecretData(norm(b.get(id)), norm(a.get(id)));
    const from = current ? toDiffYaml(current) : undefined;
    const to = desired ? toDiffYaml(desired) : undefined;
    if (from === to) continue;
    out.push({ id, change: !from ? 'added' : !to ? 'removed' : 'changed', diff: unifiedDiff(from, to, { fromLabel: `${id} (${cluster}, now)`, toLabel: `${id} (${cluster}, promoted)` }) });
  }
  return out;
}

