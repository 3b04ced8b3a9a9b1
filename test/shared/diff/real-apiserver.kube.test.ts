// The diff engine against objects as a real kube-apiserver returns them after Flotilla's server-side apply:
// real defaults, real managedFields, real tracking annotations. The server's own dry run is the referee.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterManager } from '../../../electron/services/cluster/cluster-manager';
import { LiveStore } from '../../../electron/services/cluster/live-state';
import { syncApp } from '../../../electron/services/cluster/sync';
import { compareApp } from '../../../shared/diff/compare-app';
import { assessHealth } from '../../../shared/health';
import type { AppClusterStatus, KubeObject } from '../../../shared/model/status';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { createNamespace, fleetAdmin, freshNamespace, kubeRequest, useKubeFleet } from '../../helpers/kube-fleet';

let fleet: LocalFleetState;
let admin: ClusterManager;
const stores: LiveStore[] = [];

const labels = { 'app.kubernetes.io/name': 'web', team: 'shop' };

function manifests(over: { replicas?: number; labels?: Record<string, string>; password?: string; image?: string } = {}): KubeObject[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: over.labels ?? labels },
      spec: {
        replicas: over.replicas ?? 2,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
        template: {
          metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
          spec: {
            containers: [
              {
                name: 'web',
                image: over.image ?? 'nginx:1.27',
                ports: [{ containerPort: 80 }],
                env: [{ name: 'MODE', value: 'prod' }],
                resources: { requests: { cpu: '0.25', memory: '128Mi' }, limits: { cpu: 1 } },
              },
            ],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { 'app.kubernetes.io/name': 'web' }, ports: [{ port: 80, targetPort: 80 }] } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data: { 'nginx.conf': 'worker_processes 2;\n' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-db' }, type: 'Opaque', stringData: { password: over.password ?? 'first-password-1234' } },
  ];
}

async function status(ns: string, desired: KubeObject[], ignoreDifferences?: unknown[]): Promise<AppClusterStatus> {
  const s = new LiveStore(admin.connection('dev'), { watch: false });
  stores.push(s);
  // One app per namespace: each test's app is its own (a sync prunes only its app's objects).
  const live = await s.liveState(ns, desired, ns);
  const ours = live.resources.filter((r) => !r.extra);
  return compareApp({
    app: ns,
    cluster: 'dev',
    revision: 'test',
    namespace: ns,
    desired: ours.map((r) => r.desired!),
    live: ours.map((r) => r.live),
    liveErrors: ours.map((r) => r.problem?.message),
    extra: live.resources.filter((r) => r.extra).map((r) => r.live!),
    ...(ignoreDifferences ? { ignoreDifferences } : {}),
    assessHealth,
    observedAt: live.observedAt,
  });
}

/** What the API server's own dry run of Flotilla's apply says would change, per kind. */
async function serverSays(ns: string, desired: KubeObject[]): Promise<Record<string, string>> {
  const r = await syncApp(admin.connection('dev'), desired, { app: ns, namespace: ns, dryRun: true, prune: false });
  return Object.fromEntries(r.resources.map((x) => [x.kind, x.action]));
}

beforeAll(async () => {
  fleet = await useKubeFleet();
  admin = fleetAdmin(fleet);
});

afterAll(() => {
  for (const s of stores) s.close();
  admin.close();
});

describe('sync status against a real API server', () => {
  it('finds a freshly applied app Synced, and agrees with the server-side dry run', async () => {
    const ns = freshNamespace('diff');
    await createNamespace(fleet, 'dev', ns);
    await syncApp(admin.connection('dev'), manifests(), { app: ns, namespace: ns });
    const s = await status(ns, manifests());
    expect(s.resources.map((r) => `${r.kind} ${r.sync}`)).toEqual(['Deployment Synced', 'Service Synced', 'ConfigMap Synced', 'Secret Synced']);
    expect(s.sync).toBe('Synced');
    expect(await serverSays(ns, manifests())).toEqual({ Deployment: 'unchanged', Service: 'unchanged', ConfigMap: 'unchanged', Secret: 'unchanged' });
  });

  it('sees Git changes as drift where the server would change the object, and only there', async () => {
    const ns = freshNamespace('diff');
    await createNamespace(fleet, 'dev', ns);
    await syncApp(admin.connection('dev'), manifests(), { app: ns, namespace: ns });
    // Git now: 3 replicas, the `team` label removed (Flotilla applied it, so applying removes it), a new password.
    const next = manifests({ replicas: 3, labels: { 'app.kubernetes.io/name': 'web' }, password: 'second-password-5678' });
    const s = await status(ns, next);
    expect(s.sync).toBe('OutOfSync');
    const dep = s.resources.find((r) => r.kind === 'Deployment')!;
    expect(dep.changes).toEqual([
      { path: '/metadata/labels/team', live: 'shop' },
      { path: '/spec/replicas', live: 2, desired: 3 },
    ]);
    const secret = s.resources.find((r) => r.kind === 'Secret')!;
    expect(secret.changes).toEqual([{ path: '/data/password', live: '++++++++++++', desired: '++++++++' }]);
    expect(JSON.stringify(s)).not.toContain('password-');
    expect(JSON.stringify(s)).not.toContain(Buffer.from('second-password-5678').toString('base64'));
    expect(await serverSays(ns, next)).toEqual({ Deployment: 'configured', Service: 'unchanged', ConfigMap: 'unchanged', Secret: 'configured' });
  });

  it('does not count another manager\'s additions as drift, but does count its edits of fields Git sets', async () => {
    const ns = freshNamespace('diff');
    await createNamespace(fleet, 'dev', ns);
    await syncApp(admin.connection('dev'), manifests(), { app: ns, namespace: ns });
    const patch = (body: unknown): Promise<{ status: number }> =>
      kubeRequest(fleet, 'dev', 'PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/web?fieldManager=kubectl-edit`, body, { contentType: 'application/merge-patch+json' });
    expect((await patch({ metadata: { annotations: { 'example.com/oncall': 'alice' } }, spec: { template: { spec: { terminationGracePeriodSeconds: 45 } } } })).status).toBe(200);
    expect((await status(ns, manifests())).sync).toBe('Synced');
    expect((await patch({ spec: { replicas: 5 } })).status).toBe(200);
    const s = await status(ns, manifests());
    expect(s.resources.find((r) => r.kind === 'Deployment')!.changes).toEqual([{ path: '/spec/replicas', live: 5, desired: 2 }]);
    // ... unless ignoreDifferences names that manager.
    const ignored = await status(ns, manifests(), [{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kubectl-edit'] }]);
    expect(ignored.sync).toBe('Synced');
  });

  it('marks objects missing from the cluster and tracked objects gone from Git as extra', async () => {
    const ns = freshNamespace('diff');
    await createNamespace(fleet, 'dev', ns);
    const withOld = [...manifests(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old-config' }, data: { a: '1' } }];
    await syncApp(admin.connection('dev'), withOld.filter((o) => o.kind !== 'Service'), { app: ns, namespace: ns });
    const s = await status(ns, manifests());
    expect(s.sync).toBe('OutOfSync');
    expect(s.resources.filter((r) => r.missing).map((r) => `${r.kind}/${r.name}`)).toEqual(['Service/web']);
    expect(s.resources.filter((r) => r.extra).map((r) => `${r.kind}/${r.name}`)).toEqual(['ConfigMap/old-config']);
    expect(s.health.status).toBe('Missing');
  });
});
