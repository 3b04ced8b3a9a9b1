import { describe, expect, it } from 'vitest';
import { driftNotices } from '../../../electron/services/drift-notifier';
import type { GridCell } from '../../../shared/fleet/grid';
import { buildGrid } from '../../../shared/fleet/grid';

const clusters = [
  { name: 'staging', environment: 'staging' },
  { name: 'prod', environment: 'prod' },
];
const cell = (app: string, cluster: string, sync: GridCell['sync']): GridCell => ({ app, cluster, sync, health: 'Healthy', healthMessage: '', version: '1', revision: 'r', outOfSync: sync === 'OutOfSync' ? 1 : 0, observedAt: '' });

describe('driftNotices', () => {
  it('announces drift that appeared on a watched environment, once', () => {
    const before = buildGrid([cell('web-prod', 'prod', 'Synced'), cell('api-prod', 'prod', 'OutOfSync'), cell('web-staging', 'staging', 'Synced')], clusters);
    const after = buildGrid([cell('web-prod', 'prod', 'OutOfSync'), cell('api-prod', 'prod', 'OutOfSync'), cell('web-staging', 'staging', 'OutOfSync')], clusters);
    expect(driftNotices(before, after, ['prod'])).toEqual([{ title: 'Drift in prod: 1 app', body: 'web-prod on prod' }]);
    expect(driftNotices(before, after, [])).toHaveLength(2);
    expect(driftNotices(after, after, [])).toEqual([]);
  });
});
