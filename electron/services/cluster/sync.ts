import { assessHealth } from '../../../shared/health';
import type { HealthResult, KubeObject, ResourceKey } from '../../../shared/model/status';
import type { Problem } from '../../../shared/problem';
import { problem } from '../../../shared/problem';
import type { ClusterConnection } from './connection';
import type { ApiResourceInfo } from './discovery';
import { resourcePath } from './discovery';
import type { GroupKind, TrackingOptions } from './tracking';
import { DEFAULT_TRACKED_KINDS, DEFAULT_TRACKING, INSTANCE_LABEL, keyOf, keyString, syncWave, trackedApp, withTracking } from './tracking';
import { KubeApiError } from './transport';

// Sync of one app to one cluster, the way Argo CD does it with server-side apply: a server-side dry run of
// every object, then apply by sync wave and kind order, then prune of live objects tracked as the app's that
// are no longer desired. Every resource gets its own result; a refused resource never stops the others.

/** The field manager of every apply. */
export const FIELD_MANAGER = 'flotilla';

/** Options of a sync. */
export interface SyncOptions {
  readonly app: string;
  /** The destination namespace: fills namespaced objects without one (default `default`). */
  readonly namespace?: string;
  readonly tracking?: TrackingOptions;
  /** Delete live objects tracked as the app's that are no longer desired (default true). */
  readonly prune?: boolean;
  /** Create the destination namespace when missing (Argo CD's `CreateNamespace=true`). */
  readonly createNamespace?: boolean;
  /** Only the server-side dry run: report what would happen and change nothing. */
  readonly dryRun?: boolean;
  /** Kinds searched for objects to prune besides the desired kinds. */
  readonly trackedKinds?: readonly GroupKind[];
  /**
   * Wait, as Argo CD does, until every resource of a wave is Healthy before applying the next wave (off by default:
   * on a cluster without controllers, workloads never become healthy). Resources of later waves are reported failed
   * when a wave is not healthy in time.
   */
  readonly waitForHealthy?: { readonly timeoutMs: number; readonly intervalMs?: number };
}

/** What a sync did (or, in a dry run, would do) to one resource. */
export type SyncAction = 'created' | 'configured' | 'unchanged' | 'pruned' | 'failed';

/** The result of one resource of a sync. */
export interface ResourceSyncResult extends ResourceKey {
  readonly action: SyncAction;
  readonly wave: number;
  /** Why it failed (forbidden, invalid, ...), naming cluster and resource. */
  readonly problem?: Problem;
}

/** The result of a sync of one app on one cluster. */
export interface SyncResult {
  readonly app: string;
  readonly cluster: string;
  readonly phase: 'Succeeded' | 'Failed';
  readonly dryRun: boolean;
  readonly resources: readonly ResourceSyncResult[];
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** Argo CD's apply order of kinds within a wave; other kinds come after. */
const KIND_ORDER = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount',
  'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition',
  'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding',
  'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment',
  'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
];

/** A kind's position in the apply order. */
function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

/** One desired object being synced. */
interface Task {
  key: ResourceKey;
  obj: KubeObject;
  wave: number;
  info?: ApiResourceInfo;
  existed?: string;
  live?: KubeObject;
  result?: ResourceSyncResult;
  skipDryRun?: boolean;
}

/** The object as applied: the desired fields only, with the tracking mark and the namespace filled. */
function applyBody(obj: KubeObject, key: ResourceKey, app: string, tracking: TrackingOptions, namespaced: boolean, destinationNamespace: string | undefined): KubeObject {
  const m = { ...(obj.metadata ?? {}) } as Record<string, unknown>;
  for (const f of ['resourceVersion', 'uid', 'creationTimestamp', 'managedFields', 'generation', 'selfLink']) delete m[f];
  if (namespaced) m.namespace = key.namespace;
  else delete m.namespace;
  const { status: _status, ...rest } = obj as KubeObject & { status?: unknown };
  return withTracking({ ...rest, metadata: m }, app, key, tracking, destinationNamespace);
}

/** Turns a failure into a per-resource Problem naming cluster, app and resource. */
function failure(conn: ClusterConnection, app: string, key: ResourceKey, err: unknown, stage: string): Problem {
  const msg = err instanceof Error ? err.message : String(err);
  return problem(`${stage} failed: ${msg}`, { cluster: conn.name, app, resource: keyString(key) });
}

