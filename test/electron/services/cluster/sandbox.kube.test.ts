import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterManager } from '../../../../electron/services/cluster/cluster-manager';
import { exampleFleetClusters, sandboxClustersOf, sandboxDown, sandboxStatus, sandboxUp } from '../../../../electron/services/sandbox';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-sandbox-'));

afterAll(async () => {
  await sandboxDown(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Whether a pid is alive. */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
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

  it('starts detached clusters in the data folder, reports them, and stops them all', async () => {
    expect(sandboxStatus(dataDir)).toMatchObject({ running: false, clusters: [] });
    // Free ports here (no server in the specs), so the test never collides with a sandbox someone is running.
    const specs = ['dev', 'prod'].map((name) => ({ name, context: `sbx-${name}`, labels: {}, annotations: {} }));
    const up = await sandboxUp(dataDir, { clusters: specs });
    expect(up.running).toBe(true);
    expect(up.kubeconfig).toBe(path.join(dataDir, 'sandbox', 'kubeconfig'));
    expect(up.clusters.map((c) => [c.name, c.context, c.apiserver, c.etcd])).toEqual([['dev', 'sbx-dev', true, true], ['prod', 'sbx-prod', true, true]]);
    // Only the admin contexts go into a person's kubeconfig.
    const kc = JSON.parse(readFileSync(up.kubeconfig!, 'utf8')) as { contexts: { name: string }[] };
    expect(kc.contexts.map((c) => c.name)).toEqual(['sbx-dev', 'sbx-prod']);

    const m = ClusterManager.fromKubeconfig({ kubeconfigPaths: [up.kubeconfig!], clusters: specs });
    const infos = await m.status();
    m.close();
    expect(infos.map((i) => [i.cluster, i.state])).toEqual([['dev', 'ready'], ['prod', 'ready']]);

    // A second `up` finds it running and starts nothing.
    const again = await sandboxUp(dataDir, { clusters: specs });
    expect(again.clusters.map((c) => c.server)).toEqual(up.clusters.map((c) => c.server));

    const pids = ['dev-apiserver', 'dev-etcd', 'prod-apiserver', 'prod-etcd'].map((p) => Number(readFileSync(path.join(dataDir, 'sandbox', 'pids', `${p}.pid`), 'utf8')));
    expect(pids.every(alive)).toBe(true);
    const down = await sandboxDown(dataDir);
    expect(down).toMatchObject({ running: false, clusters: [] });
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(path.join(dataDir, 'sandbox'))).toBe(false);
  });
});
