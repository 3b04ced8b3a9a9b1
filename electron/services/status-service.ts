import type { AppDetail, ClusterView, FleetOverview, FleetStatusPacked } from '../../shared/api/contract';
import type { PackedGrid } from '../../shared/fleet/grid-pack';
import { packGrid, withPackedSignatures } from '../../shared/fleet/grid-pack';
import type { FleetGrid, GridCell, GridCluster } from '../../shared/fleet/grid';
import type { CommitSignature } from '../../shared/repo/signature';
import { buildGrid } from '../../shared/fleet/grid';
import { gridRevisions, runningRevision } from '../../shared/fleet/revision-signature';
import { sortByEnvironment } from '../../shared/fleet/environment-order';
import { wasObserved } from '../../shared/fleet/observation';
import { clusterForApp, isInClusterDestination } from '../../shared/fleet/destination';
import { maskedRenderedYaml, renderApplication } from '../../shared/fleet/render-apps';
import { instanceNameOf } from '../../shared/fleet/app-name';
import { IN_CLUSTER_NAME } from '../../shared/appset/generators/clusters';
import { formatOrigin } from '../../shared/fleet/app-origin';
import { appRefusals, discoveryProblems } from '../../shared/fleet/discover';
import type { Problem } from '../../shared/problem';
import { FlotillaError, problem, toProblem } from '../../shared/problem';
import type { AppClusterSummary } from '../../shared/report/model';
import { readArgoApplications } from './cluster/argocd';
import { verifyRevisions } from './git-signatures';
import { clusterView } from './cluster-view';
import { FleetLiveState } from './cluster/fleet-live-state';
import type { FleetComparison } from './fleet-compare';
import { refreshAndRecord } from './fleet-refresh';
import type { Session } from './session';
import { capabilitiesLookup } from './helm/capabilities';
import { withInputsOfCluster } from './cluster/flux-inputs';
import { renderOptions } from './sources/render-options';
import { canonicalJson } from '../store/canonical-json';
import { nextTurn } from './event-loop-slices';
import type { CachedGrid, GridCache, GridCacheKey, GridInputs, GridInputsKey } from './grid-cache';
import type { HeadDiscovery } from './fleet-service';
import type { TreeReads } from '../../shared/repo/tree-reads';
import type { GitRepository } from './git-repo';
import { inputsAtHead } from './discovery-reads';

const NEVER = 'not refreshed yet: press Refresh to read the clusters';

/** The grid of one HEAD and snapshot before signatures: the commits its cells run, when it was recorded, its problems. */
interface BuiltGrid {
  readonly grid: FleetGrid;
  readonly revisions: readonly string[];
  readonly recordedAt?: string;
  readonly problems: readonly Problem[];
  /** What it was built from, when that is all it depends on (a pure discovery, the store unchanged while read): the grid cache's key. */
  readonly cacheKey?: GridCacheKey;
  /** What it took from discovery (kept with the grid in the cache, when it has a cache key). */
  readonly inputs?: GridInputs;
  /** What discovery read of HEAD's tree to make the inputs (kept with them). */
  readonly reads?: TreeReads;
}

/** Options of the status service. */
export interface StatusServiceOptions {
  /** The grid kept on disk between runs: the first `status()` is answered from it when its key holds. */
  readonly gridCache?: GridCache;
}

/** Whether two verdict maps hold the very same verdicts (the verifier hands out one object per commit and trust). */
function sameVerdicts(a: ReadonlyMap<string, CommitSignature>, b: ReadonlyMap<string, CommitSignature>): boolean {
  if (a.size !== b.size) return false;
  for (const [sha, v] of a) if (b.get(sha) !== v) return false;
  return true;
}

/**
 * The fleet's sync and health for the UI: read at once from the store (what was last recorded), refreshed from the
 * clusters on request with progress events, cancellable; and one app × cluster in detail.
 */
