// A one-cluster test fleet ('dev') and a ClusterManager over it: the setup of benchmarks that talk to a real API server.
import { ClusterManager } from '../electron/services/cluster/cluster-manager';
import { startKubeFleet } from '../test/helpers/kube-fleet';

/** The running 'dev' cluster, its manager, and how to stop both. */
export interface DevCluster {
  readonly fleet: Awaited<ReturnType<typeof startKubeFleet>>;
  readonly manager: ClusterManager;
  stop(): Promise<void>;
}

/** Starts a real kube-apiserver named 'dev' and a ClusterManager connected to it. */
export async function startDevCluster(): Promise<DevCluster> {
  const fleet = await startKubeFleet({ log: () => undefined, clusters: ['dev'] });
  const manager = ClusterManager.fromKubeconfig({ kubeconfigPaths: [fleet.kubeconfig], clusters: [{ name: 'dev', context: fleet.cluster('dev').context, labels: {}, annotations: {} }] });
  return { fleet, manager, stop: async () => { manager.close(); await fleet.stop(); } };
}
