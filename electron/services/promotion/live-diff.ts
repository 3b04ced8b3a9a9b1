// The plan against the live state: each target cluster's promoted render compared with what runs there now (Argo CD's
// normalisation, Secret values masked), where the cluster layer can read it. An unreachable cluster is reported on
// its own row and never stops the others.

import { compareAppDetailed } from '../../../shared/diff/compare-app';
import { resourceId } from '../../../shared/diff/normalize';
import type { GitReader } from '../../../shared/appset/engine';
import { fleetClusters, generateAll } from '../../../shared/fleet/overview';
import { renderApplication } from '../../../shared/fleet/render-apps';
import { withInputsOfCluster } from '../cluster/flux-inputs';
import { appInstanceName } from '../../../shared/fleet/app-name';
import { assessHealth } from '../../../shared/health';
import type { Application } from '../../../shared/model/application';
import type { SyncStatus } from '../../../shared/model/status';
import { formatProblem, toProblem } from '../../../shared/problem';
import type { LiveClusterDiff } from '../../../shared/promotion/history';
import { OverlayFileTree } from '../../../shared/promotion/overlay-tree';
import type { PromotionPlan } from '../../../shared/promotion/plan';
import { scanRepository } from '../../../shared/repo/scan';
import { ClusterManager } from '../cluster/cluster-manager';
import { chooseKubeconfig } from '../kubeconfig-choice';
import { LiveStore } from '../cluster/live-state';
import { readFluxOwnership } from '../cluster/flux-ownership';
import type { GitRepository } from '../git-repo';
import { capabilitiesLookup } from '../helm/capabilities';
import { renderOptions } from '../sources/render-options';

/** How to reach the clusters. */
export interface LiveDiffOptions {
  readonly kubeconfig?: readonly string[];
  /** Deadline of each API call (default 10 s). */
  readonly timeoutMs?: number;
}

/** Compares the promoted render of every target Application with its live objects. */
export async function liveDiffs(repo: GitRepository, base: string, plan: PromotionPlan, opts: LiveDiffOptions = {}): Promise<LiveClusterDiff[]> {
  const tree = repo.treeAt(base);
  const scan = scanRepository(tree);
  const reader: GitReader = { treeAt: () => tree };
  const apps = new Map<string, Application>();
  for (const a of generateAll(scan, reader).apps) apps.set(a.application.metadata.name, a.application);
  const clusters = fleetClusters(scan);
  const jobs = plan.apps.flatMap((a) => {
    if (a.edits.length === 0) return [];
    const after = new OverlayFileTree(tree, a.edits.map((e) => [e.file, e.after] as const));
    return a.clusters.flatMap((c) => {
      const application = c.application ? apps.get(c.application) : undefined;
      return application ? [{ app: a.app, cluster: c.cluster, application, after }] : [];
    });
  });
  if (jobs.length === 0) return [];
  const manager = ClusterManager.fromKubeconfig({
    clusters: clusters.filter((c) => jobs.some((j) => j.cluster === c.name)),
    kubeconfigPaths: opts.kubeconfig ?? chooseKubeconfig().files,
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  try {
    const renderOpts = renderOptions(scan, clusters, await capabilitiesLookup(manager, jobs.map((j) => j.cluster)));
    const settled = await Promise.allSettled(jobs.map(async (j): Promise<LiveClusterDiff> => {
      const base = { app: j.app, cluster: j.cluster, application: j.application.metadata.name };
      const conn = manager.connection(j.cluster);
      // Already attempted when the capabilities were read: an unreachable cluster is not tried (and waited for) twice.
      const info = conn.info.state === 'connecting' ? await conn.connect().catch(() => conn.info) : conn.info;
      // A Flux app reads its ConfigMaps/Secrets from the cluster, as its grid comparison does.
      const inputs = info.state === 'ready' ? await withInputsOfCluster(conn, j.application) : undefined;
      const rendered = renderApplication(inputs?.app ?? j.application, { treeAt: () => j.after }, renderOpts);
      const renderError = rendered.problems.find((p) => p.severity === 'error');
      if (renderError) return { ...base, resources: [], error: formatProblem(renderError) };
      if (info.state !== 'ready') return { ...base, resources: [], error: `cluster ${j.cluster} is ${info.state}${info.reason ? `: ${info.reason}` : ''}` };
      const store = new LiveStore(conn, { watch: false, tracking: { method: scan.fleet.tracking } });
      try {
        const namespace = j.application.spec.destination.namespace;
        // A Flux app's objects are those its controller labelled or its Kustomization's inventory lists, as in the grid.
        const flux = await readFluxOwnership(conn, j.application);
        const live = await store.liveState(appInstanceName(j.application.metadata), rendered.objects, namespace, flux);
        const ours = live.resources.filter((r) => !r.extra && r.desired);
        const { status } = compareAppDetailed({
          app: j.application.metadata.name, cluster: j.cluster, revision: base.application, assessHealth, ...(namespace ? { namespace } : {}),
          ignoreDifferences: j.application.spec.ignoreDifferences ?? [],
          desired: ours.map((r) => r.desired!), live: ours.map((r) => r.live), extra: live.resources.filter((r) => r.extra && r.live).map((r) => r.live!),
          liveErrors: ours.map((r) => (r.problem ? formatProblem(r.problem) : undefined)), observedAt: live.observedAt,
        });
        return {
          ...base,
          sync: status.sync as SyncStatus,
          resources: status.resources
            .filter((r) => r.sync !== 'Synced')
            .map((r) => ({ id: resourceId(r), sync: r.sync, ...(r.missing ? { missing: true } : {}), ...(r.extra ? { extra: true } : {}), ...(r.diff ? { diff: r.diff } : {}) })),
        };
      } finally {
        store.close();
      }
    }));
    return settled.map((s, i) => (s.status === 'fulfilled' ? s.value : { app: jobs[i]!.app, cluster: jobs[i]!.cluster, application: jobs[i]!.application.metadata.name, resources: [], error: formatProblem(toProblem(s.reason)) }));
  } finally {
    manager.close();
  }
}
