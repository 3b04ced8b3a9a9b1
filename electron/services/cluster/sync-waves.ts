import { assessHealth } from '../../../shared/health';
import type { PrefetchedHealthChecks } from '../../../shared/health/types';
import type { HealthResult, KubeObject, ResourceKey } from '../../../shared/model/status';
import type { ClusterConnection } from './connection';
import type { ApiResourceInfo } from './discovery';
import { resourcePath } from './discovery';
import type { SyncPhase } from './sync-types';

// The order of a sync, as gitops-engine sorts its tasks: by phase (PreSync, Sync, PostSync), then sync wave, then
// Argo CD's kind order, then name; and the wait between waves until the previous one is healthy.

/** Phases in the order they run (SyncFail only when the sync failed; PostDelete only when the app is deleted). */
export const PHASE_ORDER: readonly SyncPhase[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'PostDelete'];

/** Argo CD's apply order of kinds within a wave; other kinds come after. */
const KIND_ORDER = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount',
  'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition',
  'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding',
  'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment',
  'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
];

/** A kind's position in the apply order. */
export function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

/** What the ordering needs of a task. */
export interface Ordered {
  readonly key: ResourceKey;
  readonly phase: SyncPhase;
  readonly wave: number;
}

/** Orders tasks as gitops-engine does: phase, wave, kind order, name. */
export function compareTasks(a: Ordered, b: Ordered): number {
  return PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase) || a.wave - b.wave || kindRank(a.key.kind) - kindRank(b.key.kind) || a.key.name.localeCompare(b.key.name);
}

/** One wave of one phase: its tasks in order, split into steps of one kind each (a step's tasks run in parallel). */
export interface Wave<T extends Ordered> {
  readonly phase: SyncPhase;
  readonly wave: number;
  readonly steps: readonly (readonly T[])[];
}

/** Groups ordered tasks into waves, each split into steps of one kind rank. */
export function wavesOf<T extends Ordered>(tasks: readonly T[]): Wave<T>[] {
  const sorted = [...tasks].sort(compareTasks);
  const waves: { phase: SyncPhase; wave: number; steps: T[][] }[] = [];
  for (const t of sorted) {
    let w = waves[waves.length - 1];
    if (!w || w.phase !== t.phase || w.wave !== t.wave) {
      w = { phase: t.phase, wave: t.wave, steps: [] };
      waves.push(w);
    }
    const step = w.steps[w.steps.length - 1];
    if (step && kindRank(step[0]!.key.kind) === kindRank(t.key.kind)) step.push(t);
    else w.steps.push([t]);
  }
  return waves;
}

/** Something whose health a wave waits for. */
export interface Watched {
  readonly key: ResourceKey;
  readonly info: ApiResourceInfo;
  /** A hook: Degraded (a failed Job) is final at once. */
  readonly hook?: boolean;
}

/**
 * How long a resource (not a hook) must stay Degraded before the wait gives up on it: right after an apply, a
 * Deployment may still carry the ProgressDeadlineExceeded of its previous rollout until its controller starts the new one.
 */
export const DEGRADED_GRACE_MS = 5000;

/** The health of one object read now; Missing when it is gone, Unknown when it cannot be read. */
export async function readHealth(conn: ClusterConnection, w: Watched, custom?: PrefetchedHealthChecks): Promise<{ health: HealthResult; obj?: KubeObject }> {
  try {
    const obj = await conn.request<KubeObject>({ path: resourcePath(w.info, w.key.namespace, w.key.name) });
    if (!custom) return { health: assessHealth(obj), obj };
    await custom.evaluate([obj]);
    return { health: assessHealth(obj, { custom }), obj };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { health: { status: /not ?found/i.test(msg) ? 'Missing' : 'Unknown', message: msg } };
  }
}

/** How a wait for health ended. */
export interface WaitOutcome {
  /** `Kind/name: status message` of each object not Healthy at the end; empty when all became Healthy. */
  readonly unhealthy: readonly string[];
  /** Whether it ended early because an object was Degraded (a failed rollout or Job). */
  readonly degraded: boolean;
  readonly waitedMs: number;
}

/**
 * Polls objects until each is Healthy (a Suspended object counts as done), failing early when a hook is Degraded or a
 * resource has stayed Degraded for the grace time, and otherwise at the deadline.
 */
export async function waitHealthy(conn: ClusterConnection, items: readonly Watched[], wait: { readonly timeoutMs: number; readonly intervalMs?: number; readonly degradedGraceMs?: number; readonly custom?: PrefetchedHealthChecks }): Promise<WaitOutcome> {
  const started = Date.now();
  const deadline = started + wait.timeoutMs;
  const degradedSince = new Map<Watched, number>();
  for (;;) {
    const states = await Promise.all(items.map(async (w) => [w, (await readHealth(conn, w, wait.custom)).health] as const));
    const now = Date.now();
    for (const [w, h] of states) {
      if (h.status !== 'Degraded') degradedSince.delete(w);
      else if (!degradedSince.has(w)) degradedSince.set(w, now);
    }
    const bad = states.filter(([, h]) => h.status !== 'Healthy' && h.status !== 'Suspended');
    const describe = (): string[] => bad.map(([w, h]) => `${w.key.kind}/${w.key.name}: ${h.status}${h.message ? ` ${h.message}` : ''}`);
    if (!bad.length) return { unhealthy: [], degraded: false, waitedMs: now - started };
    const final = bad.some(([w, h]) => h.status === 'Degraded' && (w.hook || now - degradedSince.get(w)! >= (wait.degradedGraceMs ?? DEGRADED_GRACE_MS)));
    if (final) return { unhealthy: describe(), degraded: true, waitedMs: now - started };
    if (now >= deadline) return { unhealthy: describe(), degraded: false, waitedMs: now - started };
    await new Promise((r) => setTimeout(r, wait.intervalMs ?? 250));
  }
}
