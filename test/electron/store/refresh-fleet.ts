// A synthetic refresh shaped like what `flotilla refresh` records for the benchmark fleet (bench/synthetic-fleet.ts,
// 10,000 apps × 3 clusters, bench/fleet-refresh.bench.ts): each app × cluster renders 5 objects (Deployment,
// Service, two ConfigMaps, HorizontalPodAutoscaler); a few apps are deployed (live objects, as the API server
// returns them, a Service OutOfSync on one field), the rest are Missing, whose status carries the whole desired
// object as its change and diff. Statuses come from the real comparison (compareAppDetailed) and the snapshot from
// the real conversion (snapshotFromComparison), so what the store is given has a refresh's shape and sizes.

import { snapshotFromComparison } from '../../../electron/services/fleet-refresh';
import type { FleetComparison, FleetComparisonRow } from '../../../electron/services/fleet-compare';
import type { SnapshotInput } from '../../../electron/store/types';
import { compareAppDetailed } from '../../../shared/diff/compare-app';
import { assessHealth } from '../../../shared/health';
import type { KubeObject } from '../../../shared/model/status';

/** The shape of a refresh-like snapshot. */
export interface RefreshFleetOptions {
  readonly apps: number;
  /** Clusters, one per environment (dev, staging, prod, then again). */
  readonly clusters: number;
  /** Every `deployEvery`-th app is deployed (live objects); the others are Missing. Default 10 (1,000 of 10,000); 0: none. */
  readonly deployEvery?: number;
  readonly revision?: string;
  readonly takenAt?: string;
  /** Bumps the image tag of app `app-<n>` for each n listed (a changed desired state). */
  readonly changedApps?: readonly number[];
}

const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
const pad = (n: number, w = 3): string => String(n).padStart(w, '0');

/** The cluster names of a refresh-like fleet (`dev-01`, `staging-01`, `prod-01`, `dev-02`, …). */
export function refreshClusterName(i: number): string {
  return `${ENVIRONMENTS[i % 3]}-${pad(Math.floor(i / 3) + 1, 2)}`;
}

/** The comparison a refresh of the synthetic fleet gives: one row per app × cluster, compared for real. */
export function refreshComparison(o: RefreshFleetOptions): FleetComparison {
  const revision = o.revision ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
  const observedAt = o.takenAt ?? '2026-11-23T12:00:00.000Z';
  const deployEvery = o.deployEvery ?? 10;
  const changed = new Set(o.changedApps ?? []);
  const rows: FleetComparisonRow[] = [];
  const clusters = Array.from({ length: o.clusters }, (_, c) => refreshClusterName(c));
  for (let a = 1; a <= o.apps; a++) {
    clusters.forEach((cluster, c) => {
      const e = c % 3;
      const env = ENVIRONMENTS[e]!;
      const name = `app-${pad(a)}-${cluster}`;
      const desired = desiredObjects(a, e, env, changed.has(a));
      const deployed = deployEvery > 0 && a % deployEvery === 1 % deployEvery;
      const live = desired.map((d) => (deployed ? liveObject(d, name, a, c) : undefined));
      const comparison = compareAppDetailed({
        app: name, cluster, revision, desired, live, extra: [], assessHealth: (x) => assessHealth(x), namespace: `app-${pad(a)}`, observedAt,
      });
      rows.push({ app: name, cluster, status: comparison.status, appset: 'apps', labels: {}, desired, comparison });
    });
  }
  const environments = new Map(clusters.map((c, i) => [c, ENVIRONMENTS[i % 3]!] as const));
  return { revision, clusters, rows, problems: [], environments, failedChecks: [] };
}

/** A refresh-like snapshot (objects parsed afresh from JSON, as a new refresh reads them). */
export function refreshSnapshot(o: RefreshFleetOptions): SnapshotInput {
  const input = JSON.parse(JSON.stringify(snapshotFromComparison(refreshComparison(o), false))) as SnapshotInput;
  return { takenAt: o.takenAt ?? '2026-11-23T12:00:00.000Z', ...input };
}

