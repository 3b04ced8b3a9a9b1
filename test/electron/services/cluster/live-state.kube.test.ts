import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArgoApplications } from '../../../../electron/services/cluster/argocd';
import { ClusterManager } from '../../../../electron/services/cluster/cluster-manager';
import { FleetLiveState } from '../../../../electron/services/cluster/fleet-live-state';
import type { AppLiveState } from '../../../../electron/services/cluster/live-state';
import { LiveStore } from '../../../../electron/services/cluster/live-state';
import { syncApp } from '../../../../electron/services/cluster/sync';
import { INSTANCE_LABEL, TRACKING_ID_ANNOTATION } from '../../../../electron/services/cluster/tracking';
import type { KubeObject } from '../../../../shared/model/status';
import type { LocalFleetState } from '../../../helpers/kube-fleet';
import { createNamespace, fleetAdmin, freshNamespace, kubeRequest, useKubeFleet } from '../../../helpers/kube-fleet';

let fleet: LocalFleetState;
let admin: ClusterManager;
const stores: LiveStore[] = [];

const cm = (name: string, data: Record<string, string>, metadata: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...metadata }, data });

/** A store closed after the file's tests. */
function store(cluster: string, opts: ConstructorParameters<typeof LiveStore>[1] = {}): LiveStore {
  const s = new LiveStore(admin.connection(cluster), opts);
  stores.push(s);
  return s;
}

/** `Kind/name` of each resource with its role (desired+live, missing, extra). */
const summary = (s: AppLiveState): string[] =>
  s.resources.map((r) => `${r.kind}/${r.name}: ${r.extra ? 'extra' : r.live ? 'live' : 'missing'}`).sort();

beforeAll(async () => {
  fleet = await useKubeFleet();
  admin = fleetAdmin(fleet);
});

afterAll(() => {
  for (const s of stores) s.close();
  admin.close();
});

