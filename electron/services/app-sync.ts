import { clusterForApp } from '../../shared/fleet/destination';
import { appRefusals } from '../../shared/fleet/discover';
import { instanceNameOf } from '../../shared/fleet/app-name';
import { renderApplication } from '../../shared/fleet/render-apps';
import { FlotillaError, formatProblem, problem } from '../../shared/problem';
import { FLEET_FILE } from '../../shared/repo/scan';
import type { FleetStore } from '../store/fleet-store';
import { ClusterManager } from './cluster/cluster-manager';
import { fleetCompareSettings, fleetHealthChecks } from './fleet-settings';
import { chooseKubeconfig } from './kubeconfig-choice';
import type { ResourceSelector, SyncOptions, SyncResult } from './cluster/sync';
import type { SyncAccess } from './cluster/sync-types';
import { checkSyncAccess, syncWithAccessCheck } from './cluster/sync-access';
import type { KubeObject } from '../../shared/model/status';
import type { FleetService } from './fleet-service';
import { capabilitiesLookup } from './helm/capabilities';
import { withInputsOfCluster } from './cluster/flux-inputs';
import { renderOptions } from './sources/render-options';

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
  /** Create the destination namespace even when the Application's syncOptions do not say CreateNamespace=true. */
  readonly createNamespace?: boolean;
  /** Selective sync: only these resources (no hooks run). */
  readonly resources?: readonly ResourceSelector[];
  /** How long each wave may take to become healthy, and each hook to complete (default 5 minutes). */
  readonly healthTimeoutMs?: number;
}

/** The labels and annotations of `syncPolicy.managedNamespaceMetadata`, when it has any. */
function managedNamespaceMetadata(policy: Readonly<Record<string, unknown>> | undefined): { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined {
  const m = policy?.managedNamespaceMetadata as { labels?: unknown; annotations?: unknown } | undefined;
  if (!m || typeof m !== 'object') return undefined;
  const strings = (v: unknown): Record<string, string> | undefined =>
    v && typeof v === 'object' ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)])) : undefined;
  const labels = strings(m.labels);
  const annotations = strings(m.annotations);
  return { ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) };
}

/** A resource's id as history records it: `group/kind/namespace/name`. */
const resourceId = (r: { group: string; kind: string; namespace: string; name: string }): string => `${r.group}/${r.kind}/${r.namespace}/${r.name}`;

/** A sync made ready: the rendered objects, the options of `syncApp`, and the connection to its cluster. */
interface PreparedSync {
  readonly manager: ClusterManager;
  readonly cluster: string;
  readonly objects: readonly KubeObject[];
  readonly options: SyncOptions;
  readonly revision: string;
  readonly lua: ReturnType<typeof fleetHealthChecks>;
}

