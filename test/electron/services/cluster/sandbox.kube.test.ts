import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterManager } from '../../../../electron/services/cluster/cluster-manager';
import { adminRequest } from '../../../../electron/services/cluster/local-controllers';
import { exampleFleetClusters, sandboxClustersOf, sandboxDown, sandboxStatus, sandboxUp } from '../../../../electron/services/sandbox';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-sandbox-'));

afterAll(async () => {
  await sandboxDown(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Whether a pid is alive: a zombie (killed, not yet reaped by the process that started it) counts as dead. */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('flotilla sandbox', () => {
  it("runs the example fleet's clusters on the ports its fleet file names", () => {
    const clusters = exampleFleetClusters();
    expect(sandboxClustersOf(clusters)).toEqual([
      { name: 'dev', apiPort: 16443, context: 'flotilla-dev' },
      { name: 'staging', apiPort: 26443, context: 'flotilla-staging' },
      { name: 'prod', apiPort: 36443, context: 'flotilla-prod' },
    ]);
    expect(() => sandboxClustersOf([{ name: 'remote', server: 'https://10.1.2.3:6443', labels: {}, annotations: {} }])).toThrow(/runs on this machine only/);
  });

  it('starts detached clusters in the data folder, reports them, restarts only what died (data kept), and stops them all', async () => {
    expect(sandboxStatus(dataDir)).toMatchObject({ running: false, clusters: [] });
    // Free ports here (no server in the specs), so the test never collides with a sandbox someone is running.
    const specs = ['dev', 'prod'].map((name) => ({ name, context: `sbx-${name}`, labels: {}, annotations: {} }));
    const up = await sandboxUp(dataDir, { clusters: specs });
    expect(up.running).toBe(true);
    expect(up.kubeconfig).toBe(path.join(dataDir, 'sandbox', 'kubeconfig'));
    expect(up.clusters.map((c) => [c.name, c.context, c.apiserver, c.etcd, c.controllers])).toEqual([['dev', 'sbx-dev', true, true, true], ['prod', 'sbx-prod', true, true, true]]);
    // Only the admin contexts go into a person's kubeconfig.
    const kc = JSON.parse(readFileSync(up.kubeconfig!, 'utf8')) as { contexts: { name: string }[] };
    expect(kc.contexts.map((c) => c.name)).toEqual(['sbx-dev', 'sbx-prod']);

    // The Argo Rollouts CRD is installed on every cluster, so a Rollout can be created there.
    const st = JSON.parse(readFileSync(path.join(dataDir, 'sandbox', 'fleet.json'), 'utf8')) as { adminToken: string; clusters: { name: string; server: string }[] };
    for (const c of st.clusters) {
      const ro = await adminRequest(c.server, st.adminToken, 'POST', '/apis/argoproj.io/v1alpha1/namespaces/default/rollouts', {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web' },
        spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } }, strategy: { canary: { steps: [{ setWeight: 20 }] } } },
      });
      expect(ro.status, `${c.name}: ${JSON.stringify(ro.body)}`).toBe(201);
    }
    const m = ClusterManager.fromKubeconfig({ kubeconfigPaths: [up.kubeconfig!], clusters: specs });
    const infos = await m.status();
    m.close();
    expect(infos.map((i) => [i.cluster, i.state])).toEqual([['dev', 'ready'], ['prod', 'ready']]);

    // A second `up` finds it running and starts nothing.
    const again = await sandboxUp(dataDir, { clusters: specs });
    expect(again.clusters.map((c) => c.server)).toEqual(up.clusters.map((c) => c.server));

    const pids = ['dev-apiserver', 'dev-etcd', 'dev-controller-manager', 'dev-scheduler', 'dev-kwok', 'prod-apiserver', 'prod-etcd'].map((p) => Number(readFileSync(path.join(dataDir, 'sandbox', 'pids', `${p}.pid`), 'utf8')));
    expect(pids.every(alive)).toBe(true);
    // One API server and one kwok die: `up` starts only those again, and every object on every cluster is still there.
    const state = JSON.parse(readFileSync(path.join(dataDir, 'sandbox', 'fleet.json'), 'utf8')) as { adminToken: string; clusters: { name: string; server: string }[] };
    const call = (cluster: string, method: string, p: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> =>
      adminRequest(state.clusters.find((c) => c.name === cluster)!.server, state.adminToken, method, p, body);
    for (const c of ['dev', 'prod']) {
      const made = await call(c, 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'survivor' }, data: { cluster: c } });
      expect(made.status).toBe(201);
    }
    const pidOf = (p: string): number => Number(readFileSync(path.join(dataDir, 'sandbox', 'pids', `${p}.pid`), 'utf8'));
    const [deadApi, deadKwok, keptEtcd, keptProdApi] = [pidOf('dev-apiserver'), pidOf('prod-kwok'), pidOf('dev-etcd'), pidOf('prod-apiserver')];
    process.kill(-deadApi, 'SIGKILL');
    process.kill(-deadKwok, 'SIGKILL');
    await expect.poll(() => alive(deadApi) || alive(deadKwok)).toBe(false);
    expect(sandboxStatus(dataDir).running).toBe(false);
    const resumed = await sandboxUp(dataDir, { clusters: specs });
    expect(resumed.running).toBe(true);
    expect(resumed.restarted).toEqual(['dev-apiserver', 'prod-kwok']);
    expect([pidOf('dev-etcd'), pidOf('prod-apiserver')]).toEqual([keptEtcd, keptProdApi]);
    for (const c of ['dev', 'prod']) {
      const got = await call(c, 'GET', '/api/v1/namespaces/default/configmaps/survivor');
      expect(got.body.data).toEqual({ cluster: c });
    }

    const restartedPids = [pidOf('dev-apiserver'), pidOf('prod-kwok')];
    expect(restartedPids.every(alive)).toBe(true);

    const down = await sandboxDown(dataDir);
    expect(down).toMatchObject({ running: false, clusters: [] });
    expect([...pids, ...restartedPids].filter(alive)).toEqual([]);
    expect(existsSync(path.join(dataDir, 'sandbox'))).toBe(false);
  });
});
