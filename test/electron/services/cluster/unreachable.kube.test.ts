import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArgoApplications } from '../../../../electron/services/cluster/argocd';
import { ClusterManager } from '../../../../electron/services/cluster/cluster-manager';
import type { ClusterStateChange } from '../../../../electron/services/cluster/connection';
import type { LocalFleet } from '../../../../electron/services/cluster/local-fleet';
import { LiveStore } from '../../../../electron/services/cluster/live-state';
import { startKubeFleet } from '../../../helpers/kube-fleet';

// This file stops and freezes API servers, so it runs on a fleet of its own rather than the shared one.
let fleet: LocalFleet;
let m: ClusterManager;
const changes: ClusterStateChange[] = [];

/** Lists namespaces on every cluster: the fleet-wide call under test. */
const listNamespaces = () => m.forEachCluster((c) => c.request<{ items: unknown[] }>({ path: '/api/v1/namespaces' }).then((r) => r.items.length));

beforeAll(async () => {
  fleet = await startKubeFleet();
  m = ClusterManager.fromKubeconfig({
    kubeconfigPaths: [fleet.kubeconfig], timeoutMs: 2000, initialBackoffMs: 200, maxBackoffMs: 1000,
    clusters: fleet.state.clusters.map((c) => ({ name: c.name, context: c.context, labels: {}, annotations: {} })),
  });
  m.onStateChange((c) => changes.push(c));
});

afterAll(async () => {
  m?.close();
  await fleet?.stop();
});

describe('a dead or hung cluster among live ones', () => {
  it('shows a stopped API server as unreachable with its reason while the other two answer', async () => {
    expect((await m.status()).map((i) => i.state)).toEqual(['ready', 'ready', 'ready']);
    // (A fresh cluster, so also the place to see that no Argo CD is reported where its CRD is absent.)
    expect(await readArgoApplications(m.connection('dev'))).toEqual({ cluster: 'dev', present: false, apps: [] });
    const watches = new LiveStore(m.connection('staging'), { trackedKinds: [{ group: '', kind: 'ConfigMap' }] });
    await watches.prepare([{ desired: [] }]);
    expect((await listNamespaces()).map((r) => r.ok)).toEqual([true, true, true]);

    await fleet.stopApiServer('staging');
    const results = await listNamespaces();
    expect(results.map((r) => [r.cluster, r.ok])).toEqual([['dev', true], ['staging', false], ['prod', true]]);
    const failed = results[1]!;
    expect(failed.ok).toBe(false);
    if (!failed.ok) {
      expect(failed.problem.cluster).toBe('staging');
      expect(failed.problem.message).toMatch(/connection (refused|reset|lost)|socket hang up/);
    }
    const staging = m.connection('staging').info;
    expect(staging.state).toBe('unreachable');
    expect(staging.reason).toMatch(/^staging: /);
    expect(changes).toContainEqual(expect.objectContaining({ previous: 'ready', info: expect.objectContaining({ cluster: 'staging', state: 'unreachable' }) }));
    expect(m.infos().map((i) => i.state)).toEqual(['ready', 'unreachable', 'ready']);

    // Back again: the connection's own retries with backoff bring it to ready, and the watch resumes.
    await fleet.startApiServer('staging');
    await expect.poll(() => m.connection('staging').state, { timeout: 15_000, interval: 100 }).toBe('ready');
    // Events come on every state change (and when an unreachable cluster's reason changes, e.g. refused after lost).
    const states = changes.filter((c) => c.info.cluster === 'staging').map((c) => c.info.state);
    expect(states.filter((s, i) => s !== states[i - 1])).toEqual(['ready', 'unreachable', 'ready']);
    expect((await listNamespaces()).map((r) => r.ok)).toEqual([true, true, true]);
    // The watch resumed on the restarted server (from its resourceVersion, or by a re-list after 410 Gone).
    const seen: string[] = [];
    watches.onChange((c) => seen.push(`${c.type} ${c.key.name}`));
    const staging2 = m.connection('staging');
    await staging2.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'after-restart' } } });
    await staging2.request({ method: 'POST', path: '/api/v1/namespaces/after-restart/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hello' } } });
    await expect.poll(() => seen, { timeout: 15_000, interval: 100 }).toContain('ADDED hello');
    watches.close();
  });

  it('re-lists a kind only when its watch answers 410 Gone (its resourceVersion predates the history of the restarted server)', async () => {
    const store = new LiveStore(m.connection('dev'), { trackedKinds: [{ group: '', kind: 'ConfigMap' }] });
    await store.prepare([{ desired: [] }]);
    expect(store.stats).toMatchObject({ lists: 1, relists: 0 });
    await fleet.stopApiServer('dev');
    // Writes straight into etcd while the API server is down move the revision past the watch's resourceVersion:
    // the restarted server's watch cache starts after it and answers the resumed watch with 410 Gone.
    const etcd = `http://127.0.0.1:${fleet.cluster('dev').etcdPort}`;
    for (let i = 0; i < 3; i++) {
      const put = await fetch(`${etcd}/v3/kv/put`, { method: 'POST', body: JSON.stringify({ key: Buffer.from(`/flotilla-test/bump-${i}`).toString('base64'), value: Buffer.from('x').toString('base64') }) });
      expect(put.status).toBe(200);
    }
    await fleet.startApiServer('dev');
    await expect.poll(() => store.stats.relists, { timeout: 20_000, interval: 100 }).toBe(1);
    expect(store.stats.lists).toBe(2);
    const seen: string[] = [];
    store.onChange((c) => seen.push(`${c.type} ${c.key.name}`));
    await m.connection('dev').request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-gone' } } });
    await expect.poll(() => seen, { timeout: 10_000, interval: 100 }).toContain('ADDED after-gone');
    store.close();
  });

  it('notices with its heartbeat a cluster that dies and comes back while nobody calls it', async () => {
    const watcher = ClusterManager.fromKubeconfig({ kubeconfigPaths: [fleet.kubeconfig], timeoutMs: 2000, initialBackoffMs: 200, maxBackoffMs: 500, clusters: [{ name: 'dev', context: 'flotilla-dev', labels: {}, annotations: {} }] });
    try {
      expect((await watcher.status())[0]!.state).toBe('ready');
      watcher.startHeartbeat(200);
      await fleet.stopApiServer('dev');
      await expect.poll(() => watcher.connection('dev').state, { timeout: 10_000, interval: 50 }).toBe('unreachable');
      await fleet.startApiServer('dev');
      await expect.poll(() => watcher.connection('dev').state, { timeout: 15_000, interval: 50 }).toBe('ready');
    } finally {
      watcher.close();
    }
  });

  it('times out a hung API server after the call deadline without holding up the others', async () => {
    fleet.pauseApiServer('prod', true);
    try {
      const results = await listNamespaces();
      expect(results.map((r) => [r.cluster, r.ok])).toEqual([['dev', true], ['staging', true], ['prod', false]]);
      const prod = results[2]!;
      if (!prod.ok) expect(prod.problem.message).toMatch(/no answer within 2000 ms/);
      expect(m.connection('prod').info).toMatchObject({ state: 'unreachable', reason: expect.stringContaining('no answer within 2000 ms') });
      // The healthy clusters' results did not wait for the hung one's deadline.
      expect(results[0]!.ms).toBeLessThan(prod.ms);
      expect(results[1]!.ms).toBeLessThan(prod.ms);
    } finally {
      fleet.pauseApiServer('prod', false);
    }
    await expect.poll(() => m.connection('prod').state, { timeout: 15_000, interval: 100 }).toBe('ready');
  });
});
