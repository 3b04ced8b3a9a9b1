import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetStore } from '../../../electron/store/fleet-store';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../electron/store/migrations';
import type { AppClusterRecord, SnapshotInput } from '../../../electron/store/types';
import type { ControllerStatus } from '../../../shared/controllers/types';
import type { AppClusterStatus, ResourceStatus } from '../../../shared/model/status';
import { refreshSnapshot } from './refresh-fleet';
import { syntheticSnapshot } from './synthetic-fleet';

let dir: string;
let file: string;
const open: FleetStore[] = [];

function openStore(options?: Parameters<typeof FleetStore.open>[1]): FleetStore {
  const s = FleetStore.open(file, options);
  open.push(s);
  return s;
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-store-'));
  file = path.join(dir, 'data', 'flotilla.db');
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

function count(table: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** One app × cluster with one Deployment, in the given sync state. */
function webRecord(opts: { sync: 'Synced' | 'OutOfSync' | 'Unknown'; at: string; revision?: string; replicas?: number; health?: 'Healthy' | 'Degraded'; error?: string; cluster?: string }): AppClusterRecord {
  const cluster = opts.cluster ?? 'prod-eu';
  const desired = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 3 } };
  const live = { ...desired, metadata: { ...desired.metadata, uid: 'u1', resourceVersion: String(opts.replicas ?? 3) }, spec: { replicas: opts.replicas ?? 3 } };
  const resource: ResourceStatus = {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
    sync: opts.sync === 'Unknown' ? 'Unknown' : opts.sync,
    health: { status: opts.health ?? 'Healthy', message: '' },
    ...(opts.sync === 'OutOfSync' ? { changedPaths: ['/spec/replicas'], diff: `-  replicas: 3\n+  replicas: ${opts.replicas ?? 5}\n` } : {}),
  };
  const status: AppClusterStatus = {
    app: 'web',
    cluster,
    revision: opts.revision ?? 'rev1',
    sync: opts.sync,
    health: opts.error ? { status: 'Unknown', message: opts.error } : { status: opts.health ?? 'Healthy', message: opts.health === 'Degraded' ? 'Deployment exceeded its progress deadline' : '' },
    resources: opts.error ? [] : [resource],
    observedAt: opts.at,
    ...(opts.error ? { error: opts.error } : {}),
  };
  return { status, environment: 'prod', manifests: opts.error ? [] : [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web', desired, live }] };
}

function snap(at: string, ...records: AppClusterRecord[]): SnapshotInput {
  return { takenAt: at, appClusters: records };
}

describe('FleetStore: opening', () => {
  it('creates the file in WAL mode with foreign keys on and the schema version in user_version', () => {
    const store = openStore();
    store.close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    const again = openStore();
    expect((again as unknown as { db: Database.Database }).db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('refuses a database written by a newer Flotilla, saying so', () => {
    openStore().close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => FleetStore.open(file)).toThrow(`written by a newer Flotilla (schema version ${SCHEMA_VERSION + 1}; this Flotilla knows up to ${SCHEMA_VERSION})`);
  });

  it('applies later migrations to an older database and bumps user_version', () => {
    openStore().recordSnapshot(syntheticSnapshot({ apps: 1, clusters: 1, resourcesPerApp: 2 }));
    for (const s of open.splice(0)) s.close();
    const next = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, description: 'notes', sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)' }];
    const store = openStore({ migrations: next });
    expect(store.fleetAt()?.appClusters).toHaveLength(1);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    db.close();
  });

  it('names the file when it is not a SQLite database', () => {
    writeFileSync(path.join(dir, 'junk.db'), 'this is not a database, just text that is long enough to have a header '.repeat(20));
    expect(() => FleetStore.open(path.join(dir, 'junk.db'))).toThrow(/junk\.db: this file is not a readable Flotilla store/);
  });
});

describe('FleetStore: recording and reading snapshots', () => {
  it('reads back every app × cluster with its status, resources and manifests', () => {
    const store = openStore();
    const input = syntheticSnapshot({ apps: 3, clusters: 3, resourcesPerApp: 4, drifted: 2 });
    const result = store.recordSnapshot(input);
    expect(result).toMatchObject({ changed: 9, unchanged: 0, snapshot: { id: 1, takenAt: '2026-11-23T12:00:00.000Z' } });
    const fleet = store.fleetAt()!;
    expect(fleet.appClusters).toHaveLength(9);
    expect(fleet.appClusters.map((a) => a.environment)).toEqual(['dev', 'dev', 'dev', 'prod', 'prod', 'prod', 'staging', 'staging', 'staging']);
    expect(fleet.appClusters.reduce((n, a) => n + a.driftedCount, 0)).toBe(2);
    const one = store.appClusterAt('app-0', 'dev-1')!;
    expect(one.resources.map((r) => r.name)).toEqual(['app-0-deployment-0', 'app-0-service-1', 'app-0-configmap-2', 'app-0-serviceaccount-3']);
    const manifests = store.manifestsAt('app-0', 'dev-1')!;
    const original = input.appClusters[0]!.manifests![0]!;
    expect(manifests[0]!.desired).toEqual(original.desired);
    expect(manifests[0]!.live).toEqual(original.live);
  });

  it('records a refresh as compareFleet gives it: statuses and manifests read back as given; unchanged again writes nothing; a changed app is new states', () => {
    const store = openStore();
    const input = refreshSnapshot({ apps: 12, clusters: 3, deployEvery: 4, takenAt: '2026-11-23T12:00:00.000Z' });
    expect(store.recordSnapshot(input)).toMatchObject({ changed: 36, unchanged: 0, events: 36 });
    for (const r of input.appClusters) {
      const got = store.appClusterAt(r.status.app, r.status.cluster)!;
      expect(got).toMatchObject({ revision: r.status.revision, sync: r.status.sync, health: r.status.health, resourceCount: r.status.resources.length });
      // Each status as given (drifted ones with when their drift began), and its manifests (live ones without bookkeeping).
      expect(got.resources.map(({ driftSince: _d, ...rest }) => rest)).toEqual(r.status.resources);
      expect(store.manifestsAt(r.status.app, r.status.cluster)).toEqual(r.manifests);
    }
    const before = { manifests: count('manifests'), sets: count('resource_sets'), observations: count('observations'), events: count('events') };
    const again = store.recordSnapshot(refreshSnapshot({ apps: 12, clusters: 3, deployEvery: 4, takenAt: '2026-11-23T12:05:00.000Z' }));
    expect(again).toMatchObject({ changed: 0, unchanged: 36, events: 0 });
    expect({ manifests: count('manifests'), sets: count('resource_sets'), observations: count('observations'), events: count('events') }).toEqual(before);
    const changed = store.recordSnapshot(refreshSnapshot({ apps: 12, clusters: 3, deployEvery: 4, takenAt: '2026-11-23T12:10:00.000Z', changedApps: [5] }));
    expect(changed).toMatchObject({ changed: 3, unchanged: 33 });
    expect(store.history('app-005-dev-01')[0]!.timeline).toHaveLength(2);
    const image = (m: ReturnType<FleetStore['manifestsAt']>) => JSON.stringify(m!.find((x) => x.kind === 'Deployment')!.desired);
    expect(image(store.manifestsAt('app-005-prod-01', 'prod-01'))).toContain('app-005:1.5.2-1');
    expect(image(store.manifestsAt('app-005-prod-01', 'prod-01', '2026-11-23T12:05:00.000Z'))).toContain('app-005:1.5.2"');
  });

  it('stores manifests by content: key order does not matter and equal manifests are stored once', () => {
    const store = openStore();
    const a = webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z' });
    const b = webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z', cluster: 'prod-us' });
    const reordered: AppClusterRecord = {
      ...b,
      manifests: b.manifests!.map((m) => ({ ...m, desired: { spec: { replicas: 3 }, metadata: { namespace: 'shop', name: 'web' }, kind: 'Deployment', apiVersion: 'apps/v1' } })),
    };
    store.recordSnapshot(snap('2026-11-23T10:00:00Z', a, reordered));
    // One desired manifest shared by both clusters, one live (the same uid and resourceVersion, same content).
    expect(count('manifests')).toBe(2);
  });

  it('re-recording an unchanged fleet writes no new state and no new manifests', () => {
    const store = openStore();
    store.recordSnapshot(syntheticSnapshot({ apps: 4, clusters: 3, resourcesPerApp: 10, drifted: 5 }));
    const before = { manifests: count('manifests'), sets: count('resource_sets'), observations: count('observations') };
    const again = store.recordSnapshot(syntheticSnapshot({ apps: 4, clusters: 3, resourcesPerApp: 10, drifted: 5, takenAt: '2026-11-23T12:05:00.000Z' }));
    expect(again).toMatchObject({ changed: 0, unchanged: 12, events: 0 });
    expect({ manifests: count('manifests'), sets: count('resource_sets'), observations: count('observations') }).toEqual(before);
    expect(count('snapshots')).toBe(2);
    expect(store.fleetAt()!.appClusters[0]!.observedAt).toBe('2026-11-23T12:05:00.000Z');
  });

  it('a changed live object (new resourceVersion) is a new state, sharing the unchanged manifests', () => {
    const store = openStore();
    store.recordSnapshot(syntheticSnapshot({ apps: 2, clusters: 1, resourcesPerApp: 4 }));
    const manifests = count('manifests');
    const r = store.recordSnapshot(syntheticSnapshot({ apps: 2, clusters: 1, resourcesPerApp: 4, generation: 1, takenAt: '2026-11-23T12:10:00.000Z' }));
    expect(r.changed).toBe(2);
    // Only the live objects changed (their resourceVersion); the desired ones are reused.
    expect(count('manifests')).toBe(manifests + 8);
  });

  it('keeps what Git said (version) and what the cluster ran (running version) apart; a new running version is a new state', () => {
    const store = openStore();
    const at = (t: string, running: string): AppClusterRecord => {
      const r = webRecord({ sync: 'Synced', at: t });
      return { ...r, status: { ...r.status, version: '1.8.0', runningVersion: running } };
    };
    store.recordSnapshot(snap('2026-11-23T12:00:00.000Z', at('2026-11-23T12:00:00.000Z', '1.7.2')));
    expect(store.fleetAt()!.appClusters[0]).toMatchObject({ version: '1.8.0', runningVersion: '1.7.2' });
    const r = store.recordSnapshot(snap('2026-11-23T12:05:00.000Z', at('2026-11-23T12:05:00.000Z', '1.8.0')));
    expect(r.changed).toBe(1);
    expect(store.fleetAt()!.appClusters[0]).toMatchObject({ version: '1.8.0', runningVersion: '1.8.0' });
  });

  it('an app × cluster absent from a later snapshot is not part of the fleet at that time', () => {
    const store = openStore();
    store.recordSnapshot(snap('2026-11-23T10:00:00Z', webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z' }), webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z', cluster: 'prod-us' })));
    store.recordSnapshot(snap('2026-11-23T11:00:00Z', webRecord({ sync: 'Synced', at: '2026-11-23T11:00:00Z' })));
    expect(store.fleetAt()!.appClusters.map((a) => a.cluster)).toEqual(['prod-eu']);
    expect(store.fleetAt('2026-11-23T10:30:00Z')!.appClusters.map((a) => a.cluster)).toEqual(['prod-eu', 'prod-us']);
    expect(store.appClusterAt('web', 'prod-us')).toBeUndefined();
  });

  it('a partial refresh (one cluster read) keeps the others as the previous snapshot saw them', () => {
    const store = openStore();
    store.recordSnapshot(snap('2026-11-23T10:00:00Z', webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z' }), webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z', cluster: 'prod-us' })));
    store.recordSnapshot({ ...snap('2026-11-23T11:00:00Z', webRecord({ sync: 'OutOfSync', replicas: 5, at: '2026-11-23T11:00:00Z', cluster: 'prod-us' })), partial: true });
    expect(store.fleetAt()!.appClusters.map((a) => [a.cluster, a.sync, a.observedAt])).toEqual([
      ['prod-eu', 'Synced', '2026-11-23T10:00:00.000Z'],
      ['prod-us', 'OutOfSync', '2026-11-23T11:00:00.000Z'],
    ]);
    expect(store.apps()).toEqual(['web']);
  });

  it('one malformed status is reported and keeps its last state; the others are recorded', () => {
    const store = openStore();
    store.recordSnapshot(snap('2026-11-23T10:00:00Z', webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z' }), webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z', cluster: 'prod-us' })));
    const bad = webRecord({ sync: 'Synced', at: '2026-11-23T11:00:00Z', cluster: 'prod-us' });
    const late = webRecord({ sync: 'OutOfSync', replicas: 5, at: 'half past ten' });
    const r = store.recordSnapshot(snap('2026-11-23T11:00:00Z', late, { ...bad, status: { ...bad.status, sync: 'Drifting' as 'Synced' } }));
    expect(r).toMatchObject({ changed: 1, unchanged: 0 });
    expect(r.problems.map((p) => [p.severity, p.app, p.cluster, p.message])).toEqual([
      ['warning', 'web', 'prod-eu', 'observedAt "half past ten" is not an ISO 8601 time; recorded at the snapshot\'s time'],
      ['error', 'web', 'prod-us', 'not recorded: sync status "Drifting" is not Synced, OutOfSync or Unknown'],
    ]);
    expect(store.fleetAt()!.appClusters.map((a) => [a.cluster, a.sync, a.observedAt])).toEqual([
      ['prod-eu', 'OutOfSync', '2026-11-23T11:00:00.000Z'],
      ['prod-us', 'Synced', '2026-11-23T10:00:00.000Z'],
    ]);
    // A resource whose changes, changed paths or diff are not of the shapes the store keeps: the same.
    const shaped = (edit: Record<string, unknown>): AppClusterRecord => ({ ...bad, status: { ...bad.status, resources: bad.status.resources.map((x, i) => (i === 0 ? { ...x, ...edit } : x)) } });
    for (const [edit, why] of [
      [{ changes: 'oops' }, 'expected its changes as a list of objects'],
      [{ changes: [null] }, 'expected its changes as a list of objects'],
      [{ changedPaths: [1] }, 'expected its changed paths as a list of strings'],
      [{ diff: 7 }, 'expected its diff as text'],
    ] as const) {
      const again = store.recordSnapshot(snap('2026-11-23T12:00:00Z', shaped(edit), webRecord({ sync: 'Synced', at: '2026-11-23T12:00:00Z' })));
      expect(again.problems.map((p) => [p.severity, p.cluster, p.message])).toEqual([['error', 'prod-us', `not recorded: resource ${bad.status.resources[0]!.kind}/${bad.status.resources[0]!.name}: ${why}`]]);
    }
    expect(store.fleetAt()!.appClusters.map((a) => [a.cluster, a.sync])).toEqual([['prod-eu', 'Synced'], ['prod-us', 'Synced']]);
  });

  it('an unreachable cluster keeps the state last observed (with its time) and is marked unreachable in the snapshot', () => {
    const store = openStore();
    store.recordSnapshot(snap('2026-11-23T10:00:00Z', webRecord({ sync: 'OutOfSync', replicas: 5, at: '2026-11-23T10:00:00Z' }), webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z', cluster: 'prod-us' })));
    const dead = (cluster: string): AppClusterRecord => ({ ...webRecord({ sync: 'Unknown', at: '2026-11-23T11:00:00Z', cluster, error: `cluster ${cluster} is unreachable: connect ECONNREFUSED` }), unreachable: `cluster ${cluster} is unreachable: connect ECONNREFUSED` });
    const r = store.recordSnapshot(snap('2026-11-23T11:00:00Z', dead('prod-eu'), webRecord({ sync: 'Synced', at: '2026-11-23T11:00:00Z', cluster: 'prod-us' })));
    expect(r).toMatchObject({ changed: 0, unchanged: 1, unreachable: 1, events: 0 });
    const eu = store.driftReportInput().entries.find((e) => e.cluster === 'prod-eu')!;
    expect(eu).toMatchObject({ sync: 'OutOfSync', observedAt: '2026-11-23T10:00:00.000Z', unreachable: 'cluster prod-eu is unreachable: connect ECONNREFUSED' });
    expect(eu.drifted.map((d) => d.name)).toEqual(['web']);
    expect(store.fleetAt()!.appClusters.map((a) => [a.cluster, a.sync, a.observedAt, a.unreachable ?? null])).toEqual([
      ['prod-eu', 'OutOfSync', '2026-11-23T10:00:00.000Z', 'cluster prod-eu is unreachable: connect ECONNREFUSED'],
      ['prod-us', 'Synced', '2026-11-23T11:00:00.000Z', null],
    ]);
    // A later refresh that reads it again ends the "unreachable" mark.
    store.recordSnapshot(snap('2026-11-23T12:00:00Z', webRecord({ sync: 'OutOfSync', replicas: 5, at: '2026-11-23T12:00:00Z' }), webRecord({ sync: 'Synced', at: '2026-11-23T12:00:00Z', cluster: 'prod-us' })));
    expect(store.driftReportInput().entries.find((e) => e.cluster === 'prod-eu')!.unreachable).toBeUndefined();
    // An app × cluster never observed before has nothing to keep: it is recorded Unknown, and still marked unreachable.
    const first = store.recordSnapshot(snap('2026-11-23T13:00:00Z', dead('prod-ap')));
    expect(first).toMatchObject({ changed: 1, unreachable: 1 });
    expect(store.appClusterAt('web', 'prod-ap')).toMatchObject({ sync: 'Unknown', unreachable: expect.stringContaining('prod-ap') });
  });

  it('rejects a snapshot listing an app × cluster twice, naming it, and writes nothing', () => {
    const store = openStore();
    const r = webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z' });
    expect(() => store.recordSnapshot(snap('2026-11-23T10:00:00Z', r, r))).toThrow(/lists this app × cluster twice \(app web, cluster prod-eu\)/);
    expect(store.snapshots()).toEqual([]);
  });

  it('rejects a time that is not ISO 8601 with what it expected', () => {
    const store = openStore();
    expect(() => store.fleetAt('yesterday-ish')).toThrow(/expected an ISO 8601 time/);
  });

  it("keeps what the controller said beside Flotilla's verdict, and a change in it is a new state", () => {
    const store = openStore();
    const controller: ControllerStatus = { controller: 'Argo CD', kind: 'Application', cluster: 'prod-eu', namespace: 'argocd', name: 'web', sync: 'Synced', health: 'Healthy', revision: 'a'.repeat(40) };
    const withController = (at: string, c: ControllerStatus): AppClusterRecord => {
      const r = webRecord({ sync: 'OutOfSync', at, replicas: 5 });
      return { ...r, status: { ...r.status, controller: c } };
    };
    store.recordSnapshot(snap('2026-11-23T10:00:00Z', withController('2026-11-23T10:00:00Z', controller)));
    expect(store.fleetAt()!.appClusters[0]!.controller).toEqual(controller);
    expect(store.appClusterAt('web', 'prod-eu')!.controller).toEqual(controller);
    expect(store.recordSnapshot(snap('2026-11-23T10:05:00Z', withController('2026-11-23T10:05:00Z', controller)))).toMatchObject({ changed: 0 });
    const outOfSync: ControllerStatus = { ...controller, sync: 'OutOfSync' };
    expect(store.recordSnapshot(snap('2026-11-23T10:10:00Z', withController('2026-11-23T10:10:00Z', outOfSync)))).toMatchObject({ changed: 1 });
    expect(store.fleetAt()!.appClusters[0]!.controller).toEqual(outOfSync);
    // A record with no controller object stays without one.
    store.recordSnapshot(snap('2026-11-23T10:15:00Z', webRecord({ sync: 'Synced', at: '2026-11-23T10:15:00Z' })));
    expect(store.fleetAt()!.appClusters[0]!.controller).toBeUndefined();
  });
});

