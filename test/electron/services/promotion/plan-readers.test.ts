// The soak gates' history reader: timelines kept per store between pipeline graphs, and read again once a snapshot
// is recorded (by this process or another), so a gate never decides on a state the store has moved past.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { historyReader } from '../../../../electron/services/promotion/plan-readers';
import { FleetStore } from '../../../../electron/store/fleet-store';
import type { AppClusterRecord } from '../../../../electron/store/types';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const record = (sync: 'Synced' | 'OutOfSync', at: string): AppClusterRecord => ({
  status: { app: 'api-prod', cluster: 'prod', revision: 'a'.repeat(40), sync, health: { status: 'Healthy', message: '' }, resources: [], observedAt: at },
  environment: 'prod',
});

describe('the history reader of the soak gates', () => {
  it('keeps what it read until another process records a snapshot, then reads the new state', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-plan-readers-'));
    dirs.push(dir);
    const file = path.join(dir, 'flotilla.db');
    const writer = FleetStore.open(file);
    try {
      writer.recordSnapshot({ takenAt: '2026-11-23T10:00:00.000Z', appClusters: [record('Synced', '2026-11-23T10:00:00.000Z')] });
      const first = historyReader(file)!;
      const synced = first.read('api-prod', 'prod');
      expect(synced?.map((t) => t.sync)).toEqual(['Synced']);
      expect(first.read('api-dev', 'dev')).toBeUndefined();
      first.close();
      // Nothing recorded since: the next graph gets the very timeline read before (no query).
      const again = historyReader(file)!;
      expect(again.read('api-prod', 'prod')).toBe(synced);
      again.close();
      writer.recordSnapshot({ takenAt: '2026-11-23T10:05:00.000Z', appClusters: [record('OutOfSync', '2026-11-23T10:05:00.000Z')] });
      const after = historyReader(file)!;
      expect(after.read('api-prod', 'prod')?.map((t) => t.sync)).toEqual(['Synced', 'OutOfSync']);
      after.close();
    } finally {
      writer.close();
    }
  });
});
