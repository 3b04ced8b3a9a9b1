// The fleet grid's read: every app × cluster's summary at a snapshot, the data of the first Fleet page.
//
// At 10,000 apps × 3 clusters this is 30,000 rows on the critical path of a cold page load, so the rows are read as
// arrays (better-sqlite3's raw mode: no object with named fields per row, a third of the read) holding only the
// columns a summary shows, ordered by ranks (grid-order.ts) and converted with each distinct time formatted once.

import type Database from 'better-sqlite3';
import type { ControllerStatus } from '../../shared/controllers/types';
import type { HealthStatus, SyncStatus } from '../../shared/model/status';
import type { Mutable } from '../../shared/mutable';
import type { AppClusterSummary } from '../../shared/report/model';
import { sortInGridOrder } from './grid-order';
import type { FleetRow, SnapshotRow } from './rows';
import { iso, unreachableOf } from './rows';

/** The columns of a grid row, in its order (`o`: the observation in effect, `ac`: its app × cluster). */
export const GRID_COLUMNS = `o.app_cluster_id, o.since_snapshot, ac.app, ac.cluster, ac.environment, o.revision, o.version, o.running_version,
  o.sync, o.controller, o.health, o.health_message, o.error, o.drift_since, o.resource_count, o.drifted_count`;

/** One app × cluster's state as read for the grid: GRID_COLUMNS' values, in their order. */
export type GridRow = readonly [
  appClusterId: number,
  sinceSnapshot: number,
  app: string,
  cluster: string,
  environment: string | null,
  revision: string,
  version: string | null,
  runningVersion: string | null,
  sync: SyncStatus,
  controller: string | null,
  health: HealthStatus,
  healthMessage: string,
  error: string | null,
  driftSince: number | null,
  resourceCount: number,
  driftedCount: number,
];

/** The grid's statements: the states in effect at the latest snapshot (by primary key), and at any snapshot. */
export function prepareGridStatements(db: Database.Database) {
  return {
    // At the latest snapshot, each app × cluster's latest observation is the state in effect (fleet-store.ts, inEffect).
    latest: db.prepare(`SELECT ${GRID_COLUMNS} FROM app_clusters ac JOIN observations o ON o.id = ac.latest_observation ORDER BY ac.id`).raw(true),
    atSnapshot: db
      .prepare(
        `SELECT ${GRID_COLUMNS} FROM app_clusters ac
         JOIN observations o ON o.id = (SELECT id FROM observations WHERE app_cluster_id = ac.id AND since_snapshot <= @snap ORDER BY since_snapshot DESC, id DESC LIMIT 1)
         ORDER BY ac.id`,
      )
      .raw(true),
  };
}

/** The grid's prepared statements. */
export type GridStatements = ReturnType<typeof prepareGridStatements>;

/** The grid row's snapshot the state has been in effect since (to tell a state recorded after the snapshot). */
export function gridRowSince(r: GridRow): number {
  return r[1];
}

const gridNames = { environment: (r: GridRow) => r[4] ?? '', cluster: (r: GridRow) => r[3], app: (r: GridRow) => r[2], id: (r: GridRow) => r[0] };

/** The summaries of the app × clusters a snapshot saw, from their states in effect, in the grid's order. */
export function gridSummaries(rows: readonly GridRow[], snap: SnapshotRow): AppClusterSummary[] {
  const offsets = new Map<number, number>(JSON.parse(snap.seen) as [number, number][]);
  const unreachable = unreachableOf(snap);
  const seen = sortInGridOrder(rows.filter((r) => offsets.has(r[0])), gridNames);
  // Most app × clusters of a snapshot share its time (a refresh reads them all at once), and drift began at the few
  // times refreshes found it: each distinct time is formatted once.
  const times = new Map<number, string>();
  const isoOf = (ms: number): string => {
    let t = times.get(ms);
    if (t === undefined) times.set(ms, (t = iso(ms)));
    return t;
  };
  const out = new Array<AppClusterSummary>(seen.length);
  for (let i = 0; i < seen.length; i++) {
    const r = seen[i]!;
    out[i] = summaryOfRow(r, isoOf(snap.taken_at + offsets.get(r[0])!), r[13] !== null ? isoOf(r[13]) : undefined, unreachable.get(r[0]));
  }
  return out;
}

/**
 * One app × cluster's summary from its state's columns, its times already formatted: built field by field, in the
 * order the JSON output has always had, rather than with a spread per optional field (the grid makes 30,000).
 */
export function summaryOfRow(r: GridRow, observedAt: string, driftSince: string | undefined, unreachable: string | undefined): AppClusterSummary {
  const s = { app: r[2], cluster: r[3] } as Mutable<AppClusterSummary>;
  if (r[4] !== null) s.environment = r[4];
  s.revision = r[5];
  if (r[6] !== null) s.version = r[6];
  if (r[7] !== null) s.runningVersion = r[7];
  s.sync = r[8];
  if (r[9] !== null) s.controller = JSON.parse(r[9]) as ControllerStatus;
  s.health = { status: r[10], message: r[11] };
  s.observedAt = observedAt;
  if (r[12] !== null) s.error = r[12];
  if (driftSince !== undefined) s.driftSince = driftSince;
  s.resourceCount = r[14];
  s.driftedCount = r[15];
  if (unreachable !== undefined) s.unreachable = unreachable;
  return s;
}

/** One app × cluster's summary from its state read by name (a single app × cluster, outside the grid). */
export function summaryOf(r: FleetRow, observedAt: number, unreachable?: string): AppClusterSummary {
  const row: GridRow = [
    r.app_cluster_id, r.since_snapshot, r.app, r.cluster, r.environment, r.revision, r.version, r.running_version ?? null,
    r.sync, r.controller ?? null, r.health, r.health_message, r.error, r.drift_since, r.resource_count, r.drifted_count,
  ];
  return summaryOfRow(row, iso(observedAt), r.drift_since !== null ? iso(r.drift_since) : undefined, unreachable);
}
