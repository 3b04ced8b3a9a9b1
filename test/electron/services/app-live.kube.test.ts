import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../../electron/services/api-handlers';
import { Session } from '../../../electron/services/session';
import type { ApiHandlers } from '../../../shared/api/contract';
import { commitAll, exampleRepo, tempDir } from '../../helpers/git-fixtures';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { createNamespace, freshNamespace, kubeRequest, useKubeFleet } from '../../helpers/kube-fleet';
import { cli } from '../../helpers/run-cli';

// The app page's live channels through the one handler table, on the example fleet synced to the real clusters:
// logs only of the app's own Pods (not of any Pod the credentials could read), errors that name what is wrong.

let fleet: LocalFleetState;
let session: Session;
let api: ApiHandlers;
const cleanups: (() => void)[] = [];
const ns = freshNamespace('live');

beforeAll(async () => {
  fleet = await useKubeFleet();
  const repo = exampleRepo();
  const data = tempDir();
  cleanups.push(repo.cleanup, data.cleanup);
  const file = path.join(repo.dir, 'flotilla.yaml');
  let text = readFileSync(file, 'utf8');
  for (const [name, port] of [['dev', 16443], ['staging', 26443], ['prod', 36443]] as const) {
    const c = fleet.clusters.find((x) => x.name === name)!;
    text = text.replace(`context: flotilla-${name}`, `context: ${c.context}`).replace(`https://127.0.0.1:${port}`, c.server);
  }
  // Custom checks of the fleet file for kinds only the controllers make: the tree judges those nodes by them too.
  text = text.replace('spec:\n', `spec:
  health:
    customizations:
      _Pod: |
        hs = {}
        if obj.status ~= nil and obj.status.phase == "Running" then
          hs.status = "Healthy"
          hs.message = "custom: running on " .. obj.spec.nodeName
        else
          hs.status = "Progressing"
          hs.message = "custom: not running yet"
        end
        return hs
      apps_ReplicaSet: |
        return {status = "Healthy", message = "custom: " .. tostring(obj.status.readyReplicas or 0) .. " ready"}
`);
  writeFileSync(file, text);
  // Its own app names: objects carrying another test's worker-dev tracking id on the shared fleet would make that app
  // OutOfSync (Argo CD counts them as the app's, to prune).
  const appsets = path.join(repo.dir, 'appsets/apps.yaml');
  writeFileSync(appsets, readFileSync(appsets, 'utf8').replace(`name: '{{.path.basename}}-{{.name}}'`, `name: 'live-{{.path.basename}}-{{.name}}'`));
  const overlay = path.join(repo.dir, 'apps/worker/overlays/dev/kustomization.yaml');
  writeFileSync(overlay, readFileSync(overlay, 'utf8').replace('namespace: worker', `namespace: ${ns}`));
  commitAll(repo.dir, 'The example fleet on the test clusters');
  await createNamespace(fleet, 'dev', ns);
  const r = await cli(['sync', 'live-worker-dev', '--cluster', 'dev', '--repo', repo.dir, '--kubeconfig', fleet.kubeconfig]);
  expect(r.code, r.out + r.err).toBe(0);
  session = new Session({ repoPath: repo.dir, dataDir: data.dir, kubeconfig: [fleet.kubeconfig] });
  api = createApiHandlers(session);
});

afterAll(() => {
  session?.close();
  cleanups.forEach((c) => c());
});

describe("the app page's live channels", () => {
  it("reads the app's Pod logs, and refuses a Pod that is not the app's or a container it does not have", async () => {
    const tree = await api['app:tree']({ app: 'live-worker-dev', cluster: 'dev' });
    const pod = tree.nodes.find((n) => n.kind === 'Pod' && n.namespace === ns);
    expect(pod, JSON.stringify(tree.nodes.map((n) => `${n.kind}/${n.name}`))).toBeDefined();
    const logs = await api['app:logs']({ app: 'live-worker-dev', cluster: 'dev', namespace: ns, pod: pod!.name });
    expect(logs).toMatchObject({ pod: pod!.name, container: pod!.containers![0], text: expect.stringContaining('simulated by kwok'), truncated: false });
    const bounded = await api['app:logs']({ app: 'live-worker-dev', cluster: 'dev', namespace: ns, pod: pod!.name, tailLines: 1 });
    expect(bounded.text.trim().split('\n')).toHaveLength(1);
    expect(bounded.truncated).toBe(true);

    // Another client's Pod in the same namespace: readable with these credentials, yet not the app's.
    const other = await kubeRequest(fleet, 'dev', 'POST', `/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'intruder' }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } });
    expect(other.status).toBe(201);
    await expect(api['app:logs']({ app: 'live-worker-dev', cluster: 'dev', namespace: ns, pod: 'intruder' })).rejects.toThrow(`Pod ${ns}/intruder is not one of live-worker-dev's resources`);
    await expect(api['app:logs']({ app: 'live-worker-dev', cluster: 'dev', namespace: ns, pod: pod!.name, container: 'nope' })).rejects.toThrow(/has no container nope \(it has /);
    await expect(api['app:tree']({ app: 'live-worker-dev', cluster: 'prod' })).rejects.toThrow('live-worker-dev deploys to dev, not prod');
  });

  it("judges the tree's children by the fleet file's custom Lua checks, as the app's own objects", async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const tree = await api['app:tree']({ app: 'live-worker-dev', cluster: 'dev' });
      const mine = tree.nodes.filter((n) => n.namespace === ns);
      const rs = mine.find((n) => n.kind === 'ReplicaSet');
      const pods = mine.filter((n) => n.kind === 'Pod');
      // The ReplicaSet controller counts a Pod ready a moment after the Pod runs: wait for both.
      const running = pods.length > 0 && pods.every((p) => p.health?.message?.startsWith('custom: running on kwok-node-')) && rs?.health?.message === `custom: ${pods.length} ready`;
      if (running || Date.now() > deadline) {
        expect(tree.problems).toEqual([]);
        expect(rs?.health).toEqual({ status: 'Healthy', message: `custom: ${pods.length} ready` });
        for (const p of pods) expect(p.health).toEqual({ status: 'Healthy', message: expect.stringMatching(/^custom: running on kwok-node-\S+$/) });
        // The Deployment has no custom check: Argo CD's built-in rule still judges it.
        expect(mine.find((n) => n.kind === 'Deployment')?.health?.message ?? '').not.toMatch(/^custom:/);
        break;
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  });

  it('shows the desired and live manifest of a resource, and only of the app', async () => {
    const m = await api['app:manifest']({ app: 'live-worker-dev', cluster: 'dev', group: 'apps', kind: 'Deployment', namespace: ns, name: 'worker' });
    expect(m.desired).toContain('kind: Deployment');
    expect(m.live).toContain('uid:');
    expect(m.live).not.toContain('managedFields');
    await expect(api['app:manifest']({ app: 'live-worker-dev', cluster: 'dev', group: '', kind: 'Pod', namespace: ns, name: 'intruder' })).rejects.toThrow(/is not one of live-worker-dev's resources/);
  });
});
