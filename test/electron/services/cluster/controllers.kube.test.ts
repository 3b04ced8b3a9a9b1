import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterManager } from '../../../../electron/services/cluster/cluster-manager';
import type { ClusterConnection } from '../../../../electron/services/cluster/connection';
import { resourcePath } from '../../../../electron/services/cluster/discovery';
import { assessHealth } from '../../../../shared/health';
import type { HealthStatus, KubeObject } from '../../../../shared/model/status';
import type { LocalFleetState } from '../../../helpers/kube-fleet';
import { createNamespace, fleetAdmin, freshNamespace, kubeRequest, useKubeFleet } from '../../../helpers/kube-fleet';

// The fleet reconciles like a production cluster: kube-controller-manager, kube-scheduler and kwok (stages in
// electron/services/cluster/kwok/stages.yaml) move workloads Progressing → Healthy or Degraded by themselves.

let fleet: LocalFleetState;
let admin: ClusterManager;
let dev: ClusterConnection;

beforeAll(async () => {
  fleet = await useKubeFleet();
  admin = fleetAdmin(fleet);
  dev = admin.connection('dev');
  await dev.connect();
});

afterAll(() => admin.close());

const podSpec = (image: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ containers: [{ name: 'main', image }], ...extra });

/** Creates an object and follows its health until `until`, returning every distinct status seen in order. */
async function follow(ns: string, obj: KubeObject, until: HealthStatus, timeoutMs = 30_000): Promise<{ seen: HealthStatus[]; last: KubeObject; message?: string }> {
  const info = (await dev.resourceFor(obj.apiVersion ?? '', obj.kind ?? ''))!;
  const created = await kubeRequest(fleet, 'dev', 'POST', resourcePath(info, ns), obj);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const seen: HealthStatus[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = await dev.request<KubeObject>({ path: resourcePath(info, ns, String((obj.metadata as { name: string }).name)) });
    const h = assessHealth(live);
    if (seen[seen.length - 1] !== h.status) seen.push(h.status);
    if (h.status === until || Date.now() > deadline) return { seen, last: live, ...(h.message ? { message: h.message } : {}) };
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the local fleet runs controllers, a scheduler and kwok nodes', () => {
  it('has Ready fake Nodes on every cluster', async () => {
    for (const c of fleet.clusters) {
      const nodes = await kubeRequest(fleet, c.name, 'GET', '/api/v1/nodes');
      const ready = (nodes.body.items as { status: { conditions: { type: string; status: string }[] } }[]).filter((n) => n.status.conditions.some((x) => x.type === 'Ready' && x.status === 'True'));
      expect(ready.length, c.name).toBeGreaterThanOrEqual(3);
    }
  });

  it('rolls a Deployment out: ReplicaSet, scheduled Ready Pods, Progressing → Healthy', async () => {
    const ns = freshNamespace('roll');
    await createNamespace(fleet, 'dev', ns);
    const r = await follow(ns, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec('nginx:1.27') } },
    }, 'Healthy');
    expect(r.seen[0]).toBe('Progressing');
    expect(r.seen[r.seen.length - 1]).toBe('Healthy');
    const pods = (await kubeRequest(fleet, 'dev', 'GET', `/api/v1/namespaces/${ns}/pods`)).body.items as { metadata: { ownerReferences: { kind: string }[] }; spec: { nodeName: string }; status: { phase: string } }[];
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.metadata.ownerReferences[0]!.kind).toBe('ReplicaSet');
      expect(p.spec.nodeName).toMatch(/^kwok-node-/);
      expect(p.status.phase).toBe('Running');
    }
  });

  it("serves a Pod's logs through the API server from kwok's simulated kubelet", async () => {
    const ns = freshNamespace('logs');
    await createNamespace(fleet, 'dev', ns);
    await follow(ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'talker' }, spec: podSpec('busybox:1.36') }, 'Healthy');
    const server = fleet.clusters.find((c) => c.name === 'dev')!.server;
    const logs = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      https.get(`${server}/api/v1/namespaces/${ns}/pods/talker/log?container=main`, { headers: { Authorization: `Bearer ${fleet.adminToken}` }, rejectUnauthorized: false }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      }).on('error', reject);
    });
    expect(logs).toEqual({ status: 200, text: 'simulated by kwok: container started\nsimulated by kwok: serving on cluster dev\n' });
  });

  it('fails a rollout whose image never starts: Degraded after the progress deadline, the Pod waiting with ErrImagePull', async () => {
    const ns = freshNamespace('bad');
    await createNamespace(fleet, 'dev', ns);
    const r = await follow(ns, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'broken' },
      spec: { replicas: 1, progressDeadlineSeconds: 3, selector: { matchLabels: { app: 'broken' } }, template: { metadata: { labels: { app: 'broken' } }, spec: podSpec('example.com/app:fail') } },
    }, 'Degraded');
    expect(r.seen).toEqual(['Progressing', 'Degraded']);
    expect(r.message).toMatch(/progress deadline|timed out/i);
    const pods = (await kubeRequest(fleet, 'dev', 'GET', `/api/v1/namespaces/${ns}/pods`)).body.items as { status: { containerStatuses: { state: { waiting?: { reason: string; message: string } } }[] } }[];
    expect(pods[0]!.status.containerStatuses[0]!.state.waiting).toMatchObject({ reason: 'ErrImagePull', message: expect.stringContaining('example.com/app:fail') });
  });

  it('runs Jobs to completion, and a crashing one to failure', async () => {
    const ns = freshNamespace('jobs');
    await createNamespace(fleet, 'dev', ns);
    const job = (name: string, image: string): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec: { backoffLimit: 0, template: { spec: podSpec(image, { restartPolicy: 'Never' }) } } });
    const [ok, bad] = await Promise.all([follow(ns, job('migrate', 'busybox:1.36'), 'Healthy'), follow(ns, job('explode', 'busybox:crash'), 'Degraded')]);
    expect(ok.seen).toEqual(['Progressing', 'Healthy']);
    expect(bad.seen).toEqual(['Progressing', 'Degraded']);
  });

  it('brings StatefulSets and DaemonSets to Healthy through their controllers', async () => {
    const ns = freshNamespace('sets');
    await createNamespace(fleet, 'dev', ns);
    const tpl = { metadata: { labels: { app: 'x' } }, spec: podSpec('redis:7') };
    const [sts, ds] = await Promise.all([
      follow(ns, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { replicas: 2, serviceName: 'db', selector: { matchLabels: { app: 'x' } }, template: tpl } }, 'Healthy'),
      follow(ns, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'x' } }, template: tpl } }, 'Healthy'),
    ]);
    expect(sts.seen).toEqual(['Progressing', 'Healthy']);
    expect(ds.seen[ds.seen.length - 1]).toBe('Healthy');
    expect((ds.last as { status: { numberReady: number } }).status.numberReady).toBeGreaterThanOrEqual(3);
  });
});