/** Syncs an app's desired objects to a cluster; see the module comment. */
export async function syncApp(conn: ClusterConnection, desired: readonly KubeObject[], opts: SyncOptions): Promise<SyncResult> {
  const startedAt = new Date().toISOString();
  const tracking = opts.tracking ?? DEFAULT_TRACKING;
  const namespace = opts.namespace ?? 'default';
  const dryRun = opts.dryRun ?? false;
  await conn.connect();
  if (conn.state !== 'ready') throw new KubeApiError(conn.info.reason ?? `cluster ${conn.name} is ${conn.state}`, 'network');
  const results: ResourceSyncResult[] = [];

  // Resolve every desired object's resource and key.
  const tasks: Task[] = [];
  const desiredNamespaces = new Set<string>();
  /** group/kind → namespaced, for the kinds whose CRD is part of this sync. */
  const desiredCrdKinds = new Map<string, boolean>();
  for (const obj of desired) {
    if (obj.kind === 'Namespace') desiredNamespaces.add(keyOf(obj).name);
    if (obj.kind === 'CustomResourceDefinition') {
      const spec = (obj as { spec?: { group?: string; scope?: string; names?: { kind?: string } } }).spec;
      if (spec?.group && spec.names?.kind) desiredCrdKinds.set(`${spec.group}/${spec.names.kind}`, spec.scope !== 'Cluster');
    }
  }
  for (const obj of desired) {
    const raw = keyOf(obj);
    const info = await conn.resourceFor(obj.apiVersion ?? '', obj.kind ?? '');
    const namespaced = info ? info.namespaced : (desiredCrdKinds.get(`${raw.group}/${raw.kind}`) ?? true);
    const key: ResourceKey = { ...raw, namespace: namespaced ? raw.namespace || namespace : '' };
    const task: Task = { key, obj, wave: syncWave(obj), ...(info ? { info } : {}) };
    if (!info && !desiredCrdKinds.has(`${raw.group}/${raw.kind}`)) {
      task.result = { ...key, action: 'failed', wave: task.wave, problem: failure(conn, opts.app, key, new Error(`kind ${obj.apiVersion}/${obj.kind} is not served by the cluster`), 'resolve') };
    }
    tasks.push(task);
  }

  // CreateNamespace: the destination namespace is created (not tracked, never pruned) before anything else.
  if (opts.createNamespace && !desiredNamespaces.has(namespace)) {
    // Reported in the first wave: it happens before anything else.
    const firstWave = Math.min(0, ...tasks.map((t) => t.wave));
    const nsKey: ResourceKey = { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: namespace };
    try {
      await conn.request({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}` });
    } catch (err) {
      if (!(err instanceof KubeApiError && err.kind === 'notFound')) {
        results.push({ ...nsKey, action: 'failed', wave: firstWave, problem: failure(conn, opts.app, nsKey, err, 'read namespace') });
      } else {
        try {
          const q = new URLSearchParams({ fieldManager: FIELD_MANAGER, ...(dryRun ? { dryRun: 'All' } : {}) });
          await conn.request({ method: 'POST', path: `/api/v1/namespaces?${q}`, body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } });
          results.push({ ...nsKey, action: 'created', wave: firstWave });
          // In a dry run the namespace is not really created: objects in it cannot be dry-run yet, and will be created.
          if (dryRun) desiredNamespaces.add(namespace);
        } catch (e) {
          results.push({ ...nsKey, action: 'failed', wave: firstWave, problem: failure(conn, opts.app, nsKey, e, 'create namespace') });
        }
      }
    }
  }

  // Server-side dry run of every object (and its current resourceVersion, to tell created from configured).
  await Promise.all(tasks.filter((t) => !t.result && t.info).map(async (t) => {
    const info = t.info!;
    try {
      const live = await conn.request<KubeObject>({ path: resourcePath(info, t.key.namespace, t.key.name) });
      t.existed = ((live.metadata ?? {}) as { resourceVersion?: string }).resourceVersion ?? '';
      t.live = live;
    } catch (err) {
      if (!(err instanceof KubeApiError && err.kind === 'notFound')) {
        // Not readable (forbidden): the dry run below tells whether it may at least be applied.
        if (!(err instanceof KubeApiError && err.kind === 'forbidden')) {
          t.result = { ...t.key, action: 'failed', wave: t.wave, problem: failure(conn, opts.app, t.key, err, 'read') };
          return;
        }
      }
    }
    try {
      await apply(conn, t, opts.app, tracking, true, opts.namespace);
    } catch (err) {
      const nsPending = err instanceof KubeApiError && err.kind === 'notFound' && desiredNamespaces.has(t.key.namespace);
      if (nsPending) t.skipDryRun = true;
      else t.result = { ...t.key, action: 'failed', wave: t.wave, problem: failure(conn, opts.app, t.key, err, 'dry run') };
    }
  }));

  // Apply wave by wave, kind order within a wave; objects of one kind in one wave go in parallel.
  const pending = tasks.filter((t) => !t.result).sort((a, b) => a.wave - b.wave || kindRank(a.key.kind) - kindRank(b.key.kind));
  const groups: Task[][] = [];
  for (const t of pending) {
    const last = groups[groups.length - 1];
    const head = last?.[0];
    if (last && head && head.wave === t.wave && kindRank(head.key.kind) === kindRank(t.key.kind)) last.push(t);
    else groups.push([t]);
  }
  let blocked: Problem | undefined;
  for (const [i, group] of groups.entries()) {
    if (blocked) {
      for (const t of group) t.result = { ...t.key, action: 'failed', wave: t.wave, problem: { ...blocked, resource: keyString(t.key) } };
      continue;
    }
    await Promise.all(group.map(async (t) => {
      try {
        if (!t.info) {
          // Its CRD is part of this sync and was applied in an earlier step: wait (10 s at most) until it is served.
          const deadline = Date.now() + 10_000;
          while (!(t.info = await conn.resourceFor(t.obj.apiVersion ?? '', t.obj.kind ?? '')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
          if (!t.info) throw new Error(`kind ${t.obj.apiVersion}/${t.obj.kind} is not served by the cluster`);
        }
        if (dryRun && t.skipDryRun) {
          t.result = { ...t.key, action: 'created', wave: t.wave };
          return;
        }
        const after = await apply(conn, t, opts.app, tracking, dryRun, opts.namespace);
        const action: SyncAction = t.existed === undefined ? 'created' : sameApplied(after, t) ? 'unchanged' : 'configured';
        t.result = { ...t.key, action, wave: t.wave };
      } catch (err) {
        t.result = { ...t.key, action: 'failed', wave: t.wave, problem: failure(conn, opts.app, t.key, err, 'apply') };
      }
    }));
    const next = groups[i + 1];
    const wave = group[0]!.wave;
    if (opts.waitForHealthy && !dryRun && next && next[0]!.wave !== wave) {
      const waveTasks = pending.filter((t) => t.wave === wave && t.result && t.result.action !== 'failed');
      const unhealthy = await waitHealthy(conn, waveTasks, opts.waitForHealthy);
      if (unhealthy.length) {
        blocked = problem(`not applied: wave ${wave} did not become healthy within ${opts.waitForHealthy.timeoutMs} ms (${unhealthy.join('; ')})`, { cluster: conn.name, app: opts.app });
      }
    }
  }
  for (const t of tasks) if (t.result) results.push(t.result);

  if (opts.prune !== false) results.push(...(await prune(conn, tasks, opts, tracking, namespace, dryRun)));
  const phase = results.some((r) => r.action === 'failed') ? 'Failed' : 'Succeeded';
  return { app: opts.app, cluster: conn.name, phase, dryRun, resources: results, startedAt, finishedAt: new Date().toISOString() };
}

/** Polls a wave's objects until each is Healthy; returns `Kind/name: status message` of those that are not in time. */
async function waitHealthy(conn: ClusterConnection, tasks: readonly Task[], wait: { readonly timeoutMs: number; readonly intervalMs?: number }): Promise<string[]> {
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const states = await Promise.all(tasks.map(async (t): Promise<[Task, HealthResult]> => {
      try {
        return [t, assessHealth(await conn.request<KubeObject>({ path: resourcePath(t.info!, t.key.namespace, t.key.name) }))];
      } catch (err) {
        return [t, { status: 'Unknown', message: err instanceof Error ? err.message : String(err) }];
      }
    }));
    const bad = states.filter(([, h]) => h.status !== 'Healthy');
    if (!bad.length) return [];
    if (Date.now() >= deadline) return bad.map(([t, h]) => `${t.key.kind}/${t.key.name}: ${h.status}${h.message ? ` ${h.message}` : ''}`);
    await new Promise((r) => setTimeout(r, wait.intervalMs ?? 500));
  }
}

/**
 * Whether an apply changed nothing: its answer equals the object read before it, leaving out what others write
 * meanwhile (status, from controllers) and what every write moves (resourceVersion, managedFields, generation).
 * In a dry run the resourceVersion never moves, so this is the only way to tell there too.
 */
function sameApplied(after: KubeObject, t: Task): boolean {
  return t.live !== undefined && stableJson(strip(after)) === stableJson(strip(t.live));
}

/** An object without status and the metadata every write moves. */
function strip(obj: KubeObject): KubeObject {
  const { managedFields: _mf, resourceVersion: _rv, generation: _g, ...m } = (obj.metadata ?? {}) as Record<string, unknown>;
  const { status: _s, ...rest } = obj as KubeObject & { status?: unknown };
  return { ...rest, metadata: m };
}

/** JSON with sorted keys, for comparing objects. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** One server-side apply (or its dry run). */
async function apply(conn: ClusterConnection, t: Task, app: string, tracking: TrackingOptions, dryRun: boolean, destinationNamespace: string | undefined): Promise<KubeObject> {
  const info = t.info!;
  const q = new URLSearchParams({ fieldManager: FIELD_MANAGER, force: 'true', ...(dryRun ? { dryRun: 'All' } : {}) });
  return await conn.request<KubeObject>({
    method: 'PATCH', path: `${resourcePath(info, t.key.namespace, t.key.name)}?${q}`,
    contentType: 'application/apply-patch+yaml', body: applyBody(t.obj, t.key, app, tracking, info.namespaced, destinationNamespace),
  });
}

/** Deletes live objects tracked as the app's that are not desired, latest wave first. */
async function prune(conn: ClusterConnection, tasks: readonly Task[], opts: SyncOptions, tracking: TrackingOptions, namespace: string, dryRun: boolean): Promise<ResourceSyncResult[]> {
  const desiredKeys = new Set(tasks.map((t) => keyString(t.key)));
  const kinds = new Map<string, GroupKind>();
  for (const gk of opts.trackedKinds ?? DEFAULT_TRACKED_KINDS) kinds.set(`${gk.group}/${gk.kind}`, gk);
  for (const t of tasks) kinds.set(`${t.key.group}/${t.key.kind}`, { group: t.key.group, kind: t.key.kind });
  const namespaces = new Set<string>([namespace, ...tasks.map((t) => t.key.namespace).filter(Boolean)]);
  const labelSelector = tracking.method === 'label' ? `${tracking.labelKey ?? INSTANCE_LABEL}=${opts.app}` : undefined;
  const candidates: { key: ResourceKey; info: ApiResourceInfo; wave: number }[] = [];
  const results: ResourceSyncResult[] = [];
  await Promise.all([...kinds.values()].map(async (gk) => {
    const info = await conn.resourceForGroupKind(gk.group, gk.kind);
    if (!info || !info.verbs.includes('list')) return;
    let items: KubeObject[];
    try {
      items = (await conn.list(info, labelSelector ? { labelSelector } : {})).items;
    } catch (err) {
      if (!(err instanceof KubeApiError && err.kind === 'forbidden' && info.namespaced)) return;
      // Not listable cluster-wide: look in the app's namespaces only; a namespace that is refused is skipped.
      const lists = await Promise.allSettled([...namespaces].map((ns) => conn.list(info, { namespace: ns, ...(labelSelector ? { labelSelector } : {}) })));
      items = lists.flatMap((l) => (l.status === 'fulfilled' ? l.value.items : []));
    }
    for (const obj of items) {
      if (trackedApp(obj, tracking) !== opts.app) continue;
      const key = keyOf(obj);
      if (desiredKeys.has(keyString(key))) continue;
      if ((obj.metadata as { deletionTimestamp?: string } | undefined)?.deletionTimestamp) continue;
      candidates.push({ key, info, wave: syncWave(obj) });
    }
  }));
  candidates.sort((a, b) => b.wave - a.wave || kindRank(b.key.kind) - kindRank(a.key.kind));
  for (const c of candidates) {
    try {
      const q = new URLSearchParams({ propagationPolicy: 'Background', ...(dryRun ? { dryRun: 'All' } : {}) });
      await conn.request({ method: 'DELETE', path: `${resourcePath(c.info, c.key.namespace, c.key.name)}?${q}` });
      results.push({ ...c.key, action: 'pruned', wave: c.wave });
    } catch (err) {
      if (err instanceof KubeApiError && err.kind === 'notFound') continue;
      results.push({ ...c.key, action: 'failed', wave: c.wave, problem: failure(conn, opts.app, c.key, err, 'prune') });
    }
  }
  return results;
}
