import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetStore } from '../../../electron/store/fleet-store';
import { storeFile } from '../../../electron/store/location';
import type { AppClusterRecord } from '../../../electron/store/types';
import { tempDir } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';

// "What was running in prod at time T": two refreshes recorded an hour apart, each with its revision and manifests.
const record = (revision: string, image: string, takenAt: string): { takenAt: string; appClusters: AppClusterRecord[] } => ({
  takenAt,
  appClusters: [
    {
      environment: 'prod',
      status: { app: 'web-prod', cluster: 'prod', revision, sync: 'Synced', health: { status: 'Healthy', message: '' }, observedAt: takenAt, resources: [{ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web', sync: 'Synced' }] },
      manifests: [{ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web', desired: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'web' }, spec: { template: { spec: { containers: [{ name: 'web', image }] } } } } }],
    },
  ],
});

describe('flotilla history --at', () => {
  let data: { dir: string; cleanup: () => void };
  beforeAll(() => {
    data = tempDir();
    const store = FleetStore.open(storeFile(data.dir));
    store.recordSnapshot(record('a'.repeat(40), 'web:1.0', '2026-11-23T10:00:00.000Z'));
    store.recordSnapshot(record('b'.repeat(40), 'web:1.1', '2026-11-23T11:00:00.000Z'));
    store.close();
  });
  afterAll(() => data.cleanup());

  it('prints the revision and manifests in effect at a time, per environment', async () => {
    const at = async (t: string) => JSON.parse((await cli(['history', 'web-prod', '--at', t, '--environment', 'prod', '--data-dir', data.dir, '-o', 'json'])).out) as { revision: string; manifests: { desired: { spec: { template: { spec: { containers: { image: string }[] } } } } }[] }[];
    const before = await at('2026-11-23T10:30:00Z');
    expect(before[0]!.revision).toBe('a'.repeat(40));
    expect(before[0]!.manifests[0]!.desired.spec.template.spec.containers[0]!.image).toBe('web:1.0');
    const after = await at('2026-11-23T11:30:00Z');
    expect(after[0]!.manifests[0]!.desired.spec.template.spec.containers[0]!.image).toBe('web:1.1');
  });

  it('says plainly when nothing was recorded then, and names a time it cannot read', async () => {
    const early = await cli(['history', 'web-prod', '--at', '2026-11-23T09:00:00Z', '--data-dir', data.dir]);
    expect(early.code).toBe(2);
    expect(early.err).toContain('nothing of web-prod was recorded as running at 2026-11-23T09:00:00Z');
    const bad = await cli(['history', 'web-prod', '--at', 'yesterday', '--data-dir', data.dir]);
    expect(bad.err).toContain('--at expects an ISO 8601 time');
  });
});
