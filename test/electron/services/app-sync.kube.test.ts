import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../../electron/services/api-handlers';
import { syncAppFromGit } from '../../../electron/services/app-sync';
import { FleetService } from '../../../electron/services/fleet-service';
import { Session } from '../../../electron/services/session';
import { FleetStore } from '../../../electron/store/fleet-store';
import { commitAll, exampleRepo, tempDir } from '../../helpers/git-fixtures';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { kubeRequest, useKubeFleet } from '../../helpers/kube-fleet';

// `flotilla sync APP` from Git on the bundled example fleet, pointed at the run's clusters: the Application's
// syncPolicy.syncOptions decide whether the destination namespace is created, and a sync that cannot apply
// everything applies nothing. The prod cluster is used (the browser test syncs apps to dev).

let fleet: LocalFleetState;
let repo: { dir: string; cleanup: () => void };
let store: FleetStore;
const storeFile = path.join(os.tmpdir(), `flotilla-app-sync-${process.pid}.sqlite`);

beforeAll(async () => {
  fleet = await useKubeFleet();
  repo = exampleRepo();
  const file = path.join(repo.dir, 'flotilla.yaml');
  let fleetText = readFileSync(file, 'utf8');
  let platform = readFileSync(path.join(repo.dir, 'appsets/platform.yaml'), 'utf8');
  for (const [name, port] of [['dev', 16443], ['staging', 26443], ['prod', 36443]] as const) {
    const c = fleet.clusters.find((x) => x.name === name)!;
    fleetText = fleetText.replace(`context: flotilla-${name}`, `context: ${c.context}`).replace(`https://127.0.0.1:${port}`, c.server);
    platform = platform.replace(`https://127.0.0.1:${port}`, c.server);
  }
  writeFileSync(file, fleetText);
  // The platform apps as a user may have written them: no CreateNamespace, although the LimitRange lives in `platform`.
  const without = platform.replace('      syncPolicy:\n        syncOptions:\n          - CreateNamespace=true\n', '');
  expect(without).not.toBe(platform);
  writeFileSync(path.join(repo.dir, 'appsets/platform.yaml'), without);
  commitAll(repo.dir, 'Point the fleet at the test clusters');
  store = FleetStore.open(storeFile);
});

afterAll(() => {
  store?.close();
  rmSync(storeFile, { force: true });
  repo?.cleanup();
});

const nsStatus = async (name: string): Promise<number> => (await kubeRequest(fleet, 'prod', 'GET', `/api/v1/namespaces/${name}`)).status;

describe('sync of an Application from Git', () => {
  it('applies nothing when its namespace is missing and not created, then everything once CreateNamespace is set', async () => {
    const svc = await FleetService.open(repo.dir);
    expect(readFileSync(path.join(repo.dir, 'appsets/platform.yaml'), 'utf8')).not.toContain('CreateNamespace');
    const refused = await syncAppFromGit(svc, { app: 'platform-prod', cluster: 'prod', kubeconfig: [fleet.kubeconfig] }, store);
    expect(refused.phase).toBe('Failed');
    expect(refused.message).toBe('dry run failed for LimitRange/default-limits: nothing was applied');
    expect(refused.resources.map((r) => `${r.kind}/${r.name}: ${r.action}`)).toEqual([
      'Namespace/api: skipped', 'Namespace/frontend: skipped', 'Namespace/worker: skipped', 'LimitRange/default-limits: failed',
    ]);
    for (const ns of ['api', 'frontend', 'worker', 'platform']) expect(await nsStatus(ns), ns).toBe(404);

    // The Application's own syncOptions are honoured: CreateNamespace=true in its ApplicationSet.
    const platform = path.join(repo.dir, 'appsets/platform.yaml');
    writeFileSync(platform, readFileSync(platform, 'utf8').replace('        namespace: platform\n', '        namespace: platform\n      syncPolicy:\n        syncOptions:\n          - CreateNamespace=true\n'));
    commitAll(repo.dir, 'platform: CreateNamespace=true');
    const ok = await syncAppFromGit(await FleetService.open(repo.dir), { app: 'platform-prod', cluster: 'prod', kubeconfig: [fleet.kubeconfig] }, store);
    expect(ok.phase).toBe('Succeeded');
    expect(ok.resources.map((r) => `${r.phase} ${r.kind}/${r.name}: ${r.action}`)).toEqual([
      'PreSync Namespace/platform: created', 'Sync Namespace/api: created', 'Sync Namespace/frontend: created', 'Sync Namespace/worker: created', 'Sync LimitRange/default-limits: created',
    ]);
    for (const ns of ['api', 'frontend', 'worker', 'platform']) expect(await nsStatus(ns), ns).toBe(200);

    // Both runs are in the app's history, each resource with its phase and result.
    const events = store.history('platform-prod', { cluster: 'prod' })[0]!.events.flatMap((e) => (e.kind === 'sync-run' ? [e.detail] : []));
    expect(events).toHaveLength(2);
    const [first, second] = events;
    expect(first!.phase).toBe('Failed');
    expect(first!.message).toMatch(/^dry run failed for LimitRange\/default-limits: nothing was applied/);
    expect(first!.results!).toContainEqual(expect.objectContaining({ id: '/LimitRange/platform/default-limits', phase: 'Sync', action: 'failed' }));
    expect(second!.results!.map((r) => `${r.phase} ${r.id} ${r.action}`)).toContain('PreSync /Namespace//platform created');

    // Listed as Argo CD lists it: the namespace CreateNamespace made is in the sync result (PreSync) only. It carries
    // no tracking (Argo CD sets none on it), so the app's tree shows the Namespaces of its Git objects, not this one.
    const data = tempDir();
    const session = new Session({ repoPath: repo.dir, dataDir: data.dir, kubeconfig: [fleet.kubeconfig] });
    try {
      const tree = await createApiHandlers(session)['app:tree']({ app: 'platform-prod', cluster: 'prod' });
      expect(tree.problems).toEqual([]);
      expect(tree.nodes.filter((n) => n.kind === 'Namespace').map((n) => `${n.name} ${n.managed ? 'managed' : 'live only'}`).sort()).toEqual(['api managed', 'frontend managed', 'worker managed']);
    } finally {
      session.close();
      data.cleanup();
    }
  });
});
