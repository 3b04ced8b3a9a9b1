// A Deployment's rollout, driven by the fleet's real controllers (kube-controller-manager, kube-scheduler, kwok),
// read back live and assessed: Progressing, then Healthy, then — after a new image that never starts — Degraded,
// with Argo CD's messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterManager } from '../../../electron/services/cluster/cluster-manager';
import { FleetLiveState } from '../../../electron/services/cluster/fleet-live-state';
import { syncApp } from '../../../electron/services/cluster/sync';
import { assessHealth } from '../../../shared/health';
import type { HealthResult, KubeObject } from '../../../shared/model/status';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { fleetAdmin, freshNamespace, useKubeFleet } from '../../helpers/kube-fleet';

let fleet: LocalFleetState;
let manager: ClusterManager;
const ns = freshNamespace('rollout');
/** The Deployment with an image; its Pods become Ready 1.5 s after they start (kwok's pod-ready delay). */
const deployment = (image: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: ns },
  spec: {
    replicas: 2, progressDeadlineSeconds: 4, selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' }, annotations: { 'pod-ready.stage.kwok.x-k8s.io/delay': '1500' } }, spec: { containers: [{ name: 'web', image }] } },
  },
});
let desired: KubeObject[] = [deployment('nginx:1.27')];

async function liveHealth(): Promise<HealthResult> {
  const live = new FleetLiveState(manager, { watch: false });
  try {
    const [r] = await live.read([{ app: 'web', cluster: 'dev', desired }]);
    if (!r || !r.ok) throw new Error('live state not read');
    const obj = r.state.resources.find((x) => x.kind === 'Deployment')?.live;
    if (!obj) throw new Error('no live Deployment');
    return assessHealth(obj);
  } finally {
    live.close();
  }
}

/** Reads health until `until`, returning each distinct result seen, in order. */
async function follow(until: string, timeoutMs = 30_000): Promise<HealthResult[]> {
  const seen: HealthResult[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const h = await liveHealth();
    const last = seen[seen.length - 1];
    if (!last || last.status !== h.status || last.message !== h.message) seen.push(h);
    if (h.status === until || Date.now() > deadline) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  fleet = await useKubeFleet();
  manager = fleetAdmin(fleet);
  const r = await syncApp(manager.connection('dev'), desired, { app: 'web', namespace: ns, createNamespace: true });
  expect(r.phase).toBe('Succeeded');
});

afterAll(() => manager?.close());

describe('health of a rollout on a real API server', () => {
  it('moves through Progressing to Healthy as the controllers roll out, and to Degraded when a new image never starts', async () => {
    const first = await follow('Healthy');
    expect(first[0]!.status).toBe('Progressing');
    expect(first.map((h) => h.message)).toContainEqual(expect.stringMatching(/^Waiting for rollout to finish: (0|1) of 2 updated replicas are available\.\.\.$/));
    expect(first[first.length - 1]!.status).toBe('Healthy');

    desired = [deployment('example.com/web:fail')];
    expect((await syncApp(manager.connection('dev'), desired, { app: 'web', namespace: ns })).phase).toBe('Succeeded');
    const second = await follow('Degraded');
    expect(second[0]!.status).toBe('Progressing');
    expect(second.map((h) => h.message)).toContainEqual('Waiting for rollout to finish: 1 out of 2 new replicas have been updated...');
    expect(second[second.length - 1]).toEqual({ status: 'Degraded', message: 'Deployment "web" exceeded its progress deadline' });
  });
});
