import type { StateCreator } from 'zustand';
import type { ClusterDetailView } from '../../../shared/api/cluster-detail';
import { getApi } from '../api/bridge';

/** The cluster page's state: one cluster read in detail. */
export interface ClusterSlice {
  readonly clusterDetail: ClusterDetailView | undefined;
  readonly clusterDetailError: string | undefined;
  readonly clusterLoading: boolean;
  /** Reads a cluster's connection, Nodes, Namespaces and GitOps objects; the one shown stays until the new one is back. */
  loadClusterDetail(name: string): Promise<void>;
}

/** The cluster slice of the store: the only code that calls `cluster:detail`. */
export const createClusterSlice: StateCreator<ClusterSlice, [], [], ClusterSlice> = (set, get) => {
  // Only the latest read may land: after Back or the palette, an older cluster's answer arriving late is dropped.
  let latest = 0;
  return {
  clusterDetail: undefined,
  clusterDetailError: undefined,
  clusterLoading: false,
  async loadClusterDetail(name) {
    const mine = ++latest;
    if (get().clusterDetail?.cluster.name !== name) set({ clusterDetail: undefined });
    set({ clusterLoading: true, clusterDetailError: undefined });
    try {
      const clusterDetail = await getApi()['cluster:detail']({ cluster: name });
      if (mine === latest) set({ clusterDetail, clusterLoading: false });
    } catch (err) {
      if (mine === latest) set({ clusterLoading: false, clusterDetailError: err instanceof Error ? err.message : String(err) });
    }
  },
  };
};