export class StatusService {
  private running: AbortController | undefined;
  private live: { readonly state: FleetLiveState; readonly offs: (() => void)[] } | undefined;
  private readonly liveTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private liveQueue: Promise<unknown> = Promise.resolve();
  /** Why the live watch stopped keeping the grid fresh, shown with the grid until the next refresh. */
  private liveProblem: Problem | undefined;
  /** Custom health checks the last refresh found marked failed for the session, shown with the grid. */
  private failedChecks: readonly Problem[] = [];
  /** The grid last built, by repository, HEAD and latest snapshot (and the discovery it was built from). */
  private grid: { readonly key: string; readonly fleet: unknown; readonly built: Promise<BuiltGrid> } | undefined;
  /** The last grid packed with its cells' signatures, and the verdicts it was packed with. */
  private packed: { readonly built: BuiltGrid; readonly verdicts: ReadonlyMap<string, CommitSignature>; readonly unsigned: PackedGrid; readonly grid: PackedGrid } | undefined;
  /** The grids written to the grid cache (each once). */
  private readonly kept = new WeakSet<BuiltGrid>();
  /** Answers from the grid cache while its key holds (asked once per service, by the first `status()`). */
  private cached: Promise<(() => Promise<FleetStatusPacked | undefined>) | undefined> | undefined;
  private cacheAsked = false;
  /** HEAD's commit of the last answer, and the one the grid cache was last asked again for after HEAD moved. */
  private answeredAt: string | undefined;
  private askedAt: string | undefined;

  constructor(
    private readonly session: Session,
    private readonly options: StatusServiceOptions = {},
  ) {
    session.onClose(() => this.stopWatching());
  }

  /**
   * The grid from the latest recorded snapshot, with the apps and clusters of the repository at HEAD; no cluster is
   * contacted. Built once per HEAD and snapshot (a refresh, a live change or another process's record makes a new
   * snapshot), packed for the wire: every page load and `fleet:updated` re-read after that costs one store query and
   * the signature check of the commits the cells run (cached per commit and trust: no git process once verified).
   */
  async status(): Promise<FleetStatusPacked> {
    // The first call asks the grid cache; its grid answers until HEAD or the store's state moves, then one is built.
    if (this.options.gridCache && !this.cacheAsked) {
      this.cacheAsked = true;
      this.cached = this.fromCache(this.options.gridCache);
    }
    const answer = await this.fromCached();
    if (answer) return answer;
    const fleet = await this.session.fleet();
    const head = fleet.repo.resolve('HEAD');
    // HEAD moved since the last answer (a commit, a pull): the cache is asked again, once per HEAD. A commit that
    // changed nothing discovery read is answered from the app list kept, as in a new process, without discovery.
    if (this.options.gridCache && head !== undefined && this.answeredAt !== undefined && this.answeredAt !== head && this.askedAt !== head) {
      this.askedAt = head;
      this.cached = this.fromCache(this.options.gridCache);
      const again = await this.fromCached();
      if (again) return again;
    }
    const discovery = await fleet.discovery(head);
    const snapshot = this.session.store().snapshotAt();
    const key = gridKey(fleet.repo.root, discovery.head.sha, snapshot);
    if (this.grid?.key !== key || this.grid.fleet !== discovery.fleet) {
      const built = this.buildGrid(discovery);
      this.grid = { key, fleet: discovery.fleet, built };
      built.catch(() => {
        if (this.grid?.built === built) this.grid = undefined;
      });
    }
    const built = await this.grid.built;
    // The grid was just built: what waited meanwhile is answered before it is packed.
    if (this.packed?.built !== built) await nextTurn();
    // The signature of the commit each cell runs: one git process for the commits not verified before (few: many
    // apps share a revision), none once every commit's verdict is cached; the grid is packed again only when a verdict
    // changed (a new commit verified, or the keyring or allowed signers changed).
    const signed = await verifyRevisions(fleet.repo.root, built.revisions);
    if (this.packed?.built !== built || !sameVerdicts(this.packed.verdicts, signed.verdicts)) {
      // Packed once per grid without signatures (what the grid cache keeps), then signed.
      const unsigned = this.packed?.built === built ? this.packed.unsigned : packGrid(built.grid);
      this.packed = { built, verdicts: signed.verdicts, unsigned, grid: signed.verdicts.size === 0 ? unsigned : withPackedSignatures(unsigned, signed.verdicts) };
      if (!this.kept.has(built)) {
        this.kept.add(built);
        if (built.cacheKey && this.options.gridCache) this.keep(this.options.gridCache, built.cacheKey, built, unsigned);
      }
    }
    this.answeredAt = discovery.head.sha;
    return {
      grid: this.packed.grid,
      ...(built.recordedAt ? { recordedAt: built.recordedAt } : {}),
      revision: discovery.head.sha,
      problems: [...built.problems, ...this.failedChecks, ...(this.liveProblem ? [this.liveProblem] : []), ...(signed.problem ? [signed.problem] : [])],
    };
  }

