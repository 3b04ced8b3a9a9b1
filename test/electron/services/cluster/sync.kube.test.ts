import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterManager } from '../../../../electron/services/cluster/cluster-manager';
import type { ClusterConnection } from '../../../../electron/services/cluster/connection';
import { syncApp } from '../../../../electron/services/cluster/sync';
import type { ResourceSyncResult } from '../../../../electron/services/cluster/sync';
import { TRACKING_ID_ANNOTATION } from '../../../../electron/services/cluster/tracking';
import { unchangedByWrite } from '../../../../electron/services/cluster/write-outcome';
import type { KubeObject } from '../../../../shared/model/status';
import type { LocalFleetState } from '../../../helpers/kube-fleet';
import { createNamespace, fleetAdmin, freshNamespace, kubeRequest, useKubeFleet } from '../../../helpers/kube-fleet';

let fleet: LocalFleetState;
let admin: ClusterManager;
let restricted: ClusterManager;
let dev: ClusterConnection;

const cm = (name: string, data: Record<string, string>, annotations: Record<string, string> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(Object.keys(annotations).length ? { annotations } : {}) }, data });
const deployment = (name: string, replicas: number): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
});

/** The sync action of each resource, as `Kind/name: action`. */
const actions = (rs: readonly ResourceSyncResult[]): string[] => rs.map((r) => `${r.kind}/${r.name}: ${r.action}`).sort();

beforeAll(async () => {
  fleet = await useKubeFleet();
  admin = fleetAdmin(fleet);
  restricted = fleetAdmin(fleet, { restricted: true });
  dev = admin.connection('dev');
});

afterAll(() => {
  admin.close();
  restricted.close();
});

describe('what a write changed, told from the object read before it and the answer', () => {
  it('another manager\'s write between the read and an unchanged apply is not the apply\'s; a changed field or a dry run of one is', async () => {
    const ns = freshNamespace('outcome');
    // Its own app name: the other tests' syncs of `shop` prune what is tracked as theirs.
    expect((await syncApp(dev, [cm('settings', { color: 'blue' })], { app: 'outcome', namespace: ns, createNamespace: true })).phase).toBe('Succeeded');
    const path = `/api/v1/namespaces/${ns}/configmaps/settings`;
    const apply = async (data: Record<string, string>, dryRun = false): Promise<KubeObject> => {
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns, annotations: { [TRACKING_ID_ANNOTATION]: `outcome:/ConfigMap:${ns}/settings` } }, data };
      const res = await kubeRequest(fleet, 'dev', 'PATCH', `${path}?fieldManager=flotilla&force=true${dryRun ? '&dryRun=All' : ''}`, body, { contentType: 'application/apply-patch+yaml' });
      expect(res.status).toBe(200);
      return res.body as KubeObject;
    };
    const before = (await kubeRequest(fleet, 'dev', 'GET', path)).body as KubeObject;
    // Another client labels and annotates the object after the sync read it, then the sync applies what it applied before.
    const other = await kubeRequest(fleet, 'dev', 'PATCH', `${path}?fieldManager=someone-else`, { metadata: { labels: { team: 'web' }, annotations: { 'example.com/note': 'x' } } }, { contentType: 'application/merge-patch+json' });
    expect(other.status).toBe(200);
    const after = await apply({ color: 'blue' });
    expect(after.metadata?.['resourceVersion']).not.toBe(before.metadata?.['resourceVersion']);
    expect((after.metadata?.['labels'] as Record<string, string>)['team']).toBe('web');
    expect(unchangedByWrite(after, before, 'flotilla', { dryRun: false })).toBe(true);
    // Nothing written at all: the same resourceVersion.
    const same = await apply({ color: 'blue' });
    expect(same.metadata?.['resourceVersion']).toBe(after.metadata?.['resourceVersion']);
    expect(unchangedByWrite(same, after, 'flotilla', { dryRun: false })).toBe(true);
    // A dry run keeps the resourceVersion whatever it would change: compared field by field.
    const dry = await apply({ color: 'green' }, true);
    expect(dry.metadata?.['resourceVersion']).toBe(after.metadata?.['resourceVersion']);
    expect(unchangedByWrite(dry, after, 'flotilla', { dryRun: true })).toBe(false);
    expect(unchangedByWrite(await apply({ color: 'blue' }, true), after, 'flotilla', { dryRun: true })).toBe(true);
    // A field the sync applies, changed, or one it no longer applies (removed), is its change.
    const green = await apply({ color: 'green' });
    expect(unchangedByWrite(green, after, 'flotilla', { dryRun: false })).toBe(false);
    const fewer = await apply({});
    expect(unchangedByWrite(fewer, green, 'flotilla', { dryRun: false })).toBe(false);
  });
});

