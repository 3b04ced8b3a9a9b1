import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAppTree } from '../../../../electron/services/cluster/app-tree';
import { ClusterManager } from '../../../../electron/services/cluster/cluster-manager';
import type { ClusterConnection } from '../../../../electron/services/cluster/connection';
import { resourcePath } from '../../../../electron/services/cluster/discovery';
import type { LiveResource } from '../../../../electron/services/cluster/live-state';
import { treeOrder } from '../../../../shared/fleet/resource-tree';
import { assessHealth } from '../../../../shared/health';
import type { KubeObject } from '../../../../shared/model/status';
import type { LocalFleetState } from '../../../helpers/kube-fleet';
import { createNamespace, freshNamespace, kubeRequest, useKubeFleet } from '../../../helpers/kube-fleet';

// The app page's tree on real controllers: the ReplicaSets and Pods the controller manager and kwok make from an
// app's Deployment are found by owner reference (not by labels alone), with health per node and their events.

let fleet: LocalFleetState;
let admin: ClusterManager;
let dev: ClusterConnection;

beforeAll(async () => {
  fleet = await useKubeFleet();
  admin = ClusterManager.fromKubeconfig({ kubeconfigPaths: [fleet.kubeconfig], clusters: fleet.clusters.map((c) => ({ name: c.name, context: c.context, labels: {}, annotations: {} })) });
  dev = admin.connection('dev');
  await dev.connect();
});

afterAll(() => admin.close());

const deployment = (name: string, replicas: number, image = 'nginx:1.27'): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
  // Both Deployments select the same labels: only owner references tell their ReplicaSets and Pods apart.
  spec: { replicas, selector: { matchLabels: { app: 'shop' } }, template: { metadata: { labels: { app: 'shop', which: name } }, spec: { containers: [{ name: 'main', image }] } } },
});

async function create(ns: string, obj: KubeObject): Promise<void> {
  const info = (await dev.resourceFor(obj.apiVersion ?? '', obj.kind ?? ''))!;
  const r = await kubeRequest(fleet, 'dev', 'POST', resourcePath(info, ns), obj);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}

async function live(ns: string, obj: KubeObject): Promise<LiveResource> {
  const info = (await dev.resourceFor(obj.apiVersion ?? '', obj.kind ?? ''))!;
  const name = String((obj.metadata as { name: string }).name);
  const l = await dev.request<KubeObject>({ path: resourcePath(info, ns, name) });
  return { group: info.group, kind: info.kind, namespace: ns, name, desired: obj, live: { ...l, apiVersion: obj.apiVersion, kind: obj.kind }, extra: false };
}

