// The fleet store: every refresh recorded in one SQLite file, so history and drift reports need no cluster.
//
// A refresh is a snapshot row. For each app × cluster, the store fingerprints what it was given (masked manifests,
// statuses); when the fingerprint equals the app × cluster's latest observation, nothing but the snapshot's `seen`
// entry is written, so re-recording an unchanged fleet adds a few kilobytes. Otherwise the manifests are stored
// content-addressed (sha256 of canonical JSON, after masking Secret values), the resource statuses as a
// content-addressed set, and a new observation row plus drift and health events (snapshot-recorder.ts). Everything
// for one snapshot happens in one synchronous immediate transaction: a killed process leaves the previous snapshot
// whole.

import type Database from 'better-sqlite3';
import type { ControllerStatus } from '../../shared/controllers/types';
import type { KubeObject } from '../../shared/model/status';
import { FlotillaError, problem } from '../../shared/problem';
import type {
  AppClusterHistory,
  DriftReportEntryInput,
  DriftReportInput,
  FleetAt,
  HistoryEvent,
  HistoryEventDetails,
  HistoryEventKind,
  RecordedAppCluster,
  SnapshotRef,
  TimelineEntry,
} from '../../shared/report/model';
import type { OpenOptions } from './database';
import { openDatabase, storeError } from './database';
import type { StoreGeneration } from './generation';
import { readGeneration } from './generation';
import type {
  CompactionResult,
  PromotionRecord,
  RecordedManifests,
  RecordOptions,
  RecordResult,
  RetentionPolicy,
  RunningAppCluster,
  SnapshotInput,
  SyncRunRecord,
} from './types';
import type {
  AppClusterRow,
  EventRow,
  FleetRow,
  ObservationRow,
  SnapshotRow,
  Statements,
  StoredResource,
  TimeInput,
} from './rows';
import {
  driftEpisodes,
  iso,
  prepareStatements,
  runsOf,
  stripIds,
  timelineOf,
  toEvent,
  toMs,
  toSnapshotRef,
  unreachableOf,
} from './rows';
import type { LatestSeen } from './rows';
import { SnapshotRecorder } from './snapshot-recorder';
import type { GridStatements } from './fleet-grid';
import { gridRowSince, gridSummaries, prepareGridStatements, summaryOf } from './fleet-grid';
import type { GridNames } from './grid-order';
import { sortInGridOrder } from './grid-order';

export type { TimeInput } from './rows';

const fleetRowNames: GridNames<FleetRow> = { environment: (r) => r.environment ?? '', cluster: (r) => r.cluster, app: (r) => r.app, id: (r) => r.app_cluster_id };

/** SQLite-backed history of the fleet: snapshots, observations, manifests and events. Open one per data folder. */
export class FleetStore {
  private readonly s: Statements;
  private readonly grid: GridStatements;
  private readonly recorder: SnapshotRecorder;
  private closed = false;

  private constructor(
    /** The SQLite file. */
    readonly file: string,
    private readonly db: Database.Database,
  ) {
    this.s = prepareStatements(db);
    this.grid = prepareGridStatements(db);
    this.recorder = new SnapshotRecorder(this.s, file);
  }

  /** Opens (creating and migrating when needed) the store at `file`. */
  static open(file: string, options: OpenOptions = {}): FleetStore {
    return new FleetStore(file, openDatabase(file, options));
  }

  /** Closes the database (checkpointing the WAL when this was the last connection). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  /** Records one refresh of the fleet in one transaction; Secret values are masked before anything is written. */
  recordSnapshot(input: SnapshotInput, options: RecordOptions = {}): RecordResult {
    const takenAt = input.takenAt === undefined ? Date.now() : toMs(input.takenAt, 'takenAt');
    const seenKeys = new Set<string>();
    for (const r of input.appClusters) {
      const app = r?.status?.app;
      const cluster = r?.status?.cluster;
      if (typeof app !== 'string' || typeof cluster !== 'string') continue; // reported by recordTx
      const k = `${app}\u0000${cluster}`;
      if (seenKeys.has(k)) throw new FlotillaError(problem('the snapshot lists this app × cluster twice', { app, cluster, file: this.file }));
      seenKeys.add(k);
    }
    return this.write(() => this.recorder.record(input.appClusters, takenAt, input.partial ?? false, options));
  }

