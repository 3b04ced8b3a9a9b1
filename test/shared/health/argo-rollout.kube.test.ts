// An Argo Rollout on the fleet: the Rollout CRD the sandbox installs (synced here), the Rollout synced, and this test playing the Rollouts
// controller as it works — a ReplicaSet per pod-template hash (whose Pods the real ReplicaSet controller, scheduler and
// kwok bring up), then the Rollout's status from what that ReplicaSet reports. Health is read back live: Progressing,
// Healthy, then — a new image that never starts — Degraded once the progress deadline passes.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterManager } from '../../../electron/services/cluster/cluster-manager';
import { readAppTree } from '../../../electron/services/cluster/app-tree';
import { ROLLOUT_CRD } from '../../../electron/services/cluster/sandbox-crds';
import { syncApp } from '../../../electron/services/cluster/sync';
import { treeOrder } from '../../../shared/fleet/resource-tree';
import { assessHealth } from '../../../shared/health';
import type { HealthStatus, KubeObject } from '../../../shared/model/status';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { fleetAdmin, freshNamespace, kubeRequest, useKubeFleet } from '../../helpers/kube-fleet';

let fleet: LocalFleetState;
let manager: ClusterManager;
const ns = freshNamespace('rollouts');
const ROLLOUTS = `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts`;

const rollout = (image: string): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web' },
  spec: {
    replicas: 2, progressDeadlineSeconds: 3, selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
    strategy: { canary: { steps: [] } },
  },
});

/** One reconcile of the Rollouts controller: the ReplicaSet of the current template, and the status it implies. */
async function reconcile(startedAt: Map<string, number>): Promise<void> {
  const ro = (await kubeRequest(fleet, 'dev', 'GET', `${ROLLOUTS}/web`)).body as { metadata: { generation: number; uid: string }; spec: { replicas: number; progressDeadlineSeconds: number; template: { metadata: { labels: Record<string, string> }; spec: unknown } }; status?: { stableRS?: string } };
  const hash = createHash('sha256').update(JSON.stringify(ro.spec.template)).digest('hex').slice(0, 10);
  const rsName = `web-${hash}`;
  const labels = { ...ro.spec.template.metadata.labels, 'rollouts-pod-template-hash': hash };
  const rs = await kubeRequest(fleet, 'dev', 'POST', `/apis/apps/v1/namespaces/${ns}/replicasets`, {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: rsName, labels, ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: ro.metadata.uid, controller: true }] },
    spec: { replicas: ro.spec.replicas, selector: { matchLabels: labels }, template: { ...ro.spec.template, metadata: { labels } } },
  });
  if (rs.status === 201) startedAt.set(hash, Date.now());
  // Older ReplicaSets are scaled down once the new one is available (a canary with no steps).
  const live = (await kubeRequest(fleet, 'dev', 'GET', `/apis/apps/v1/namespaces/${ns}/replicasets/${rsName}`)).body as { status: { replicas?: number; availableReplicas?: number } };
  const available = live.status.availableReplicas ?? 0;
  const complete = available >= ro.spec.replicas;
  const timedOut = !complete && Date.now() - (startedAt.get(hash) ?? Date.now()) > ro.spec.progressDeadlineSeconds * 1000;
  const status = {
    observedGeneration: String(ro.metadata.generation), currentPodHash: hash, replicas: live.status.replicas ?? 0, updatedReplicas: live.status.replicas ?? 0,
    availableReplicas: available, readyReplicas: available, ...(complete ? { stableRS: hash } : {}),
    conditions: timedOut ? [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` }] : [],
    ...(complete ? { phase: 'Healthy', message: '' } : timedOut ? { phase: 'Degraded', message: `ProgressDeadlineExceeded: ReplicaSet "${rsName}" has timed out progressing.` } : { phase: 'Progressing', message: 'more replicas need to be updated' }),
  };
  const patched = await kubeRequest(fleet, 'dev', 'PATCH', `${ROLLOUTS}/web/status`, { status }, { contentType: 'application/merge-patch+json' });
  expect(patched.status).toBe(200);
}

/** Runs the controller loop until the Rollout's health is `until`, returning every health status seen in order. */
async function follow(until: HealthStatus): Promise<{ seen: HealthStatus[]; message?: string }> {
  const startedAt = new Map<string, number>();
  const seen: HealthStatus[] = [];
  const deadline = Date.now() + 30_000;
  for (;;) {
    const h = assessHealth((await kubeRequest(fleet, 'dev', 'GET', `${ROLLOUTS}/web`)).body as KubeObject);
    if (seen[seen.length - 1] !== h.status) seen.push(h.status);
    if (h.status === until || Date.now() > deadline) return { seen, ...(h.message ? { message: h.message } : {}) };
    await reconcile(startedAt);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  fleet = await useKubeFleet();
  manager = fleetAdmin(fleet);
});

afterAll(() => manager?.close());

describe('an Argo Rollout on controllers', () => {
  it('is Progressing until its ReplicaSet is available, Healthy then, Degraded when a new image never starts', async () => {
    const r = await syncApp(manager.connection('dev'), [ROLLOUT_CRD, rollout('nginx:1.27')], { app: 'rollouts', namespace: ns, createNamespace: true, prune: false });
    expect(r.phase).toBe('Succeeded');
    const first = await follow('Healthy');
    expect(first.seen).toEqual(['Progressing', 'Healthy']);
    const pods = (await kubeRequest(fleet, 'dev', 'GET', `/api/v1/namespaces/${ns}/pods`)).body.items as { status: { phase: string } }[];
    expect(pods.filter((p) => p.status.phase === 'Running')).toHaveLength(2);
    // The app page's tree: the Rollout's ReplicaSet under it, found by owner, and the Pods under that.
    const live = (await kubeRequest(fleet, 'dev', 'GET', `${ROLLOUTS}/web`)).body as KubeObject;
    const tree = await readAppTree(manager.connection('dev'), [{ group: 'argoproj.io', kind: 'Rollout', namespace: ns, name: 'web', live, extra: false }], { app: 'rollouts', assess: (o) => assessHealth(o) });
    expect(treeOrder(tree.nodes).map(({ node, depth }) => `${depth} ${node.kind} ${node.health?.status ?? ''}`)).toEqual(['0 Rollout Healthy', '1 ReplicaSet Healthy', '2 Pod Healthy', '2 Pod Healthy']);

    expect((await syncApp(manager.connection('dev'), [rollout('example.com/web:fail')], { app: 'rollouts', namespace: ns, prune: false })).phase).toBe('Succeeded');
    const second = await follow('Degraded');
    expect(second.seen).toEqual(['Progressing', 'Degraded']);
    expect(second.message).toMatch(/ProgressDeadlineExceeded/);
  });
});