  /** The answer of the grid cache's grid while its key holds (forgotten from the first call it does not). */
  private async fromCached(): Promise<FleetStatusPacked | undefined> {
    const cached = this.cached;
    if (!cached) return undefined;
    const answer = await (await cached)?.();
    if (answer) this.answeredAt = answer.revision;
    else if (this.cached === cached) this.cached = undefined;
    return answer;
  }

  /**
   * The grid cache's answer for this repository, when the cache holds a grid of its HEAD now, of the store's state now
   * and of this build: a function that answers `status()` from it for as long as HEAD and the store's state stay
   * those (checked on every call, as the built grid's key is), and says undefined from the first call they do not.
   * Signatures are verified on every answer, as for a built grid.
   */
  private async fromCache(cache: GridCache): Promise<(() => Promise<FleetStatusPacked | undefined>) | undefined> {
    try {
      const fleet = await this.session.fleet();
      const root = fleet.repo.root;
      const resolve = (revision: string): string | null => fleet.repo.resolve(revision) ?? null;
      const head = fleet.repo.resolve('HEAD');
      if (!head) return undefined;
      const hit = (await cache.get({ repo: root, head, store: this.session.store().generation() }, resolve)) ?? (await this.fromInputs(cache, fleet.repo, head, resolve));
      if (!hit) return undefined;
      const { grid: cached } = hit;
      /** Whether HEAD, the store's state and the key's other revisions are still those of the key found. */
      const stillHolds = (): boolean => {
        const now = fleet.repo.resolve('HEAD');
        return now !== undefined && cache.holds(hit.key, { head: now, store: this.session.store().generation() }, resolve);
      };
      let checked = true;
      let packed: { readonly verdicts: ReadonlyMap<string, CommitSignature>; readonly grid: PackedGrid } | undefined;
      return async () => {
        // The first answer's key was checked just now; each later one is checked again.
        const holds = checked || ((await this.session.fleet()) === fleet && stillHolds());
        checked = false;
        if (!holds) return undefined;
        const signed = await verifyRevisions(root, cached.revisions);
        if (!packed || !sameVerdicts(packed.verdicts, signed.verdicts)) {
          // Packed with no signature, the grid is the cached one as it is.
          packed = { verdicts: signed.verdicts, grid: signed.verdicts.size === 0 ? cached.grid : withPackedSignatures(cached.grid, signed.verdicts) };
        }
        return {
          grid: packed.grid,
          ...(cached.recordedAt ? { recordedAt: cached.recordedAt } : {}),
          revision: head,
          problems: [...cached.problems, ...this.failedChecks, ...(this.liveProblem ? [this.liveProblem] : []), ...(signed.problem ? [signed.problem] : [])],
        };
      };
    } catch (err) {
      // The cache can make an answer faster, never fail it: the grid is built as without one.
      this.options.gridCache?.report(err);
      return undefined;
    }
  }