  /** Records a sync run performed by another module (kept through compaction). */
  recordSyncRun(run: SyncRunRecord): HistoryEvent {
    const at = run.at === undefined ? Date.now() : toMs(run.at, 'at');
    return this.write(() => this.insertEvent('sync-run', at, run.app, run.cluster, null, run.detail));
  }

  /** Records a promotion (a revision moved to a stage) performed by another module. */
  recordPromotion(p: PromotionRecord): HistoryEvent {
    const at = p.at === undefined ? Date.now() : toMs(p.at, 'at');
    return this.write(() => this.insertEvent('promotion', at, p.app, p.cluster, null, p.detail));
  }

  /** The latest event of each of these kinds per app × cluster (notifications read the last sync run and health change). */
  latestEvents(kinds: readonly HistoryEventKind[]): HistoryEvent[] {
    if (kinds.length === 0) return [];
    return this.read(() => {
      const marks = kinds.map(() => '?').join(', ');
      const rows = this.db
        .prepare(`SELECT e.id, e.at, e.kind, e.app, e.cluster, e.detail FROM events e JOIN (SELECT MAX(id) AS id FROM events WHERE kind IN (${marks}) GROUP BY app, cluster, kind) m ON e.id = m.id ORDER BY e.id`)
        .all(...kinds) as EventRow[];
      return rows.map(toEvent);
    });
  }

  /** Counts for metrics: recorded sync runs per app × cluster × phase, and promotions per result. */
  counts(): { syncRuns: { app: string; cluster: string; phase: string; count: number }[]; promotions: { result: string; count: number }[] } {
    return this.read(() => ({
      syncRuns: this.db
        .prepare(`SELECT app, COALESCE(cluster, '') AS cluster, COALESCE(json_extract(detail, '$.phase'), 'Unknown') AS phase, COUNT(*) AS count FROM events WHERE kind = 'sync-run' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`)
        .all() as { app: string; cluster: string; phase: string; count: number }[],
      promotions: this.db.prepare('SELECT result, COUNT(*) AS count FROM promotions GROUP BY result ORDER BY result').all() as { result: string; count: number }[],
    }));
  }

  /** The names of every app the store has recorded, sorted. */
  apps(): string[] {
    return this.read(() => (this.s.appNames.all() as { app: string }[]).map((r) => r.app));
  }

  /** The recorded snapshots, newest first. */
  snapshots(limit = 100): SnapshotRef[] {
    return this.read(() => (this.s.snapshotsNewest.all(limit) as SnapshotRow[]).map(toSnapshotRef));
  }

  /** The snapshot in effect at a time (the latest taken at or before it), or the latest when no time is given. */
  snapshotAt(at?: TimeInput): SnapshotRef | undefined {
    const row = this.snapshotRowAt(at);
    return row ? toSnapshotRef(row) : undefined;
  }

  /** What identifies the state `fleetAt()` returns (latest snapshot, high-water marks, the file), without reading its rows. */
  generation(): StoreGeneration {
    return this.read(() => readGeneration(this.db, this.file));
  }

  /** Every app × cluster's status (without resources) at a snapshot: the fleet grid's data. */
  fleetAt(at?: TimeInput): FleetAt | undefined {
    return this.read(() => {
      const snap = this.snapshotRowAt(at);
      if (!snap) return undefined;
      return { snapshot: toSnapshotRef(snap), appClusters: gridSummaries(this.inEffect(snap, this.grid.latest, this.grid.atSnapshot, gridRowSince), snap) };
    });
  }

  /** One app × cluster with its resources, as recorded at a time (latest by default); undefined when not in the fleet then. */
  appClusterAt(app: string, cluster: string, at?: TimeInput): RecordedAppCluster | undefined {
    return this.read(() => {
      const snap = this.snapshotRowAt(at);
      if (!snap) return undefined;
      const found = this.rowAt(snap, app, cluster);
      if (!found) return undefined;
      const resources = this.resourceSet(found.row.resource_set).map(stripIds);
      return { ...summaryOf(found.row, snap.taken_at + found.offset, unreachableOf(snap).get(found.row.app_cluster_id)), resources };
    });
  }

