import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReportApiHandlers } from '../../../electron/store/api-handlers';
import { FleetStore } from '../../../electron/store/fleet-store';
import { syntheticSnapshot } from './synthetic-fleet';

let dir: string;
let store: FleetStore;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-store-api-'));
  store = FleetStore.open(path.join(dir, 'flotilla.db'));
  store.recordSnapshot(syntheticSnapshot({ apps: 2, clusters: 2, resourcesPerApp: 3, takenAt: '2026-11-23T10:00:00.000Z' }));
  store.recordSnapshot(syntheticSnapshot({ apps: 2, clusters: 2, resourcesPerApp: 3, drifted: 2, generation: 1, takenAt: '2026-11-23T11:00:00.000Z' }));
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the store API handlers', () => {
  const api = (): ReturnType<typeof createReportApiHandlers> => createReportApiHandlers(() => store);

  it('history:app returns the timeline per cluster', async () => {
    const h = await api()['history:app']({ app: 'app-0' });
    expect(h.map((x) => [x.cluster, x.timeline.length])).toEqual([['dev-1', 2], ['staging-1', 2]]);
  });

  it('history:snapshots lists snapshots newest first', async () => {
    expect(await api()['history:snapshots']({})).toEqual([{ id: 2, takenAt: '2026-11-23T11:00:00.000Z' }, { id: 1, takenAt: '2026-11-23T10:00:00.000Z' }]);
  });

  it('report:drift returns the document and its rendering, now or at a time', async () => {
    const now = await api()['report:drift']({ format: 'md' });
    expect(now.drifted).toBe(true);
    expect(now.report.summary.driftedResources).toBe(2);
    expect(now.content.startsWith('# Flotilla drift report')).toBe(true);
    const then = await api()['report:drift']({ at: '2026-11-23T10:30:00Z', format: 'junit' });
    expect(then.drifted).toBe(false);
    expect(then.content).toContain('failures="0"');
  });

  it('report:drift names the problem before the first snapshot or with an unknown format', async () => {
    await expect(api()['report:drift']({ at: '2026-01-01T00:00:00Z', format: 'html' })).rejects.toThrow(/no snapshot recorded at or before 2026-01-01T00:00:00Z: refresh the fleet first/);
    await expect(api()['report:drift']({ format: 'pdf' as 'html' })).rejects.toThrow('unknown report format "pdf": expected html, md, json, junit');
  });
});
