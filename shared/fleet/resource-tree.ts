// An app's resources as Argo CD's resource tree shows them: the app's own objects as roots, and the live-only
// objects the cluster made from them (ReplicaSets of a Deployment, Pods of a ReplicaSet, Jobs of a CronJob) hung
// under their owner by `metadata.ownerReferences` (the controller reference's uid), each with its own health.

import type { HealthResult, KubeObject } from '../model/status';

/** One node of the resource tree. */
export interface ResourceNode {
  readonly uid: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The uid of the owner this node hangs under (absent for the app's own objects). */
  readonly parent?: string;
  /** The app's own object (rendered from Git) rather than one the cluster made from it. */
  readonly managed: boolean;
  readonly health?: HealthResult;
  /** ISO creation time. */
  readonly createdAt?: string;
  /** Short facts a row shows: a Pod's phase and restarts, a ReplicaSet's ready count, an image. */
  readonly info?: readonly string[];
  /** The containers of a Pod (for the log viewer's container picker), init containers first. */
  readonly containers?: readonly string[];
}

/** A child kind the cluster's controllers create from an owner kind. */
export interface ChildKind {
  readonly group: string;
  readonly kind: string;
}

/** Which kinds the controllers make from which, as Argo CD's tree shows them (group/kind → children's kinds). */
export const CHILD_KINDS: Readonly<Record<string, readonly ChildKind[]>> = {
  'apps/Deployment': [{ group: 'apps', kind: 'ReplicaSet' }],
  'argoproj.io/Rollout': [{ group: 'apps', kind: 'ReplicaSet' }],
  'apps/ReplicaSet': [{ group: '', kind: 'Pod' }],
  'apps/StatefulSet': [{ group: '', kind: 'Pod' }],
  'apps/DaemonSet': [{ group: '', kind: 'Pod' }],
  'batch/Job': [{ group: '', kind: 'Pod' }],
  'batch/CronJob': [{ group: 'batch', kind: 'Job' }],
};

/** The group of an apiVersion (`apps/v1` → `apps`, `v1` → ''). */
export function groupOfApiVersion(apiVersion: unknown): string {
  const v = typeof apiVersion === 'string' ? apiVersion : '';
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

/** The kinds the controllers make from an object of this group and kind (none for most kinds). */
export function childKindsOf(group: string, kind: string): readonly ChildKind[] {
  return CHILD_KINDS[`${group}/${kind}`] ?? [];
}

function meta(obj: KubeObject): Record<string, unknown> {
  return (obj.metadata ?? {}) as Record<string, unknown>;
}

/** The object's uid ('' when it has none). */
export function uidOf(obj: KubeObject): string {
  const u = meta(obj)['uid'];
  return typeof u === 'string' ? u : '';
}

/** The uids of the object's owners (controller first). */
export function ownerUids(obj: KubeObject): string[] {
  const refs = meta(obj)['ownerReferences'];
  if (!Array.isArray(refs)) return [];
  const out: { uid: string; controller: boolean }[] = [];
  for (const r of refs) {
    if (r && typeof r === 'object' && typeof (r as Record<string, unknown>)['uid'] === 'string') {
      out.push({ uid: (r as Record<string, string>)['uid']!, controller: (r as Record<string, unknown>)['controller'] === true });
    }
  }
  return out.sort((a, b) => Number(b.controller) - Number(a.controller)).map((o) => o.uid);
}

/**
 * A Kubernetes label selector (`spec.selector`) as the `labelSelector` query parameter, or undefined when it selects
 * nothing expressible (absent). Supports matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist).
 */
export function selectorQuery(selector: unknown): string | undefined {
  if (!selector || typeof selector !== 'object') return undefined;
  const s = selector as { matchLabels?: Record<string, unknown>; matchExpressions?: unknown[] };
  const parts: string[] = [];
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) parts.push(`${k}=${String(v)}`);
  for (const e of Array.isArray(s.matchExpressions) ? s.matchExpressions : []) {
    const x = e as { key?: string; operator?: string; values?: unknown[] };
    if (!x.key) continue;
    const values = (x.values ?? []).map(String).join(',');
    if (x.operator === 'In') parts.push(`${x.key} in (${values})`);
    else if (x.operator === 'NotIn') parts.push(`${x.key} notin (${values})`);
    else if (x.operator === 'Exists') parts.push(x.key);
    else if (x.operator === 'DoesNotExist') parts.push(`!${x.key}`);
  }
  return parts.length ? parts.join(',') : undefined;
}

/** The short facts a tree row shows for a live object. */
export function nodeInfo(obj: KubeObject): string[] {
  const status = (obj['status'] ?? {}) as Record<string, unknown>;
  const spec = (obj['spec'] ?? {}) as Record<string, unknown>;
  if (obj.kind === 'Pod') {
    const statuses = (Array.isArray(status['containerStatuses']) ? status['containerStatuses'] : []) as Record<string, unknown>[];
    const ready = statuses.filter((c) => c['ready'] === true).length;
    const restarts = statuses.reduce((n, c) => n + (typeof c['restartCount'] === 'number' ? c['restartCount'] : 0), 0);
    const containers = Array.isArray(spec['containers']) ? spec['containers'].length : statuses.length;
    const out = [String(status['phase'] ?? 'Pending'), `${ready}/${containers} ready`];
    if (restarts) out.push(`${restarts} restarts`);
    if (typeof spec['nodeName'] === 'string') out.push(`node ${spec['nodeName']}`);
    return out;
  }
  if (obj.kind === 'ReplicaSet' || obj.kind === 'Deployment' || obj.kind === 'StatefulSet') {
    return [`${Number(status['readyReplicas'] ?? 0)}/${Number(spec['replicas'] ?? 0)} ready`];
  }
  if (obj.kind === 'Job') {
    return [`${Number(status['succeeded'] ?? 0)} succeeded`, ...(status['failed'] ? [`${Number(status['failed'])} failed`] : [])];
  }
  return [];
}

/** The container names of a Pod, init containers first. */
export function podContainers(obj: KubeObject): string[] {
  const spec = (obj['spec'] ?? {}) as Record<string, unknown>;
  const names = (list: unknown): string[] => (Array.isArray(list) ? list.map((c) => String((c as Record<string, unknown>)['name'] ?? '')).filter(Boolean) : []);
  return [...names(spec['initContainers']), ...names(spec['containers'])];
}

/** A node of the tree for a live (or only desired) object. */
export function toNode(obj: KubeObject, opts: { readonly managed: boolean; readonly parent?: string; readonly health?: HealthResult; readonly namespace?: string }): ResourceNode {
  const m = meta(obj);
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const info = nodeInfo(obj);
  const containers = obj.kind === 'Pod' ? podContainers(obj) : [];
  return {
    uid: uidOf(obj),
    group: groupOfApiVersion(apiVersion),
    version: apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion,
    kind: obj.kind ?? '',
    namespace: typeof m['namespace'] === 'string' ? m['namespace'] : opts.namespace ?? '',
    name: typeof m['name'] === 'string' ? m['name'] : '',
    ...(opts.parent ? { parent: opts.parent } : {}),
    managed: opts.managed,
    ...(opts.health ? { health: opts.health } : {}),
    ...(typeof m['creationTimestamp'] === 'string' ? { createdAt: m['creationTimestamp'] } : {}),
    ...(info.length ? { info } : {}),
    ...(containers.length ? { containers } : {}),
  };
}

/**
 * Keeps the candidates whose controller (or any) owner is one of `owners` (by uid), each with the uid of that owner;
 * objects owned by something else (another Deployment's ReplicaSets sharing the labels) are left out.
 */
export function ownedBy(candidates: readonly KubeObject[], owners: ReadonlySet<string>): { readonly obj: KubeObject; readonly parent: string }[] {
  const out: { obj: KubeObject; parent: string }[] = [];
  for (const c of candidates) {
    const parent = ownerUids(c).find((u) => owners.has(u));
    if (parent) out.push({ obj: c, parent });
  }
  return out;
}

/**
 * The nodes in display order: each root followed depth-first by its children (by kind, then name), so a list
 * indented by depth reads as the tree. Children whose parent is not in the list are dropped.
 */
export function treeOrder(nodes: readonly ResourceNode[]): { readonly node: ResourceNode; readonly depth: number }[] {
  const byParent = new Map<string, ResourceNode[]>();
  const uids = new Set(nodes.map((n) => n.uid).filter(Boolean));
  const roots: ResourceNode[] = [];
  for (const n of nodes) {
    if (n.parent && uids.has(n.parent)) {
      const list = byParent.get(n.parent) ?? [];
      list.push(n);
      byParent.set(n.parent, list);
    } else if (!n.parent) roots.push(n);
  }
  const cmp = (a: ResourceNode, b: ResourceNode): number => a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
  const out: { node: ResourceNode; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (n: ResourceNode, depth: number): void => {
    out.push({ node: n, depth });
    if (!n.uid || seen.has(n.uid)) return;
    seen.add(n.uid);
    for (const c of (byParent.get(n.uid) ?? []).sort(cmp)) walk(c, depth + 1);
  };
  for (const r of roots.sort(cmp)) walk(r, 0);
  return out;
}
