// What a sync needs, asked of a real API server with SelfSubjectAccessReview as the fleet's restricted user: the
// first missing verb on which resource is named, prune is judged apart from the sync, answers are cached per
// cluster and credentials (another user on the same cluster is asked anew), and a cluster that cannot answer is
// `unknown`, never allowed.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearAccessCache, reviewAccess } from '../../../../electron/services/cluster/access-review';
import { ClusterManager } from '../../../../electron/services/cluster/cluster-manager';
import { checkSyncAccess } from '../../../../electron/services/cluster/sync-access';
import { syncApp } from '../../../../electron/services/cluster/sync';
import type { KubeObject } from '../../../../shared/model/status';
import { deadKubeconfig } from '../../../helpers/dead-clusters';
import type { LocalFleetState } from '../../../helpers/kube-fleet';
import { createNamespace, fleetAdmin, freshNamespace, kubeRequest, useKubeFleet } from '../../../helpers/kube-fleet';

let fleet: LocalFleetState;
let admin: ClusterManager;
let restricted: ClusterManager;

const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });
const deployment = (name: string): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
});

/** Grants the restricted user these verbs on these resources in one namespace of staging. */
async function grant(ns: string, name: string, rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[]): Promise<void> {
  const role = await kubeRequest(fleet, 'staging', 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name }, rules });
  expect(role.status).toBe(201);
  const binding = await kubeRequest(fleet, 'staging', 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'User', name: 'flotilla-restricted', apiGroup: 'rbac.authorization.k8s.io' }],
  });
  expect(binding.status).toBe(201);
}

beforeAll(async () => {
  fleet = await useKubeFleet();
  admin = fleetAdmin(fleet, { only: ['staging'] });
  restricted = fleetAdmin(fleet, { only: ['staging'], restricted: true });
});

afterAll(() => {
  admin.close();
  restricted.close();
});

