// `flotilla status` with every API server dead: each cell says unreachable (not Unknown/Unknown) with the age of the
// state last observed there (or that none was), and each cluster header says so; the exit code says nothing could be read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetStore } from '../../../electron/store/fleet-store';
import { storeFile } from '../../../electron/store/location';
import { deadKubeconfig } from '../../helpers/dead-clusters';
import { exampleRepo, git, tempDir } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';

let repo: { dir: string; cleanup: () => void };
let dir: { dir: string; cleanup: () => void };
let kubeconfig: string;

beforeAll(async () => {
  repo = exampleRepo();
  dir = tempDir('flotilla-dead-');
  kubeconfig = await deadKubeconfig(dir.dir);
});

afterAll(() => {
  repo?.cleanup();
  dir?.cleanup();
});

describe('status with unreachable clusters', () => {
  it('prints unreachable in every cell and in each cluster header, and fails', async () => {
    const r = await cli(['status', '--repo', repo.dir, '--kubeconfig', kubeconfig, '--timeout', '3']);
    expect(r.code).not.toBe(0);
    const lines = r.out.split('\n');
    expect(lines[1]).toMatch(/^APP\s+DEV \(UNREACHABLE\)\s+STAGING \(UNREACHABLE\)\s+PROD \(UNREACHABLE\)\s*$/);
    expect(r.out).toMatch(/^frontend\s+unreachable \(never observed\)\s+unreachable \(never observed\)\s+unreachable \(never observed\)\s*$/m);
    expect(r.out).not.toContain('Unknown/Unknown');
  });

  it('shows the state last observed where a cluster cannot be read, with its age, and never as the current sync status', async () => {
    const data = tempDir('flotilla-status-data-');
    try {
      // frontend-prod was last seen Synced and Healthy 11 minutes ago; nothing else was ever observed.
      const at = new Date(Date.now() - 11 * 60_000).toISOString();
      const store = FleetStore.open(storeFile(data.dir));
      const revision = git(repo.dir, 'rev-parse', 'HEAD').trim();
      store.recordSnapshot({ takenAt: at, appClusters: [{ environment: 'prod', status: { app: 'frontend-prod', cluster: 'prod', revision, sync: 'Synced', health: { status: 'Healthy', message: '' }, resources: [], observedAt: at } }] });
      store.close();

      const table = await cli(['status', '--repo', repo.dir, '--kubeconfig', kubeconfig, '--timeout', '3', '--data-dir', data.dir]);
      expect(table.code).toBe(2);
      expect(table.out.split('\n')[0]).toMatch(/^revision [0-9a-f]{7} · nothing observed in this run; \d+ app × cluster\(s\) not read in this run show their last observed state and its age$/);
      expect(table.out).toMatch(/^frontend\s+unreachable \(never observed\)\s+unreachable \(never observed\)\s+unreachable \(last Synced\/Healthy 11m ago\)\s*$/m);

      const json = await cli(['status', 'frontend-prod', '--repo', repo.dir, '--kubeconfig', kubeconfig, '--timeout', '3', '--data-dir', data.dir, '-o', 'json']);
      expect(json.code).toBe(2);
      const [row] = JSON.parse(json.out) as Record<string, unknown>[];
      expect(row).toMatchObject({
        app: 'frontend-prod', cluster: 'prod', sync: 'Unknown', health: { status: 'Unknown' },
        freshness: 'stale', observedAt: at, unreachable: expect.stringMatching(/^cluster prod is unreachable/),
        lastObserved: { sync: 'Synced', health: 'Healthy', observedAt: at },
      });
      expect(row!.ageSeconds).toBeGreaterThanOrEqual(660);
      expect(row!.ageSeconds).toBeLessThan(720);
      expect((row!.lastObserved as { ageSeconds: number }).ageSeconds).toBe(row!.ageSeconds);

      const never = JSON.parse((await cli(['status', 'frontend-dev', '--repo', repo.dir, '--kubeconfig', kubeconfig, '--timeout', '3', '--data-dir', data.dir, '-o', 'json'])).out) as Record<string, unknown>[];
      expect(never[0]).toMatchObject({ sync: 'Unknown', freshness: 'never' });
      expect(never[0]).not.toHaveProperty('observedAt');
      expect(never[0]).not.toHaveProperty('lastObserved');
    } finally {
      data.cleanup();
    }
  });
});
