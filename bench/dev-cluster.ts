// A one-cluster test fleet ('dev') and a ClusterManager over it: the setup of benchmarks that talk to a real API server.
import { ClusterManager } from '../electron/services/cluster/cluster-manager';
import { startKubeFleet } from '../test/helpers/kube-fleet';
import type { KubeObject } from '../shared/model/status';

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

/** The app of 200 objects the app-page benchmarks read: 40 Deployments (2 replicas each) with 40 Services, 60 ConfigMaps, 40 Secrets, 20 ServiceAccounts. */
export function appOf200Objects(): KubeObject[] {
  const out: KubeObject[] = [];
  for (let i = 0; i < 40; i++) {
    const labels = { app: `web-${i}` };
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `web-${i}` }, spec: { selector: labels, ports: [{ port: 80 }] } });
    out.push({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${i}` },
      spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    });
  }
  for (let i = 0; i < 60; i++) out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `settings-${i}` }, data: { key: `value-${i}` } });
  for (let i = 0; i < 40; i++) out.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `secret-${i}` }, stringData: { token: 'bench' } });
  for (let i = 0; i < 20; i++) out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${i}` } });
  return out;
}
