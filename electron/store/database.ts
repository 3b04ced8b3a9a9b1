// Opening the store's SQLite file: WAL, foreign keys, a busy timeout, migrations that bump user_version, and a clear
// refusal of a database written by a newer Flotilla or of a file that is not a store.

import type Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { FlotillaError, problem } from '../../shared/problem';
import { lazyModule } from '../services/lazy-module';
import type { Migration } from './migrations';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

/** How to open the store. */
export interface OpenOptions {
  /** How long a write waits for another process's write to finish before the store reports itself busy (ms). */
  readonly busyTimeoutMs?: number;
  /** Open for reading only (the file must exist and be at the current schema version or older). */
  readonly readonly?: boolean;
  /** SQLite's page cache in KiB (default 64 MiB); a transaction larger than it spills pages into the WAL before commit. */
  readonly cacheSizeKiB?: number;
  /** Migrations to apply (tests pass a longer list to play a newer Flotilla). */
  readonly migrations?: readonly Migration[];
}

/** better-sqlite3, loaded when a store is first opened (commands without a store never load the native module). */
const sqlite = lazyModule<typeof Database>('better-sqlite3');

/** The default busy timeout: long enough to outwait a large snapshot being recorded by another process. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Opens (creating when needed) a store database at `file`, configured and migrated. */
export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations[migrations.length - 1]?.version ?? SCHEMA_VERSION;
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!options.readonly) mkdirSync(path.dirname(file), { recursive: true });
  else if (!existsSync(file)) throw new FlotillaError(problem('no store here yet: run `flotilla refresh` to record a snapshot', { file }));
  let db: Database.Database;
  try {
    db = new (sqlite())(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false, timeout: busyTimeoutMs });
  } catch (err) {
    throw storeError(err, file);
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latest) {
      throw new FlotillaError(
        problem(
          `the store was written by a newer Flotilla (schema version ${version}; this Flotilla knows up to ${latest}): upgrade Flotilla, or point it at another data folder`,
          { file },
        ),
      );
    }
    if (!options.readonly) {
      if ((db.pragma('journal_mode', { simple: true }) as string) !== 'wal') db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    // A 64 MB page cache: a large snapshot's transaction then stays in memory until commit instead of spilling
    // (and rewriting) index pages into the WAL as it goes.
    db.pragma(`cache_size = -${Math.max(64, Math.floor(options.cacheSizeKiB ?? 65536))}`);
    db.pragma('foreign_keys = ON');
    if (version < latest) {
      if (options.readonly) {
        throw new FlotillaError(problem(`the store is at schema version ${version} and needs migrating to ${latest}: open it once for writing`, { file }));
      }
      migrate(db, migrations, file);
    }
    return db;
  } catch (err) {
    db.close();
    throw storeError(err, file);
  }
}

/** Applies the pending migrations in one immediate transaction, re-reading the version under the write lock. */
function migrate(db: Database.Database, migrations: readonly Migration[], file: string): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (const m of migrations) {
      if (m.version <= current) continue;
      if (m.version !== (db.pragma('user_version', { simple: true }) as number) + 1) {
        throw new FlotillaError(problem(`store migration ${m.version} does not follow ${current}: the migration list has a gap`, { file }));
      }
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}

/** Whether an error is SQLite saying another connection holds the lock. */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Turns SQLite's errors into Problems naming the store file; busy becomes "the store is busy". */
export function storeError(err: unknown, file: string): unknown {
  if (err instanceof FlotillaError) return err;
  if (isBusyError(err)) {
    return new FlotillaError(problem('the store is busy: another Flotilla process is writing to it; try again when it has finished', { file }));
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new FlotillaError(problem(`this file is not a readable Flotilla store (${String(code)})`, { file }));
  }
  if (code === 'SQLITE_CANTOPEN') return new FlotillaError(problem('cannot open the store file (missing, or no permission)', { file }));
  return err;
}
