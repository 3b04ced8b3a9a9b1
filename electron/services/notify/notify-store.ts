// The notifications' own SQLite file in the data folder: Argo CD's notified-state per app (which condition × oncePer ×
// destination was sent) and the delivery history (sent or failed, attempts, the receiver's error with secrets
// masked). No secret value is ever written here. A separate file from the fleet store, with its own migrations.
import type Database from 'better-sqlite3';
import path from 'node:path';
import type { NotificationDelivery } from '../../../shared/api/notifications';
import type { StateChange } from '../../../shared/notify';
import { openDatabase } from '../../store/database';
import type { Migration } from '../../store/migrations';

/** The notification store's schema. */
export const NOTIFY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'notified-state and delivery history',
    sql: `
      CREATE TABLE notified (
        app_key     TEXT NOT NULL,
        state_key   TEXT NOT NULL,
        notified_at INTEGER NOT NULL,
        PRIMARY KEY (app_key, state_key)
      ) WITHOUT ROWID;
      CREATE TABLE deliveries (
        id        INTEGER PRIMARY KEY,
        at        INTEGER NOT NULL,
        app_key   TEXT NOT NULL,
        trigger   TEXT NOT NULL,
        template  TEXT NOT NULL,
        service   TEXT NOT NULL,
        recipient TEXT NOT NULL,
        outcome   TEXT NOT NULL CHECK (outcome IN ('sent', 'failed')),
        attempts  INTEGER NOT NULL,
        error     TEXT
      );
      CREATE INDEX deliveries_by_time ON deliveries(at);
    `,
  },
];

/** Argo CD keeps at most this many notified-state entries per Application, dropping the oldest. */
const MAX_STATE_PER_APP = 100;

/** One recorded delivery (as the Notifications page shows it). */
export type DeliveryRecord = NotificationDelivery;

interface DeliveryRow {
  id: number;
  at: number;
  app_key: string;
  trigger: string;
  template: string;
  service: string;
  recipient: string;
  outcome: 'sent' | 'failed';
  attempts: number;
  error: string | null;
}

/** The file of the notification store in a data folder. */
export function notifyStoreFile(dataDir: string): string {
  return path.join(dataDir, 'notifications.sqlite');
}

/** Notified-state and delivery history, opened once per data folder. */
export class NotifyStore {
  private readonly loaded = new Map<string, Set<string>>();
  private readonly s;

  private constructor(private readonly db: Database.Database) {
    this.s = {
      all: db.prepare('SELECT app_key, state_key FROM notified'),
      set: db.prepare('INSERT OR REPLACE INTO notified (app_key, state_key, notified_at) VALUES (?, ?, ?)'),
      del: db.prepare('DELETE FROM notified WHERE app_key = ? AND state_key = ?'),
      trim: db.prepare(`DELETE FROM notified WHERE app_key = @app AND state_key NOT IN (SELECT state_key FROM notified WHERE app_key = @app ORDER BY notified_at DESC, state_key LIMIT ${MAX_STATE_PER_APP})`),
      record: db.prepare('INSERT INTO deliveries (at, app_key, trigger, template, service, recipient, outcome, attempts, error) VALUES (@at, @appKey, @trigger, @template, @service, @recipient, @outcome, @attempts, @error)'),
      recent: db.prepare('SELECT * FROM deliveries ORDER BY id DESC LIMIT ?'),
    };
    for (const r of this.s.all.all() as { app_key: string; state_key: string }[]) this.keysOf(r.app_key).add(r.state_key);
  }

  /** Opens (creating and migrating) the store at `file`. */
  static open(file: string): NotifyStore {
    return new NotifyStore(openDatabase(file, { migrations: NOTIFY_MIGRATIONS }));
  }

  private keysOf(appKey: string): Set<string> {
    let set = this.loaded.get(appKey);
    if (!set) this.loaded.set(appKey, (set = new Set()));
    return set;
  }

  /** Whether a notified-state key is set for an app. */
  has(appKey: string, stateKey: string): boolean {
    return this.loaded.get(appKey)?.has(stateKey) ?? false;
  }

  /** Applies notified-state changes in one transaction (trimming each app to Argo CD's 100 entries). */
  apply(changes: readonly StateChange[], now = Date.now()): void {
    if (changes.length === 0) return;
    this.db.transaction(() => {
      for (const c of changes) {
        if (c.notified) this.s.set.run(c.appKey, c.stateKey, now);
        else this.s.del.run(c.appKey, c.stateKey);
      }
      for (const app of new Set(changes.filter((c) => c.notified).map((c) => c.appKey))) this.s.trim.run({ app });
    })();
    for (const c of changes) {
      if (c.notified) this.keysOf(c.appKey).add(c.stateKey);
      else this.loaded.get(c.appKey)?.delete(c.stateKey);
    }
  }

  /** Records one delivery (its error already masked of secrets) and returns it as kept. */
  record(d: Omit<DeliveryRecord, 'id' | 'at'> & { readonly at?: number }): DeliveryRecord {
    const at = d.at ?? Date.now();
    const { lastInsertRowid } = this.s.record.run({ ...d, at, error: d.error ?? null });
    const { at: _at, ...rest } = d;
    return { ...rest, id: Number(lastInsertRowid), at: new Date(at).toISOString() };
  }

  /** The latest deliveries, newest first. */
  deliveries(limit = 100): DeliveryRecord[] {
    return (this.s.recent.all(limit) as DeliveryRow[]).map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      appKey: r.app_key,
      trigger: r.trigger,
      template: r.template,
      service: r.service,
      recipient: r.recipient,
      outcome: r.outcome,
      attempts: r.attempts,
      ...(r.error !== null ? { error: r.error } : {}),
    }));
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }
}
