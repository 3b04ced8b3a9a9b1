// The fleet store's rows: their shapes, the prepared statements that read and write them, and their conversion to
// the report model the rest of Flotilla reads.

import type Database from 'better-sqlite3';
import type { ControllerStatus } from '../../shared/controllers/types';
import type { HealthStatus, SyncStatus } from '../../shared/model/status';
import { runningRevision } from '../../shared/fleet/revision-signature';
import { FlotillaError, problem } from '../../shared/problem';
import type {
  DriftEpisode,
  HistoryEvent,
  HistoryEventKind,
  RecordedResource,
  SnapshotRef,
  TimelineEntry,
} from '../../shared/report/model';

/** A time the store accepts: ISO 8601 text, epoch milliseconds or a Date. */
export type TimeInput = string | number | Date;

/** A resource entry of a stored resource set: the recorded status plus its manifests' ids. */
export interface StoredResource extends RecordedResource {
  readonly desiredId?: number;
  readonly liveId?: number;
}

export interface AppClusterRow {
  id: number;
  app: string;
  cluster: string;
  environment: string | null;
  latest_observation: number | null;
  /** The latest observation's fingerprint, as lowercase hex, and its version (fingerprint.ts). */
  fingerprint: string | null;
  fingerprint_version: number | null;
  sync: SyncStatus | null;
  health: HealthStatus | null;
  drift_since: number | null;
  observed_at: number | null;
}

export interface ObservationRow {
  id: number;
  app_cluster_id: number;
  since_snapshot: number;
  observed_at: number;
  revision: string;
  sync: SyncStatus;
  health: HealthStatus;
  health_message: string;
  error: string | null;
  drift_since: number | null;
  resource_count: number;
  drifted_count: number;
  resource_set: number;
  version: string | null;
  running_version: string | null;
  controller: string | null;
}

export interface FleetRow extends ObservationRow {
  app: string;
  cluster: string;
  environment: string | null;
}

export interface SnapshotRow {
  id: number;
  taken_at: number;
  seen: string;
  unreachable: string;
}

export interface EventRow {
  id: number;
  at: number;
  kind: HistoryEventKind;
  app: string;
  cluster: string | null;
  detail: string;
}

// ---- statements ----------------------------------------------------------------------------------------------

// The observation's columns but its fingerprint (a BLOB: a Buffer per row read, a third of reading the 30,000 rows of
// a 10,000 x 3 fleet, for a value only recording compares).
const FLEET_COLUMNS = `o.id, o.app_cluster_id, o.since_snapshot, o.observed_at, o.revision, o.sync, o.health, o.health_message, o.error,
  o.drift_since, o.resource_count, o.drifted_count, o.resource_set, o.version, o.running_version, o.controller, ac.app, ac.cluster, ac.environment`;

