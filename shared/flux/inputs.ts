import type { Application } from '../model/application';
import type { KubeObject } from '../model/status';
import type { FluxSourceSpec } from '../sources/flux-source';
import { fluxSpecOf } from '../sources/flux-source';
import { decodeHelmRelease, decodeKustomization } from './types';

// The ConfigMaps and Secrets a Flux app reads (`postBuild.substituteFrom`, `valuesFrom`), and swapping in the copies a
// connected cluster holds: Flux reads them from the cluster, so when the cluster can be read Flotilla does too, and
// falls back to what the repository declares for that cluster only for those the cluster does not hold.

/** One ConfigMap or Secret a Flux app reads. */
export interface FluxInputRef {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly namespace: string;
  readonly name: string;
  readonly optional: boolean;
}

/** The ConfigMaps and Secrets a Flux app's Kustomization or HelmRelease reads, in its own namespace. */
export function fluxInputRefs(app: Application): FluxInputRef[] {
  const spec = app.spec.source ? fluxSpecOf(app.spec.source) : undefined;
  if (!spec) return [];
  const m = (spec.object['metadata'] ?? {}) as Record<string, unknown>;
  const namespace = typeof m['namespace'] === 'string' && m['namespace'] !== '' ? m['namespace'] : 'default';
  if (spec.kind === 'Kustomization') {
    const d = decodeKustomization(spec.object);
    return 'error' in d ? [] : (d.spec.postBuild?.substituteFrom ?? []).map((r) => ({ kind: r.kind, namespace, name: r.name, optional: r.optional }));
  }
  const d = decodeHelmRelease(spec.object);
  return 'error' in d ? [] : d.spec.valuesFrom.map((r) => ({ kind: r.kind, namespace, name: r.name, optional: r.optional }));
}

/**
 * The app with its inputs read from `cluster`: each object the cluster holds replaces the repository's copy; those it
 * does not hold stay as the repository declares them (and say so in the render's note).
 */
export function withClusterInputs(app: Application, live: readonly KubeObject[], cluster: string): Application {
  const source = app.spec.source;
  const spec = source ? fluxSpecOf(source) : undefined;
  if (!source || !spec) return app;
  const key = (o: KubeObject): string => {
    const m = (o.metadata ?? {}) as Record<string, unknown>;
    return `${String(o.kind)}/${String(m['namespace'] ?? '')}/${String(m['name'] ?? '')}`;
  };
  const fromCluster = new Set(live.map(key));
  const flux: FluxSourceSpec = { ...spec, objects: [...live, ...spec.objects.filter((o) => !fromCluster.has(key(o)))], inputsFrom: { cluster, read: live.map(key).sort() } };
  return { ...app, spec: { ...app.spec, source: { ...source, flux } } } as Application;
}