  /** The desired and live manifests (masked) of one app × cluster at a time (latest by default). */
  manifestsAt(app: string, cluster: string, at?: TimeInput): RecordedManifests[] | undefined {
    return this.read(() => {
      const snap = this.snapshotRowAt(at);
      if (!snap) return undefined;
      const found = this.rowAt(snap, app, cluster);
      return found ? this.manifestsOf(found.row.resource_set) : undefined;
    });
  }

  /** What was running at a time (revision and manifests per app × cluster), filtered by environment, cluster or app. */
  runningAt(query: { readonly at?: TimeInput; readonly environment?: string; readonly cluster?: string; readonly app?: string } = {}): RunningAppCluster[] {
    return this.read(() => {
      const snap = this.snapshotRowAt(query.at);
      if (!snap) return [];
      const { rows, offsets } = this.rowsAt(snap);
      return rows
        .filter((r) => (query.environment === undefined || r.environment === query.environment) && (query.cluster === undefined || r.cluster === query.cluster) && (query.app === undefined || r.app === query.app))
        .map((r) => ({
          app: r.app,
          cluster: r.cluster,
          ...(r.environment !== null ? { environment: r.environment } : {}),
          revision: r.revision,
          observedAt: iso(snap.taken_at + (offsets.get(r.app_cluster_id) ?? 0)),
          manifests: this.manifestsOf(r.resource_set),
        }));
    });
  }

  /** The history of an app on every cluster (or one): its timeline of states, its events and its drift episodes. */
  history(app: string, options: { readonly cluster?: string } = {}): AppClusterHistory[] {
    return this.read(() => {
      const acs = (this.s.appClustersOfApp.all(app) as AppClusterRow[]).filter((r) => options.cluster === undefined || r.cluster === options.cluster);
      const clusters = new Set(acs.map((r) => r.cluster));
      if (options.cluster !== undefined) clusters.add(options.cluster);
      const out: AppClusterHistory[] = [];
      const latest = this.latestSeen();
      for (const cluster of [...clusters].sort()) {
        const ac = acs.find((r) => r.cluster === cluster);
        const timeline = ac ? timelineOf(this.s.observationsOf.all(ac.id) as ObservationRow[], ac.id, latest) : [];
        const events = (this.s.eventsOf.all({ app, cluster }) as EventRow[]).map(toEvent);
        if (!ac && events.length === 0) continue;
        out.push({ app, cluster, ...(ac?.environment ? { environment: ac.environment } : {}), timeline, events, driftEpisodes: driftEpisodes(events) });
      }
      return out;
    });
  }

  /**
   * A reader of app × cluster timelines (states only, no events) for many lookups in a row, as the soak gates of a
   * pipeline graph make (hundreds): the latest snapshot is read and parsed once, when the reader is made, not per
   * lookup as `history` does; each lookup is then one indexed query. Undefined: the store never saw the app × cluster.
   */
  timelineReader(): (app: string, cluster: string) => TimelineEntry[] | undefined {
    const latest = this.read(() => this.latestSeen());
    return (app, cluster) =>
      this.read(() => {
        const ac = this.s.appClusterOf.get(app, cluster) as AppClusterRow | undefined;
        return ac ? timelineOf(this.s.observationsOf.all(ac.id) as ObservationRow[], ac.id, latest) : undefined;
      });
  }

  /**
   * A token that changes whenever what `timelineReader` reads may have: a snapshot recorded (each records its states)
   * or compacted away (compaction deletes states only with snapshots). Equal tokens: timelines read before still hold.
   */
  timelineGeneration(): string {
    return this.read(() => {
      const g = this.s.timelineGeneration.get() as { snap: number | null; snaps: number; obs: number | null };
      return `${g.snap ?? 0}:${g.snaps}:${g.obs ?? 0}`;
    });
  }

  /** The latest snapshot and, per app × cluster it read, its offset from the snapshot's time. */
  private latestSeen(): LatestSeen {
    const snap = this.s.latestSnapshot.get() as SnapshotRow | undefined;
    return snap ? { snap, seen: new Map<number, number>(JSON.parse(snap.seen) as [number, number][]) } : undefined;
  }

