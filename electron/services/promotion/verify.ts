// After a promotion is pushed: watch the target stage until every promoted Application is Synced and Healthy against
// the promoted commit's rendered state, or mark the promotion failed after a timeout.

import { compareApp } from '../../../shared/diff/compare-app';
import { fleetClusters, generateAll } from '../../../shared/fleet/overview';
import { renderApplication } from '../../../shared/fleet/render-apps';
import { appInstanceName } from '../../../shared/fleet/app-name';
import { assessHealth } from '../../../shared/health';
import type { HealthResult, HealthStatus, KubeObject, SyncStatus } from '../../../shared/model/status';
import { FlotillaError, formatProblem, problem, toProblem } from '../../../shared/problem';
import type { PromotionRecordView } from '../../../shared/promotion/history';
import { overlayDir, stageClusters } from '../../../shared/promotion/plan';
import { normalizePath } from '../../../shared/repo/paths';
import { FLEET_FILE, scanRepository } from '../../../shared/repo/scan';
import { ClusterManager } from '../cluster/cluster-manager';
import { fleetCompareSettings, fleetHealthChecks } from '../fleet-settings';
import { chooseKubeconfig } from '../kubeconfig-choice';
import { podFailureReason } from '../cluster/pod-reasons';
import { LiveStore } from '../cluster/live-state';
import { readFluxOwnership } from '../cluster/flux-ownership';
import type { PromotionService } from './promotion-service';
import { capabilitiesLookup } from '../helm/capabilities';
import { renderOptions } from '../sources/render-options';

/** One promoted Application on one target cluster, as last seen. */
export interface TargetStatus {
  readonly app: string;
  readonly application: string;
  readonly cluster: string;
  readonly sync: SyncStatus;
  readonly health: HealthStatus;
  readonly message?: string;
}

/** Reads the promoted Applications' status on their clusters. */
export type TargetProbe = () => Promise<readonly TargetStatus[]>;

/** How long to wait and how often to look. */
export interface VerifyOptions {
  /** Default 10 minutes. */
  readonly timeoutMs?: number;
  /** Default 5 s. */
  readonly intervalMs?: number;
  /** Called after each look. */
  readonly onStatus?: (statuses: readonly TargetStatus[]) => void;
  /** Stops looking (the promise rejects): a UI session that closes ends its background verifications. */
  readonly signal?: AbortSignal;
}

/** Looks until every target is Synced and Healthy (ok) or the time is up (not ok, naming what was not). */
export async function waitUntilSyncedAndHealthy(probe: TargetProbe, opts: VerifyOptions = {}): Promise<{ ok: boolean; statuses: readonly TargetStatus[]; message: string }> {
  const deadline = Date.now() + (opts.timeoutMs ?? 600_000);
  for (;;) {
    opts.signal?.throwIfAborted();
    let statuses: readonly TargetStatus[] = [];
    let error: string | undefined;
    try {
      statuses = await probe();
    } catch (err) {
      error = formatProblem(toProblem(err));
    }
    opts.onStatus?.(statuses);
    const pending = statuses.filter((s) => s.sync !== 'Synced' || s.health !== 'Healthy');
    if (!error && statuses.length > 0 && pending.length === 0) {
      return { ok: true, statuses, message: `Synced and Healthy: ${statuses.map((s) => `${s.application} on ${s.cluster}`).join(', ')}` };
    }
    if (Date.now() >= deadline) {
      const why = error ?? (statuses.length === 0 ? 'no promoted Application was found on the target clusters' : pending.map((s) => `${s.application} on ${s.cluster} is ${s.sync}/${s.health}${s.message ? ` (${s.message})` : ''}`).join('; '));
      return { ok: false, statuses, message: `not Synced and Healthy after ${Math.round((opts.timeoutMs ?? 600_000) / 1000)}s: ${why}` };
    }
    // The wait never keeps the process alive on its own (a stopped `flotilla serve` exits).
    await new Promise((r) => setTimeout(r, Math.min(opts.intervalMs ?? 5000, Math.max(0, deadline - Date.now()))).unref());
  }
}

/**
 * A probe over the cluster layer: the promoted apps' Applications of the target stage, rendered at the promotion's
 * commit and compared with their live objects (Argo CD's sync status and health).
 */
