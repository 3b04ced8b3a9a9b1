// A Deployment's rollout, written through the status subresource as a controller would (a bare API server runs
// none), read back live and assessed: Progressing, then Healthy, then Degraded, with Argo CD's messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterManager } from '../../../electron/services/cluster/cluster-manager';
import { FleetLiveState } from '../../../electron/services/cluster/fleet-live-state';
import { syncApp } from '../../../electron/services/cluster/sync';
import { assessHealth } from '../../../shared/health';
import type { HealthResult, KubeObject } from '../../../shared/model/status';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { freshNamespace, kubeRequest, useKubeFleet } from '../../helpers/kube-fleet';

let fleet: LocalFleetState;
let manager: ClusterManager;
const ns = freshNamespace('rollout');
const desired: KubeObject[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  },
];

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

async function writeStatus(status: Record<string, unknown>): Promise<void> {
  const res = await kubeRequest(fleet, 'dev', 'PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/web/status`, { status }, { contentType: 'application/merge-patch+json' });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  fleet = await useKubeFleet();
  manager = ClusterManager.fromKubeconfig({ kubeconfigPaths: [fleet.kubeconfig], clusters: fleet.clusters.map((c) => ({ name: c.name, context: c.context, labels: {}, annotations: {} })) });
  const r = await syncApp(manager.connection('dev'), desired, { app: 'web', namespace: ns, createNamespace: true });
  expect(r.phase).toBe('Succeeded');
});

afterAll(() => manager?.close());

describe('health of a rollout on a real API server', () => {
  it('moves through Progressing, Healthy and Degraded as the status subresource says', async () => {
    const generation = ((await kubeRequest(fleet, 'dev', 'GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`)).body.metadata as { generation: number }).generation;

    await writeStatus({ observedGeneration: generation, replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, unavailableReplicas: 1 });
    expect(await liveHealth()).toEqual({ status: 'Progressing', message: 'Waiting for rollout to finish: 1 out of 2 new replicas have been updated...' });

    await writeStatus({
      observedGeneration: generation, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: null,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-1" has successfully progressed.' },
      ],
    });
    expect((await liveHealth()).status).toBe('Healthy');

    await writeStatus({
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-2" has timed out progressing.' },
      ],
    });
    expect(await liveHealth()).toEqual({ status: 'Degraded', message: 'Deployment "web" exceeded its progress deadline' });
  });
});
