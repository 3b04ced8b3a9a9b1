// The fleet grid kept on disk between runs of `flotilla serve`, so the first page load after a start is answered at
// once instead of after discovery (every Application generated at HEAD), the store's read of every app × cluster and
// the grid's build. Argo CD's repo server keeps generated manifests by revision alike.
//
// The grid depends on HEAD's commit (when discovery read nothing else: HeadDiscovery.pure), on the state of the
// store's latest snapshot (StoreGeneration), on the repository and on the Flotilla build that made it. The file holds
// that key beside the grid; it is served only when every part of the key equals what is true when it is asked for,
// and is otherwise ignored and replaced by the next grid built. The grid is kept before commit signatures are added:
// those are verified on each answer (a keyring can change without a commit). It holds nothing a UI is not sent.

import { hash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PackedGrid } from '../../shared/fleet/grid-pack';
import type { Problem } from '../../shared/problem';
import { canonicalJson } from '../store/canonical-json';
import type { StoreGeneration } from '../store/generation';

/** What a cached grid was built from; all of it must be the same for the grid to be served. */
export interface GridCacheKey {
  /** The repository's root folder. */
  readonly repo: string;
  /** HEAD's commit the apps were generated from. */
  readonly head: string;
  /** The other revisions discovery read and the commit each named (null: none); see HeadDiscovery.revisions. */
  readonly revisions: Readonly<Record<string, string | null>>;
  /** The store's latest snapshot and high-water marks when its rows were read. */
  readonly store: StoreGeneration;
}

/** The grid of one key, as the status service answers it before signatures. */
export interface CachedGrid {
  /** Packed, without commit signatures. */
  readonly grid: PackedGrid;
  /** The commits its cells run (their signatures are verified on each answer). */
  readonly revisions: readonly string[];
  readonly recordedAt?: string;
  readonly problems: readonly Problem[];
}

/** Where the cache lives and which build reads and writes it. */
export interface GridCacheOptions {
  /** The cache folder (the data folder's `cache/`). */
  readonly dir: string;
  /** The Flotilla build (the running bundle's digest and Node's version): a grid of another build is never served. */
  readonly build: string;
  /** Where to say that a file was unreadable, corrupt or not a grid cache (the server's log; never the UI). */
  readonly log?: (line: string) => void;
}

const MAGIC = 'flotilla-fleet-grid-cache';
const FORMAT = 1;

/** A file's parsed content, or why it cannot be used. */
type Loaded = { readonly key: unknown; readonly value: CachedGrid } | { readonly unusable: string } | undefined;

/** The on-disk fleet grid cache: one file per repository in the cache folder. */
export class GridCache {
  private readonly loads = new Map<string, Promise<Loaded>>();

  constructor(private readonly options: GridCacheOptions) {}

  /** The cache file of the repository at `root`. */
  fileOf(root: string): string {
    return path.join(this.options.dir, `fleet-grid-${hash('sha256', root, 'hex').slice(0, 16)}.json`);
  }

  /** Starts reading the repository's cache file (as the server starts), so the first request finds it read. */
  preload(root: string): void {
    if (!this.loads.has(root)) this.loads.set(root, this.load(root));
  }

  /**
   * The cached grid (and its key) when the file's key is exactly what is true now (and of this build): the
   * repository, HEAD, the store's state given, and each other revision the file names as `resolve` resolves it now.
   * Undefined otherwise. A file that cannot be read as a grid cache is reported in the log and ignored. The file is
   * read once: later calls read it anew.
   */
  async get(now: Omit<GridCacheKey, 'revisions'>, resolve: (revision: string) => string | null): Promise<{ readonly key: GridCacheKey; readonly grid: CachedGrid } | undefined> {
    const loading = this.loads.get(now.repo) ?? this.load(now.repo);
    this.loads.delete(now.repo);
    const loaded = await loading;
    if (loaded === undefined) return undefined;
    if ('unusable' in loaded) {
      this.options.log?.(`fleet grid cache: ignoring ${this.fileOf(now.repo)}: ${loaded.unusable}\n`);
      return undefined;
    }
    const named = isRecord(loaded.key) && isRecord(loaded.key['revisions']) ? Object.keys(loaded.key['revisions']) : [];
    const key: GridCacheKey = { ...now, revisions: Object.fromEntries(named.map((r) => [r, resolve(r)])) };
    return canonicalJson(loaded.key) === canonicalJson(this.fullKey(key)) ? { key, grid: loaded.value } : undefined;
  }

  /** Writes the grid of `key` (replacing the repository's file whole: a reader sees the old file or the new one). */
  put(key: GridCacheKey, value: CachedGrid): void {
    const file = this.fileOf(key.repo);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(this.options.dir, { recursive: true, mode: 0o700 });
      writeFileSync(tmp, JSON.stringify({ [MAGIC]: FORMAT, key: this.fullKey(key), value }), { mode: 0o600 });
      renameSync(tmp, file);
    } catch (err) {
      rmSync(tmp, { force: true });
      this.options.log?.(`fleet grid cache: could not write ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }

  /** Says in the log why the cache could not be used this time (the answer is then built as without it). */
  report(err: unknown): void {
    this.options.log?.(`fleet grid cache: not used: ${err instanceof Error ? err.message : String(err)}\n`);
  }

  private fullKey(key: GridCacheKey): unknown {
    return { build: this.options.build, repo: key.repo, head: key.head, revisions: key.revisions, store: key.store };
  }

  private async load(root: string): Promise<Loaded> {
    let text: string;
    try {
      text = await readFile(this.fileOf(root), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return { unusable: `unreadable (${err instanceof Error ? err.message : String(err)})` };
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return { unusable: 'corrupt (not JSON)' };
    }
    if (!isRecord(doc) || doc[MAGIC] === undefined) return { unusable: 'not a Flotilla fleet grid cache' };
    if (doc[MAGIC] !== FORMAT) return { unusable: `written in format ${String(doc[MAGIC])}, this build reads ${FORMAT}` };
    const value = doc['value'];
    if (!isCachedGrid(value)) return { unusable: 'corrupt (the grid is not whole)' };
    return { key: doc['key'], value };
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The shape a grid cache's value must have to be served (its key, checked exactly, says which build wrote it). */
function isCachedGrid(v: unknown): v is CachedGrid {
  if (!isRecord(v) || !isRecord(v['grid']) || !Array.isArray(v['revisions']) || !Array.isArray(v['problems'])) return false;
  if (v['recordedAt'] !== undefined && typeof v['recordedAt'] !== 'string') return false;
  const g = v['grid'];
  return g['packed'] === 1 && Array.isArray(g['clusters']) && Array.isArray(g['environments']) && Array.isArray(g['strings']) && Array.isArray(g['signatures']) && Array.isArray(g['rows']);
}