  /** The drift report's input at a time (latest by default): every app × cluster with its drifted resources. */
  driftReportInput(options: { readonly at?: TimeInput; readonly generatedAt?: string; readonly source?: DriftReportInput['source'] } = {}): DriftReportInput {
    return this.read(() => {
      const generatedAt = options.generatedAt ?? new Date().toISOString();
      const snap = this.snapshotRowAt(options.at);
      const source = options.source ?? 'offline';
      if (!snap) return { generatedAt, source, entries: [] };
      const { rows, offsets, unreachable } = this.rowsAt(snap);
      const entries: DriftReportEntryInput[] = rows.map((r) => ({
        app: r.app,
        cluster: r.cluster,
        ...(r.environment !== null ? { environment: r.environment } : {}),
        revision: r.revision,
        sync: r.sync,
        health: { status: r.health, message: r.health_message },
        observedAt: iso(snap.taken_at + (offsets.get(r.app_cluster_id) ?? 0)),
        ...(r.error !== null ? { error: r.error } : {}),
        ...(r.drift_since !== null ? { driftSince: iso(r.drift_since) } : {}),
        resourceCount: r.resource_count,
        drifted: r.drifted_count > 0 ? this.resourceSet(r.resource_set).filter((x) => x.sync === 'OutOfSync').map(stripIds) : [],
        ...(unreachable.has(r.app_cluster_id) ? { unreachable: unreachable.get(r.app_cluster_id)! } : {}),
        ...runsOf(r),
        ...(r.controller !== null && r.controller !== undefined ? { controller: JSON.parse(r.controller) as ControllerStatus } : {}),
      }));
      return { generatedAt, snapshot: toSnapshotRef(snap), source, entries };
    });
  }

