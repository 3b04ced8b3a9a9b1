import { compareAppDetailed } from '../../shared/diff/compare-app';
import type { AppComparison } from '../../shared/diff/compare-app';
import type { IgnoreRules } from '../../shared/diff/ignore-differences';
import { compileIgnoreDifferences } from '../../shared/diff/ignore-differences';
import { FLOTILLA_FIELD_MANAGER } from '../../shared/diff/managed-fields';
import { INSTANCE_LABEL } from '../../shared/diff/normalize';
import type { AppRow } from '../../shared/api/contract';
import { clusterForApp, isInClusterDestination } from '../../shared/fleet/destination';
import { appRefusals } from '../../shared/fleet/discover';
import { instanceNameOf } from '../../shared/fleet/app-name';
import type { RenderOptions } from '../../shared/fleet/render-apps';
import { renderApplication } from '../../shared/fleet/render-apps';
import type { RenderedApp } from '../../shared/fleet/render-apps';
import { withInputsOfCluster } from './cluster/flux-inputs';
import { runningVersionOf, versionOf } from '../../shared/fleet/version';
import { assessHealth } from '../../shared/health';
import type { Application } from '../../shared/model/application';
import type { AppClusterStatus, HealthResult, KubeObject, ResourceKey } from '../../shared/model/status';
import type { Problem } from '../../shared/problem';
import { formatProblem, problem, toProblem } from '../../shared/problem';
import { FLEET_FILE } from '../../shared/repo/scan';
import { controllerFor } from '../../shared/controllers/match';
import type { ControllerStatus } from '../../shared/controllers/types';
import { ClusterManager } from './cluster/cluster-manager';
import { readControllers } from './cluster/controllers';
import type { FluxOwnership } from './cluster/live-state';
import { fluxOwnership } from './cluster/flux-ownership';
import { fluxOwnerOfApp } from '../../shared/flux/owner';
import type { ClusterConnection } from './cluster/connection';
import { resourcePath } from './cluster/discovery';
import { LiveStore } from './cluster/live-state';
import { withTracking } from './cluster/tracking';
import { FleetService } from './fleet-service';
import { chooseKubeconfig } from './kubeconfig-choice';
import { fleetCompareSettings, fleetHealthChecks } from './fleet-settings';
import { capabilitiesLookup } from './helm/capabilities';
import { renderOptions } from './sources/render-options';
import { sliceYielder } from './event-loop-slices';

// The fleet comparison behind `flotilla diff`, `status`, `refresh` and the UI's refresh: render each Application from
// the repository at HEAD, read its live state from its cluster, and compare them with shared/diff (Argo CD's
// normalisation and sync status).

/** Which apps and clusters to compare, and how to reach the clusters. */
export interface FleetCompareOptions {
  readonly repo: string;
  /** Only this Application (by name). */
  readonly app?: string;
  /** Only this cluster (by fleet name). */
  readonly cluster?: string;
  /** Kubeconfig files (default: `$KUBECONFIG`, else the running sandbox's, else `~/.kube/config`). */
  readonly kubeconfig?: readonly string[];
  /** Deadline of each API call (default 10 s). */
  readonly timeoutMs?: number;
  /**
   * Server-side diff (Argo CD's `ServerSideDiff=true`): ask each cluster for a server-side apply dry run of every
   * desired object that exists and compare live with the server's answer (exact defaults and mutating webhooks).
   */
  readonly serverSide?: boolean;
  /** Called as app × clusters are compared (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Aborts the comparison: clusters not yet read are left out and the promise rejects. */
  readonly signal?: AbortSignal;
}