/** Every statement the store runs, prepared once per connection. */
export function prepareStatements(db: Database.Database) {
  return {
    insertSnapshot: db.prepare(`INSERT INTO snapshots (taken_at) VALUES (?)`),
    updateSeen: db.prepare(`UPDATE snapshots SET seen = ?, unreachable = ? WHERE id = ?`),
    latestSnapshot: db.prepare(`SELECT id, taken_at, seen, unreachable FROM snapshots ORDER BY id DESC LIMIT 1`),
    snapshotAtTime: db.prepare(`SELECT id, taken_at, seen, unreachable FROM snapshots WHERE taken_at <= ? ORDER BY taken_at DESC, id DESC LIMIT 1`),
    snapshotsNewest: db.prepare(`SELECT id, taken_at, seen, unreachable FROM snapshots ORDER BY id DESC LIMIT ?`),
    snapshotsBefore: db.prepare(`SELECT id, taken_at FROM snapshots WHERE taken_at < ? ORDER BY taken_at, id`),
    deleteSnapshot: db.prepare(`DELETE FROM snapshots WHERE id = ?`),
    appClustersWithLatest: db.prepare(
      // The fingerprint as hex text: a string compares as fast, and 30,000 Buffers (one per BLOB read) cost more.
      `SELECT ac.id, ac.app, ac.cluster, ac.environment, ac.latest_observation, lower(hex(o.fingerprint)) AS fingerprint, o.fingerprint_version, o.sync, o.health, o.drift_since, o.observed_at
       FROM app_clusters ac LEFT JOIN observations o ON o.id = ac.latest_observation`,
    ),
    appNames: db.prepare(`SELECT DISTINCT app FROM app_clusters ORDER BY app`),
    appClustersOfApp: db.prepare(`SELECT id, app, cluster, environment, latest_observation FROM app_clusters WHERE app = ? ORDER BY cluster`),
    timelineGeneration: db.prepare(`SELECT (SELECT MAX(id) FROM snapshots) AS snap, (SELECT COUNT(*) FROM snapshots) AS snaps, (SELECT MAX(id) FROM observations) AS obs`),
    appClusterOf: db.prepare(`SELECT id, app, cluster, environment, latest_observation FROM app_clusters WHERE app = ? AND cluster = ?`),
    insertAppCluster: db.prepare(`INSERT INTO app_clusters (app, cluster, environment) VALUES (?, ?, ?)`),
    updateEnvironment: db.prepare(`UPDATE app_clusters SET environment = ? WHERE id = ?`),
    updateLatest: db.prepare(`UPDATE app_clusters SET latest_observation = ? WHERE id = ?`),
    findManifest: db.prepare(`SELECT id FROM manifests WHERE hash = ?`),
    insertManifest: db.prepare(`INSERT INTO manifests (hash, body) VALUES (?, ?)`),
    insertManifestIfNew: db.prepare(`INSERT INTO manifests (hash, body) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING`),
    getManifest: db.prepare(`SELECT body FROM manifests WHERE id = ?`),
    findSet: db.prepare(`SELECT id FROM resource_sets WHERE hash = ?`),
    insertSet: db.prepare(`INSERT INTO resource_sets (hash, body) VALUES (?, ?)`),
    insertSetManifest: db.prepare(`INSERT INTO resource_set_manifests (set_id, manifest_id) VALUES (?, ?)`),
    getSet: db.prepare(`SELECT body FROM resource_sets WHERE id = ?`),
    insertObservation: db.prepare(
      `INSERT INTO observations (app_cluster_id, since_snapshot, observed_at, revision, sync, health, health_message, error, drift_since, resource_count, drifted_count, resource_set, fingerprint, version, running_version, controller, fingerprint_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateFingerprint: db.prepare(`UPDATE observations SET fingerprint = ?, fingerprint_version = ? WHERE id = ?`),
    lastGoodSet: db.prepare(`SELECT resource_set FROM observations WHERE app_cluster_id = ? AND error IS NULL ORDER BY since_snapshot DESC, id DESC LIMIT 1`),
    observationsOf: db.prepare(`SELECT * FROM observations WHERE app_cluster_id = ? ORDER BY since_snapshot, id`),
    latestSnapshotId: db.prepare(`SELECT MAX(id) FROM snapshots`).pluck(true),
    // At the latest snapshot, each app × cluster's latest observation is the state in effect (fleet-store.ts, inEffect).
    fleetLatest: db.prepare(`SELECT ${FLEET_COLUMNS} FROM app_clusters ac JOIN observations o ON o.id = ac.latest_observation ORDER BY ac.id`),
    fleetAtSnapshot: db.prepare(
      `SELECT ${FLEET_COLUMNS} FROM app_clusters ac
       JOIN observations o ON o.id = (SELECT id FROM observations WHERE app_cluster_id = ac.id AND since_snapshot <= @snap ORDER BY since_snapshot DESC, id DESC LIMIT 1)
       ORDER BY ac.id`,
    ),
    appClusterAtSnapshot: db.prepare(
      `SELECT ${FLEET_COLUMNS} FROM app_clusters ac
       JOIN observations o ON o.id = (SELECT id FROM observations WHERE app_cluster_id = ac.id AND since_snapshot <= @snap ORDER BY since_snapshot DESC, id DESC LIMIT 1)
       WHERE ac.app = @app AND ac.cluster = @cluster`,
    ),
    unneededObservations: db.prepare(
      `SELECT o.id FROM observations o
       WHERE o.id NOT IN (SELECT latest_observation FROM app_clusters WHERE latest_observation IS NOT NULL)
         AND NOT EXISTS (
           SELECT 1 FROM snapshots s
           WHERE s.id >= o.since_snapshot
             AND s.id < COALESCE((SELECT MIN(n.since_snapshot) FROM observations n WHERE n.app_cluster_id = o.app_cluster_id AND n.since_snapshot > o.since_snapshot), 9223372036854775807))`,
    ),
    deleteObservation: db.prepare(`DELETE FROM observations WHERE id = ?`),
    deleteOrphanSets: db.prepare(`DELETE FROM resource_sets WHERE NOT EXISTS (SELECT 1 FROM observations o WHERE o.resource_set = resource_sets.id)`),
    deleteOrphanManifests: db.prepare(`DELETE FROM manifests WHERE NOT EXISTS (SELECT 1 FROM resource_set_manifests m WHERE m.manifest_id = manifests.id)`),
    insertEvent: db.prepare(`INSERT INTO events (at, kind, app, cluster, snapshot_id, detail) VALUES (?, ?, ?, ?, ?, ?)`),
    eventsOf: db.prepare(`SELECT id, at, kind, app, cluster, detail FROM events WHERE app = @app AND (cluster = @cluster OR cluster IS NULL) ORDER BY at, id`),
  };
}

/** The store's prepared statements. */
export type Statements = ReturnType<typeof prepareStatements>;

// ---- converting rows -----------------------------------------------------------------------------------------

export function toMs(at: TimeInput, what: string): number {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) throw new FlotillaError(problem(`${what}: expected an ISO 8601 time (e.g. 2026-11-23T14:00:00Z), got "${String(at)}"`));
  return ms;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function toSnapshotRef(r: { id: number; taken_at: number }): SnapshotRef {
  return { id: r.id, takenAt: iso(r.taken_at) };
}

/** The app × clusters a snapshot could not read, and why. */
export function unreachableOf(snap: SnapshotRow): Map<number, string> {
  return new Map<number, string>(JSON.parse(snap.unreachable || '[]') as [number, string][]);
}

/** The commit a recorded row runs: the controller's applied revision, else the recorded one (absent when neither is a commit). */
export function runsOf(r: ObservationRow): { runs?: string } {
  const runs = runningRevision({ revision: r.revision, ...(r.controller ? { controller: JSON.parse(r.controller) as ControllerStatus } : {}) });
  return runs ? { runs } : {};
}

export function stripIds(r: StoredResource): RecordedResource {
  const { desiredId: _d, liveId: _l, ...rest } = r;
  return rest;
}

export function toEvent(r: EventRow): HistoryEvent {
  return { id: r.id, kind: r.kind, at: iso(r.at), app: r.app, ...(r.cluster !== null ? { cluster: r.cluster } : {}), detail: JSON.parse(r.detail) } as HistoryEvent;
}

/** Pairs drift-began with the drift-ended that follows it. */
export function driftEpisodes(events: readonly HistoryEvent[]): DriftEpisode[] {
  const out: DriftEpisode[] = [];
  let open: string | undefined;
  for (const e of events) {
    if (e.kind === 'drift-began') open ??= e.at;
    else if (e.kind === 'drift-ended') {
      const began = open ?? e.detail.beganAt;
      out.push({ began, ended: e.at, durationMs: Date.parse(e.at) - Date.parse(began) });
      open = undefined;
    }
  }
  if (open !== undefined) out.push({ began: open });
  return out;
}

/** The latest snapshot with its `seen` offsets parsed (undefined before the first snapshot). */
export type LatestSeen = { readonly snap: SnapshotRow; readonly seen: ReadonlyMap<number, number> } | undefined;

/** An app × cluster's observations as a timeline; the current state was last confirmed by the latest snapshot that read it. */
export function timelineOf(obs: readonly ObservationRow[], appClusterId: number, latest: LatestSeen): TimelineEntry[] {
  return obs.map((o, i) => {
    const next = obs[i + 1];
    // An unreachable cluster keeps the older time.
    const offset = !next && latest ? latest.seen.get(appClusterId) : undefined;
    const lastObservedAt = next ? undefined : offset !== undefined ? latest!.snap.taken_at + offset : o.observed_at;
    return {
      since: iso(o.observed_at),
      ...(next ? { until: iso(next.observed_at) } : {}),
      revision: o.revision,
      sync: o.sync,
      health: { status: o.health, message: o.health_message },
      ...(o.error !== null ? { error: o.error } : {}),
      resourceCount: o.resource_count,
      driftedCount: o.drifted_count,
      ...(lastObservedAt !== undefined ? { lastObservedAt: iso(lastObservedAt) } : {}),
    };
  });
}
