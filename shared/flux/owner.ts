import type { Application } from '../model/application';
import type { KubeObject } from '../model/status';
import { HELM_GROUP, KUSTOMIZE_GROUP } from './types';

// Which Flux object owns a live object: kustomize-controller and helm-controller label what they apply with
// `<group>/name` and `<group>/namespace` of their Kustomization or HelmRelease. One key names an owner in both
// directions — from a Flux app (its kind, namespace, name) and from a live object's labels.

/** A Flux owner as one string: `Kustomization:<namespace>/<name>` or `HelmRelease:<namespace>/<name>`. */
export type FluxOwnerKey = string;

const OWNER_GROUPS = [['Kustomization', KUSTOMIZE_GROUP], ['HelmRelease', HELM_GROUP]] as const;

/** The owner key of a Flux object. */
export function fluxOwnerKey(kind: 'Kustomization' | 'HelmRelease', namespace: string, name: string): FluxOwnerKey {
  return `${kind}:${namespace}/${name}`;
}

/** The Flux kind and object an app stands for, when it is a Flux app (set by Flux discovery in `spec.source.flux`). */
export function fluxIdentity(app: Application): { readonly kind: 'Kustomization' | 'HelmRelease'; readonly namespace: string; readonly name: string } | undefined {
  const flux = app.spec.source?.['flux'] as { kind?: unknown; object?: { metadata?: { name?: unknown; namespace?: unknown } } } | undefined;
  if (!flux || (flux.kind !== 'Kustomization' && flux.kind !== 'HelmRelease')) return undefined;
  const m = flux.object?.metadata ?? {};
  const name = typeof m.name === 'string' ? m.name : '';
  const namespace = typeof m.namespace === 'string' && m.namespace !== '' ? m.namespace : 'default';
  return { kind: flux.kind, namespace, name };
}

/** The owner key of a Flux app, or undefined for any other app. */
export function fluxOwnerOfApp(app: Application): FluxOwnerKey | undefined {
  const id = fluxIdentity(app);
  return id ? fluxOwnerKey(id.kind, id.namespace, id.name) : undefined;
}

/** The Flux owners a live object's labels name (a HelmRelease's objects are labelled by it; a Kustomization's by it). */
export function fluxOwnersOf(obj: KubeObject): FluxOwnerKey[] {
  const labels = (obj.metadata?.['labels'] ?? {}) as Record<string, unknown>;
  const out: FluxOwnerKey[] = [];
  for (const [kind, group] of OWNER_GROUPS) {
    const name = labels[`${group}/name`];
    const namespace = labels[`${group}/namespace`];
    if (typeof name === 'string' && name !== '' && typeof namespace === 'string' && namespace !== '') out.push(fluxOwnerKey(kind, namespace, name));
  }
  return out;
}
