import { describe, expect, it } from 'vitest';
import { syncApp } from '../../../../electron/services/cluster/sync';
import type { ResourceSyncResult } from '../../../../electron/services/cluster/sync';
import type { KubeObject } from '../../../../shared/model/status';
import { createNamespace, freshNamespace, kubeRequest, useFleetAdmin } from '../../../helpers/kube-fleet';

// Argo CD's sync options, per resource (`argocd.argoproj.io/sync-options`) and per Application (`syncPolicy.syncOptions`).

const kube = useFleetAdmin();

const OPTS = 'argocd.argoproj.io/sync-options';
const cm = (name: string, data: Record<string, string>, annotations: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, annotations }, data });
const deployment = (name: string, replicas: number, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, annotations },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
});
const actions = (rs: readonly ResourceSyncResult[]): string[] => rs.map((r) => `${r.kind}/${r.name}: ${r.action}`);
const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => await kubeRequest(kube.fleet, 'dev', 'GET', path);
const uidOf = async (path: string): Promise<string> => ((await get(path)).body.metadata as { uid: string }).uid;
const managers = async (path: string): Promise<string[]> => ((await get(path)).body.metadata as { managedFields: { manager: string }[] }).managedFields.map((m) => m.manager).sort();

describe('sync options of the Application', () => {
  it('CreateNamespace=true creates the destination namespace with managedNamespaceMetadata', async () => {
    const ns = freshNamespace('cns');
    const res = await syncApp(kube.dev, [cm('a', { v: '1' })], {
      app: 'cns', namespace: ns, syncOptions: ['CreateNamespace=true'],
      managedNamespaceMetadata: { labels: { team: 'payments' }, annotations: { owner: 'ops@example.com' } },
    });
    expect(actions(res.resources)).toEqual([`Namespace/${ns}: created`, 'ConfigMap/a: created']);
    const meta = (await get(`/api/v1/namespaces/${ns}`)).body.metadata as { labels: Record<string, string>; annotations: Record<string, string> };
    expect(meta.labels.team).toBe('payments');
    expect(meta.annotations.owner).toBe('ops@example.com');
    // Without it, the dry run fails on the missing namespace and nothing is applied.
    const other = freshNamespace('nons');
    const refused = await syncApp(kube.dev, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${other}-x` } }, cm('a', { v: '1' })], { app: 'nons', namespace: other });
    expect(refused.phase).toBe('Failed');
    expect(actions(refused.resources)).toEqual([`Namespace/${other}-x: skipped`, 'ConfigMap/a: failed']);
    expect((await get(`/api/v1/namespaces/${other}-x`)).status).toBe(404);
  });

  it('PrunePropagationPolicy=orphan leaves the pruned Deployment’s ReplicaSet; the default (foreground) removes it', async () => {
    const ns = freshNamespace('ppp');
    await createNamespace(kube.fleet, 'dev', ns);
    const wait = { timeoutMs: 30_000 };
    await syncApp(kube.dev, [deployment('kept-rs', 1), deployment('gone-rs', 1)], { app: 'ppp', namespace: ns, waitForHealthy: wait });
    await syncApp(kube.dev, [deployment('gone-rs', 1)], { app: 'ppp', namespace: ns, syncOptions: ['PrunePropagationPolicy=orphan'] });
    await syncApp(kube.dev, [], { app: 'ppp', namespace: ns });
    await expect.poll(async () => ((await get(`/apis/apps/v1/namespaces/${ns}/replicasets`)).body.items as { metadata: { labels: { app: string } } }[]).map((r) => r.metadata.labels.app), { timeout: 15_000 }).toEqual(['kept-rs']);
  });

  it('ApplyOutOfSyncOnly=true leaves resources that are in sync alone', async () => {
    const ns = freshNamespace('oos');
    await createNamespace(kube.fleet, 'dev', ns);
    for (const name of ['plain', 'only']) {
      await kubeRequest(kube.fleet, 'dev', 'POST', `/api/v1/namespaces/${ns}/configmaps?fieldManager=kubectl-create`, cm(name, { v: '1' }, { 'argocd.argoproj.io/tracking-id': `oos:/ConfigMap:${ns}/${name}` }));
    }
    const desired = (name: string): KubeObject => cm(name, { v: '1' }, {});
    const plain = await syncApp(kube.dev, [desired('plain')], { app: 'oos', namespace: ns, prune: false });
    const only = await syncApp(kube.dev, [desired('only')], { app: 'oos', namespace: ns, prune: false, syncOptions: ['ApplyOutOfSyncOnly=true'] });
    expect(actions(only.resources)).toEqual(['ConfigMap/only: unchanged']);
    expect(only.resources[0]!.message).toMatch(/ApplyOutOfSyncOnly/);
    expect(plain.resources[0]!.action).not.toBe('failed');
    expect(await managers(`/api/v1/namespaces/${ns}/configmaps/plain`)).toContain('flotilla');
    expect(await managers(`/api/v1/namespaces/${ns}/configmaps/only`)).toEqual(['kubectl-create']);
  });

  it('RespectIgnoreDifferences=true keeps the live value of an ignored field (replicas scaled by someone else)', async () => {
    const ns = freshNamespace('rid');
    await createNamespace(kube.fleet, 'dev', ns);
    await syncApp(kube.dev, [deployment('scaled', 1), deployment('reset', 1)], { app: 'rid', namespace: ns });
    for (const name of ['scaled', 'reset']) {
      await kubeRequest(kube.fleet, 'dev', 'PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/${name}/scale?fieldManager=hpa`, { spec: { replicas: 3 } }, { contentType: 'application/merge-patch+json' });
    }
    const ignoreDifferences = [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }];
    await syncApp(kube.dev, [deployment('scaled', 1)], { app: 'rid', namespace: ns, prune: false, ignoreDifferences, syncOptions: ['RespectIgnoreDifferences=true'] });
    await syncApp(kube.dev, [deployment('reset', 1)], { app: 'rid', namespace: ns, prune: false, ignoreDifferences });
    const replicas = async (n: string): Promise<number> => ((await get(`/apis/apps/v1/namespaces/${ns}/deployments/${n}`)).body.spec as { replicas: number }).replicas;
    expect(await replicas('scaled')).toBe(3);
    expect(await replicas('reset')).toBe(1);
  });
});

