import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FINGERPRINT_VERSION, olderRecordFingerprint } from '../../../electron/store/fingerprint';
import { snapshotFromComparison } from '../../../electron/services/fleet-refresh';
import { FleetStore } from '../../../electron/store/fleet-store';
import { SCHEMA_VERSION } from '../../../electron/store/migrations';
import type { AppClusterRecord, SnapshotInput } from '../../../electron/store/types';
import { getIn, setIn } from './edit-json';
import { refreshComparison, refreshSnapshot } from './refresh-fleet';
import { syntheticSnapshot } from './synthetic-fleet';

let dir: string;
let file: string;
const open: FleetStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-recorder-'));
  file = path.join(dir, 'flotilla.db');
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

function openStore(): FleetStore {
  const s = FleetStore.open(file);
  open.push(s);
  return s;
}

function rows<T>(sql: string): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

const count = (table: string): number => rows<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)[0]!.n;
const at = (minutes: number): string => new Date(Date.parse('2026-11-23T12:00:00.000Z') + minutes * 60_000).toISOString();

/** A refresh-shaped fleet (Missing apps whose statuses carry their objects, deployed apps with live objects), parsed afresh. */
function fleet(minutes: number): SnapshotInput {
  return refreshSnapshot({ apps: 4, clusters: 3, deployEvery: 2, takenAt: at(minutes) });
}

/** The fleet with one field deep in one resource of one app × cluster edited (on a copy). */
function edited(minutes: number, app: string, kind: string, edit: (resource: unknown, manifests: unknown) => void): SnapshotInput {
  const input = fleet(minutes);
  const record = input.appClusters.find((r) => r.status.app === app)!;
  const i = record.status.resources.findIndex((r) => r.kind === kind);
  edit(record.status.resources[i], record.manifests![i]);
  return input;
}

describe('SnapshotRecorder: the unchanged check never misses a change', () => {
  const missing = 'app-002-dev-01';
  const deployed = 'app-001-dev-01';
  const cases: [string, string, string, (r: unknown, m: unknown) => void, (s: FleetStore) => unknown][] = [
    ["a Missing resource's change value, one field deep", missing, 'Deployment', (r) => setIn(r, ['changes', 0, 'desired', 'spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort'], 8081),
      (s) => s.appClusterAt(missing, 'dev-01')!.resources.find((x) => x.kind === 'Deployment')!.changes![0]],
    ["a Missing resource's desired object, one field deep", missing, 'Deployment', (_r, m) => setIn(m, ['desired', 'spec', 'template', 'spec', 'containers', 1, 'args', 0], '--port=9001'),
      (s) => s.manifestsAt(missing, 'dev-01')!.find((x) => x.kind === 'Deployment')!.desired],
    ["a Missing resource's diff, one character", missing, 'ConfigMap', (r) => setIn(r, ['diff'], String(getIn(r, ['diff'])).replace('info', 'inf0').replace('debug', 'debu9')),
      (s) => s.appClusterAt(missing, 'dev-01')!.resources.find((x) => x.kind === 'ConfigMap')!.diff],
    ["a deployed resource's change value", deployed, 'Service', (r) => setIn(r, ['changes', 0, 'live'], 'ClusterIP-changed'),
      (s) => s.appClusterAt(deployed, 'dev-01')!.resources.find((x) => x.kind === 'Service')!.changes],
    ["a deployed resource's live object (a new resourceVersion)", deployed, 'Deployment', (_r, m) => { setIn(m, ['live', 'metadata', 'resourceVersion'], '99999'); setIn(m, ['live', 'spec', 'replicas'], 4); },
      (s) => s.manifestsAt(deployed, 'dev-01')!.find((x) => x.kind === 'Deployment')!.live],
    ["the order of a change value's keys", missing, 'Service', (r) => { const { spec, ...rest } = getIn(r, ['changes', 0, 'desired']) as Record<string, unknown>; setIn(r, ['changes', 0, 'desired'], { spec, ...rest }); },
      (s) => Object.keys(s.appClusterAt(missing, 'dev-01')!.resources.find((x) => x.kind === 'Service')!.changes![0]!.desired as object)],
  ];

  for (const [what, app, kind, edit, read] of cases) {
    it(`records ${what}, and only that app × cluster`, () => {
      const store = openStore();
      store.recordSnapshot(fleet(0));
      expect(store.recordSnapshot(fleet(5))).toMatchObject({ changed: 0 });
      const before = JSON.stringify(read(store));
      const r = store.recordSnapshot(edited(10, app, kind, edit));
      expect(r).toMatchObject({ changed: 1, unchanged: fleet(0).appClusters.length - 1 });
      expect(JSON.stringify(read(store))).not.toBe(before);
      const input = edited(15, app, kind, edit);
      expect(store.recordSnapshot(input)).toMatchObject({ changed: 0 });
      expect(store.fleetAt()!.appClusters.find((a) => a.app === app)!.observedAt).toBe(at(15));
    });
  }
});

