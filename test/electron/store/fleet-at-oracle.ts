// The fleet store's read of the fleet at a snapshot as it was before the grid read (fleet-grid.ts) and the read of
// the latest snapshot by primary key: a correlated search per app × cluster, sorted with three `localeCompare`s per
// comparison, each row converted as the store once did (toSummary). Tests compare the store's answers with this one's.

import Database from 'better-sqlite3';
import type { ControllerStatus } from '../../../shared/controllers/types';
import type { KubeObject } from '../../../shared/model/status';
import type { AppClusterSummary, FleetAt } from '../../../shared/report/model';
import type { FleetRow, SnapshotRow, StoredResource } from '../../../electron/store/rows';
import type { RecordedManifests, RunningAppCluster } from '../../../electron/store/types';

const COLUMNS = `o.id, o.app_cluster_id, o.since_snapshot, o.observed_at, o.revision, o.sync, o.health, o.health_message, o.error,
  o.drift_since, o.resource_count, o.drifted_count, o.resource_set, o.version, o.running_version, o.controller, ac.app, ac.cluster, ac.environment`;

/** The former read of a store file (opened read-only beside the store's own connection). */
export class FleetAtOracle {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true });
  }

  /** Closes the oracle's connection. */
  close(): void {
    this.db.close();
  }

  /** `FleetStore.fleetAt` as it was. */
  fleetAt(at?: string): FleetAt | undefined {
    const snap = this.snapshotAt(at);
    if (!snap) return undefined;
    const { rows, offsets, unreachable } = this.rowsAt(snap);
    return { snapshot: { id: snap.id, takenAt: iso(snap.taken_at) }, appClusters: rows.map((r) => summary(r, snap.taken_at + (offsets.get(r.app_cluster_id) ?? 0), unreachable.get(r.app_cluster_id))) };
  }

  /** `FleetStore.runningAt` (no filter) as it was. */
  runningAt(at?: string): RunningAppCluster[] {
    const snap = this.snapshotAt(at);
    if (!snap) return [];
    const { rows, offsets } = this.rowsAt(snap);
    return rows.map((r) => ({
      app: r.app,
      cluster: r.cluster,
      ...(r.environment !== null ? { environment: r.environment } : {}),
      revision: r.revision,
      observedAt: iso(snap.taken_at + (offsets.get(r.app_cluster_id) ?? 0)),
      manifests: this.manifestsOf(r.resource_set),
    }));
  }

  private snapshotAt(at: string | undefined): SnapshotRow | undefined {
    return (
      at === undefined
        ? this.db.prepare(`SELECT id, taken_at, seen, unreachable FROM snapshots ORDER BY id DESC LIMIT 1`).get()
        : this.db.prepare(`SELECT id, taken_at, seen, unreachable FROM snapshots WHERE taken_at <= ? ORDER BY taken_at DESC, id DESC LIMIT 1`).get(Date.parse(at))
    ) as SnapshotRow | undefined;
  }

  private rowsAt(snap: SnapshotRow): { rows: FleetRow[]; offsets: Map<number, number>; unreachable: Map<number, string> } {
    const offsets = new Map<number, number>(JSON.parse(snap.seen) as [number, number][]);
    const rows = (
      this.db
        .prepare(
          `SELECT ${COLUMNS} FROM app_clusters ac
           JOIN observations o ON o.id = (SELECT id FROM observations WHERE app_cluster_id = ac.id AND since_snapshot <= @snap ORDER BY since_snapshot DESC, id DESC LIMIT 1)`,
        )
        .all({ snap: snap.id }) as FleetRow[]
    ).filter((r) => offsets.has(r.app_cluster_id));
    rows.sort((a, b) => (a.environment ?? '').localeCompare(b.environment ?? '') || a.cluster.localeCompare(b.cluster) || a.app.localeCompare(b.app));
    return { rows, offsets, unreachable: new Map<number, string>(JSON.parse(snap.unreachable || '[]') as [number, string][]) };
  }

  private manifestsOf(setId: number): RecordedManifests[] {
    const body = (this.db.prepare(`SELECT body FROM resource_sets WHERE id = ?`).get(setId) as { body: string } | undefined)?.body;
    const load = (id: number | undefined): KubeObject | undefined => {
      if (id === undefined) return undefined;
      const row = this.db.prepare(`SELECT body FROM manifests WHERE id = ?`).get(id) as { body: string } | undefined;
      return row ? (JSON.parse(row.body) as KubeObject) : undefined;
    };
    return ((body ? JSON.parse(body) : []) as StoredResource[])
      .filter((r) => r.desiredId !== undefined || r.liveId !== undefined)
      .map((r) => {
        const desired = load(r.desiredId);
        const live = load(r.liveId);
        return { group: r.group, ...(r.version !== undefined ? { version: r.version } : {}), kind: r.kind, namespace: r.namespace, name: r.name, ...(desired ? { desired } : {}), ...(live ? { live } : {}) };
      });
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function summary(r: FleetRow, observedAt: number, unreachable?: string): AppClusterSummary {
  return {
    app: r.app,
    cluster: r.cluster,
    ...(r.environment !== null ? { environment: r.environment } : {}),
    revision: r.revision,
    ...(r.version !== null ? { version: r.version } : {}),
    ...(r.running_version !== null ? { runningVersion: r.running_version } : {}),
    sync: r.sync,
    ...(r.controller !== null ? { controller: JSON.parse(r.controller) as ControllerStatus } : {}),
    health: { status: r.health, message: r.health_message },
    observedAt: iso(observedAt),
    ...(r.error !== null ? { error: r.error } : {}),
    ...(r.drift_since !== null ? { driftSince: iso(r.drift_since) } : {}),
    resourceCount: r.resource_count,
    driftedCount: r.drifted_count,
    ...(unreachable !== undefined ? { unreachable } : {}),
  };
}