describe('live state of an app on a real cluster', () => {
  it('reads the live object of each desired object and the extra objects tracked as the app’s', async () => {
    const ns = freshNamespace('live');
    await createNamespace(fleet, 'prod', ns);
    const conn = admin.connection('prod');
    await syncApp(conn, [cm('a', { v: '1' }), cm('gone-from-git', { v: '1' })], { app: 'shop', namespace: ns, prune: false });
    // Objects Argo CD would have made: tracked by annotation, by another app, and an untracked one.
    await kubeRequest(fleet, 'prod', 'POST', `/api/v1/namespaces/${ns}/configmaps`, cm('by-argo', { v: '1' }, { annotations: { [TRACKING_ID_ANNOTATION]: `shop:/ConfigMap:${ns}/by-argo` } }));
    await kubeRequest(fleet, 'prod', 'POST', `/api/v1/namespaces/${ns}/configmaps`, cm('other-app', { v: '1' }, { annotations: { [TRACKING_ID_ANNOTATION]: `cart:/ConfigMap:${ns}/other-app` } }));
    await kubeRequest(fleet, 'prod', 'POST', `/api/v1/namespaces/${ns}/configmaps`, cm('untracked', { v: '1' }));

    const s = store('prod');
    const state = await s.liveState('shop', [cm('a', { v: '2' }), cm('not-yet', { v: '1' })], ns);
    expect(state.cluster).toBe('prod');
    expect(state.problems).toEqual([]);
    expect(summary(state)).toEqual(['ConfigMap/a: live', 'ConfigMap/by-argo: extra', 'ConfigMap/gone-from-git: extra', 'ConfigMap/not-yet: missing']);
    const a = state.resources.find((r) => r.name === 'a')!;
    expect(a.namespace).toBe(ns);
    expect((a.live as { data: unknown }).data).toEqual({ v: '1' });
    expect((a.desired as { data: unknown }).data).toEqual({ v: '2' });
  });

  it('tracks by the app.kubernetes.io/instance label when configured so', async () => {
    const ns = freshNamespace('label');
    await createNamespace(fleet, 'prod', ns);
    await kubeRequest(fleet, 'prod', 'POST', `/api/v1/namespaces/${ns}/configmaps`, cm('labelled', { v: '1' }, { labels: { [INSTANCE_LABEL]: 'billing' } }));
    await kubeRequest(fleet, 'prod', 'POST', `/api/v1/namespaces/${ns}/configmaps`, cm('annotated', { v: '1' }, { annotations: { [TRACKING_ID_ANNOTATION]: `billing:/ConfigMap:${ns}/annotated` } }));
    const s = store('prod', { tracking: { method: 'label' } });
    const state = await s.liveState('billing', [], ns);
    expect(summary(state)).toEqual(['ConfigMap/labelled: extra']);
  });

  it('keeps the live state fresh through a watch: another client’s change reaches the subscriber', async () => {
    const ns = freshNamespace('watch');
    await createNamespace(fleet, 'dev', ns);
    await syncApp(admin.connection('dev'), [cm('watched', { v: '1' })], { app: 'watcher', namespace: ns });
    const s = store('dev');
    const desired = [cm('watched', { v: '1' })];
    await s.liveState('watcher', desired, ns);
    const listsBefore = s.stats.lists;
    const updates: AppLiveState[] = [];
    s.watchApp('watcher', desired, (st) => updates.push(st), ns);

    await kubeRequest(fleet, 'dev', 'PATCH', `/api/v1/namespaces/${ns}/configmaps/watched`, { data: { v: '2' } }, { contentType: 'application/merge-patch+json' });
    await expect.poll(() => updates.map((u) => (u.resources[0]?.live as { data?: { v?: string } } | undefined)?.data?.v), { timeout: 2000, interval: 20 }).toContain('2');

    // An object another tool creates with the app's tracking mark shows up as extra; deleting it removes it.
    await kubeRequest(fleet, 'dev', 'POST', `/api/v1/namespaces/${ns}/configmaps`, cm('sneaky', { v: '1' }, { annotations: { [TRACKING_ID_ANNOTATION]: `watcher:/ConfigMap:${ns}/sneaky` } }));
    await expect.poll(() => updates.length > 0 && summary(updates[updates.length - 1]!).includes('ConfigMap/sneaky: extra'), { timeout: 2000, interval: 20 }).toBe(true);
    await kubeRequest(fleet, 'dev', 'DELETE', `/api/v1/namespaces/${ns}/configmaps/sneaky`);
    await expect.poll(() => summary(updates[updates.length - 1]!), { timeout: 2000, interval: 20 }).toEqual(['ConfigMap/watched: live']);
    expect(s.stats.lists).toBe(listsBefore);
    expect(s.stats.relists).toBe(0);
  });

  it('reports a kind the restricted user may not read on the resources that need it', async () => {
    const ns = freshNamespace('denied');
    await createNamespace(fleet, 'staging', ns);
    const limited = ClusterManager.fromKubeconfig({ kubeconfigPaths: [fleet.kubeconfig], clusters: [{ name: 'staging', context: 'flotilla-staging-restricted', labels: {}, annotations: {} }] });
    try {
      const s = new LiveStore(limited.connection('staging'), { trackedKinds: [{ group: 'apps', kind: 'Deployment' }] });
      const state = await s.liveState('shop', [cm('x', { v: '1' })], ns);
      s.close();
      expect([...state.problems].sort((a, b) => a.severity.localeCompare(b.severity))).toEqual([
        expect.objectContaining({ severity: 'error', cluster: 'staging', message: expect.stringMatching(/cannot list ConfigMap in namespace .*forbidden/) }),
        expect.objectContaining({ severity: 'warning', cluster: 'staging', message: expect.stringMatching(/cannot list apps\/Deployment in namespace .*forbidden.*extra objects of this kind are not searched/) }),
      ]);
      expect(state.resources).toEqual([expect.objectContaining({ kind: 'ConfigMap', name: 'x', extra: false, problem: expect.objectContaining({ cluster: 'staging', app: 'shop', resource: `/ConfigMap/${ns}/x` }) })]);
      expect(state.resources[0]!.live).toBeUndefined();
    } finally {
      limited.close();
    }
  });
});