/** One app on one cluster, compared. */
export interface FleetComparisonRow {
  readonly app: string;
  readonly cluster: string;
  readonly status: AppClusterStatus;
  /** The ApplicationSet that generated the app. */
  readonly appset: string;
  /** The Application's labels (for the grid's label filter). */
  readonly labels: Readonly<Record<string, string>>;
  /** The rendered desired objects the comparison used (empty when rendering failed). */
  readonly desired: readonly KubeObject[];
  /** Each resource's full comparison, aligned with `status.resources` (absent when nothing could be compared). */
  readonly comparison?: AppComparison;
  /** Why its cluster could not be read (unreachable, forbidden, discovery failed): nothing was observed. */
  readonly unreachable?: string;
  /** A Flux app's owner key: its live objects are those its controller labelled (`shared/flux/owner.ts`). */
  readonly fluxOwner?: string;
}

/** Every selected app × cluster compared, the fleet's clusters in order, and problems that concern no single row. */
export interface FleetComparison {
  readonly revision: string;
  readonly clusters: readonly string[];
  readonly rows: readonly FleetComparisonRow[];
  readonly problems: readonly Problem[];
  /** Each fleet cluster's environment. */
  readonly environments: ReadonlyMap<string, string>;
  /** Custom health checks marked failed for the session (stopped at a deadline or memory cap); also in `problems`. */
  readonly failedChecks: readonly Problem[];
}

/**
 * Compares every Application of the repository at HEAD (or the one named) with its cluster's live state. One
 * unreachable cluster or unrenderable app makes its own rows Unknown and never stops the others.
 */