async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the live resource tree of an app', () => {
  it('hangs ReplicaSets under their Deployment and Pods under their ReplicaSet, by owner, with health and events', async () => {
    const ns = freshNamespace('tree');
    await createNamespace(fleet, 'dev', ns);
    const mine = deployment('web', 2);
    await create(ns, mine);
    await create(ns, deployment('other', 1));
    await create(ns, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'run', image: 'busybox:1.36' }] } } } });
    const job: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' } };
    const tree = await until('two Ready Pods of web with events', async () => {
      const t = await readAppTree(dev, [await live(ns, mine), await live(ns, job)], { app: 'shop', assess: (o) => assessHealth(o) });
      const pods = t.nodes.filter((n) => n.kind === 'Pod');
      return pods.length === 3 && pods.every((p) => p.health?.status === 'Healthy' || (p.info ?? []).includes('Succeeded')) && t.events.some((e) => e.object.kind === 'Pod') ? t : undefined;
    });
    expect(tree.problems).toEqual([]);
    const order = treeOrder(tree.nodes).map(({ node, depth }) => `${'  '.repeat(depth)}${node.kind} ${node.health?.status ?? ''}`);
    expect(order).toEqual([
      'Deployment Healthy',
      '  ReplicaSet Healthy',
      '    Pod Healthy',
      '    Pod Healthy',
      expect.stringMatching(/^Job (Healthy|Progressing)$/),
      expect.stringMatching(/^ {2}Pod /),
    ]);
    // The other Deployment's ReplicaSet and Pod share every selected label, yet are not in the tree.
    expect(tree.nodes.filter((n) => n.name.startsWith('other'))).toEqual([]);
    const rs = tree.nodes.find((n) => n.kind === 'ReplicaSet')!;
    expect(rs.managed).toBe(false);
    expect(tree.nodes.filter((n) => n.kind === 'Pod' && n.parent === rs.uid)).toHaveLength(2);
    expect(tree.nodes.find((n) => n.kind === 'Pod' && n.parent === rs.uid)!.containers).toEqual(['main']);
    // Events of the Deployment (ScalingReplicaSet), its ReplicaSet (SuccessfulCreate) and Pods (Scheduled), none of "other".
    const reasons = new Set(tree.events.map((e) => `${e.object.kind}:${e.reason}`));
    expect(reasons).toContain('Deployment:ScalingReplicaSet');
    expect(reasons).toContain('ReplicaSet:SuccessfulCreate');
    expect(reasons).toContain('Pod:Scheduled');
    expect(tree.events.every((e) => !e.object.name.startsWith('other'))).toBe(true);
    // One list per child kind, namespace and selector: RS and Pods by web's selector, Pods of the RS and of the Job.
    expect(tree.lists).toBeLessThanOrEqual(4);
  });

  it('lists a namespace once for many owners of one child kind, still keeping only what each owner owns', async () => {
    const ns = freshNamespace('wide');
    await createNamespace(fleet, 'dev', ns);
    const own = [0, 1, 2, 3, 4, 5].map((i): KubeObject => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${i}` },
      spec: { replicas: 1, selector: { matchLabels: { app: `web-${i}` } }, template: { metadata: { labels: { app: `web-${i}` } }, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } } },
    }));
    for (const d of own) await create(ns, d);
    // Not the app's, in the same namespace: listed with the namespace, never shown.
    await create(ns, deployment('stranger', 1));
    const tree = await until('six Ready Pods', async () => {
      const t = await readAppTree(dev, await Promise.all(own.map((d) => live(ns, d))), { app: 'shop', assess: (o) => assessHealth(o) });
      return t.nodes.filter((n) => n.kind === 'Pod' && n.health?.status === 'Healthy').length === 6 ? t : undefined;
    });
    expect(tree.problems).toEqual([]);
    // Six selectors per level: one list of ReplicaSets and one of Pods in the namespace, not twelve.
    expect(tree.lists).toBe(2);
    expect(tree.nodes.filter((n) => n.name.startsWith('stranger'))).toEqual([]);
    const order = treeOrder(tree.nodes).map(({ node, depth }) => `${depth} ${node.kind} ${node.name}`);
    expect(order).toEqual(own.flatMap((_, i) => [`0 Deployment web-${i}`, expect.stringMatching(new RegExp(`^1 ReplicaSet web-${i}-[a-z0-9]+$`)), expect.stringMatching(new RegExp(`^2 Pod web-${i}-[a-z0-9]+-[a-z0-9]+$`))]));
  });

  it('shows a desired object that is not on the cluster as a Missing root without children', async () => {
    const ns = freshNamespace('miss');
    await createNamespace(fleet, 'dev', ns);
    const d = deployment('absent', 1);
    const t = await readAppTree(dev, [{ group: 'apps', kind: 'Deployment', namespace: ns, name: 'absent', desired: d, extra: false }], { app: 'shop', assess: (o) => assessHealth(o) });
    expect(t.nodes).toMatchObject([{ kind: 'Deployment', name: 'absent', namespace: ns, managed: true, health: { status: 'Missing' } }]);
    expect(t.events).toEqual([]);
  });
});
