import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterManager } from '../../../../electron/services/cluster/cluster-manager';
import type { ClusterStateChange } from '../../../../electron/services/cluster/connection';
import { loadKubeconfig } from '../../../../electron/services/cluster/kubeconfig';
import type { LocalFleetState } from '../../../helpers/kube-fleet';
import { useKubeFleet } from '../../../helpers/kube-fleet';

interface KubeconfigJson {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  users: { name: string; user: Record<string, unknown> }[];
}

let fleet: LocalFleetState;
let tmp: string;
let kc: KubeconfigJson;
const managers: ClusterManager[] = [];

/** A manager that is closed after the file's tests. */
function manager(...args: Parameters<typeof ClusterManager.fromKubeconfig>): ClusterManager {
  const m = ClusterManager.fromKubeconfig(...args);
  managers.push(m);
  return m;
}

/** Writes a kubeconfig with the given contexts (and the clusters and users they name). */
function writeKubeconfig(name: string, contexts: string[], users?: KubeconfigJson['users']): string {
  const ctxs = kc.contexts.filter((c) => contexts.includes(c.name));
  const file = path.join(tmp, name);
  writeFileSync(file, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': contexts[0],
    clusters: kc.clusters.filter((c) => ctxs.some((x) => x.context.cluster === c.name)),
    contexts: ctxs, users: users ?? kc.users.filter((u) => ctxs.some((x) => x.context.user === u.name)),
  }));
  return file;
}

beforeAll(async () => {
  fleet = await useKubeFleet();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'flotilla-conn-'));
  kc = JSON.parse(readFileSync(fleet.kubeconfig, 'utf8')) as KubeconfigJson;
});

afterAll(() => {
  for (const m of managers) m.close();
});

