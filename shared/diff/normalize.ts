// Normalisation before comparing desired and live objects: drop what the API server owns, bring Secrets'
// `stringData` into `data`, and drop Argo CD's tracking annotation when it names this app.

import type { KubeObject, ResourceKey } from '../model/status';
import { isPlainObject } from './json-path';
import { INSTANCE_LABEL, isOwnTrackingId, TRACKING_ID_ANNOTATION, trackingIdFor } from '../sources/tracking';

export { INSTANCE_LABEL, TRACKING_ID_ANNOTATION };

/** The annotation `kubectl apply` stores the applied object in (it holds Secret values, so it never reaches a diff). */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';


/** metadata fields the API server sets and owns. */
const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

/** Annotations the API server or controllers write. */
const SERVER_ANNOTATIONS = [LAST_APPLIED_ANNOTATION, 'deployment.kubernetes.io/revision'];

/** The group of an apiVersion (`apps/v1` → `apps`, `v1` → ``). */
export function apiGroup(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** The version of an apiVersion (`apps/v1` → `v1`). */
export function apiVersionOnly(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string' || apiVersion === '') return undefined;
  const i = apiVersion.indexOf('/');
  return i < 0 ? apiVersion : apiVersion.slice(i + 1);
}

/** Built-in and common cluster-scoped kinds (`group/Kind`), which never take the destination namespace. */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  '/Namespace', '/Node', '/PersistentVolume', '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition', 'apiregistration.k8s.io/APIService',
  'storage.k8s.io/StorageClass', 'storage.k8s.io/CSIDriver', 'storage.k8s.io/CSINode', 'storage.k8s.io/VolumeAttachment',
  'scheduling.k8s.io/PriorityClass', 'node.k8s.io/RuntimeClass', 'networking.k8s.io/IngressClass',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration', 'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'policy/PodSecurityPolicy', 'certificates.k8s.io/CertificateSigningRequest', 'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration', 'cert-manager.io/ClusterIssuer',
]);

/** Whether a kind is known to be cluster-scoped. */
export function isClusterScoped(group: string, kind: string): boolean {
  return CLUSTER_SCOPED.has(`${group}/${kind}`);
}

/** The key of an object (group, version, kind, namespace, name); `fallbackNamespace` fills a namespaced object's missing namespace. */
export function resourceKey(obj: KubeObject, fallbackNamespace = ''): ResourceKey {
  const md = isPlainObject(obj.metadata) ? obj.metadata : {};
  const version = apiVersionOnly(obj.apiVersion);
  const group = apiGroup(obj.apiVersion);
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const own = typeof md['namespace'] === 'string' ? md['namespace'] : '';
  return {
    group,
    ...(version !== undefined ? { version } : {}),
    kind,
    namespace: own !== '' ? own : isClusterScoped(group, kind) ? '' : fallbackNamespace,
    name: typeof md['name'] === 'string' ? md['name'] : '',
  };
}

/** `group/kind/namespace/name`: a resource's readable id, as Problems name it. */
export function resourceId(key: ResourceKey): string {
  return `${key.group}/${key.kind}/${key.namespace}/${key.name}`;
}

/** The tracking id Argo CD writes on the resources of an app. */
export function trackingId(app: string, key: ResourceKey): string {
  return trackingIdFor(app, key);
}

/** Removes a tracking label when it names this app (label-based tracking); says whether it did. */
export function dropOwnTrackingLabel(obj: KubeObject, app: string, labelKey: string): boolean {
  const md = obj.metadata;
  const labels = isPlainObject(md) ? md['labels'] : undefined;
  if (!isPlainObject(labels) || labels[labelKey] !== app) return false;
  delete labels[labelKey];
  if (Object.keys(labels).length === 0 && isPlainObject(md)) delete md['labels'];
  return true;
}

/** Whether an object is a core Secret. */
export function isSecret(obj: KubeObject | undefined): boolean {
  return obj !== undefined && obj.kind === 'Secret' && apiGroup(obj.apiVersion) === '';
}

/**
 * A normalised deep copy: no status, no server-owned metadata or annotations, empty labels/annotations dropped,
 * and for Secrets `stringData` encoded into `data` (as the API server stores it) with null values as "".
 */
export function normalizeObject(obj: KubeObject): KubeObject {
  // A new top level, metadata, annotations and labels (the parts normalisation edits); everything else is shared
  // with `obj`, so the result is read-only (copy it with cloneJson before editing it in place).
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) {
    if (k === 'status') continue;
    const v = obj[k];
    if (k === 'metadata' && isPlainObject(v)) {
      const md: Record<string, unknown> = {};
      for (const mk of Object.keys(v)) {
        if (SERVER_METADATA.includes(mk)) continue;
        const mv = v[mk];
        md[mk] = (mk === 'annotations' || mk === 'labels') && isPlainObject(mv) ? { ...mv } : mv;
      }
      out[k] = md;
    } else {
      out[k] = v;
    }
  }
  const md = out['metadata'];
  if (isPlainObject(md)) {
    const ann = md['annotations'];
    if (isPlainObject(ann)) for (const a of SERVER_ANNOTATIONS) delete ann[a];
    for (const m of ['annotations', 'labels']) {
      const v = md[m];
      if (v === null || (isPlainObject(v) && Object.keys(v).length === 0)) delete md[m];
    }
  }
  if (isSecret(out)) normalizeSecretData(out);
  if ((out['kind'] === 'ClusterRole' || out['kind'] === 'Role') && apiGroup(out['apiVersion']) === 'rbac.authorization.k8s.io') normalizeRole(out);
  return out as KubeObject;
}

/** Removes the tracking annotation when it is the one Argo CD (or Flotilla) writes for this app and resource; says whether it did. */
export function dropOwnTrackingId(obj: KubeObject, app: string, key: ResourceKey): boolean {
  const md = obj.metadata;
  const ann = isPlainObject(md) ? md['annotations'] : undefined;
  const id = isPlainObject(ann) ? ann[TRACKING_ID_ANNOTATION] : undefined;
  if (!isPlainObject(ann) || typeof id !== 'string' || !isOwnTrackingId(id, app, key)) return false;
  delete ann[TRACKING_ID_ANNOTATION];
  if (Object.keys(ann).length === 0 && isPlainObject(md)) delete md['annotations'];
  return true;
}

/**
 * Roles: an empty `rules` list is the same as none (as Argo CD's normalizeRole has it), and an aggregated
 * ClusterRole's rules are filled in by the aggregation controller, so they are not compared.
 */
function normalizeRole(role: Record<string, unknown>): void {
  const rules = role['rules'];
  if (rules === null || (Array.isArray(rules) && rules.length === 0) || isPlainObject(role['aggregationRule'])) delete role['rules'];
}

function normalizeSecretData(secret: Record<string, unknown>): void {
  if (isPlainObject(secret['data'])) secret['data'] = { ...secret['data'] };
  const stringData = secret['stringData'];
  if (isPlainObject(stringData)) {
    const data: Record<string, unknown> = isPlainObject(secret['data']) ? secret['data'] : {};
    for (const [k, v] of Object.entries(stringData)) data[k] = typeof v === 'string' ? base64Encode(v) : v;
    secret['data'] = data;
    delete secret['stringData'];
  }
  const data = secret['data'];
  if (isPlainObject(data)) for (const k of Object.keys(data)) if (data[k] === null || data[k] === undefined) data[k] = '';
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 of a string's UTF-8 bytes (shared/ has no Buffer). */
export function base64Encode(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return out;
}