/** Renders the app for its cluster and checks what Argo CD would refuse; the caller closes `manager` and `lua`. */
async function prepareSync(fleet: FleetService, req: GitSyncRequest): Promise<PreparedSync> {
  const { discovery, row: generated } = await fleet.app(req.app);
  const { head, scan, git, clusters } = discovery;
  const target = clusterForApp(generated.application, clusters)?.name;
  const manager = ClusterManager.fromKubeconfig({ clusters: clusters.filter((c) => c.name === target), kubeconfigPaths: req.kubeconfig ?? chooseKubeconfig().files, ...(req.timeoutMs ? { timeoutMs: req.timeoutMs } : {}) });
  // The fleet file's custom Lua checks judge waves and hooks, as Argo CD's health overrides do in a sync.
  const { health, healthPositions } = fleetCompareSettings(fleet.repo.treeAt(head.sha).read(FLEET_FILE));
  const lua = fleetHealthChecks(health, healthPositions);
  try {
    // Rendered for the target cluster's version and API groups, as Argo CD renders Helm charts before a sync.
    const caps = await capabilitiesLookup(manager, target ? [target] : []);
    // A Flux app's ConfigMaps/Secrets from the target cluster, as its diff was computed: what is applied is what was shown.
    const inputs = target && manager.names().includes(target) ? await withInputsOfCluster(manager.connection(target), generated.application) : undefined;
    const rendered = renderApplication(inputs?.app ?? generated.application, git, renderOptions(scan, clusters, caps));
    const failure = rendered.problems.find((p) => p.severity === 'error');
    if (failure) throw new FlotillaError({ ...failure, message: `render failed, nothing synced: ${failure.message}` });
    // Argo CD refuses to sync what the app's project forbids (source, destination, kinds): so does Flotilla.
    const refused = appRefusals(discovery.fleet, generated, rendered.objects, clusters);
    if (refused.length > 0) throw new FlotillaError({ ...refused[0]!, message: `refused, nothing synced: ${refused.map((p) => p.message).join('; ')}` });
    if (!rendered.cluster) throw new FlotillaError(problem(`the destination of ${req.app} is not a cluster of the fleet`, { app: req.app }));
    if (req.cluster && req.cluster !== rendered.cluster) throw new FlotillaError(problem(`${req.app} deploys to ${rendered.cluster}, not ${req.cluster}`, { app: req.app, cluster: req.cluster }));
    const policy = generated.application.spec.syncPolicy;
    const syncOptions = (Array.isArray(policy?.syncOptions) ? policy.syncOptions : []).map(String);
    const nsMeta = managedNamespaceMetadata(policy);
    const healthTimeoutMs = req.healthTimeoutMs ?? 300_000;
    const namespace = generated.application.spec.destination.namespace;
    if (manager.problems.length) throw new FlotillaError(manager.problems[0]!);
    const options: SyncOptions = {
      // Objects are tracked by the instance name (`<namespace>_<name>` outside the control plane), as Argo CD tracks them.
      app: instanceNameOf(req.app),
      ...(namespace ? { namespace } : {}),
      tracking: { method: scan.fleet.tracking },
      prune: req.prune ?? false,
      syncOptions,
      ...(req.createNamespace ? { createNamespace: true } : {}),
      ...(nsMeta ? { managedNamespaceMetadata: nsMeta } : {}),
      ...(generated.application.spec.ignoreDifferences ? { ignoreDifferences: generated.application.spec.ignoreDifferences } : {}),
      ...(req.resources ? { resources: req.resources } : {}),
      dryRun: req.dryRun ?? false,
      waitForHealthy: { timeoutMs: healthTimeoutMs },
      hookTimeoutMs: healthTimeoutMs,
      ...(lua ? { customHealth: lua } : {}),
    };
    return { manager, cluster: rendered.cluster, objects: rendered.objects, options, revision: head.sha, lua };
  } catch (err) {
    manager.close();
    lua?.close();
    throw err;
  }
}

/**
 * What the cluster's user may do of a sync of the app from Git (HEAD), asked of the API server before anything is
 * sent (SelfSubjectAccessReview): whether Sync, and Prune, are allowed, and the first missing verb on which resource.
 */
export async function appSyncAccess(fleet: FleetService, req: GitSyncRequest): Promise<SyncAccess> {
  const prepared = await prepareSync(fleet, req);
  try {
    return await checkSyncAccess(prepared.manager.connection(prepared.cluster), prepared.objects, prepared.options);
  } finally {
    prepared.manager.close();
    prepared.lua?.close();
  }
}

/**
 * Syncs one Application from Git (HEAD) to its cluster the way Argo CD does: renders it, asks the API server whether
 * the user may do everything the sync (and its prune, when asked) needs — a missing permission refuses the sync before
 * anything is sent, naming the verb and resource; a review the server cannot answer is a warning, and the API
 * server's own all-or-nothing dry run judges — then dry-runs every resource (nothing is applied when one is refused),
 * then runs hooks and applies wave by wave, each wave waiting until the one before is healthy; honours the
 * Application's `syncPolicy.syncOptions`, `managedNamespaceMetadata` and `ignoreDifferences`. A real run is recorded in
 * the store's history with every resource's phase and result.
 */
export async function syncAppFromGit(fleet: FleetService, req: GitSyncRequest, store?: FleetStore): Promise<SyncResult> {
  const { manager, cluster, objects, options, revision, lua } = await prepareSync(fleet, req);
  const head = { sha: revision };
  try {
    const result = await syncWithAccessCheck(manager.connection(cluster), objects, options, req.app);
    if (!result.dryRun && !result.refused && store) {
      const failed = result.resources.filter((r) => r.action === 'failed');
      store.recordSyncRun({
        app: req.app,
        cluster,
        at: result.finishedAt,
        detail: {
          revision: head.sha,
          phase: result.phase === 'Succeeded' ? 'Succeeded' : 'Failed',
          startedAt: result.startedAt,
          resources: result.resources.filter((r) => r.action !== 'unchanged').map(resourceId),
          results: result.resources.map((r) => ({
            id: resourceId(r), phase: r.phase, wave: r.wave, action: r.action, ...(r.hook ? { hook: true } : {}),
            ...(r.problem ? { message: formatProblem(r.problem) } : r.message ? { message: r.message } : {}),
          })),
          ...(result.message || failed.length ? { message: [result.message, ...failed.map((r) => (r.problem ? formatProblem(r.problem) : `${r.kind} ${r.name} failed`))].filter(Boolean).join('; ') } : {}),
        },
      });
    }
    return result;
  } finally {
    manager.close();
    lua?.close();
  }
}
