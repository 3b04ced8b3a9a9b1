import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetStore } from '../../../electron/store/fleet-store';
import type { AppClusterRecord } from '../../../electron/store/types';
import type { ControllerStatus } from '../../../shared/controllers/types';
import type { HealthStatus, SyncStatus } from '../../../shared/model/status';
import { FleetAtOracle } from './fleet-at-oracle';

let dir: string;
let file: string;
let store: FleetStore;
let oracle: FleetAtOracle;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-grid-'));
  file = path.join(dir, 'flotilla.db');
  store = FleetStore.open(file);
  oracle = new FleetAtOracle(file);
});

afterEach(() => {
  oracle.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

// Names that localeCompare orders differently from code units: case, digits, an accent.
const APPS = ['web', 'Web-admin', 'api', 'app-10', 'app-9', 'élan', 'zeta'] as const;
const CLUSTERS: readonly (readonly [string, string | undefined])[] = [['prod-eu', 'prod'], ['Prod-us', 'prod'], ['dev-1', 'dev'], ['edge', undefined]];

interface State {
  readonly generation?: number;
  readonly sync?: SyncStatus;
  readonly health?: HealthStatus;
  readonly error?: string;
  readonly unreachable?: string;
}

/** One app × cluster with one Deployment whose live object is at `generation`; every optional field of a summary used somewhere. */
function record(app: string, clusterIndex: number, at: string, s: State = {}): AppClusterRecord {
  const [cluster, environment] = CLUSTERS[clusterIndex]!;
  const g = s.generation ?? 0;
  const sync = s.sync ?? (g % 3 === 1 ? 'OutOfSync' : 'Synced');
  const desired = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: 'shop' }, spec: { replicas: 3 } };
  const live = { ...desired, metadata: { ...desired.metadata, uid: `${app}-${cluster}`, resourceVersion: String(100 + g) }, spec: { replicas: 3 + g } };
  const controller: ControllerStatus = { controller: 'Argo CD', kind: 'Application', cluster, namespace: 'argocd', name: app, sync, health: 'Healthy', revision: 'c'.repeat(40) };
  return {
    ...(environment !== undefined ? { environment } : {}),
    ...(s.unreachable !== undefined ? { unreachable: s.unreachable } : {}),
    status: {
      app,
      cluster,
      revision: `rev-${g}`,
      ...(app.startsWith('w') ? { version: `1.${g}.0` } : {}),
      ...(app === 'web' ? { runningVersion: `1.${g}.0` } : {}),
      sync,
      health: { status: s.health ?? (s.error ? 'Unknown' : 'Healthy'), message: s.error ?? (g % 2 ? 'progressing' : '') },
      resources: s.error ? [] : [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: app, sync, health: { status: 'Healthy', message: '' }, ...(sync === 'OutOfSync' ? { changedPaths: ['/spec/replicas'] } : {}) }],
      observedAt: at,
      ...(s.error !== undefined ? { error: s.error } : {}),
      ...(clusterIndex === 0 ? { controller } : {}),
    },
    manifests: s.error ? [] : [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: app, desired, live }],
  };
}

const T0 = Date.parse('2026-11-23T10:00:00.000Z');
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

/** Every app on every cluster, each at the generation `gen` gives it. */
function everyone(minutes: number, gen: (app: string, cluster: number) => number, apps: readonly string[] = APPS): AppClusterRecord[] {
  return apps.flatMap((app) => CLUSTERS.map((_, c) => record(app, c, at(minutes), { generation: gen(app, c) })));
}

/** The store's answers equal the former read's, key order included, at the latest snapshot and at each time listed. */
function expectAsBefore(times: readonly string[]): void {
  for (const t of [undefined, ...times]) {
    const fleet = store.fleetAt(t);
    expect(fleet, `fleetAt(${t})`).toEqual(oracle.fleetAt(t));
    expect(JSON.stringify(fleet), `fleetAt(${t})`).toBe(JSON.stringify(oracle.fleetAt(t)));
    expect(JSON.stringify(store.runningAt(t === undefined ? {} : { at: t })), `runningAt(${t})`).toBe(JSON.stringify(oracle.runningAt(t)));
  }
}

/** The snapshots recorded, oldest first, as times to read at. */
function times(): string[] {
  return store.snapshots(1000).map((s) => s.takenAt).reverse();
}