describe('SnapshotRecorder: a store from before fingerprint version 3', () => {
  /** What the fixture recorded (test/fixtures/store/README.md), parsed afresh. */
  const fixtureFleet = (minutes: number): SnapshotInput => ({
    takenAt: at(minutes),
    appClusters: [...refreshSnapshot({ apps: 2, clusters: 3, deployEvery: 2 }).appClusters, ...syntheticSnapshot({ apps: 1, clusters: 2, resourcesPerApp: 4, drifted: 2, secretValue: 'hunter2-value' }).appClusters],
  });

  const copyFixture = (): void => copyFileSync(path.join(__dirname, '..', '..', 'fixtures', 'store', 'flotilla-schema-7.db'), file);

  it('opens, re-records the same fleet with no change, gives its states the current fingerprint, and still records a change', () => {
    copyFixture();
    expect(rows<{ v: number }>('SELECT user_version AS v FROM pragma_user_version')[0]!.v).toBe(7);
    const store = openStore();
    expect(rows<{ v: number }>('SELECT user_version AS v FROM pragma_user_version')[0]!.v).toBe(SCHEMA_VERSION);
    expect(rows<{ v: number; n: number }>('SELECT fingerprint_version AS v, COUNT(*) AS n FROM observations GROUP BY 1')).toEqual([{ v: 2, n: 8 }]);
    const fleetBefore = store.fleetAt()!.appClusters;
    const [observations, events, sets, manifests] = ['observations', 'events', 'resource_sets', 'manifests'].map(count) as [number, number, number, number];

    const first = store.recordSnapshot(fixtureFleet(10));
    expect(first).toMatchObject({ changed: 0, unchanged: 8, events: 0, problems: [] });
    expect(['observations', 'events', 'resource_sets', 'manifests'].map(count)).toEqual([observations, events, sets, manifests]);
    expect(rows<{ v: number; n: number }>('SELECT fingerprint_version AS v, COUNT(*) AS n FROM observations GROUP BY 1')).toEqual([{ v: FINGERPRINT_VERSION, n: 8 }]);
    expect(store.fleetAt()!.appClusters.map(({ observedAt: _o, ...rest }) => rest)).toEqual(fleetBefore.map(({ observedAt: _o, ...rest }) => rest));

    expect(store.recordSnapshot(fixtureFleet(15))).toMatchObject({ changed: 0, unchanged: 8 });
    const input = fixtureFleet(20);
    const record: AppClusterRecord = input.appClusters.find((r) => r.status.app === 'app-002-prod-01')!;
    setIn(record.status.resources.find((r) => r.kind === 'Deployment'), ['changes', 0, 'desired', 'spec', 'replicas'], 7);
    expect(store.recordSnapshot(input)).toMatchObject({ changed: 1, unchanged: 7 });
    expect(count('observations')).toBe(observations + 1);
  });

  it('records a change found by the first re-record, one field deep, while its states still carry version 2', () => {
    copyFixture();
    const store = openStore();
    const observations = count('observations');
    const input = fixtureFleet(10);
    const record: AppClusterRecord = input.appClusters.find((r) => r.status.app === 'app-002-staging-01')!;
    const target = ['changes', 0, 'desired', 'spec', 'metrics', 0, 'resource', 'target', 'averageUtilization'];
    setIn(record.status.resources.find((r) => r.kind === 'HorizontalPodAutoscaler'), target, 80);
    expect(store.recordSnapshot(input)).toMatchObject({ changed: 1, unchanged: 7, events: 0 });
    expect(count('observations')).toBe(observations + 1);
    const hpa = store.appClusterAt('app-002-staging-01', 'staging-01')!.resources.find((r) => r.kind === 'HorizontalPodAutoscaler')!;
    expect(getIn(hpa, target)).toBe(80);
    expect(store.recordSnapshot({ ...input, takenAt: at(15) })).toMatchObject({ changed: 0, unchanged: 8 });
  });
});

describe('SnapshotRecorder: a store written by fingerprint version 3', () => {
  /** A refresh compared in this process (its Missing diffs known as made here), at a given minute. */
  const compared = (minutes: number, changedApps: readonly number[] = []): SnapshotInput => ({ takenAt: at(minutes), ...snapshotFromComparison(refreshComparison({ apps: 3, clusters: 3, deployEvery: 2, changedApps }), false) });

  /** Gives every latest observation the version 3 fingerprint of its record, as the build before this one wrote it. */
  function asVersion3(input: SnapshotInput): void {
    const db = new Database(file);
    try {
      const update = db.prepare('UPDATE observations SET fingerprint = ?, fingerprint_version = 3 WHERE id = (SELECT latest_observation FROM app_clusters WHERE app = ? AND cluster = ?)');
      for (const r of input.appClusters) expect(update.run(Buffer.from(olderRecordFingerprint(r, 3)!, 'hex'), r.status.app, r.status.cluster).changes).toBe(1);
    } finally {
      db.close();
    }
  }

  it('re-records the same fleet with no new state, gives its states version 4, and still records a changed image', () => {
    const store = openStore();
    const first = compared(0);
    store.recordSnapshot(first);
    store.close();
    open.pop();
    asVersion3(first);
    expect(rows<{ v: number; n: number }>('SELECT fingerprint_version AS v, COUNT(*) AS n FROM observations GROUP BY 1')).toEqual([{ v: 3, n: 9 }]);
    const again = openStore();
    const observations = count('observations');
    expect(again.recordSnapshot(compared(5))).toMatchObject({ changed: 0, unchanged: 9, events: 0, problems: [] });
    expect(count('observations')).toBe(observations);
    expect(rows<{ v: number; n: number }>('SELECT fingerprint_version AS v, COUNT(*) AS n FROM observations GROUP BY 1')).toEqual([{ v: FINGERPRINT_VERSION, n: 9 }]);
    expect(again.recordSnapshot(compared(10))).toMatchObject({ changed: 0, unchanged: 9 });
    // App 2 is not deployed: its Missing Deployment's change, diff and desired object carry the new tag.
    expect(again.recordSnapshot(compared(15, [2]))).toMatchObject({ changed: 3, unchanged: 6 });
    expect(again.appClusterAt('app-002-dev-01', 'dev-01')!.resources.find((r) => r.kind === 'Deployment')!.diff).toContain(':1.2.0-1');
  });
});