describe('the permissions a sync needs, asked of the API server', () => {
  it('names the first verb on the resource the restricted user lacks, and judges prune apart', async () => {
    const ns = freshNamespace('access');
    await createNamespace(fleet, 'staging', ns);
    await grant(ns, 'cm-editor', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create', 'patch'] }]);
    const conn = restricted.connection('staging');
    const a = await checkSyncAccess(conn, [cm('settings'), deployment('web')], { namespace: ns });
    expect(a.sync.result).toBe('denied');
    expect(a.sync.denied.map((v) => `${v.verb} ${v.group}/${v.resource} ${v.namespace ?? ''}`)).toEqual([`get apps/deployments ${ns}`, `create apps/deployments ${ns}`, `patch apps/deployments ${ns}`]);
    expect(a.sync.reason).toBe(`you may not get deployments.apps in namespace ${ns} on staging (and 2 more: create deployments.apps, patch deployments.apps)`);
    expect(a.sync.checked).toBe(6);
    // Prune: list and delete on every kind; the ConfigMaps may be listed, none may be deleted.
    expect(a.prune.result).toBe('denied');
    expect(a.prune.denied.map((v) => `${v.verb} ${v.resource}`)).toEqual(['delete configmaps', 'list deployments', 'delete deployments']);
    // Only ConfigMaps: the sync is allowed, its prune is not (no delete).
    const onlyCm = await checkSyncAccess(conn, [cm('settings')], { namespace: ns });
    expect(onlyCm.sync).toMatchObject({ result: 'allowed', denied: [], unknown: [] });
    expect(onlyCm.prune.reason).toBe(`you may not delete configmaps in namespace ${ns} on staging`);
    // CreateNamespace asks for namespaces, cluster-wide; Replace=true asks for update instead of patch.
    const replaced = { ...cm('replaced'), metadata: { name: 'replaced', annotations: { 'argocd.argoproj.io/sync-options': 'Replace=true' } } };
    const more = await checkSyncAccess(conn, [replaced], { namespace: ns, syncOptions: ['CreateNamespace=true'] });
    expect(more.sync.denied.map((v) => `${v.verb} ${v.resource} ${v.namespace ?? '(cluster)'}`)).toEqual([`update configmaps ${ns}`, 'get namespaces (cluster)', 'create namespaces (cluster)', 'patch namespaces (cluster)']);
    expect(more.sync.reason).toMatch(/^you may not update configmaps in namespace \S+ on staging \(and 3 more: get namespaces, create namespaces, patch namespaces\)$/);
    // The admin may do all of it.
    const asAdmin = await checkSyncAccess(admin.connection('staging'), [cm('settings'), deployment('web'), replaced], { namespace: ns, syncOptions: ['CreateNamespace=true'] });
    expect([asAdmin.sync.result, asAdmin.prune.result]).toEqual(['allowed', 'allowed']);
  });

  it('needs create only for objects that are not there yet, as the API server authorizes a server-side apply', async () => {
    const ns = freshNamespace('apply-create');
    await createNamespace(fleet, 'staging', ns);
    expect((await kubeRequest(fleet, 'staging', 'POST', `/api/v1/namespaces/${ns}/configmaps`, cm('existing'))).status).toBe(201);
    await grant(ns, 'cm-patcher', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'patch'] }]);
    const conn = restricted.connection('staging');
    expect((await checkSyncAccess(conn, [cm('existing')], { namespace: ns })).sync).toMatchObject({ result: 'allowed', denied: [] });
    const both = await checkSyncAccess(conn, [cm('existing'), cm('new')], { namespace: ns });
    expect(both.sync.reason).toBe(`you may not create configmaps in namespace ${ns} on staging`);
    // The API server agrees: the apply of the existing object passes, the apply that would create is forbidden.
    const applied = await syncApp(conn, [{ ...cm('existing'), data: { a: '2' } }], { app: 'apply-create', namespace: ns, prune: false });
    expect(applied.resources.map((r) => `${r.name}: ${r.action}`)).toEqual(['existing: configured']);
    const refused = await syncApp(conn, [cm('new')], { app: 'apply-create', namespace: ns, prune: false });
    expect(refused.resources[0]!.problem?.message).toMatch(/forbidden.*cannot create resource "configmaps"/);
  });

  it('caches answers per cluster and credentials for a short time', async () => {
    clearAccessCache();
    const ns = freshNamespace('cache');
    await createNamespace(fleet, 'staging', ns);
    const conn = restricted.connection('staging');
    const ask = [{ verb: 'delete', group: '', resource: 'secrets', namespace: ns }];
    expect((await reviewAccess(conn, ask))[0]!.result).toBe('denied');
    await grant(ns, 'secret-deleter', [{ apiGroups: [''], resources: ['secrets'], verbs: ['delete'] }]);
    // The cached denial stands until it expires (or the cache is cleared); a later clock asks again.
    expect((await reviewAccess(conn, ask))[0]!.result).toBe('denied');
    expect((await reviewAccess(conn, ask, { now: () => Date.now() + 31_000 }))[0]!.result).toBe('allowed');
    // Another user of the same cluster is another cache entry.
    expect((await reviewAccess(admin.connection('staging'), ask))[0]!.result).toBe('allowed');
  });

  it('is unknown, never allowed, when the cluster cannot be asked', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-access-dead-'));
    const m = ClusterManager.fromKubeconfig({ kubeconfigPaths: [await deadKubeconfig(dir, ['staging'])], clusters: [{ name: 'staging', context: 'flotilla-staging', labels: {}, annotations: {} }], timeoutMs: 2000 });
    try {
      const a = await checkSyncAccess(m.connection('staging'), [cm('settings')], { namespace: 'shop' });
      expect(a.sync.result).toBe('unknown');
      expect(a.prune.result).toBe('unknown');
      expect(a.sync.reason).toMatch(/^could not check on staging what you may do: .*(ECONNREFUSED|connect)/);
    } finally {
      m.close();
    }
  });
});