describe('FleetStore: the fleet at a snapshot reads as it did before the grid read', () => {
  it('after full refreshes, partial refreshes of one app and of one cluster, an unreachable cluster, an app removed and back, and compaction', () => {
    store.recordSnapshot({ takenAt: at(0), appClusters: everyone(0, () => 0) });
    expectAsBefore(times());
    // Everything unchanged but two app × clusters.
    store.recordSnapshot({ takenAt: at(5), appClusters: everyone(5, (app, c) => (app === 'api' && c === 1) || (app === 'zeta' && c === 3) ? 1 : 0) });
    expectAsBefore(times());
    // A partial refresh of one app on every cluster.
    store.recordSnapshot({ takenAt: at(10), partial: true, appClusters: CLUSTERS.map((_, c) => record('web', c, at(10), { generation: 2 })) });
    expectAsBefore(times());
    // A partial refresh of one cluster, every app on it.
    store.recordSnapshot({ takenAt: at(15), partial: true, appClusters: APPS.map((app) => record(app, 2, at(15), { generation: 4 })) });
    expectAsBefore(times());
    // One cluster unreachable: its app × clusters keep their last state (and time), marked unreachable.
    const gen = (app: string, c: number): number => (app === 'web' ? 2 : c === 2 ? 4 : (app === 'api' && c === 1) || (app === 'zeta' && c === 3) ? 1 : 0);
    store.recordSnapshot({
      takenAt: at(20),
      appClusters: APPS.flatMap((app) => CLUSTERS.map((_, c) => (c === 1 ? record(app, c, at(20), { error: 'cluster Prod-us is unreachable', unreachable: 'connect ECONNREFUSED' }) : record(app, c, at(20), { generation: gen(app, c) + (app === 'élan' ? 5 : 0) })))),
    });
    expectAsBefore(times());
    // An app removed from the fleet, then back as it was (unchanged: no new state, its latest is in effect again).
    store.recordSnapshot({ takenAt: at(25), appClusters: everyone(25, gen, APPS.filter((a) => a !== 'zeta')) });
    expectAsBefore(times());
    store.recordSnapshot({ takenAt: at(30), appClusters: everyone(30, (app, c) => gen(app, c) + (app === 'élan' ? 5 : 0)) });
    expect(store.fleetAt()!.appClusters.filter((a) => a.app === 'zeta')).toHaveLength(CLUSTERS.length);
    expectAsBefore(times());
    // An app × cluster failing to render (an error), and one drifting with an error cleared.
    store.recordSnapshot({ takenAt: at(35), appClusters: [...everyone(35, (app, c) => gen(app, c) + (app === 'élan' ? 5 : 0)).filter((r) => r.status.app !== 'app-9'), record('app-9', 0, at(35), { error: 'render failed: kustomize build' })] });
    expectAsBefore(times());
    const before = times();
    // Compaction: everything older than 12 minutes before the last thinned to one per 10 minutes.
    const result = store.compact({ keepAllForMs: 12 * 60_000, thenOnePerMs: 10 * 60_000 }, { now: at(35) });
    expect(result.snapshotsDeleted).toBeGreaterThan(0);
    expect(result.observationsDeleted).toBeGreaterThan(0);
    expectAsBefore(before);
  });

  it('reads by search when the latest snapshot was compacted away under a later state (a snapshot taken out of time order)', () => {
    store.recordSnapshot({ takenAt: at(0), appClusters: everyone(0, () => 0) });
    store.recordSnapshot({ takenAt: at(20), appClusters: everyone(20, () => 0) });
    // Recorded last with an earlier time, and changed: compaction keeps the latest time of its day and deletes it.
    store.recordSnapshot({ takenAt: at(10), appClusters: everyone(10, (app) => (app === 'web' ? 1 : 0)) });
    store.compact({ keepAllForMs: 0, thenOnePerMs: 24 * 3600_000 }, { now: at(60) });
    const latest = store.snapshotAt()!;
    const db = new Database(file, { readonly: true });
    const beyond = db.prepare(`SELECT COUNT(*) FROM app_clusters ac JOIN observations o ON o.id = ac.latest_observation WHERE o.since_snapshot > ?`).pluck(true).get(latest.id);
    db.close();
    expect(beyond).toBe(CLUSTERS.length);
    expectAsBefore(times());
    expect(store.fleetAt()!.appClusters.filter((a) => a.app === 'web').map((a) => a.revision)).toEqual(CLUSTERS.map(() => 'rev-0'));
  });
});
