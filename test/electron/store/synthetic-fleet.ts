// A synthetic fleet refresh for store tests and the store benchmark: apps × clusters × resources with desired and
// live manifests shaped like real ones (Deployments with status, Services, ConfigMaps, ServiceAccounts, a Secret).

import type { AppClusterStatus, KubeObject, ResourceStatus } from '../../../shared/model/status';
import type { AppClusterRecord, ResourceManifests, SnapshotInput } from '../../../electron/store/types';

/** The shape of a synthetic refresh. */
export interface SyntheticFleetOptions {
  readonly apps: number;
  readonly clusters: number;
  readonly resourcesPerApp: number;
  /** How many resources (spread over the fleet) are OutOfSync. */
  readonly drifted?: number;
  readonly revision?: string;
  readonly takenAt?: string;
  /** When set, every app × cluster has a Secret holding this value (in data, stringData and last-applied). */
  readonly secretValue?: string;
  /** Bumps every live object's resourceVersion, as a real change would. */
  readonly generation?: number;
}

const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

/** The cluster names of a synthetic fleet, `<env>-<n>`, environments cycling dev, staging, prod. */
export function clusterName(i: number): string {
  return `${ENVIRONMENTS[i % 3]}-${Math.floor(i / 3) + 1}`;
}

/** Builds a snapshot input with `apps × clusters × resourcesPerApp` resources. */
export function syntheticSnapshot(o: SyntheticFleetOptions): SnapshotInput {
  const total = o.apps * o.clusters * o.resourcesPerApp;
  const drifted = o.drifted ?? 0;
  const stride = drifted > 0 ? Math.max(1, Math.floor(total / drifted)) : 0;
  const revision = o.revision ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
  const takenAt = o.takenAt ?? '2026-11-23T12:00:00.000Z';
  const appClusters: AppClusterRecord[] = [];
  let n = 0;
  let driftedSoFar = 0;
  for (let c = 0; c < o.clusters; c++) {
    const cluster = clusterName(c);
    const environment = ENVIRONMENTS[c % 3]!;
    for (let a = 0; a < o.apps; a++) {
      const app = `app-${a}`;
      const resources: ResourceStatus[] = [];
      const manifests: ResourceManifests[] = [];
      for (let r = 0; r < o.resourcesPerApp; r++, n++) {
        const isDrifted = stride > 0 && n % stride === 0 && driftedSoFar < drifted;
        if (isDrifted) driftedSoFar++;
        const { desired, live, status } = resource(app, cluster, r, isDrifted, o.generation ?? 0);
        resources.push(status);
        manifests.push({ group: status.group, ...(status.version ? { version: status.version } : {}), kind: status.kind, namespace: status.namespace, name: status.name, desired, live });
      }
      if (o.secretValue !== undefined) {
        const { desired, live, status } = secret(app, o.secretValue);
        resources.push(status);
        manifests.push({ group: '', version: 'v1', kind: 'Secret', namespace: status.namespace, name: status.name, desired, live });
      }
      const status: AppClusterStatus = {
        app,
        cluster,
        revision,
        sync: resources.some((x) => x.sync === 'OutOfSync') ? 'OutOfSync' : 'Synced',
        health: { status: 'Healthy', message: '' },
        resources,
        observedAt: takenAt,
      };
      appClusters.push({ status, environment, manifests });
    }
  }
  // Round-trip through JSON: objects arrive parsed from the API server's JSON and the renderer's YAML, not built by spreads.
  return JSON.parse(JSON.stringify({ takenAt, appClusters })) as SnapshotInput;
}

const KINDS = ['Deployment', 'Service', 'ConfigMap', 'ServiceAccount'] as const;