describe('FleetStore: history', () => {
  it('records when drift began and ended, and how long it took to fix', () => {
    const store = openStore();
    store.recordSnapshot(snap('2026-11-23T10:00:00Z', webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z' })));
    store.recordSnapshot(snap('2026-11-23T10:05:00Z', webRecord({ sync: 'OutOfSync', replicas: 5, at: '2026-11-23T10:05:00Z' })));
    store.recordSnapshot(snap('2026-11-23T10:10:00Z', webRecord({ sync: 'Unknown', error: 'cluster prod-eu unreachable: connect ECONNREFUSED', at: '2026-11-23T10:10:00Z' })));
    store.recordSnapshot(snap('2026-11-23T10:15:00Z', webRecord({ sync: 'OutOfSync', replicas: 6, at: '2026-11-23T10:15:00Z' })));
    store.recordSnapshot(snap('2026-11-23T10:35:00Z', webRecord({ sync: 'Synced', at: '2026-11-23T10:35:00Z' })));

    const [h] = store.history('web');
    expect(h!.cluster).toBe('prod-eu');
    expect(h!.events.map((e) => `${e.kind}@${e.at.slice(11, 16)}`)).toEqual(['drift-began@10:05', 'health-changed@10:10', 'health-changed@10:15', 'drift-ended@10:35']);
    expect(h!.driftEpisodes).toEqual([{ began: '2026-11-23T10:05:00.000Z', ended: '2026-11-23T10:35:00.000Z', durationMs: 30 * 60_000 }]);
    expect(h!.timeline.map((t) => [t.since.slice(11, 16), t.until?.slice(11, 16), t.sync])).toEqual([
      ['10:00', '10:05', 'Synced'],
      ['10:05', '10:10', 'OutOfSync'],
      ['10:10', '10:15', 'Unknown'],
      ['10:15', '10:35', 'OutOfSync'],
      ['10:35', undefined, 'Synced'],
    ]);
    // An unreachable cluster does not end drift, and the resource keeps the time its drift began.
    expect(store.appClusterAt('web', 'prod-eu', '2026-11-23T10:20:00Z')).toMatchObject({
      driftSince: '2026-11-23T10:05:00.000Z',
      resources: [{ name: 'web', sync: 'OutOfSync', driftSince: '2026-11-23T10:05:00.000Z' }],
    });
    expect(store.appClusterAt('web', 'prod-eu', '2026-11-23T10:12:00Z')).toMatchObject({ sync: 'Unknown', error: 'cluster prod-eu unreachable: connect ECONNREFUSED', driftSince: '2026-11-23T10:05:00.000Z' });
  });

  it('records health changes with what they changed from', () => {
    const store = openStore();
    store.recordSnapshot(snap('2026-11-23T10:00:00Z', webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z' })));
    store.recordSnapshot(snap('2026-11-23T10:05:00Z', webRecord({ sync: 'Synced', health: 'Degraded', revision: 'rev2', at: '2026-11-23T10:05:00Z' })));
    const [h] = store.history('web', { cluster: 'prod-eu' });
    expect(h!.events).toEqual([
      { id: 1, kind: 'health-changed', at: '2026-11-23T10:05:00.000Z', app: 'web', cluster: 'prod-eu', detail: { from: 'Healthy', to: 'Degraded', message: 'Deployment exceeded its progress deadline' } },
    ]);
  });

  it('keeps sync runs and promotions from other modules; app-wide promotions show under every cluster', () => {
    const store = openStore();
    store.recordSnapshot(snap('2026-11-23T10:00:00Z', webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z' }), webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z', cluster: 'prod-us' })));
    store.recordSyncRun({ app: 'web', cluster: 'prod-eu', at: '2026-11-23T10:01:00Z', detail: { revision: 'rev2', phase: 'Succeeded', resources: ['apps/Deployment/shop/web'] } });
    store.recordPromotion({ app: 'web', at: '2026-11-23T10:02:00Z', detail: { revision: 'rev2', from: 'staging', to: 'prod', pipeline: 'shop' } });
    const [eu, us] = store.history('web');
    expect(eu!.events.map((e) => e.kind)).toEqual(['sync-run', 'promotion']);
    expect(us!.events.map((e) => e.kind)).toEqual(['promotion']);
    expect(us!.events[0]).toMatchObject({ detail: { revision: 'rev2', from: 'staging', to: 'prod' } });
    expect(us!.events[0]).not.toHaveProperty('cluster');
  });

  it('reads timelines for many lookups in a row as history does; a recorded snapshot changes the generation, a promotion event does not', () => {
    const store = openStore();
    store.recordSnapshot(snap('2026-11-23T10:00:00Z', webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z' }), webRecord({ sync: 'Synced', at: '2026-11-23T10:00:00Z', cluster: 'prod-us' })));
    store.recordSnapshot(snap('2026-11-23T10:05:00Z', webRecord({ sync: 'OutOfSync', replicas: 5, at: '2026-11-23T10:05:00Z' }), webRecord({ sync: 'Synced', at: '2026-11-23T10:05:00Z', cluster: 'prod-us' })));
    const before = store.timelineGeneration();
    const read = store.timelineReader();
    expect(read('web', 'prod-eu')).toEqual(store.history('web', { cluster: 'prod-eu' })[0]!.timeline);
    // Unchanged since 10:00, last confirmed by the 10:05 snapshot.
    expect(read('web', 'prod-us')).toEqual([{ since: '2026-11-23T10:00:00.000Z', revision: 'rev1', sync: 'Synced', health: { status: 'Healthy', message: '' }, resourceCount: 1, driftedCount: 0, lastObservedAt: '2026-11-23T10:05:00.000Z' }]);
    expect(read('web', 'prod-ap')).toBeUndefined();
    store.recordPromotion({ app: 'web', at: '2026-11-23T10:06:00Z', detail: { revision: 'rev2', from: 'staging', to: 'prod', pipeline: 'shop' } });
    expect(store.timelineGeneration()).toBe(before);
    store.recordSnapshot(snap('2026-11-23T10:10:00Z', webRecord({ sync: 'Synced', at: '2026-11-23T10:10:00Z' })));
    expect(store.timelineGeneration()).not.toBe(before);
  });

  it('answers what was running in prod at a time: revision and manifests', () => {
    const store = openStore();
    const dev = { ...webRecord({ sync: 'Synced', at: '2026-11-23T09:00:00Z', cluster: 'dev-1', revision: 'rev9' }), environment: 'dev' };
    store.recordSnapshot(snap('2026-11-23T09:00:00Z', webRecord({ sync: 'Synced', at: '2026-11-23T09:00:00Z', revision: 'rev1' }), dev));
    store.recordSnapshot(snap('2026-11-23T12:00:00Z', webRecord({ sync: 'Synced', at: '2026-11-23T12:00:00Z', revision: 'rev2', replicas: 4 }), dev));
    const then = store.runningAt({ at: '2026-11-23T11:00:00Z', environment: 'prod' });
    expect(then).toHaveLength(1);
    expect(then[0]).toMatchObject({ app: 'web', cluster: 'prod-eu', revision: 'rev1', observedAt: '2026-11-23T09:00:00.000Z' });
    expect(then[0]!.manifests[0]!.live).toMatchObject({ spec: { replicas: 3 } });
    expect(store.runningAt({ environment: 'prod' })[0]).toMatchObject({ revision: 'rev2', manifests: [{ live: { spec: { replicas: 4 } } }] });
    expect(store.runningAt({ at: '2026-11-23T08:00:00Z' })).toEqual([]);
  });
});

describe('FleetStore: retention', () => {
  it('thins old snapshots to one per period, keeps every event, and still answers at the kept times', () => {
    const store = openStore();
    const day = 24 * 3600_000;
    const t0 = Date.parse('2026-10-01T00:00:00Z');
    // Ten days, four refreshes a day; the app drifts on day 2 and is fixed on day 3 (a new live object each refresh).
    for (let d = 0; d < 10; d++) {
      for (let q = 0; q < 4; q++) {
        const at = new Date(t0 + d * day + q * 6 * 3600_000).toISOString();
        const drifting = d === 2 && q >= 2;
        store.recordSnapshot(snap(at, webRecord({ sync: drifting ? 'OutOfSync' : 'Synced', replicas: drifting ? 5 : 3 + (d * 4 + q) * 10, at })));
      }
    }
    const eventsBefore = store.history('web')[0]!.events;
    expect(eventsBefore.map((e) => e.kind)).toEqual(['drift-began', 'drift-ended']);
    const manifestsBefore = count('manifests');
    const result = store.compact({ keepAllForMs: 3 * day, thenOnePerMs: day }, { now: new Date(t0 + 10 * day).toISOString() });
    // Days 0–6 are older than 3 days: 28 snapshots become 7.
    expect(result.snapshotsDeleted).toBe(21);
    expect(count('snapshots')).toBe(40 - 21);
    // Each refresh was a new state except day 2's last two (the same drifted object): 3 superseded states a day
    // are dropped, 2 on day 2 (its 12:00 state is still in effect at the kept 18:00 snapshot).
    expect(result.observationsDeleted).toBe(20);
    expect(count('manifests')).toBeLessThan(manifestsBefore);
    expect(store.history('web')[0]!.events).toEqual(eventsBefore);
    // At noon on day 1 the state in effect is now the last kept snapshot at or before then (day 0, 18:00).
    expect(store.appClusterAt('web', 'prod-eu', new Date(t0 + 1 * day + 12 * 3600_000).toISOString())).toMatchObject({ observedAt: new Date(t0 + 18 * 3600_000).toISOString() });
    expect(store.manifestsAt('web', 'prod-eu', new Date(t0 + 5 * day + 20 * 3600_000).toISOString())![0]!.live).toMatchObject({ spec: { replicas: 3 + (5 * 4 + 3) * 10 } });
    const db = new Database(file, { readonly: true });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('vacuum gives space back after compaction', () => {
    const store = openStore();
    const t0 = Date.parse('2026-10-01T00:00:00Z');
    for (let i = 0; i < 6; i++) store.recordSnapshot({ ...syntheticSnapshot({ apps: 5, clusters: 3, resourcesPerApp: 20, generation: i }), takenAt: new Date(t0 + i * 86400_000).toISOString() });
    store.compact({ keepAllForMs: 0, thenOnePerMs: 365 * 86400_000 }, { now: new Date(t0 + 7 * 86400_000).toISOString() });
    const bytes = (): number => statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
    const before = bytes();
    store.compact({ keepAllForMs: 0 }, { now: new Date(t0 + 7 * 86400_000).toISOString(), vacuum: true });
    expect(bytes()).toBeLessThan(before / 3);
    expect(store.fleetAt()!.appClusters).toHaveLength(15);
  });
});
