import type { KubeObject } from '../model/status';
import { parseApiVersion } from '../kustomize/resource';

// How Argo CD marks the objects it renders for an Application (`argo.ResourceTracking.SetAppInstance`, called by the
// repo-server's `GenerateManifests` when the controller asks for tracking): the annotation
// `argocd.argoproj.io/tracking-id: <app>:<group>/<kind>:<namespace>/<name>` (the default), the instance label, or both.
// `<namespace>` is the object's own, or the destination namespace when it has none — cluster-scoped objects included,
// since the repo-server does not know scopes. CustomResourceDefinitions are never marked.

/** Argo CD's tracking annotation. */
export const TRACKING_ID_ANNOTATION = 'argocd.argoproj.io/tracking-id';
/** Argo CD's default instance label (`application.instanceLabelKey`). */
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';

/** Argo CD's tracking methods (`application.resourceTrackingMethod` in argocd-cm). */
export type TrackingMethod = 'annotation' | 'label' | 'annotation+label';

/** How an app's objects are marked: the method and, for label tracking, the label key. */
export interface TrackingSpec {
  readonly method: TrackingMethod;
  readonly labelKey?: string;
}

/** Argo CD's tracking id of a resource of an app: `<app>:<group>/<kind>:<namespace>/<name>`. */
export function trackingIdFor(app: string, k: { readonly group: string; readonly kind: string; readonly namespace: string; readonly name: string }): string {
  return `${app}:${k.group}/${k.kind}:${k.namespace}/${k.name}`;
}

/**
 * Whether a tracking id names this app's resource, as Argo CD's controller checks it (`isSelfReferencedObj`): app,
 * group, kind and name equal, and the namespace equal — or any, for a cluster-scoped resource (empty `namespace`),
 * whose id carries the destination namespace.
 */
export function isOwnTrackingId(id: string, app: string, k: { readonly group: string; readonly kind: string; readonly namespace: string; readonly name: string }): boolean {
  const m = /^([^:]+):([^/:]*)\/([^:/]+):([^/]*)\/(.+)$/.exec(id);
  if (!m) return false;
  return m[1] === app && m[2] === k.group && m[3] === k.kind && m[5] === k.name && (m[4] === k.namespace || k.namespace === '');
}

/** Whether an object is a CustomResourceDefinition (never given tracking). */
export function isCrd(obj: KubeObject): boolean {
  return obj.kind === 'CustomResourceDefinition' && parseApiVersion(typeof obj.apiVersion === 'string' ? obj.apiVersion : '').group === 'apiextensions.k8s.io';
}

/**
 * A copy of a rendered object carrying the app's tracking, exactly as Argo CD's repo-server adds it; the object's
 * namespace, when it has none, is the destination namespace in the id (also for cluster-scoped kinds).
 */
export function withArgoTracking(obj: KubeObject, app: string, destinationNamespace: string | undefined, spec: TrackingSpec = { method: 'annotation' }): KubeObject {
  if (isCrd(obj)) return obj;
  const meta = (obj.metadata ?? {}) as Record<string, unknown>;
  const next: Record<string, unknown> = { ...meta };
  if (spec.method !== 'annotation') {
    const labels = typeof meta['labels'] === 'object' && meta['labels'] !== null ? (meta['labels'] as Record<string, string>) : {};
    next['labels'] = { ...labels, [spec.labelKey ?? INSTANCE_LABEL]: app };
  }
  if (spec.method !== 'label') {
    const annotations = typeof meta['annotations'] === 'object' && meta['annotations'] !== null ? (meta['annotations'] as Record<string, string>) : {};
    const ns = typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : (destinationNamespace ?? '');
    const { group } = parseApiVersion(typeof obj.apiVersion === 'string' ? obj.apiVersion : '');
    const id = trackingIdFor(app, { group, kind: typeof obj.kind === 'string' ? obj.kind : '', namespace: ns, name: typeof meta['name'] === 'string' ? meta['name'] : '' });
    next['annotations'] = { ...annotations, [TRACKING_ID_ANNOTATION]: id };
  }
  return { ...obj, metadata: next } as KubeObject;
}
