// The promotions table of the store (migration 2): every promotion run, its commit and its result. Opened on the
// store's file through the store's own openDatabase, so the file is migrated, in WAL mode and busy-safe.

import type Database from 'better-sqlite3';
import { FlotillaError, problem } from '../../../shared/problem';
import type { PromotionRecordView, PromotionResult } from '../../../shared/promotion/history';
import { openDatabase, storeError } from '../../store/database';

export type { PromotionRecordView, PromotionResult } from '../../../shared/promotion/history';

/** A promotion as it starts. */
export interface PromotionStart {
  readonly by: string;
  readonly pipeline: string;
  readonly from: string;
  readonly to: string;
  readonly apps: readonly string[];
  readonly versions: readonly string[];
  readonly rollbackOf?: number;
  readonly at?: number;
}

/** What finished a promotion. */
export interface PromotionFinish {
  readonly result: Exclude<PromotionResult, 'running'>;
  readonly commit?: string;
  readonly branch?: string;
  readonly baseRevision?: string;
  readonly message?: string;
  readonly attempts?: number;
  readonly apps?: readonly string[];
  readonly versions?: readonly string[];
  readonly at?: number;
}

interface Row {
  id: number;
  started_at: number;
  finished_at: number | null;
  by: string;
  pipeline: string;
  from_stage: string;
  to_stage: string;
  apps: string;
  versions: string;
  base_revision: string | null;
  commit_sha: string | null;
  branch: string | null;
  result: PromotionResult;
  message: string | null;
  attempts: number;
  rollback_of: number | null;
  rolled_back_by: number | null;
}

const SELECT = `SELECT p.*, (SELECT r.id FROM promotions r WHERE r.rollback_of = p.id AND r.result IN ('pushed', 'verified', 'verify-failed') ORDER BY r.id LIMIT 1) AS rolled_back_by FROM promotions p`;

/** The promotions recorded in the store's SQLite file. */
export class PromotionLog {
  private readonly s;

  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
    /** The repository whose promotions this log reads and writes (`git:<root commit>`). */
    readonly repository: string,
  ) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO promotions (started_at, by, pipeline, from_stage, to_stage, apps, versions, result, rollback_of, repository)
         VALUES (@at, @by, @pipeline, @from, @to, @apps, @versions, 'running', @rollbackOf, @repository)`,
      ),
      finish: db.prepare(
        `UPDATE promotions SET result = @result, finished_at = @at, commit_sha = COALESCE(@commit, commit_sha), branch = COALESCE(@branch, branch),
           base_revision = COALESCE(@base, base_revision), message = @message, attempts = COALESCE(@attempts, attempts),
           apps = COALESCE(@apps, apps), versions = COALESCE(@versions, versions) WHERE id = @id`,
      ),
      get: db.prepare(`${SELECT} WHERE p.id = ? AND p.repository = ?`),
      list: db.prepare(`${SELECT} WHERE p.repository = ? ORDER BY p.id DESC LIMIT ?`),
      unclaimed: db.prepare(`SELECT id, commit_sha FROM promotions WHERE repository IS NULL AND commit_sha IS NOT NULL`),
      claim: db.prepare(`UPDATE promotions SET repository = ? WHERE id = ? AND repository IS NULL`),
    };
  }

  /** Opens (creating and migrating when needed) the store file's promotions table, for one repository's promotions. */
  static open(file: string, repository: string): PromotionLog {
    return new PromotionLog(file, openDatabase(file), repository);
  }

  /**
   * Gives this repository the promotions recorded before promotions were keyed by repository whose commit it holds
   * (`hasCommit`); the others stay unclaimed and are never shown. Returns how many were claimed.
   */
  claimLegacy(hasCommit: (sha: string) => boolean): number {
    const rows = this.s.unclaimed.all() as { id: number; commit_sha: string }[];
    const mine = rows.filter((r) => hasCommit(r.commit_sha));
    if (mine.length === 0) return 0;
    return this.write(() => mine.reduce((n, r) => n + this.s.claim.run(this.repository, r.id).changes, 0));
  }

  /** Closes the connection. */
  close(): void {
    this.db.close();
  }

  /** Records a promotion that starts now; returns its id. */
  start(p: PromotionStart): number {
    return this.write(() =>
      Number(
        this.s.insert.run({
          at: p.at ?? Date.now(), by: p.by, pipeline: p.pipeline, from: p.from, to: p.to,
          apps: JSON.stringify(p.apps), versions: JSON.stringify(p.versions), rollbackOf: p.rollbackOf ?? null, repository: this.repository,
        }).lastInsertRowid,
      ),
    );
  }

  /** Records how a promotion ended (or how its verification ended). */
  finish(id: number, f: PromotionFinish): PromotionRecordView {
    this.write(() =>
      this.s.finish.run({
        id, result: f.result, at: f.at ?? Date.now(), commit: f.commit ?? null, branch: f.branch ?? null, base: f.baseRevision ?? null,
        message: f.message ?? null, attempts: f.attempts ?? null,
        apps: f.apps ? JSON.stringify(f.apps) : null, versions: f.versions ? JSON.stringify(f.versions) : null,
      }),
    );
    return this.get(id)!;
  }

  /** One promotion of this repository, or undefined. */
  get(id: number): PromotionRecordView | undefined {
    const row = this.s.get.get(id, this.repository) as Row | undefined;
    return row ? toView(row) : undefined;
  }

  /** One promotion of this repository; a clear error naming the id when it has none (another repository's is not its). */
  require(id: number): PromotionRecordView {
    const r = this.get(id);
    if (!r) throw new FlotillaError(problem(`no promotion #${id} in this repository's history (flotilla promotions lists them)`, { file: this.file }));
    return r;
  }

  /** This repository's latest promotions, newest first. */
  list(limit = 100): PromotionRecordView[] {
    return (this.s.list.all(this.repository, limit) as Row[]).map(toView);
  }

  private write<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (err) {
      throw storeError(err, this.file);
    }
  }
}

function toView(r: Row): PromotionRecordView {
  return {
    id: r.id,
    startedAt: new Date(r.started_at).toISOString(),
    ...(r.finished_at !== null ? { finishedAt: new Date(r.finished_at).toISOString() } : {}),
    by: r.by,
    pipeline: r.pipeline,
    from: r.from_stage,
    to: r.to_stage,
    apps: JSON.parse(r.apps) as string[],
    versions: JSON.parse(r.versions) as string[],
    ...(r.base_revision ? { baseRevision: r.base_revision } : {}),
    ...(r.commit_sha ? { commit: r.commit_sha } : {}),
    ...(r.branch ? { branch: r.branch } : {}),
    result: r.result,
    ...(r.message ? { message: r.message } : {}),
    attempts: r.attempts,
    ...(r.rollback_of !== null ? { rollbackOf: r.rollback_of } : {}),
    ...(r.rolled_back_by !== null ? { rolledBackBy: r.rolled_back_by } : {}),
  };
}