  /**
   * The grid built from the grid inputs the cache holds for HEAD now (after a new snapshot, or a new commit that
   * changed nothing discovery read: no app generated again) and the store as it is, kept in the cache; undefined when
   * the cache has none for HEAD now.
   */
  private async fromInputs(cache: GridCache, repo: GitRepository, head: string, resolve: (revision: string) => string | null): Promise<{ readonly key: GridCacheKey; readonly grid: CachedGrid } | undefined> {
    const found = await inputsAtHead(cache, repo, head, resolve);
    if (!found) return undefined;
    const built = this.gridOf(found.inputs, found.key, found.reads);
    // The store moved while it was read: the grid is built the usual way.
    if (!built.cacheKey) return undefined;
    const unsigned = packGrid(built.grid);
    this.keep(cache, built.cacheKey, built, unsigned);
    return { key: built.cacheKey, grid: { grid: unsigned, revisions: built.revisions, ...(built.recordedAt ? { recordedAt: built.recordedAt } : {}), problems: built.problems } };
  }

  /** Writes a grid just built to the grid cache, after the answer that built it (see GridCache.putSoon). */
  private keep(cache: GridCache, key: GridCacheKey, built: BuiltGrid, unsigned: PackedGrid): void {
    cache.putSoon(key, { grid: unsigned, revisions: built.revisions, ...(built.recordedAt ? { recordedAt: built.recordedAt } : {}), problems: built.problems }, built.inputs, built.reads);
  }

  private async buildGrid(discovery: HeadDiscovery): Promise<BuiltGrid> {
    const fleet = await this.session.fleet();
    const inputs = gridInputs(await fleet.overview(discovery));
    await nextTurn();
    return this.gridOf(inputs, discovery.revisions ? { repo: fleet.repo.root, head: discovery.head.sha, revisions: discovery.revisions } : undefined, discovery.reads);
  }

  /**
   * The grid of discovery's inputs and the store's latest snapshot. `key`: what the inputs were made from, when that
   * is all they depend on: the grid's cache key is it with the store's state read. `reads`: what discovery read of HEAD's tree to make them.
   */
  private gridOf(inputs: GridInputs, key: GridInputsKey | undefined, reads?: TreeReads): BuiltGrid {
    const store = this.session.store();
    // The store's state before and after its rows are read: the same, the grid is of that state (its cache key).
    const before = this.options.gridCache && key ? store.generation() : undefined;
    const latest = store.fleetAt();
    const after = before ? store.generation() : undefined;
    const cacheKey = key && before && canonicalJson(before) === canonicalJson(after) ? { ...key, store: before } : undefined;
    const clusters = [...inputs.clusters];
    const known = new Set(clusters.map((c) => c.name));
    const recorded = new Map((latest?.appClusters ?? []).map((s) => [`${s.app}\n${s.cluster}`, s]));
    for (const s of latest?.appClusters ?? []) {
      if (!known.has(s.cluster)) {
        known.add(s.cluster);
        clusters.push({ name: s.cluster, environment: s.environment ?? 'unassigned' });
      }
    }
    const meta = new Map<string, { appset: string; origin: string; labels: Readonly<Record<string, string>> }>();
    const cells: GridCell[] = [];
    for (const a of inputs.apps) {
      meta.set(a.name, { appset: a.appset, origin: a.origin, labels: a.labels });
      const cluster = a.cluster;
      if (!cluster) continue;
      const s = recorded.get(`${a.name}\n${cluster}`);
      recorded.delete(`${a.name}\n${cluster}`);
      cells.push(s ? cellOf(s, latest?.snapshot.takenAt) : { app: a.name, cluster, sync: 'Unknown', health: 'Unknown', healthMessage: NEVER, version: '', revision: '', outOfSync: 0, observedAt: '', error: NEVER });
    }
    // Apps recorded but no longer generated at HEAD still show what was last seen.
    for (const s of recorded.values()) cells.push(cellOf(s, latest?.snapshot.takenAt));
    const grid = buildGrid(cells, clusters, (app) => meta.get(app) ?? {});
    return { grid, revisions: gridRevisions(grid), ...(latest ? { recordedAt: latest.snapshot.takenAt } : {}), problems: inputs.problems, ...(cacheKey ? { cacheKey, inputs, ...(reads ? { reads } : {}) } : {}) };
  }

