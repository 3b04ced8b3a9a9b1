import type { StateCreator } from 'zustand';
import type { AppDetail, ClusterView, DesiredVersionsView, FleetStatusPacked, FleetStatusView, Progress } from '../../../shared/api/contract';
import { DESIRED_VERSIONS_ASK_MAX } from '../../../shared/api/contract';
import type { GridFilter } from '../../../shared/fleet/grid';
import { unpackGrid } from '../../../shared/fleet/grid-pack';
import { getApi } from '../api/bridge';

/** The fleet's sync and health: the grid (from the store at once, then refreshed), its filters, one app in detail, the clusters. */
export interface StatusSlice {
  readonly status: FleetStatusView | undefined;
  readonly statusError: string | undefined;
  /** What Git says each app runs at HEAD (arrives after the grid: every app is rendered once per commit). */
  readonly desired: DesiredVersionsView | undefined;
  /** The versions from Git read so far for the apps asked first (the grid's rows in view), until `desired` has them all. */
  readonly desiredSoFar: { readonly revision: string; readonly versions: Readonly<Record<string, string>> } | undefined;
  readonly refreshing: boolean;
  readonly progress: Progress | undefined;
  readonly filter: GridFilter;
  readonly detail: AppDetail | undefined;
  readonly detailError: string | undefined;
  readonly clusters: readonly ClusterView[] | undefined;
  readonly clustersError: string | undefined;
  /** Loads the grid from the store (no cluster contacted). */
  loadStatus(): Promise<void>;
  /** Loads what Git says each app runs at HEAD (no cluster contacted). */
  loadDesired(): Promise<void>;
  /** Asks for these apps' versions from Git ahead of the rest (each app once per commit), into `desiredSoFar`. */
  loadDesiredFor(apps: readonly string[]): Promise<void>;
  /** Reads the clusters and records a snapshot; progress arrives as events. */
  refresh(): Promise<void>;
  /** Cancels a running refresh. */
  cancelRefresh(): Promise<void>;
  setFilter(patch: Partial<GridFilter>): void;
  setProgress(p: Progress): void;
  loadDetail(app: string, cluster: string): Promise<void>;
  /** Re-reads the app shown in detail without blanking it first (after a sync, a live change, a new commit). */
  reloadDetail(): Promise<void>;
  loadClusters(): Promise<void>;
  /** Applies a pushed cluster state change. */
  clusterChanged(c: ClusterView): void;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
/** The grid as the engine sent it (packed), as the pages read it. */
const unpacked = ({ grid, ...rest }: FleetStatusPacked): FleetStatusView => ({ ...rest, grid: unpackGrid(grid) });

/** The status slice of the store. */
export const createStatusSlice: StateCreator<StatusSlice, [], [], StatusSlice> = (set, get) => {
  /** The apps asked for first at the grid's revision (asked once, whether or not they render). */
  let asked: { revision: string | undefined; apps: Set<string> } = { revision: undefined, apps: new Set() };
  /** The first read of the grid while it runs: asked for before React's first render, then by the page as it mounts. */
  let firstRead: Promise<void> | undefined;
  return {
    status: undefined,
    statusError: undefined,
    desired: undefined,
    desiredSoFar: undefined,
    refreshing: false,
    progress: undefined,
    filter: {},
    detail: undefined,
    detailError: undefined,
    clusters: undefined,
    clustersError: undefined,
    loadStatus() {
      // Until a grid has arrived, callers share the read under way; after that, each call reads anew (a refresh, a
      // live change or a new commit may have made a new one).
      if (firstRead && !get().status) return firstRead;
      const read = (async () => {
        try {
          set({ status: unpacked(await getApi()['fleet:status']({})), statusError: undefined });
        } catch (err) {
          set({ statusError: message(err) });
        }
      })();
      if (!get().status) {
        firstRead = read;
        void read.finally(() => {
          if (firstRead === read) firstRead = undefined;
        });
      }
      return read;
    },
    async loadDesired() {
      try {
        set({ desired: await getApi()['fleet:versions']({}) });
      } catch (err) {
        // The grid still shows what was recorded; why Git's versions are missing is said with it.
        set({ statusError: message(err) });
      }
    },
    async loadDesiredFor(apps) {
      const revision = get().status?.revision;
      if (asked.revision !== revision) asked = { revision, apps: new Set() };
      const mine = asked;
      const todo = [...new Set(apps)].filter((a) => !mine.apps.has(a)).slice(0, DESIRED_VERSIONS_ASK_MAX);
      if (todo.length === 0) return;
      for (const a of todo) mine.apps.add(a);
      try {
        const view = await getApi()['fleet:versions']({ apps: todo });
        set((s) => ({ desiredSoFar: s.desiredSoFar?.revision === view.revision ? { revision: view.revision, versions: { ...s.desiredSoFar.versions, ...view.versions } } : { revision: view.revision, versions: view.versions } }));
      } catch (err) {
        for (const a of todo) mine.apps.delete(a);
        set({ statusError: message(err) });
      }
    },
    async refresh() {
      set({ refreshing: true, progress: undefined });
      try {
        set({ status: unpacked(await getApi()['fleet:refresh']({})), statusError: undefined });
      } catch (err) {
        set({ statusError: message(err) });
      } finally {
        set({ refreshing: false, progress: undefined });
      }
    },
    async cancelRefresh() {
      await getApi()['fleet:cancel']({});
    },
    setFilter(patch) {
      set((s) => ({ filter: { ...s.filter, ...patch } }));
    },
    setProgress(p) {
      set({ progress: p });
    },
    async loadDetail(app, cluster) {
      set({ detail: undefined, detailError: undefined });
      try {
        set({ detail: await getApi()['app:detail']({ app, cluster }) });
      } catch (err) {
        set({ detailError: message(err) });
      }
    },
    async reloadDetail() {
      const shown = get().detail;
      if (!shown) return;
      const { app, cluster } = shown;
      try {
        const detail = await getApi()['app:detail']({ app, cluster });
        // Another app may have been opened meanwhile: keep it.
        const now = get().detail;
        if (!now || (now.app === app && now.cluster === cluster)) set({ detail, detailError: undefined });
      } catch (err) {
        set({ detailError: message(err) });
      }
    },
    clusterChanged(c) {
      set((s) => ({ clusters: s.clusters ? (s.clusters.some((x) => x.name === c.name) ? s.clusters.map((x) => (x.name === c.name ? c : x)) : [...s.clusters, c]) : s.clusters }));
    },
    async loadClusters() {
      try {
        set({ clusters: await getApi()['clusters:list']({}), clustersError: undefined });
      } catch (err) {
        set({ clustersError: message(err) });
      }
    },
  };
};
