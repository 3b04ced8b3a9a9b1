import { appRefusals } from '../../shared/fleet/discover';
import { renderApplication } from '../../shared/fleet/render-apps';
import { FlotillaError, formatProblem, problem } from '../../shared/problem';
import type { FleetStore } from '../store/fleet-store';
import { ClusterManager } from './cluster/cluster-manager';
import type { SyncResult } from './cluster/sync';
import { syncApp } from './cluster/sync';
import type { FleetService } from './fleet-service';
import { helmRunnerFor } from './helm-runner';
import { sourceTools } from './sources/source-tools';

/** What to sync: a generated Application, from the repository at HEAD, to the cluster it names. */
export interface GitSyncRequest {
  readonly app: string;
  /** The fleet cluster; must be the Application's destination. */
  readonly cluster?: string;
  readonly dryRun?: boolean;
  /** Delete live objects tracked as the app's that Git no longer has (default false, as `argocd app sync` without --prune). */
  readonly prune?: boolean;
  readonly kubeconfig?: readonly string[];
  readonly timeoutMs?: number;
}

/**
 * Syncs one Application from Git (HEAD) to its cluster with server-side apply: renders it, dry-runs or applies it
 * (field manager `flotilla`, tracking mark, waves, CreateNamespace from its syncOptions), and records a real run in
 * the store's history. Forbidden resources come back per resource, not as a failure of the whole sync.
 */
export async function syncAppFromGit(fleet: FleetService, req: GitSyncRequest, store?: FleetStore): Promise<SyncResult> {
  const { discovery, row: generated } = await fleet.app(req.app);
  const { head, scan, git, clusters } = discovery;
  const rendered = renderApplication(generated.application, git, { clusters, loadRestrictor: scan.fleet.loadRestrictor, helmFor: helmRunnerFor, tools: sourceTools() });
  const failure = rendered.problems.find((p) => p.severity === 'error');
  if (failure) throw new FlotillaError({ ...failure, message: `render failed, nothing synced: ${failure.message}` });
  // Argo CD refuses to sync what the app's project forbids (source, destination, kinds): so does Flotilla.
  const refused = appRefusals(discovery.fleet, generated, rendered.objects, clusters);
  if (refused.length > 0) throw new FlotillaError({ ...refused[0]!, message: `refused, nothing synced: ${refused.map((p) => p.message).join('; ')}` });
  if (!rendered.cluster) throw new FlotillaError(problem(`the destination of ${req.app} is not a cluster of the fleet`, { app: req.app }));
  if (req.cluster && req.cluster !== rendered.cluster) throw new FlotillaError(problem(`${req.app} deploys to ${rendered.cluster}, not ${req.cluster}`, { app: req.app, cluster: req.cluster }));
  const syncOptions = (generated.application.spec.syncPolicy?.syncOptions ?? []) as readonly string[];
  const namespace = generated.application.spec.destination.namespace;
  const manager = ClusterManager.fromKubeconfig({ clusters: clusters.filter((c) => c.name === rendered.cluster), ...(req.kubeconfig ? { kubeconfigPaths: req.kubeconfig } : {}), ...(req.timeoutMs ? { timeoutMs: req.timeoutMs } : {}) });
  try {
    if (manager.problems.length) throw new FlotillaError(manager.problems[0]!);
    const result = await syncApp(manager.connection(rendered.cluster), rendered.objects, {
      app: req.app,
      ...(namespace ? { namespace } : {}),
      tracking: { method: scan.fleet.tracking },
      prune: req.prune ?? false,
      createNamespace: syncOptions.includes('CreateNamespace=true'),
      dryRun: req.dryRun ?? false,
    });
    if (!result.dryRun && store) {
      const failed = result.resources.filter((r) => r.action === 'failed');
      store.recordSyncRun({
        app: req.app,
        cluster: rendered.cluster,
        at: result.finishedAt,
        detail: {
          revision: head.sha,
          phase: result.phase === 'Succeeded' ? 'Succeeded' : 'Failed',
          startedAt: result.startedAt,
          resources: result.resources.filter((r) => r.action !== 'unchanged').map((r) => `${r.group}/${r.kind}/${r.namespace}/${r.name}`),
          ...(failed.length ? { message: failed.map((r) => (r.problem ? formatProblem(r.problem) : `${r.kind} ${r.name} failed`)).join('; ') } : {}),
        },
      });
    }
    return result;
  } finally {
    manager.close();
  }
}