function resource(app: string, cluster: string, r: number, drifted: boolean, generation: number): { desired: KubeObject; live: KubeObject; status: ResourceStatus } {
  const kind = KINDS[r % KINDS.length]!;
  const name = `${app}-${kind.toLowerCase()}-${r}`;
  const namespace = app;
  const labels = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': `${app}-${cluster}`, 'app.kubernetes.io/part-of': 'shop' };
  const annotations = { 'argocd.argoproj.io/tracking-id': `${app}-${cluster}:${kind === 'Deployment' ? 'apps' : ''}/${kind}:${namespace}/${name}` };
  const metadata = { name, namespace, labels, annotations };
  let desired: KubeObject;
  let status: Record<string, unknown> | undefined;
  const group = kind === 'Deployment' ? 'apps' : '';
  switch (kind) {
    case 'Deployment':
      desired = {
        apiVersion: 'apps/v1',
        kind,
        metadata,
        spec: {
          replicas: cluster.startsWith('prod') ? 3 : 1,
          selector: { matchLabels: { 'app.kubernetes.io/name': app } },
          template: {
            metadata: { labels: { 'app.kubernetes.io/name': app } },
            spec: {
              serviceAccountName: app,
              containers: [
                {
                  name: 'main',
                  image: `registry.example.com/shop/${app}:1.4.${r % 9}`,
                  ports: [{ containerPort: 8080, protocol: 'TCP' }],
                  env: [{ name: 'CLUSTER', value: cluster }, { name: 'LOG_LEVEL', value: 'info' }],
                  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
                  readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
                },
              ],
            },
          },
        },
      };
      status = {
        observedGeneration: 3,
        replicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        updatedReplicas: 3,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastTransitionTime: '2026-11-20T09:00:00Z' },
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${name}-5d8f7c" has successfully progressed.`, lastTransitionTime: '2026-11-20T09:00:00Z' },
        ],
      };
      break;
    case 'Service':
      desired = { apiVersion: 'v1', kind, metadata, spec: { selector: { 'app.kubernetes.io/name': app }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } };
      break;
    case 'ConfigMap':
      desired = { apiVersion: 'v1', kind, metadata, data: { 'application.yaml': `server:\n  port: 8080\ncluster: ${cluster}\nfeature.flags: a,b,c\n` } };
      break;
    case 'ServiceAccount':
      desired = { apiVersion: 'v1', kind, metadata };
      break;
  }
  const liveSpec = drifted && kind === 'Deployment' ? { ...(desired['spec'] as object), replicas: 5 } : desired['spec'];
  const live: KubeObject = {
    ...desired,
    ...(liveSpec !== undefined ? { spec: liveSpec } : {}),
    metadata: {
      ...(drifted && kind !== 'Deployment' ? { ...metadata, labels: { ...labels, 'edited-by': 'kubectl' } } : metadata),
      uid: `uid-${app}-${cluster}-${r}`,
      resourceVersion: String(100000 + r + generation * 7),
      creationTimestamp: '2026-11-01T10:00:00Z',
      ...(kind === 'Deployment' ? { generation: 3 } : {}),
    },
    ...(status ? { status } : {}),
  };
  const changed = kind === 'Deployment' ? '/spec/replicas' : '/metadata/labels/edited-by';
  const diff = kind === 'Deployment' ? `--- desired\n+++ live\n@@ spec @@\n-  replicas: ${cluster.startsWith('prod') ? 3 : 1}\n+  replicas: 5\n` : `--- desired\n+++ live\n@@ metadata.labels @@\n+    edited-by: kubectl\n`;
  const st: ResourceStatus = {
    group,
    version: 'v1',
    kind,
    namespace,
    name,
    sync: drifted ? 'OutOfSync' : 'Synced',
    health: { status: 'Healthy', message: '' },
    ...(drifted ? { changedPaths: [changed], diff } : {}),
  };
  return { desired, live, status: st };
}

function secret(app: string, value: string): { desired: KubeObject; live: KubeObject; status: ResourceStatus } {
  const b64 = Buffer.from(value, 'utf8').toString('base64');
  const metadata = { name: `${app}-credentials`, namespace: app };
  const desired: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', stringData: { password: value } };
  const applied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', data: { password: b64 } });
  const live: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { ...metadata, uid: `uid-${app}-secret`, resourceVersion: '42', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': applied } },
    type: 'Opaque',
    data: { password: b64, other: Buffer.from(`${value}-old`).toString('base64') },
  };
  const status: ResourceStatus = {
    group: '',
    version: 'v1',
    kind: 'Secret',
    namespace: app,
    name: `${app}-credentials`,
    sync: 'OutOfSync',
    health: { status: 'Healthy', message: '' },
    changedPaths: ['/data/other'],
    changes: [{ path: '/data/other', live: Buffer.from(`${value}-old`).toString('base64') }],
    // A producer that forgot to mask: the store must scrub it.
    diff: `--- desired\n+++ live\n@@ data @@\n+  other: ${Buffer.from(`${value}-old`).toString('base64')}\n   password: ${b64}\n`,
  };
  return { desired, live, status };
}