describe('sync with server-side apply on a real cluster', () => {
  it('creates the objects with the tracking annotation, then re-applies as a no-op', async () => {
    const ns = freshNamespace('sync');
    const desired = [cm('settings', { color: 'blue' }), deployment('web', 2)];
    const first = await syncApp(dev, desired, { app: 'shop', namespace: ns, createNamespace: true });
    expect(first.phase).toBe('Succeeded');
    expect(actions(first.resources)).toEqual(['ConfigMap/settings: created', 'Deployment/web: created', `Namespace/${ns}: created`]);

    const live = await kubeRequest(fleet, 'dev', 'GET', `/api/v1/namespaces/${ns}/configmaps/settings`);
    const meta = live.body.metadata as { annotations: Record<string, string>; managedFields: { manager: string; operation: string }[]; resourceVersion: string };
    expect(meta.annotations[TRACKING_ID_ANNOTATION]).toBe(`shop:/ConfigMap:${ns}/settings`);
    expect(meta.managedFields).toContainEqual(expect.objectContaining({ manager: 'flotilla', operation: 'Apply' }));
    const dep = await kubeRequest(fleet, 'dev', 'GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`);
    expect((dep.body.metadata as { annotations: Record<string, string> }).annotations[TRACKING_ID_ANNOTATION]).toBe(`shop:apps/Deployment:${ns}/web`);

    // The deployment controller writes its revision annotation onto the new Deployment at about this time: a write of
    // its between the re-sync's read and its apply is not the sync's, which changes nothing.
    const again = await syncApp(dev, desired, { app: 'shop', namespace: ns, createNamespace: true });
    expect(again.phase).toBe('Succeeded');
    expect(actions(again.resources)).toEqual(['ConfigMap/settings: unchanged', 'Deployment/web: unchanged']);
    const after = await kubeRequest(fleet, 'dev', 'GET', `/api/v1/namespaces/${ns}/configmaps/settings`);
    expect((after.body.metadata as { resourceVersion: string }).resourceVersion).toBe(meta.resourceVersion);

    const changed = await syncApp(dev, [cm('settings', { color: 'green' }), deployment('web', 2)], { app: 'shop', namespace: ns });
    expect(actions(changed.resources)).toEqual(['ConfigMap/settings: configured', 'Deployment/web: unchanged']);
  });

  it('reports in a dry run what would change without changing anything', async () => {
    const ns = freshNamespace('dry');
    await createNamespace(fleet, 'dev', ns);
    await syncApp(dev, [cm('a', { v: '1' }), cm('b', { v: '1' })], { app: 'dry', namespace: ns });
    const plan = await syncApp(dev, [cm('a', { v: '1' }), cm('b', { v: '2' }), cm('c', { v: '1' })], { app: 'dry', namespace: ns, dryRun: true });
    expect(plan.dryRun).toBe(true);
    expect(actions(plan.resources)).toEqual(['ConfigMap/a: unchanged', 'ConfigMap/b: configured', 'ConfigMap/c: created']);
    const b = await kubeRequest(fleet, 'dev', 'GET', `/api/v1/namespaces/${ns}/configmaps/b`);
    expect(b.body.data).toEqual({ v: '1' });
    expect((await kubeRequest(fleet, 'dev', 'GET', `/api/v1/namespaces/${ns}/configmaps/c`)).status).toBe(404);
  });

  it("prunes only objects tracked as this app's", async () => {
    const ns = freshNamespace('prune');
    await createNamespace(fleet, 'dev', ns);
    await syncApp(dev, [cm('keep', { a: '1' }), cm('old', { a: '1' })], { app: 'shop', namespace: ns });
    await syncApp(dev, [cm('theirs', { a: '1' })], { app: 'other', namespace: ns });
    // Hand-made objects: one untracked, one whose copied annotation names another object (not a valid claim).
    await kubeRequest(fleet, 'dev', 'POST', `/api/v1/namespaces/${ns}/configmaps`, cm('manual', { a: '1' }));
    await kubeRequest(fleet, 'dev', 'POST', `/api/v1/namespaces/${ns}/configmaps`, cm('copied', { a: '1' }, { [TRACKING_ID_ANNOTATION]: `shop:/ConfigMap:${ns}/old` }));

    const res = await syncApp(dev, [cm('keep', { a: '1' })], { app: 'shop', namespace: ns });
    expect(res.phase).toBe('Succeeded');
    expect(actions(res.resources)).toEqual(['ConfigMap/keep: unchanged', 'ConfigMap/old: pruned']);
    // Pruned with foreground propagation (Argo CD's default): the garbage collector removes it.
    const names = async (): Promise<string[]> => ((await kubeRequest(fleet, 'dev', 'GET', `/api/v1/namespaces/${ns}/configmaps`)).body.items as { metadata: { name: string } }[]).map((i) => i.metadata.name).sort();
    await expect.poll(names, { timeout: 10_000 }).toEqual(['copied', 'keep', 'manual', 'theirs']);

    const noPrune = await syncApp(dev, [], { app: 'other', namespace: ns, prune: false });
    expect(noPrune.resources).toEqual([]);
    expect((await kubeRequest(fleet, 'dev', 'GET', `/api/v1/namespaces/${ns}/configmaps/theirs`)).status).toBe(200);
  });

  it('applies sync waves in order, and kinds in Argo CD order within a wave', async () => {
    const ns = freshNamespace('waves');
    const seen: string[] = [];
    // Watch the namespace from before the sync: ADDED events arrive in the order the objects were created.
    const { LiveStore } = await import('../../../../electron/services/cluster/live-state');
    const store = new LiveStore(dev, { trackedKinds: [{ group: '', kind: 'ConfigMap' }, { group: '', kind: 'Secret' }, { group: '', kind: 'Namespace' }] });
    await store.prepare([{ desired: [], namespace: ns }]);
    store.onChange((c) => {
      if (c.type === 'ADDED' && (c.key.namespace === ns || c.key.name === ns)) seen.push(`${c.key.kind}/${c.key.name}`);
    });
    const desired: KubeObject[] = [
      cm('late', { w: '5' }, { 'argocd.argoproj.io/sync-wave': '5' }),
      cm('early', { w: '-1' }, { 'argocd.argoproj.io/sync-wave': '-1' }),
      cm('zero', { w: '0' }),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'zero-secret' }, stringData: { k: 'v' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, annotations: { 'argocd.argoproj.io/sync-wave': '-2' } } },
    ];
    const res = await syncApp(dev, desired, { app: 'waves', namespace: ns });
    expect(res.phase).toBe('Succeeded');
    await expect.poll(() => seen.length, { timeout: 5000 }).toBe(5);
    store.close();
    expect(seen).toEqual([`Namespace/${ns}`, 'ConfigMap/early', 'Secret/zero-secret', 'ConfigMap/zero', 'ConfigMap/late']);
  });

  it('applies nothing when the dry run refuses one resource (all or nothing), naming the forbidden one', async () => {
    const ns = freshNamespace('rbac');
    await createNamespace(fleet, 'staging', ns);
    // Grant the restricted user ConfigMaps (not Secrets) in this namespace only.
    await kubeRequest(fleet, 'staging', 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm-editor' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }],
    });
    await kubeRequest(fleet, 'staging', 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'cm-editor' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-editor' },
      subjects: [{ kind: 'User', name: 'flotilla-restricted', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    const conn = restricted.connection('staging');
    const desired: KubeObject[] = [cm('allowed', { a: '1' }), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'denied' }, stringData: { password: 'hunter2' } }];
    const res = await syncApp(conn, desired, { app: 'rbac', namespace: ns });
    expect(res.phase).toBe('Failed');
    expect(res.message).toBe('dry run failed for Secret/denied: nothing was applied');
    expect(actions(res.resources)).toEqual(['ConfigMap/allowed: skipped', 'Secret/denied: failed']);
    const denied = res.resources.find((r) => r.kind === 'Secret')!;
    expect(denied.problem).toMatchObject({ cluster: 'staging', app: 'rbac', resource: `/Secret/${ns}/denied` });
    expect(denied.problem!.message).toMatch(/dry run failed: .*forbidden/);
    expect(denied.problem!.message).not.toContain('hunter2');
    expect((await kubeRequest(fleet, 'staging', 'GET', `/api/v1/namespaces/${ns}/configmaps/allowed`)).status).toBe(404);

    // What the user may apply, applies; pruning with the restricted user searches the app's namespace instead.
    expect(actions((await syncApp(conn, [cm('allowed', { a: '1' })], { app: 'rbac', namespace: ns })).resources)).toEqual(['ConfigMap/allowed: created']);
    const pruned = await syncApp(conn, [], { app: 'rbac', namespace: ns });
    expect(actions(pruned.resources)).toEqual(['ConfigMap/allowed: pruned']);
  });

  it('applies nothing of an app whose object the API server refuses as invalid', async () => {
    const ns = freshNamespace('invalid');
    const bad: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typo', annotations: { 'argocd.argoproj.io/sync-wave': '3' } }, data: { a: '1' }, datta: { b: '2' } } as KubeObject;
    const res = await syncApp(dev, [cm('first', { a: '1' }), bad], { app: 'invalid', namespace: ns, createNamespace: true });
    expect(res.phase).toBe('Failed');
    expect(actions(res.resources)).toEqual(['ConfigMap/first: skipped', 'ConfigMap/typo: failed', `Namespace/${ns}: skipped`]);
    expect(res.resources.find((r) => r.name === 'typo')!.problem!.message).toMatch(/\.datta: field not declared in schema/);
    // Not even the namespace was created.
    expect((await kubeRequest(fleet, 'dev', 'GET', `/api/v1/namespaces/${ns}`)).status).toBe(404);
  });

  it('waits for a wave to be healthy before the next one when asked, and stops at a wave that fails', async () => {
    const ns = freshNamespace('health');
    const failing = { ...deployment('db', 1), spec: { ...(deployment('db', 1) as { spec: Record<string, unknown> }).spec, progressDeadlineSeconds: 2, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:fail' }] } } } } as KubeObject;
    const after = cm('after-db', { w: '1' }, { 'argocd.argoproj.io/sync-wave': '1' });
    // The image never starts: the rollout passes its progress deadline, Degraded, and wave 1 is never applied.
    const stuck = await syncApp(dev, [failing, after], { app: 'gated', namespace: ns, createNamespace: true, waitForHealthy: { timeoutMs: 30_000, intervalMs: 100 } });
    expect(stuck.phase).toBe('Failed');
    expect(actions(stuck.resources)).toEqual(['ConfigMap/after-db: skipped', 'Deployment/db: created', `Namespace/${ns}: created`]);
    expect(stuck.message).toMatch(/^Sync wave 0 did not become healthy \(Deployment\/db: Degraded .*progress/);
    expect((await kubeRequest(fleet, 'dev', 'GET', `/api/v1/namespaces/${ns}/configmaps/after-db`)).status).toBe(404);

    // With an image that starts, the controllers make the rollout Available and the next wave goes on after it.
    const t0 = Date.now();
    const done = await syncApp(dev, [deployment('db', 2), after], { app: 'gated', namespace: ns, waitForHealthy: { timeoutMs: 30_000, intervalMs: 100 } });
    expect(done.message).toBeUndefined();
    expect(done.phase).toBe('Succeeded');
    expect(actions(done.resources)).toEqual(['ConfigMap/after-db: created', 'Deployment/db: configured']);
    expect(done.waitedMs).toBeGreaterThan(0);
    expect(done.waitedMs).toBeLessThanOrEqual(Date.now() - t0);
    const cmMade = new Date(((await kubeRequest(fleet, 'dev', 'GET', `/api/v1/namespaces/${ns}/configmaps/after-db`)).body.metadata as { creationTimestamp: string }).creationTimestamp).getTime();
    const dep = (await kubeRequest(fleet, 'dev', 'GET', `/apis/apps/v1/namespaces/${ns}/deployments/db`)).body as { status: { availableReplicas: number; conditions: { type: string; reason: string; lastUpdateTime: string }[] } };
    expect(dep.status.availableReplicas).toBe(2);
    const progressed = dep.status.conditions.find((c) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable')!;
    // Second-precision timestamps: the ConfigMap is no older than the moment the rollout completed.
    expect(cmMade).toBeGreaterThanOrEqual(new Date(progressed.lastUpdateTime).getTime());
  });

  it('applies a CustomResourceDefinition and its custom resources in one sync', async () => {
    const ns = freshNamespace('crd');
    const group = `${ns}.example.com`;
    const desired: KubeObject[] = [
      { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'gear' }, spec: { teeth: 12 } },
      {
        apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `widgets.${group}` },
        spec: {
          group, scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
        },
      },
    ];
    const res = await syncApp(dev, desired, { app: 'widgets', namespace: ns, createNamespace: true });
    expect(res.phase).toBe('Succeeded');
    expect(actions(res.resources)).toEqual(['CustomResourceDefinition/widgets.' + group + ': created', `Namespace/${ns}: created`, 'Widget/gear: created']);
    const gear = await kubeRequest(fleet, 'dev', 'GET', `/apis/${group}/v1/namespaces/${ns}/widgets/gear`);
    expect(gear.body.spec).toEqual({ teeth: 12 });
  });

  it('syncs every cluster of the fleet in parallel with a result per cluster', async () => {
    const ns = freshNamespace('fleet');
    const results = await admin.forEachCluster((c) => syncApp(c, [cm('everywhere', { cluster: c.name })], { app: 'fleetwide', namespace: ns, createNamespace: true }));
    expect(results.map((r) => [r.cluster, r.ok && r.value.phase])).toEqual([['dev', 'Succeeded'], ['staging', 'Succeeded'], ['prod', 'Succeeded']]);
    for (const c of ['dev', 'staging', 'prod']) {
      const got = await kubeRequest(fleet, c, 'GET', `/api/v1/namespaces/${ns}/configmaps/everywhere`);
      expect(got.body.data).toEqual({ cluster: c });
    }
  });
});
