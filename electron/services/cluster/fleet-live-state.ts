import type { KubeObject } from '../../../shared/model/status';
import type { Problem } from '../../../shared/problem';
import { toProblem } from '../../../shared/problem';
import type { ClusterManager } from './cluster-manager';
import type { AppLiveState, FluxOwnership, LiveStoreOptions } from './live-state';
import { LiveStore } from './live-state';

/** One app on one cluster whose live state is wanted. */
export interface AppTarget {
  readonly app: string;
  readonly cluster: string;
  readonly desired: readonly KubeObject[];
  /** The destination namespace (fills namespaced objects without one). */
  readonly namespace?: string;
  /** A Flux app: found by its owner labels (and inventory) instead of Argo CD tracking. */
  readonly flux?: FluxOwnership;
}

/** The live state of one target, or why it could not be read (cluster unreachable, forbidden, unknown). */
export type AppLiveResult =
  | { readonly app: string; readonly cluster: string; readonly ok: true; readonly state: AppLiveState }
  | { readonly app: string; readonly cluster: string; readonly ok: false; readonly problem: Problem };

/**
 * Live state across the fleet: one LiveStore (lists + watches) per cluster, read per cluster in parallel. A cluster
 * that cannot be read gives each of its targets a Problem; the other clusters' targets are unaffected.
 */
export class FleetLiveState {
  private readonly stores = new Map<string, LiveStore>();

  constructor(readonly manager: ClusterManager, private readonly opts: LiveStoreOptions = {}) {}

  /** The live store of a cluster (created on first use; it keeps its lists fresh by watch). */
  store(cluster: string): LiveStore {
    let s = this.stores.get(cluster);
    if (!s) {
      s = new LiveStore(this.manager.connection(cluster), this.opts);
      this.stores.set(cluster, s);
    }
    return s;
  }

  /** Reads the live state of every target; each cluster's kinds are listed once, clusters in parallel. */
  async read(targets: readonly AppTarget[]): Promise<AppLiveResult[]> {
    const byCluster = new Map<string, AppTarget[]>();
    for (const t of targets) {
      const list = byCluster.get(t.cluster) ?? [];
      list.push(t);
      byCluster.set(t.cluster, list);
    }
    const known = new Set(this.manager.names());
    const out: AppLiveResult[] = [];
    for (const [cluster, list] of byCluster) {
      if (known.has(cluster)) continue;
      for (const t of list) out.push({ app: t.app, cluster, ok: false, problem: toProblem(new Error(`unknown cluster ${cluster}`), { cluster, app: t.app }) });
    }
    const results = await this.manager.forEachCluster(async (conn) => {
      const list = byCluster.get(conn.name)!;
      const store = this.store(conn.name);
      const problems = await store.prepare(list.map((t) => ({ desired: t.desired, ...(t.namespace ? { namespace: t.namespace } : {}), ...(t.flux?.inventory ? { inventory: t.flux.inventory } : {}) })));
      return list.map((t) => store.appState(t.app, t.desired, t.namespace, problems, t.flux));
    }, [...byCluster.keys()].filter((c) => known.has(c)));
    for (const r of results) {
      const list = byCluster.get(r.cluster)!;
      if (r.ok) for (const state of r.value) out.push({ app: state.app, cluster: r.cluster, ok: true, state });
      else for (const t of list) out.push({ app: t.app, cluster: r.cluster, ok: false, problem: { ...r.problem, app: t.app } });
    }
    return out;
  }

  /** Calls `listener` with a target's fresh live state on every watched change to it; returns the unsubscribe function. */
  watch(target: AppTarget, listener: (state: AppLiveState) => void): () => void {
    return this.store(target.cluster).watchApp(target.app, target.desired, listener, target.namespace, target.flux);
  }

  /** Stops every watch. */
  close(): void {
    for (const s of this.stores.values()) s.close();
    this.stores.clear();
  }
}