describe('cluster connections on a real fleet', () => {
  it('connects to every cluster of the kubeconfig, reads its version and discovers its API', async () => {
    const m = manager({ kubeconfigPaths: [fleet.kubeconfig], clusters: ['dev', 'staging', 'prod'].map((n) => ({ name: n, context: `flotilla-${n}`, environment: n, labels: { env: n }, annotations: {} })) });
    const seen: ClusterStateChange[] = [];
    m.onStateChange((c) => seen.push(c));
    const infos = await m.status();
    expect(infos.map((i) => [i.cluster, i.state, i.environment])).toEqual([['dev', 'ready', 'dev'], ['staging', 'ready', 'staging'], ['prod', 'ready', 'prod']]);
    for (const i of infos) {
      expect(i.version).toMatch(/^v1\.32\.\d+$/);
      expect(i.server).toBe(fleet.clusters.find((c) => c.name === i.cluster)!.server);
      expect(JSON.stringify(i)).not.toContain(fleet.adminToken);
    }
    expect(seen.map((s) => `${s.info.cluster}:${s.previous}->${s.info.state}`).sort()).toEqual(['dev:connecting->ready', 'prod:connecting->ready', 'staging:connecting->ready']);
    const disc = await m.connection('dev').discovery();
    expect(disc.findGroupKind('apps', 'Deployment')).toMatchObject({ version: 'v1', resource: 'deployments', namespaced: true });
    expect(disc.findGroupKind('', 'Namespace')).toMatchObject({ resource: 'namespaces', namespaced: false });
  });

  it('treats every context as a cluster when no fleet is given, merging several KUBECONFIG files first-wins', async () => {
    const a = writeKubeconfig('a.yaml', ['flotilla-dev', 'flotilla-staging']);
    // The second file redefines flotilla-dev with a bad token: the first file's definition wins, as with kubectl.
    const b = writeKubeconfig('b.yaml', ['flotilla-dev', 'flotilla-prod'], [
      { name: 'flotilla-admin', user: { token: 'not-the-token' } },
    ]);
    const loaded = loadKubeconfig(undefined, { KUBECONFIG: [a, path.join(tmp, 'missing.yaml'), b].join(path.delimiter) });
    expect(loaded.contexts.map((c) => c.name)).toEqual(['flotilla-dev', 'flotilla-staging', 'flotilla-prod']);
    const m = new ClusterManager(loaded);
    managers.push(m);
    const infos = await m.status();
    expect(infos.map((i) => [i.cluster, i.state])).toEqual([['flotilla-dev', 'ready'], ['flotilla-staging', 'ready'], ['flotilla-prod', 'ready']]);
  });

  it('reports a fleet cluster whose context is missing from the kubeconfig as a problem and an unreachable cluster', async () => {
    const m = manager({ kubeconfigPaths: [fleet.kubeconfig], clusters: [{ name: 'dev', context: 'flotilla-dev', labels: {}, annotations: {} }, { name: 'qa', context: 'flotilla-qa', labels: {}, annotations: {}, source: { file: 'fleet.yaml', line: 12 } }] });
    expect(m.problems).toEqual([expect.objectContaining({ cluster: 'qa', file: 'fleet.yaml', line: 12, message: expect.stringContaining('context flotilla-qa is not in the kubeconfig') })]);
    const infos = await m.status();
    expect(infos.map((i) => [i.cluster, i.state])).toEqual([['dev', 'ready'], ['qa', 'unreachable']]);
    expect(infos[1]!.reason).toContain('flotilla-qa');
  });

  it('authenticates with a client certificate', async () => {
    const m = manager({ kubeconfigPaths: [fleet.kubeconfig], clusters: [{ name: 'prod', context: 'flotilla-prod-cert', labels: {}, annotations: {} }] });
    const [info] = await m.status();
    expect(info).toMatchObject({ cluster: 'prod', state: 'ready' });
    const ns = await m.connection('prod').request<{ items: unknown[] }>({ path: '/api/v1/namespaces' });
    expect(ns.items.length).toBeGreaterThanOrEqual(4);
  });

  it('authenticates with an exec credential plugin, with a timeout on the plugin', async () => {
    const plugin = path.join(tmp, 'cred-plugin.sh');
    writeFileSync(plugin, `#!/bin/sh\n[ -n "$SLEEP" ] && sleep "$SLEEP"\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"'"$TOKEN"'"}}'\n`);
    chmodSync(plugin, 0o755);
    const exec = (env: { name: string; value: string }[]) => ({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, env, interactiveMode: 'Never' } });
    const file = writeKubeconfig('exec.yaml', ['flotilla-staging'], [{ name: 'flotilla-admin', user: exec([{ name: 'TOKEN', value: fleet.adminToken }]) }]);
    const m = manager({ kubeconfigPaths: [file] });
    const [info] = await m.status();
    expect(info).toMatchObject({ cluster: 'flotilla-staging', state: 'ready' });
    expect(info!.version).toMatch(/^v1\.32\./);

    const slow = writeKubeconfig('exec-slow.yaml', ['flotilla-staging'], [{ name: 'flotilla-admin', user: exec([{ name: 'TOKEN', value: fleet.adminToken }, { name: 'SLEEP', value: '5' }]) }]);
    const m2 = manager({ kubeconfigPaths: [slow], execTimeoutMs: 500 });
    const [slowInfo] = await m2.status();
    expect(slowInfo!.state).toBe('unreachable');
    expect(slowInfo!.reason).toMatch(/exec credential plugin .* did not answer within 500 ms/);

    const wrong = writeKubeconfig('exec-wrong.yaml', ['flotilla-staging'], [{ name: 'flotilla-admin', user: exec([{ name: 'TOKEN', value: 'wrong-token' }]) }]);
    const m3 = manager({ kubeconfigPaths: [wrong] });
    const [wrongInfo] = await m3.status();
    expect(wrongInfo!.state).toBe('forbidden');
    expect(wrongInfo!.reason).toMatch(/401/);
  });

  it('keeps the restricted user ready (it may read discovery) while its calls are refused one by one', async () => {
    const m = manager({ kubeconfigPaths: [fleet.kubeconfig], clusters: [{ name: 'dev', context: 'flotilla-dev-restricted', labels: {}, annotations: {} }] });
    const [info] = await m.status();
    expect(info!.state).toBe('ready');
    await expect(m.connection('dev').request({ path: '/api/v1/namespaces' })).rejects.toMatchObject({ kind: 'forbidden', status: 403 });
    expect(m.connection('dev').state).toBe('ready');
  });
});