export function clusterProbe(svc: PromotionService, record: PromotionRecordView, opts: { readonly kubeconfig?: readonly string[]; readonly timeoutMs?: number } = {}): TargetProbe {
  return async () => {
    if (!record.commit) throw new FlotillaError(problem(`promotion #${record.id} pushed no commit: nothing to verify`));
    const tree = svc.repo.treeAt(record.commit);
    const scan = scanRepository(tree);
    const pipeline = svc.pipelinesAt(tree, scan).pipelines.find((p) => p.name === record.pipeline);
    if (!pipeline) throw new FlotillaError(problem(`pipeline ${record.pipeline} is not in the repository at ${record.commit.slice(0, 7)}`));
    const stage = pipeline.stages.find((s) => s.name === record.to);
    if (!stage) throw new FlotillaError(problem(`stage ${record.to} is not in pipeline ${pipeline.name}`));
    const clusters = fleetClusters(scan);
    const targetClusters = stageClusters(stage, clusters);
    const reader = { treeAt: () => tree };
    const dirs = new Map(record.apps.map((a) => [overlayDir(pipeline, stage, a), a] as const));
    const manager = ClusterManager.fromKubeconfig({ clusters: clusters.filter((c) => targetClusters.includes(c.name)), kubeconfigPaths: opts.kubeconfig ?? chooseKubeconfig().files, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) });
    // Health as the grid judges it: the promoted commit's fleet file's custom Lua checks first, then Argo CD's rules.
    const settings = fleetCompareSettings(tree.read(FLEET_FILE));
    const lua = fleetHealthChecks(settings.health, settings.healthPositions);
    const assess = (o: KubeObject): HealthResult => assessHealth(o, lua ? { custom: lua } : undefined);
    try {
      // Rendered for each target cluster's version and API groups, as Argo CD renders what it syncs there.
      const renderOpts = renderOptions(scan, clusters, await capabilitiesLookup(manager, targetClusters));
      const jobs = generateAll(scan, reader).apps
        .map((a) => a.application)
        .map((application) => ({ application, rendered: renderApplication(application, reader, renderOpts) }))
        .filter((j) => j.rendered.cluster !== undefined && targetClusters.includes(j.rendered.cluster) && dirs.has(normalizePath(j.application.spec.source?.path ?? '')));
      return await Promise.all(jobs.map(async ({ application, rendered }): Promise<TargetStatus> => {
        const base = { app: dirs.get(normalizePath(application.spec.source?.path ?? ''))!, application: application.metadata.name, cluster: rendered.cluster! };
        const renderError = rendered.problems.find((p) => p.severity === 'error');
        if (renderError) return { ...base, sync: 'Unknown', health: 'Unknown', message: formatProblem(renderError) };
        const conn = manager.connection(rendered.cluster!);
        // Already attempted when the capabilities were read: an unreachable cluster is not tried (and waited for) twice.
        const info = conn.info.state === 'connecting' ? await conn.connect().catch(() => conn.info) : conn.info;
        if (info.state !== 'ready') return { ...base, sync: 'Unknown', health: 'Unknown', message: `cluster ${rendered.cluster} is ${info.state}` };
        const store = new LiveStore(conn, { watch: false, tracking: { method: scan.fleet.tracking } });
        try {
          const namespace = application.spec.destination.namespace;
          // A Flux app's objects are those its controller labelled or its Kustomization's inventory lists, as in the grid.
          const flux = await readFluxOwnership(conn, application);
          const live = await store.liveState(appInstanceName(application.metadata), rendered.objects, namespace, flux);
          const ours = live.resources.filter((r) => !r.extra && r.desired);
          await lua?.evaluate(ours.flatMap((r) => (r.live ? [r.live] : [])));
          const status = compareApp({
            app: application.metadata.name, cluster: rendered.cluster!, revision: record.commit!, assessHealth: assess, ...(namespace ? { namespace } : {}),
            ignoreDifferences: application.spec.ignoreDifferences ?? [],
            desired: ours.map((r) => r.desired!), live: ours.map((r) => r.live), extra: live.resources.filter((r) => r.extra && r.live).map((r) => r.live!),
            liveErrors: ours.map((r) => (r.problem ? formatProblem(r.problem) : undefined)), observedAt: live.observedAt,
          });
          // A workload that is not Healthy: say why its Pods do not run (the image cannot be pulled, it crashes, ...).
          let message = status.health.message;
          if (status.health.status === 'Degraded' || status.health.status === 'Progressing') {
            for (const r of ours) {
              const why = r.live && r.live.kind !== undefined && assess(r.live).status !== 'Healthy' ? await podFailureReason(conn, r.live) : undefined;
              if (why) {
                message = message ? `${message}; ${why}` : why;
                break;
              }
            }
          }
          return { ...base, sync: status.sync, health: status.health.status, ...(message ? { message } : {}) };
        } finally {
          store.close();
        }
      }));
    } finally {
      manager.close();
      lua?.close();
    }
  };
}

/** Verifies a pushed promotion on its target clusters and records the verdict (verified, or verify-failed after the timeout). */
export async function verifyPromotion(svc: PromotionService, id: number, opts: VerifyOptions & { readonly probe?: TargetProbe; readonly kubeconfig?: readonly string[] } = {}): Promise<PromotionRecordView> {
  const record = svc.history(10_000).find((r) => r.id === id);
  if (!record) throw new FlotillaError(problem(`no promotion #${id} in the store`));
  if (!record.commit) throw new FlotillaError(problem(`promotion #${id} pushed no commit (${record.result}): nothing to verify`));
  const probe = opts.probe ?? clusterProbe(svc, record, opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {});
  const r = await waitUntilSyncedAndHealthy(probe, opts);
  return svc.recordVerification(id, r.ok, r.message);
}
