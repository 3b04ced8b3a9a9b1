// What identifies the state the store's latest snapshot shows, read in a few milliseconds without its rows: a cache of
// something built from `fleetAt()` (the fleet grid) is keyed by it and is stale as soon as any part differs.

import type Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import { statSync } from 'node:fs';

/**
 * The latest snapshot and the store's high-water marks. A record writes a new snapshot (id, time, `seen`), and any new
 * observation or app × cluster raises a maximum id; the file's device and inode tell a store replaced by another
 * (a backup restored, another data folder copied in) with the same ids. Compaction deletes only history no longer in
 * effect at the latest snapshot, so it leaves what `fleetAt()` returns, and this, unchanged.
 */
export interface StoreGeneration {
  readonly file: { readonly dev: number; readonly ino: number };
  readonly schema: number;
  /** Absent when nothing was recorded yet. */
  readonly snapshot?: { readonly id: number; readonly takenAt: number; readonly seen: string; readonly unreachable: string };
  readonly maxObservation: number;
  readonly maxAppCluster: number;
}

const statements = new WeakMap<Database.Database, Database.Statement>();

/** Reads the generation (call inside a read transaction, so every part is of one state). */
export function readGeneration(db: Database.Database, file: string): StoreGeneration {
  let st = statements.get(db);
  if (!st) {
    st = db.prepare(`SELECT s.id, s.taken_at, s.seen, s.unreachable,
      (SELECT COALESCE(MAX(id), 0) FROM observations) AS max_observation,
      (SELECT COALESCE(MAX(id), 0) FROM app_clusters) AS max_app_cluster
      FROM (SELECT 1) LEFT JOIN (SELECT id, taken_at, seen, unreachable FROM snapshots ORDER BY id DESC LIMIT 1) s`);
    statements.set(db, st);
  }
  const row = st.get() as { id: number | null; taken_at: number; seen: string; unreachable: string; max_observation: number; max_app_cluster: number };
  const { dev, ino } = statSync(file);
  // The seen list holds every app × cluster of the snapshot (~0.5 MB at 30,000): its digest stands for it.
  const digest = (s: string): string => hash('sha256', s, 'base64');
  return {
    file: { dev, ino },
    schema: db.pragma('user_version', { simple: true }) as number,
    ...(row.id !== null ? { snapshot: { id: row.id, takenAt: row.taken_at, seen: digest(row.seen), unreachable: digest(row.unreachable) } } : {}),
    maxObservation: row.max_observation,
    maxAppCluster: row.max_app_cluster,
  };
}