describe('sync options of a resource', () => {
  it('Prune=false keeps an object that is no longer desired; PruneLast=true prunes after the last wave', async () => {
    const ns = freshNamespace('prune');
    await createNamespace(kube.fleet, 'dev', ns);
    await syncApp(kube.dev, [cm('keep', { a: '1' }, { [OPTS]: 'Prune=false' }), cm('last', { a: '1' }, { [OPTS]: 'PruneLast=true' }), cm('now', { a: '1' })], { app: 'pr', namespace: ns });
    const res = await syncApp(kube.dev, [cm('late', { a: '1' }, { 'argocd.argoproj.io/sync-wave': '2' })], { app: 'pr', namespace: ns });
    expect(res.phase).toBe('Succeeded');
    expect(res.resources.map((r) => `${r.wave} ${r.kind}/${r.name}: ${r.action}`)).toEqual(['0 ConfigMap/keep: skipped', '0 ConfigMap/now: pruned', '2 ConfigMap/late: created', '3 ConfigMap/last: pruned']);
    expect(res.resources[0]!.message).toMatch(/Prune=false/);
    expect((await get(`/api/v1/namespaces/${ns}/configmaps/keep`)).status).toBe(200);
    await expect.poll(async () => (await get(`/api/v1/namespaces/${ns}/configmaps/last`)).status, { timeout: 10_000 }).toBe(404);
  });

  it('Replace=true replaces the object (fields others set are gone); Force=true deletes and creates it', async () => {
    const ns = freshNamespace('replace');
    await createNamespace(kube.fleet, 'dev', ns);
    const names = ['applied', 'replaced', 'forced'];
    const opts: Record<string, Record<string, string>> = { applied: {}, replaced: { [OPTS]: 'Replace=true' }, forced: { [OPTS]: 'Replace=true,Force=true' } };
    await syncApp(kube.dev, names.map((n) => cm(n, { v: '1' }, opts[n])), { app: 'rep', namespace: ns });
    const uids: Record<string, string> = {};
    for (const n of names) {
      await kubeRequest(kube.fleet, 'dev', 'PATCH', `/api/v1/namespaces/${ns}/configmaps/${n}?fieldManager=someone`, { metadata: { labels: { extra: 'yes' } } }, { contentType: 'application/merge-patch+json' });
      uids[n] = await uidOf(`/api/v1/namespaces/${ns}/configmaps/${n}`);
    }
    const res = await syncApp(kube.dev, names.map((n) => cm(n, { v: '2' }, opts[n])), { app: 'rep', namespace: ns });
    expect(actions(res.resources)).toEqual(['ConfigMap/applied: configured', 'ConfigMap/forced: replaced', 'ConfigMap/replaced: replaced']);
    const live = async (n: string): Promise<{ labels?: Record<string, string>; uid: string }> => (await get(`/api/v1/namespaces/${ns}/configmaps/${n}`)).body.metadata as { labels?: Record<string, string>; uid: string };
    expect((await live('applied')).labels).toEqual({ extra: 'yes' });
    expect((await live('replaced')).labels).toBeUndefined();
    expect((await live('replaced')).uid).toBe(uids.replaced);
    expect((await live('forced')).uid).not.toBe(uids.forced);
  });

  it('Force=true with apply recreates an object whose immutable field changed; without it the dry run refuses', async () => {
    const ns = freshNamespace('force');
    await createNamespace(kube.fleet, 'dev', ns);
    const secret = (name: string, v: string, annotations: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, annotations }, immutable: true, stringData: { v } } as KubeObject);
    await syncApp(kube.dev, [secret('plain', '1'), secret('forced', '1', { [OPTS]: 'Force=true' })], { app: 'force', namespace: ns });
    const before = await uidOf(`/api/v1/namespaces/${ns}/secrets/forced`);
    const refused = await syncApp(kube.dev, [secret('plain', '2'), secret('forced', '2', { [OPTS]: 'Force=true' })], { app: 'force', namespace: ns });
    expect(actions(refused.resources)).toEqual(['Secret/forced: skipped', 'Secret/plain: failed']);
    expect(refused.resources[1]!.problem!.message).toMatch(/immutable/i);
    const res = await syncApp(kube.dev, [secret('plain', '1'), secret('forced', '2', { [OPTS]: 'Force=true' })], { app: 'force', namespace: ns });
    expect(actions(res.resources)).toEqual(['Secret/forced: configured', 'Secret/plain: unchanged']);
    expect(await uidOf(`/api/v1/namespaces/${ns}/secrets/forced`)).not.toBe(before);
  });

  it('ServerSideApply=true applies server-side with the flotilla field manager (as every apply does)', async () => {
    const ns = freshNamespace('ssa');
    await syncApp(kube.dev, [cm('ssa', { v: '1' }, { [OPTS]: 'ServerSideApply=true' })], { app: 'ssa', namespace: ns, createNamespace: true });
    const mf = ((await get(`/api/v1/namespaces/${ns}/configmaps/ssa`)).body.metadata as { managedFields: { manager: string; operation: string }[] }).managedFields;
    expect(mf).toContainEqual(expect.objectContaining({ manager: 'flotilla', operation: 'Apply' }));
  });

  it('Validate=false lets the API server drop unknown fields that it otherwise refuses', async () => {
    const ns = freshNamespace('validate');
    await createNamespace(kube.fleet, 'dev', ns);
    const typo = (name: string, annotations: Record<string, string>): KubeObject => ({ ...cm(name, { v: '1' }, annotations), extra: 'field' } as KubeObject);
    const strict = await syncApp(kube.dev, [typo('strict', {})], { app: 'val', namespace: ns });
    expect(strict.resources[0]!.problem!.message).toMatch(/\.extra: field not declared in schema/);
    const loose = await syncApp(kube.dev, [typo('loose', { [OPTS]: 'Validate=false' })], { app: 'val2', namespace: ns });
    expect(actions(loose.resources)).toEqual(['ConfigMap/loose: created']);
  });

  it('SkipDryRunOnMissingResource=true syncs a custom resource whose CRD another app installs meanwhile', async () => {
    const ns = freshNamespace('skipdry');
    await createNamespace(kube.fleet, 'dev', ns);
    const group = `${ns}.example.com`;
    const gadget = (annotations: Record<string, string>): KubeObject => ({ apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'g', annotations: { 'argocd.argoproj.io/sync-wave': '1', ...annotations } }, spec: { size: 1 } });
    const refused = await syncApp(kube.dev, [cm('before', { a: '1' }), gadget({})], { app: 'skip', namespace: ns });
    expect(actions(refused.resources)).toEqual(['ConfigMap/before: skipped', 'Gadget/g: failed']);
    expect(refused.resources[1]!.problem!.message).toMatch(/not served/);
    const syncing = syncApp(kube.dev, [cm('before', { a: '1' }), gadget({ [OPTS]: 'SkipDryRunOnMissingResource=true' })], { app: 'skip', namespace: ns });
    const crd = await kubeRequest(kube.fleet, 'dev', 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `gadgets.${group}` },
      spec: { group, scope: 'Namespaced', names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    });
    expect(crd.status).toBe(201);
    const res = await syncing;
    expect(actions(res.resources)).toEqual(['ConfigMap/before: created', 'Gadget/g: created']);
  });
});