/** What kustomize renders from the synthetic fleet's base and overlay for one app on one environment. */
function desiredObjects(a: number, e: number, env: string, bumped: boolean): KubeObject[] {
  const app = `app-${pad(a)}`;
  const namespace = app;
  const labels = { app };
  const envCm = `${env}-${app}-env-${hashSuffix(a, e)}`;
  const image = `registry.example.com/team-${a % 7}/${app}:1.${a % 10}.${e}${bumped ? '-1' : ''}`;
  const selector = { component: 'web', app };
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: envCm, namespace }, data: { ENVIRONMENT: env, LOG_LEVEL: e === 0 ? 'debug' : 'info' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${env}-${app}-settings`, labels, namespace }, data: { FEATURE_FLAGS: 'search,checkout', TIMEOUT: '30s' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: `${env}-${app}`, labels, namespace }, spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `${env}-${app}`, annotations: { team: `team-${a % 7}` }, labels, namespace },
      spec: {
        replicas: e + 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            containers: [
              {
                name: 'main',
                image,
                ports: [{ containerPort: 8080, name: 'http' }],
                envFrom: [{ configMapRef: { name: envCm } }],
                env: [{ name: 'APP_NAME', value: app }],
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: `${256 * (e + 1)}Mi` } },
              },
              { name: 'sidecar', image: 'registry.example.com/proxy:2.1.0', args: ['--port=9000', '--upstream=http://localhost:8080'] },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: `${env}-${app}`, labels, namespace },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `${env}-${app}` }, minReplicas: 1, maxReplicas: 5 * (e + 1), metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 75 } } }] },
    },
  ];
}

/** A kustomize-like ConfigMap name suffix (10 characters). */
function hashSuffix(a: number, e: number): string {
  return ((a * 2654435761 + e * 40503) >>> 0).toString(36).padStart(10, 'k').slice(0, 10);
}

/**
 * The object the API server returns for an applied desired object: server metadata, managed fields, status. The
 * Service was applied headless (as the benchmark deploys it), so it is OutOfSync on `clusterIP`, which Git does not set.
 */
function liveObject(d: KubeObject, appName: string, a: number, c: number): KubeObject {
  const md = d.metadata as Record<string, unknown>;
  const kind = d.kind;
  const spec = kind === 'Service' ? { ...(d['spec'] as object), clusterIP: 'None', clusterIPs: ['None'], type: 'ClusterIP', sessionAffinity: 'None' } : d['spec'];
  const status =
    kind === 'Deployment' ? { observedGeneration: 1, replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastTransitionTime: '2026-11-20T09:00:00Z', lastUpdateTime: '2026-11-20T09:00:00Z' }] }
    : kind === 'HorizontalPodAutoscaler' ? { currentReplicas: 1, desiredReplicas: 0, conditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', lastTransitionTime: '2026-11-20T09:00:00Z' }] }
    : kind === 'Service' ? { loadBalancer: {} }
    : undefined;
  return {
    ...d,
    ...(spec !== undefined ? { spec } : {}),
    metadata: {
      ...md,
      uid: `${a}-${c}-${String(md['name'])}`,
      resourceVersion: String(1000 + a),
      creationTimestamp: '2026-11-20T09:00:00Z',
      generation: 1,
      managedFields: [{ manager: 'flotilla', operation: 'Apply', apiVersion: String(d.apiVersion), time: '2026-11-20T09:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, ...(kind === 'Service' ? { 'f:spec': { 'f:clusterIP': {} } } : {}) } }],
      annotations: { ...((md['annotations'] as object | undefined) ?? {}), 'argocd.argoproj.io/tracking-id': `${appName}:${String(d.apiVersion).includes('/') ? String(d.apiVersion).split('/')[0] : ''}/${kind}:${String(md['namespace'])}/${String(md['name'])}` },
    },
    ...(status ? { status } : {}),
  };
}