describe('live state across the fleet', () => {
  it('reads each app on its cluster in one pass, and a cluster that cannot be reached costs only its own apps', async () => {
    const ns = freshNamespace('fleet');
    for (const c of ['dev', 'prod']) {
      await createNamespace(fleet, c, ns);
      await syncApp(admin.connection(c), [cm('shared', { cluster: c })], { app: `shop-${c}`, namespace: ns });
    }
    const m = ClusterManager.fromKubeconfig({
      kubeconfigPaths: [fleet.kubeconfig],
      clusters: [
        { name: 'dev', context: 'flotilla-dev', labels: {}, annotations: {} },
        { name: 'prod', context: 'flotilla-prod', labels: {}, annotations: {} },
        { name: 'edge', context: 'flotilla-edge', labels: {}, annotations: {} },
      ],
    });
    const live = new FleetLiveState(m);
    try {
      const results = await live.read([
        { app: 'shop-dev', cluster: 'dev', desired: [cm('shared', {})], namespace: ns },
        { app: 'shop-prod', cluster: 'prod', desired: [cm('shared', {})], namespace: ns },
        { app: 'shop-edge', cluster: 'edge', desired: [cm('shared', {})], namespace: ns },
        { app: 'shop-qa', cluster: 'qa', desired: [cm('shared', {})], namespace: ns },
      ]);
      const byApp = new Map(results.map((r) => [r.app, r]));
      for (const c of ['dev', 'prod']) {
        const r = byApp.get(`shop-${c}`)!;
        expect(r.ok).toBe(true);
        if (r.ok) expect((r.state.resources[0]!.live as { data: unknown }).data).toEqual({ cluster: c });
      }
      expect(byApp.get('shop-edge')).toMatchObject({ ok: false, problem: { cluster: 'edge', app: 'shop-edge', message: expect.stringContaining('flotilla-edge') } });
      expect(byApp.get('shop-qa')).toMatchObject({ ok: false, problem: { cluster: 'qa', message: 'unknown cluster qa' } });
    } finally {
      live.close();
      m.close();
    }
  });
});

describe('Argo CD awareness', () => {
  // Absence is tested on the private fleet of unreachable.kube.test.ts: another file may install the CRD here.
  it('reads sync and health of the Argo CD Applications where the Application CRD is present', async () => {
    const prod = admin.connection('prod');
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'applications.argoproj.io' },
      spec: {
        group: 'argoproj.io', scope: 'Namespaced', names: { plural: 'applications', singular: 'application', kind: 'Application', listKind: 'ApplicationList' },
        versions: [{ name: 'v1alpha1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    const created = await kubeRequest(fleet, 'prod', 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    expect([201, 409]).toContain(created.status);
    const ns = freshNamespace('argocd');
    await createNamespace(fleet, 'prod', ns);
    const app = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'shop-prod' }, spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' } } };
    // The CRD takes a moment to be served after it is created (longer on a loaded machine: the API server re-reads
    // its discovery and starts the CRD's handler).
    await expect.poll(async () => (await kubeRequest(fleet, 'prod', 'POST', `/apis/argoproj.io/v1alpha1/namespaces/${ns}/applications`, app)).status, { timeout: 90_000, interval: 250 }).toBe(201);
    const status = { status: { sync: { status: 'OutOfSync', revision: 'abc123' }, health: { status: 'Degraded', message: 'Deployment web exceeded its progress deadline' } } };
    const patched = await kubeRequest(fleet, 'prod', 'PATCH', `/apis/argoproj.io/v1alpha1/namespaces/${ns}/applications/shop-prod/status`, status, { contentType: 'application/merge-patch+json' });
    expect(patched.status).toBe(200);

    const argo = await readArgoApplications(prod);
    expect(argo.present).toBe(true);
    expect(argo.apps.find((a) => a.namespace === ns)).toEqual({
      cluster: 'prod', name: 'shop-prod', namespace: ns, sync: 'OutOfSync', health: 'Degraded', revision: 'abc123',
      healthMessage: 'Deployment web exceeded its progress deadline', destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
    });
  }, 150_000);
});
