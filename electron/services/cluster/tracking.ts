import type { KubeObject, ResourceKey } from '../../../shared/model/status';
import { INSTANCE_LABEL, TRACKING_ID_ANNOTATION, trackingIdFor, withArgoTracking } from '../../../shared/sources/tracking';
import { splitApiVersion } from './discovery';

export { INSTANCE_LABEL, TRACKING_ID_ANNOTATION, trackingIdFor };

// How live objects are tied to an Application, compatible with Argo CD: the tracking-id annotation
// `<app>:<group>/<kind>:<namespace>/<name>` (default), or the app.kubernetes.io/instance label.

/** Argo CD's sync-wave annotation. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** How an app's live objects are recognised. */
export interface TrackingOptions {
  readonly method: 'annotation' | 'label';
  /** The label key for `label` tracking (default app.kubernetes.io/instance). */
  readonly labelKey?: string;
}

/** The default: Argo CD's annotation tracking. */
export const DEFAULT_TRACKING: TrackingOptions = { method: 'annotation' };

/** A group and kind. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** The kinds whose live objects are searched for an app's extra (prunable) objects besides its desired kinds. */
export const DEFAULT_TRACKED_KINDS: readonly GroupKind[] = [
  { group: '', kind: 'ConfigMap' }, { group: '', kind: 'Secret' }, { group: '', kind: 'Service' }, { group: '', kind: 'ServiceAccount' },
  { group: '', kind: 'PersistentVolumeClaim' }, { group: 'apps', kind: 'Deployment' }, { group: 'apps', kind: 'StatefulSet' },
  { group: 'apps', kind: 'DaemonSet' }, { group: 'batch', kind: 'Job' }, { group: 'batch', kind: 'CronJob' },
  { group: 'networking.k8s.io', kind: 'Ingress' }, { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' }, { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' }, { group: 'policy', kind: 'PodDisruptionBudget' },
];

/** An object's metadata as a record. */
function meta(obj: KubeObject): Record<string, unknown> {
  return (obj.metadata ?? {}) as Record<string, unknown>;
}

/** A string map field of metadata (labels, annotations). */
export function metaMap(obj: KubeObject, field: 'labels' | 'annotations'): Record<string, string> {
  const v = meta(obj)[field];
  return v && typeof v === 'object' ? (v as Record<string, string>) : {};
}

/** The resource key of an object; `namespace` fills an empty namespace of a namespaced object. */
export function keyOf(obj: KubeObject, namespace = ''): ResourceKey {
  const { group, version } = splitApiVersion(obj.apiVersion ?? '');
  const m = meta(obj);
  return { group, version, kind: obj.kind ?? '', namespace: typeof m.namespace === 'string' && m.namespace ? m.namespace : namespace, name: typeof m.name === 'string' ? m.name : '' };
}

/** `group/kind/namespace/name`, the key's one-string form used in maps and Problems. */
export function keyString(k: Pick<ResourceKey, 'group' | 'kind' | 'namespace' | 'name'>): string {
  return `${k.group}/${k.kind}/${k.namespace}/${k.name}`;
}

/** Parses a tracking id; undefined when it is not one. */
export function parseTrackingId(value: string): { app: string; group: string; kind: string; namespace: string; name: string } | undefined {
  const m = /^([^:]+):([^/:]*)\/([^:/]+):([^/]*)\/(.+)$/.exec(value);
  if (!m) return undefined;
  return { app: m[1]!, group: m[2]!, kind: m[3]!, namespace: m[4]!, name: m[5]! };
}

/**
 * The app a live object is tracked as belonging to, or undefined. With annotation tracking the id must name the
 * object itself (as Argo CD's `isSelfReferencedObj` checks), so an annotation copied onto another object does not claim
 * it; a cluster-scoped object matches whatever namespace its id carries (Argo CD writes the destination namespace).
 */
export function trackedApp(obj: KubeObject, tracking: TrackingOptions = DEFAULT_TRACKING): string | undefined {
  if (tracking.method === 'label') return metaMap(obj, 'labels')[tracking.labelKey ?? INSTANCE_LABEL] || undefined;
  const id = metaMap(obj, 'annotations')[TRACKING_ID_ANNOTATION];
  if (!id) return undefined;
  const t = parseTrackingId(id);
  if (!t) return undefined;
  const k = keyOf(obj);
  if (t.group !== k.group || t.kind !== k.kind || t.name !== k.name || (t.namespace !== k.namespace && k.namespace !== '')) return undefined;
  return t.app;
}

/**
 * A copy of a desired object carrying the app's tracking mark exactly as Argo CD adds it (shared/sources/tracking):
 * the id's namespace is the key's, or for a cluster-scoped object the destination namespace; CRDs are not marked.
 */
export function withTracking(obj: KubeObject, app: string, key: ResourceKey, tracking: TrackingOptions = DEFAULT_TRACKING, destinationNamespace?: string): KubeObject {
  return withArgoTracking(obj, app, key.namespace || destinationNamespace, { method: tracking.method, ...(tracking.labelKey ? { labelKey: tracking.labelKey } : {}) });
}

/** The sync wave of an object (its sync-wave annotation; 0 when absent or not an integer). */
export function syncWave(obj: KubeObject): number {
  const v = Number.parseInt(metaMap(obj, 'annotations')[SYNC_WAVE_ANNOTATION] ?? '0', 10);
  return Number.isFinite(v) ? v : 0;
}