  /** Reads every app on every cluster (or one app or cluster), records the snapshot, and returns the new grid. */
  async refresh(req: { readonly app?: string; readonly cluster?: string }): Promise<FleetStatusPacked> {
    if (this.running) throw new FlotillaError(problem('a refresh is already running'));
    const ctrl = new AbortController();
    this.running = ctrl;
    const events = this.session.events;
    try {
      const fleet = await this.session.fleet();
      const outcome = await refreshAndRecord(this.session.store(), {
        repo: fleet.repo.root,
        ...(req.app ? { app: req.app } : {}),
        ...(req.cluster ? { cluster: req.cluster } : {}),
        ...(this.session.kubeconfig() ? { kubeconfig: this.session.kubeconfig()! } : {}),
        signal: ctrl.signal,
        onProgress: (done, total) => events.emit('progress', { id: 'refresh', label: 'Reading clusters', done, total }),
      });
      this.failedChecks = outcome.result.failedChecks;
      this.liveProblem = undefined;
      const view = await this.status();
      if (view.recordedAt) events.emit('fleet:updated', { recordedAt: view.recordedAt });
      if (!req.app && !req.cluster) await this.watchLive(outcome.result.rows).catch((err: unknown) => this.liveFailed(err));
      return view;
    } catch (err) {
      if (ctrl.signal.aborted) throw new FlotillaError(problem('refresh cancelled: nothing was recorded'));
      throw err;
    } finally {
      this.running = undefined;
      events.emit('progress', { id: 'refresh', label: 'Reading clusters', done: 1, total: 1 });
    }
  }

  /**
   * Keeps the grid fresh after a full refresh: watches every compared app × cluster (one list, then watch events, per
   * cluster and kind); a change re-compares that app × cluster alone, records it and pushes `fleet:updated`.
   */
  private async watchLive(rows: FleetComparison['rows']): Promise<void> {
    this.stopWatching();
    const manager = await this.session.clusterManager();
    const fleet = await this.session.fleet();
    const { scan } = await fleet.scanHead();
    const state = new FleetLiveState(manager, { tracking: { method: scan.fleet.tracking } });
    // Live objects carry the app's instance name (`<namespace>_<name>` outside the control plane); rows its shown name.
    const targets = rows.filter((r) => r.desired.length > 0 && !r.status.error).map((r) => ({ name: r.app, target: { app: instanceNameOf(r.app), cluster: r.cluster, desired: r.desired, ...(r.fluxOwner ? { flux: { owner: r.fluxOwner } } : {}) } }));
    const offs: (() => void)[] = [];
    this.live = { state, offs };
    await state.read(targets.map((t) => t.target));
    for (const t of targets) offs.push(state.watch(t.target, () => this.liveChanged(t.name, t.target.cluster)));
    // A change made between the comparison's reads and the watches' first lists raised no event: compare once more
    // now that every later change will.
    this.recordLive({});
  }

  /**
   * Re-compares one app × cluster now (after a sync from a UI), records it and pushes `fleet:updated`, so every view
   * showing it moves through the same event the live watch raises. Resolves once recorded; a failure is kept as the
   * live problem, never thrown at the sync that asked.
   */
  recordApp(app: string, cluster: string): Promise<void> {
    this.recordLive({ app, cluster });
    return this.liveQueue.then(() => undefined);
  }

  /** Queues a re-compare (all, or one app × cluster), records it and pushes `fleet:updated`; one at a time. */
  private recordLive(scope: { readonly app?: string; readonly cluster?: string }): void {
    this.liveQueue = this.liveQueue.then(async () => {
      const fleet = await this.session.fleet();
      const kubeconfig = this.session.kubeconfig();
      await refreshAndRecord(this.session.store(), { repo: fleet.repo.root, ...scope, ...(kubeconfig ? { kubeconfig } : {}) });
      const view = this.session.store().fleetAt();
      if (view) this.session.events.emit('fleet:updated', { recordedAt: view.snapshot.takenAt });
    }).catch((err: unknown) => this.liveFailed(err));
  }