export async function compareFleet(opts: FleetCompareOptions): Promise<FleetComparison> {
  const fleet = await FleetService.open(opts.repo);
  const { head, scan, git, clusters, fleet: generated } = await fleet.discovery();
  const problems: Problem[] = [...generated.problems, ...generated.appsets.flatMap((s) => s.problems), ...generated.apps.flatMap((a) => (a.problems ?? []).filter((p) => p.severity === 'warning'))];
  const appsetOf = new Map(generated.apps.map((a) => [a.name, a.appset] as const));
  let selectedApps: readonly AppRow[] = generated.apps;
  if (opts.app !== undefined) {
    selectedApps = selectedApps.filter((a) => a.name === opts.app);
    if (selectedApps.length === 0) {
      const known = generated.apps.map((a) => a.name).sort();
      throw new Error(`no Application named ${opts.app} in ${fleet.repo.root} at ${head.short} (known: ${known.join(', ') || 'none'})`);
    }
  }
  if (opts.cluster !== undefined && !clusters.some((c) => c.name === opts.cluster)) {
    throw new Error(`no cluster named ${opts.cluster} in the fleet (known: ${clusters.map((c) => c.name).join(', ') || 'none'})`);
  }

  const settings = fleetCompareSettings(fleet.repo.treeAt(head.sha).read(FLEET_FILE));
  problems.push(...settings.problems);
  const fleetIgnore = settings.ignore;
  // Custom health checks of the fleet file (Lua, as argocd-cm's) run in a sandboxed VM for this comparison.
  // They run in a worker thread with a hard deadline and memory caps, awaited (never blocking this thread); a limit hit
  // names the check and the fleet file, and a script stopped at its deadline is not run again in this process.
  const lua = fleetHealthChecks(settings.health, settings.healthPositions);
  const assess = (o: KubeObject): HealthResult => assessHealth(o, lua ? { custom: lua } : undefined);
  const observedAt = new Date().toISOString();
  type Job = { app: Application; row: AppRow; name: string; cluster: string; desired: readonly KubeObject[]; revision: string; renderError?: string; renderProblems: readonly Problem[] };
  // Each app is rendered in its cluster's task, once that cluster is connected: Helm charts see its version and API
  // groups, as Argo CD passes them, and a slow cluster delays only its own apps.
  const pending: { readonly row: AppRow; readonly cluster: string }[] = [];
  for (const row of selectedApps) {
    const app = row.application;
    const cluster = clusterForApp(app, clusters)?.name;
    if (cluster === undefined) {
      const d = app.spec.destination;
      // An in-cluster destination without a fleet cluster for it already carries its own warning.
      if (!isInClusterDestination(app)) problems.push({ ...problem(`destination ${d.name ?? d.server ?? '(none)'} is not a cluster of the fleet; not compared`, { app: row.name }), severity: 'warning' });
      continue;
    }
    if (opts.cluster !== undefined && cluster !== opts.cluster) continue;
    pending.push({ row, cluster });
  }
  const jobOf = (row: AppRow, app: Application, rendered: RenderedApp, cluster: string): Job => {
    const firstError = rendered.problems.find((p) => p.severity === 'error');
    // What Argo CD would refuse (project, duplicate name) is not compared: Argo CD shows such an app as Unknown.
    const refused = firstError ? [] : appRefusals(generated, row, rendered.objects, clusters);
    return {
      app,
      row,
      name: row.name,
      cluster,
      desired: rendered.objects,
      revision: rendered.revision ?? head.sha,
      ...(firstError ? { renderError: `render failed: ${formatProblem(firstError)}` } : refused.length ? { renderError: `refused: ${refused.map((p) => p.message).join('; ')}` } : {}),
      renderProblems: [...rendered.problems, ...refused],
    };
  };
  const renderJob = (row: AppRow, cluster: string, renderOpts: RenderOptions): Job => jobOf(row, row.application, renderApplication(row.application, git, renderOpts), cluster);
  /**
   * A Flux app rendered again with the ConfigMaps/Secrets it reads taken from its connected cluster, as Flux reads
   * them; the repository's declarations stay for those the cluster does not hold (or may not be read).
   */
  const withClusterInputsOf = async (conn: ClusterConnection, j: Job, renderOpts: RenderOptions): Promise<Job> => {
    const inputs = await withInputsOfCluster(conn, j.app);
    if (inputs.app === j.app) return j;
    problems.push(...inputs.problems.map((p) => ({ ...p, app: j.name })));
    return jobOf(j.row, j.app, renderApplication(inputs.app, git, renderOpts), j.cluster);
  };
  const manager = ClusterManager.fromKubeconfig({
    clusters: clusters.filter((c) => pending.some((j) => j.cluster === c.name)),
    kubeconfigPaths: opts.kubeconfig ?? chooseKubeconfig().files,
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  problems.push(...manager.problems);
  const rows: FleetComparisonRow[] = [];
  let failedChecks: readonly Problem[] | undefined;
  let finished = 0;
  const done = (n: number): void => {
    opts.signal?.throwIfAborted();
    finished += n;
    opts.onProgress?.(finished, pending.length);
  };
  const rowOf = (j: Job) => {
    const fluxOwner = fluxOwnerOfApp(j.app);
    return { app: j.name, cluster: j.cluster, appset: appsetOf.get(j.name) ?? '', labels: j.app.metadata.labels ?? {}, desired: j.renderError ? [] : j.desired, ...(fluxOwner ? { fluxOwner } : {}) };
  };
  opts.onProgress?.(0, pending.length);
  try {
    const byCluster = new Map<string, AppRow[]>();
    for (const j of pending) byCluster.set(j.cluster, [...(byCluster.get(j.cluster) ?? []), j.row]);
    // The controllers' own view (Argo CD Applications, Flux Kustomizations/HelmReleases), read beside the comparison.
    const controllers: ControllerStatus[] = [];
    const perCluster = await Promise.all([...byCluster].map(async ([cluster, clusterRows]) => {
      const out: FleetComparisonRow[] = [];
      const conn = manager.connection(cluster);
      let clusterError: string | undefined;
      // Connected while its capabilities are read (an unreachable cluster is tried once), then its apps rendered.
      const renderOpts = renderOptions(scan, clusters, await capabilitiesLookup(manager, [cluster]));
      // Rendering and comparing 10,000 apps takes tens of seconds of CPU: in slices, so the other clusters' calls are
      // sent and their answers read meanwhile (an API server drops a TLS handshake left unanswered for 32 s).
      const slice = sliceYielder();
      const repoJobs: Job[] = [];
      for (const row of clusterRows) {
        await slice();
        repoJobs.push(renderJob(row, cluster, renderOpts));
      }
      const info = conn.info;
      if (info.state !== 'ready') clusterError = `cluster ${cluster} is ${info.state}${info.reason ? `: ${info.reason}` : ''}`;
      // Read first: a Flux Kustomization's inventory tells which of its objects to look for.
      const read = clusterError ? undefined : await readControllers(conn).catch((err: unknown) => {
        problems.push({ ...problem(`cannot read the controllers' own status: ${toProblem(err).message}`, { cluster }), severity: 'warning' });
        return undefined;
      });
      if (read) {
        problems.push(...read.problems);
        controllers.push(...read.objects);
      }
      const clusterJobs = clusterError ? repoJobs : await Promise.all(repoJobs.map((j) => withClusterInputsOf(conn, j, renderOpts)));
      const fluxOf = (j: Job): FluxOwnership | undefined => fluxOwnership(j.app, read?.inventories);
      const store = clusterError ? undefined : new LiveStore(conn, { watch: false, tracking: { method: scan.fleet.tracking } });
      try {
        const renderable = clusterJobs.filter((j) => !j.renderError);
        if (store) {
          try {
            await store.prepare(renderable.map((j) => ({ desired: j.desired, ...(j.app.spec.destination.namespace ? { namespace: j.app.spec.destination.namespace } : {}), ...(fluxOf(j)?.inventory ? { inventory: fluxOf(j)!.inventory! } : {}) })));
          } catch (err) {
            clusterError = `cluster ${cluster}: ${toProblem(err).message}`;
          }
        }
        for (const j of clusterJobs) {
          await slice();
          const name = j.name;
          const namespace = j.app.spec.destination.namespace;
          const base = {
            app: name, cluster, revision: j.revision, ignoreDifferences: withFleetRules(fleetIgnore, j.app), assessHealth: assess,
            ...(namespace ? { namespace } : {}),
            ...(scan.fleet.tracking === 'label' ? { trackingLabel: INSTANCE_LABEL } : {}),
          };
          let live: Awaited<ReturnType<LiveStore['liveState']>> | undefined;
          if (j.renderError === undefined && clusterError === undefined && store) {
            try {
              live = await store.liveState(instanceNameOf(name), j.desired, namespace, fluxOf(j));
            } catch (err) {
              // The cluster went away while its apps were read: this app and the rest there are not compared.
              clusterError = `cluster ${cluster}: ${toProblem(err).message}`;
            }
          }
          const error = j.renderError ?? clusterError;
          if (error !== undefined || !live) {
            const comparison = compareAppDetailed({ ...base, desired: j.renderError ? [] : j.desired, live: [], extra: [], error: error ?? 'not compared', observedAt });
            out.push({ ...rowOf(j), status: withVersion(withProblems(comparison.status, j.renderProblems), j), ...(clusterError !== undefined ? { unreachable: clusterError } : {}) });
            done(1);
            continue;
          }
          const ours = live.resources.filter((r) => !r.extra && r.desired);
          const liveErrors = ours.map((r) => (r.problem ? formatProblem(r.problem) : undefined));
          const serverPredicted = opts.serverSide
            ? await Promise.all(ours.map(async (r, i) => {
                if (!r.live || liveErrors[i] !== undefined) return undefined;
                try {
                  return await serverSideDryRun(conn, r.desired!, r, instanceNameOf(name), scan.fleet.tracking);
                } catch (err) {
                  liveErrors[i] = `server-side dry run failed: ${toProblem(err).message}`;
                  return undefined;
                }
              }))
            : undefined;
          const extra = live.resources.filter((r) => r.extra && r.live).map((r) => r.live!);
          // Custom Lua checks run in their worker while this thread keeps serving; assessHealth then reads the answers.
          await lua?.evaluate([...ours.flatMap((r) => (r.live ? [r.live] : [])), ...extra]);
          const comparison = compareAppDetailed({
            ...base,
            desired: ours.map((r) => r.desired!),
            live: ours.map((r) => r.live),
            liveErrors,
            ...(serverPredicted ? { serverPredicted } : {}),
            extra,
            observedAt: live.observedAt,
          });
          out.push({ ...rowOf(j), status: withVersion(withProblems(comparison.status, [...j.renderProblems, ...live.problems]), j, ours.map((r) => r.live)), comparison });
          done(1);
        }
      } finally {
        store?.close();
      }
      return out;
    }));
    const appOf = new Map(pending.map((j) => [`${j.row.name}\n${j.cluster}`, j.row.application] as const));
    for (const r of perCluster.flat()) {
      const app = appOf.get(`${r.app}\n${r.cluster}`);
      const controller = app && r.unreachable === undefined ? controllerFor(r.app, app, r.cluster, controllers, clusters) : undefined;
      rows.push(controller ? { ...r, status: { ...r.status, controller } } : r);
    }
    failedChecks = lua?.stoppedProblems() ?? [];
    problems.push(...failedChecks);
  } finally {
    manager.close();
    lua?.close();
  }
  const order = new Map(clusters.map((c, i) => [c.name, i]));
  rows.sort((a, b) => a.app.localeCompare(b.app) || (order.get(a.cluster) ?? 0) - (order.get(b.cluster) ?? 0));
  const environments = new Map<string, string>();
  for (const c of clusters) if (c.environment !== undefined) environments.set(c.name, c.environment);
  return { revision: head.sha, clusters: clusters.map((c) => c.name), rows, problems, environments, failedChecks: failedChecks ?? [] };
}

/** Sets what Git says the app runs there (image tags, else the revision) and what its live objects run on its status. */
function withVersion(status: AppClusterStatus, job: { readonly desired: readonly KubeObject[]; readonly revision: string; readonly renderError?: string }, live: readonly (KubeObject | undefined)[] = []): AppClusterStatus {
  const version = job.renderError ? '' : versionOf(job.desired, job.revision);
  const runningVersion = runningVersionOf(live);
  return { ...status, ...(version ? { version } : {}), ...(runningVersion ? { runningVersion } : {}) };
}

function withFleetRules(fleetRules: IgnoreRules, app: Application): IgnoreRules {
  const own = compileIgnoreDifferences(app.spec.ignoreDifferences ?? [], { app: app.metadata.name });
  return { rules: [...fleetRules.rules, ...own.rules], problems: own.problems };
}

/** The object the API server would hold after Flotilla's server-side apply of `desired` (a dry run: nothing changes). */
async function serverSideDryRun(conn: ClusterConnection, desired: KubeObject, key: ResourceKey, app: string, tracking: 'annotation' | 'label'): Promise<KubeObject> {
  const info = await conn.resourceFor(desired.apiVersion ?? '', desired.kind ?? '');
  if (!info) throw new Error(`kind ${desired.apiVersion}/${desired.kind} is not served by the cluster`);
  const { status: _status, ...rest } = desired as KubeObject & { status?: unknown };
  const metadata: Record<string, unknown> = { ...(desired.metadata ?? {}) };
  if (info.namespaced) metadata['namespace'] = key.namespace;
  else delete metadata['namespace'];
  const body = withTracking({ ...rest, metadata }, app, key, { method: tracking });
  const q = new URLSearchParams({ fieldManager: FLOTILLA_FIELD_MANAGER, force: 'true', dryRun: 'All' });
  return await conn.request<KubeObject>({ method: 'PATCH', path: `${resourcePath(info, key.namespace, key.name)}?${q}`, contentType: 'application/apply-patch+yaml', body });
}

function withProblems(status: AppClusterStatus, extra: readonly Problem[]): AppClusterStatus {
  if (extra.length === 0) return status;
  return { ...status, problems: [...(status.problems ?? []), ...extra] };
}