  /**
   * Applies a retention policy: snapshots older than `keepAllForMs` are thinned to the last one of each
   * `thenOnePerMs` period; states no kept snapshot needs, and manifests no kept state needs, are deleted. Events are
   * never deleted. With `vacuum`, the file is rewritten to give the space back.
   */
  compact(policy: RetentionPolicy, options: { readonly now?: TimeInput; readonly vacuum?: boolean } = {}): CompactionResult {
    const now = options.now === undefined ? Date.now() : toMs(options.now, 'now');
    const every = policy.thenOnePerMs ?? 24 * 3600_000;
    if (!(policy.keepAllForMs >= 0) || !(every > 0)) {
      throw new FlotillaError(problem(`retention expects keepAllForMs ≥ 0 and thenOnePerMs > 0, got ${policy.keepAllForMs} and ${every}`, { file: this.file }));
    }
    const result = this.write(() => {
      const old = this.s.snapshotsBefore.all(now - policy.keepAllForMs) as { id: number; taken_at: number }[];
      const lastOfBucket = new Map<number, number>();
      for (const s of old) lastOfBucket.set(Math.floor(s.taken_at / every), s.id);
      const keep = new Set(lastOfBucket.values());
      let snapshotsDeleted = 0;
      for (const s of old) if (!keep.has(s.id)) snapshotsDeleted += this.s.deleteSnapshot.run(s.id).changes;
      // Only deleting snapshots makes states, resource sets and manifests unneeded: nothing else to collect otherwise.
      if (snapshotsDeleted === 0) return { snapshotsDeleted, observationsDeleted: 0, resourceSetsDeleted: 0, manifestsDeleted: 0 };
      const unneeded = this.s.unneededObservations.all() as { id: number }[];
      for (const o of unneeded) this.s.deleteObservation.run(o.id);
      const resourceSetsDeleted = this.s.deleteOrphanSets.run().changes;
      const manifestsDeleted = this.s.deleteOrphanManifests.run().changes;
      return { snapshotsDeleted, observationsDeleted: unneeded.length, resourceSetsDeleted, manifestsDeleted };
    });
    if (options.vacuum) {
      try {
        this.db.exec('VACUUM');
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch (err) {
        throw storeError(err, this.file);
      }
    }
    return result;
  }

  private insertEvent<K extends HistoryEventKind>(kind: K, at: number, app: string, cluster: string | undefined, snapshotId: number | null, detail: HistoryEventDetails[K]): HistoryEvent {
    const id = Number(this.s.insertEvent.run(at, kind, app, cluster ?? null, snapshotId, JSON.stringify(detail)).lastInsertRowid);
    return { id, kind, at: iso(at), app, ...(cluster !== undefined ? { cluster } : {}), detail } as HistoryEvent;
  }

  // ---- reading ---------------------------------------------------------------------------------------------

  private snapshotRowAt(at: TimeInput | undefined): SnapshotRow | undefined {
    return this.read(() => (at === undefined ? this.s.latestSnapshot.get() : this.s.snapshotAtTime.get(toMs(at, 'at'))) as SnapshotRow | undefined);
  }

  /** The state in effect of every app × cluster a snapshot saw, in the fleet grid's order. */
  private rowsAt(snap: SnapshotRow): { rows: FleetRow[]; offsets: Map<number, number>; unreachable: Map<number, string> } {
    const offsets = new Map<number, number>(JSON.parse(snap.seen) as [number, number][]);
    const rows = this.inEffect(snap, this.s.fleetLatest, this.s.fleetAtSnapshot, (r: FleetRow) => r.since_snapshot).filter((r) => offsets.has(r.app_cluster_id));
    sortInGridOrder(rows, fleetRowNames);
    return { rows, offsets, unreachable: unreachableOf(snap) };
  }

  /**
   * Every app × cluster's state in effect at a snapshot (including those the snapshot did not see). At the latest
   * snapshot that is each app × cluster's latest observation, read by primary key: the recorder writes a state only
   * into the snapshot it is recording (the newest) and points `latest_observation` at it; a refresh that finds nothing
   * new, a partial refresh, an unreachable cluster or an app left out write none, so the latest stays in effect; and
   * compaction never deletes a latest observation. A latest observation recorded at a later snapshot than this one
   * (compaction deleted the newest snapshot, whose time was earlier than another's) falls back to the search by
   * snapshot, as does any older snapshot.
   */
  private inEffect<R>(snap: SnapshotRow, latest: Database.Statement, atSnapshot: Database.Statement, since: (row: R) => number): R[] {
    if (snap.id === this.s.latestSnapshotId.get()) {
      const rows = latest.all() as R[];
      if (rows.every((r) => since(r) <= snap.id)) return rows;
    }
    return atSnapshot.all({ snap: snap.id }) as R[];
  }

  private rowAt(snap: SnapshotRow, app: string, cluster: string): { row: FleetRow; offset: number } | undefined {
    const row = this.s.appClusterAtSnapshot.get({ snap: snap.id, app, cluster }) as FleetRow | undefined;
    if (!row) return undefined;
    const offsets = new Map<number, number>(JSON.parse(snap.seen) as [number, number][]);
    const offset = offsets.get(row.app_cluster_id);
    return offset === undefined ? undefined : { row, offset };
  }

  private resourceSet(id: number): StoredResource[] {
    const row = this.s.getSet.get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as StoredResource[]) : [];
  }

  private manifestsOf(setId: number): RecordedManifests[] {
    const load = (id: number | undefined): KubeObject | undefined => {
      if (id === undefined) return undefined;
      const row = this.s.getManifest.get(id) as { body: string } | undefined;
      return row ? (JSON.parse(row.body) as KubeObject) : undefined;
    };
    return this.resourceSet(setId)
      .filter((r) => r.desiredId !== undefined || r.liveId !== undefined)
      .map((r) => {
        const desired = load(r.desiredId);
        const live = load(r.liveId);
        return { group: r.group, ...(r.version !== undefined ? { version: r.version } : {}), kind: r.kind, namespace: r.namespace, name: r.name, ...(desired ? { desired } : {}), ...(live ? { live } : {}) };
      });
  }

  private write<T>(fn: () => T): T {
    this.assertOpen();
    try {
      return this.db.transaction(fn).immediate();
    } catch (err) {
      throw storeError(err, this.file);
    }
  }

  /** Runs reads in one (deferred) transaction, so they see one consistent state while another process writes. */
  private read<T>(fn: () => T): T {
    this.assertOpen();
    try {
      return this.db.inTransaction ? fn() : this.db.transaction(fn).deferred();
    } catch (err) {
      throw storeError(err, this.file);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new FlotillaError(problem('the store is closed', { file: this.file }));
  }
}