  private liveFailed(err: unknown): void {
    this.liveProblem = { ...toProblem(err), severity: 'warning', message: `the grid is no longer kept live (refresh to retry): ${toProblem(err).message}` };
  }

  private liveChanged(app: string, cluster: string): void {
    const key = `${app}\n${cluster}`;
    clearTimeout(this.liveTimers.get(key));
    // Changes arrive in bursts (an apply touches several objects): one re-compare per app × cluster and burst.
    this.liveTimers.set(key, setTimeout(() => {
      this.liveTimers.delete(key);
      this.recordLive({ app, cluster });
    }, 150));
  }

  /** Stops the live watches (a new full refresh starts them again). */
  stopWatching(): void {
    for (const off of this.live?.offs ?? []) off();
    this.live?.state.close();
    this.live = undefined;
    for (const t of this.liveTimers.values()) clearTimeout(t);
    this.liveTimers.clear();
  }

  /** Cancels a running refresh. */
  cancel(): { cancelled: boolean } {
    if (!this.running) return { cancelled: false };
    this.running.abort();
    return { cancelled: true };
  }

  /** One app on one cluster: its recorded resources (health, sync, masked diffs), rendered manifests at HEAD, and its history. */
  async detail(app: string, cluster: string): Promise<AppDetail> {
    const fleet = await this.session.fleet();
    const { scan, git, clusters, fleet: found } = await fleet.discovery();
    const generated = found.apps.find((a) => a.name === app);
    // The manifests shown are rendered for this cluster's version and API groups when it is connected (as Argo CD's).
    const ofFleet = generated !== undefined && clusters.some((c) => c.name === cluster);
    const manager = ofFleet ? await this.session.clusterManager() : undefined;
    const caps = manager ? await capabilitiesLookup(manager, [cluster], { reconnect: false }) : undefined;
    // A Flux app's ConfigMaps/Secrets from the connected cluster, as the grid's comparison read them (the sources say so).
    const inputs = generated && manager?.names().includes(cluster) ? await withInputsOfCluster(manager.connection(cluster), generated.application) : undefined;
    const rendered = generated ? renderApplication(inputs?.app ?? generated.application, git, renderOptions(scan, clusters, caps)) : undefined;
    const refusals = generated && rendered ? appRefusals(found, generated, rendered.objects, clusters) : [];
    const store = this.session.store();
    const recorded = store.appClusterAt(app, cluster);
    const history = store.history(app, { cluster })[0];
    if (!generated && !recorded) throw new FlotillaError(problem(`no Application ${app} on cluster ${cluster}, at HEAD or in the store`, { app, cluster }));
    const running = recorded ? runningRevision(recorded) : undefined;
    const signature = running ? (await verifyRevisions(fleet.repo.root, [running])).verdicts.get(running) : undefined;
    return {
      app,
      cluster,
      ...(generated ? { application: generated.application, origin: generated.origin, ...(generated.explain ? { explain: generated.explain } : {}) } : {}),
      ...(recorded ? { status: recorded } : {}),
      // Secret values never reach the UI: the rendered Secrets are masked as in every diff.
      rendered: rendered ? maskedRenderedYaml(rendered) : '',
      renderProblems: [...(rendered?.problems ?? []), ...(inputs?.problems ?? []), ...refusals],
      ...(rendered ? { sources: rendered.sources } : {}),
      ...(history ? { history } : {}),
      ...(signature ? { signature } : {}),
    };
  }

  /** Every fleet cluster's connection state and version, over the session's long-lived connections (each call has its timeout). */
  async clusters(): Promise<ClusterView[]> {
    const manager = await this.session.clusterManager();
    const infos = await manager.refresh();
    // Argo CD awareness: where a cluster runs Argo CD, its Applications' own sync and health are shown too.
    const argo = new Map<string, ClusterView['argocd']>();
    for (const r of await manager.forEachCluster(readArgoApplications, infos.filter((i) => i.state === 'ready').map((i) => i.cluster))) {
      if (r.ok && r.value.present) argo.set(r.cluster, r.value.apps.map((a) => ({ name: a.name, namespace: a.namespace, sync: a.sync, health: a.health })));
    }
    // A problem of no one cluster (the kubeconfig cannot be read) is no row of its own: it is the reason of every
    // cluster that could not be reached, or the page's error when there is none to list.
    const general = manager.problems.filter((p) => p.cluster === undefined).map((p) => p.message);
    const named = manager.problems.filter((p) => p.cluster !== undefined);
    if (general.length > 0 && infos.length === 0 && named.length === 0) throw new FlotillaError(manager.problems[0]!);
    const withGeneral = (v: ClusterView): ClusterView => (general.length > 0 && v.state !== 'ready' ? { ...v, reason: [v.reason, ...general].filter(Boolean).join('; ') } : v);
    return [
      ...infos.map((i): ClusterView => withGeneral({ ...clusterView(i), ...(argo.has(i.cluster) ? { argocd: argo.get(i.cluster)! } : {}) })),
      // A problem about a cluster listed above already shows as its state and reason: one row per cluster.
      ...named.filter((p) => !infos.some((i) => i.cluster === p.cluster)).map((p): ClusterView => withGeneral({ name: p.cluster!, context: '', server: '', labels: {}, state: 'unreachable', since: new Date().toISOString(), reason: p.message })),
    ];
  }
}

/** The grid's identity in this process: repository, HEAD and latest snapshot. */
function gridKey(root: string, head: string, snapshot: { readonly id: number; readonly takenAt: string } | undefined): string {
  return `${root}\n${head}\n${snapshot?.id ?? ''}\n${snapshot?.takenAt ?? ''}`;
}

/** What the grid takes from discovery: the columns, each app's row data and cluster, discovery's problems. */
function gridInputs(overview: FleetOverview): GridInputs {
  const fleetClusters = overview.repo.fleet?.clusters ?? [];
  // Columns grouped by environment in pipeline order (dev, staging, prod), clusters in the fleet file's order within.
  const clusters = sortByEnvironment(fleetClusters.map((c): GridCluster => ({ name: c.name, environment: c.environment ?? 'unassigned' })), (c) => c.environment, overview.environments);
  const apps = overview.apps.map((a) => {
    const cluster = clusterForApp(a.application, fleetClusters)?.name ?? a.application.spec.destination.name ?? (isInClusterDestination(a.application) ? IN_CLUSTER_NAME : undefined);
    return { name: a.name, appset: a.appset, origin: formatOrigin(a.origin), labels: a.application.metadata.labels ?? {}, ...(cluster ? { cluster } : {}) };
  });
  return { clusters, apps, problems: discoveryProblems(overview) };
}

function cellOf(s: AppClusterSummary, takenAt?: string): GridCell {
  // Unreachable, and what is kept is the Unknown row of a refresh that could not read it: nothing was ever observed
  // there, so no age is shown.
  const neverObserved = !wasObserved(s, takenAt);
  return {
    app: s.app,
    cluster: s.cluster,
    sync: s.sync,
    health: s.health.status,
    healthMessage: s.health.message,
    version: s.version ?? s.revision.slice(0, 7),
    ...(s.runningVersion !== undefined ? { runningVersion: s.runningVersion } : {}),
    revision: s.revision,
    outOfSync: s.driftedCount,
    observedAt: neverObserved ? '' : s.observedAt,
    ...(s.error ? { error: s.error } : {}),
    ...(s.unreachable ? { unreachable: s.unreachable } : {}),
    ...(s.controller ? { controller: s.controller } : {}),
  };
}
