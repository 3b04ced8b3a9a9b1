// The fleet grid kept on disk between runs of `flotilla serve`, so the first page load after a start is answered at
// once instead of after discovery (every Application generated at HEAD), the store's read of every app × cluster and
// the grid's build. Argo CD's repo server keeps generated manifests by revision alike.
//
// The grid depends on HEAD's commit and the other revisions discovery read (when it read nothing else: see
// HeadDiscovery.revisions), on the state of the store's latest snapshot (StoreGeneration), on the repository and on
// the Flotilla build that made it. The file holds that key beside the grid; it is served only when every part of the
// key equals what is true when it is asked for, and is otherwise ignored and replaced by the next grid built. The grid
// is kept before commit signatures are added: those are verified on each answer (a keyring can change without a
// commit). It holds nothing a UI is not sent.
//
// A second file keeps what the grid takes from discovery (GridInputs), keyed by the same minus the store: after a new
// snapshot (a `flotilla refresh`), the grid is built from it and the store without generating every app again. Beside
// them, what discovery read of HEAD's tree (TreeReads): after a new commit that changed none of it, the inputs of the
// earlier commit are those of the new one (see discovery-reads.ts).

import { hash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppRow } from '../../shared/api/contract';
import type { GridCluster } from '../../shared/fleet/grid';
import type { PackedGrid } from '../../shared/fleet/grid-pack';
import type { Problem } from '../../shared/problem';
import type { TreeReads } from '../../shared/repo/tree-reads';
import { isTreeReads } from '../../shared/repo/tree-reads';
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

/** What the grid takes from discovery at one HEAD: its columns, each app's row data and cluster, discovery's problems. */
export interface GridInputs {
  /** The fleet's clusters, grouped by environment in pipeline order. */
  readonly clusters: readonly GridCluster[];
  /** Every app discovered, in discovery's order; `cluster` absent when it names none. */
  readonly apps: readonly { readonly name: string; readonly appset: AppRow['appset']; readonly origin: string; readonly labels: Readonly<Record<string, string>>; readonly cluster?: string }[];
  readonly problems: readonly Problem[];
}

/** What grid inputs were made from: the grid's key without the store. */
export type GridInputsKey = Omit<GridCacheKey, 'store'>;

/**
 * Grid inputs found in the cache: of HEAD now (`exact`), or of an earlier commit (`key.head`) whose other revisions
 * resolve as they did or moved with HEAD, with what discovery read of that commit's tree: the inputs of HEAD now too
 * when no change since touches it.
 */
export type KeptInputs = { readonly key: GridInputsKey; readonly inputs: GridInputs; readonly reads?: TreeReads } & ({ readonly exact: true } | { readonly exact: false; readonly reads: TreeReads });

/** Where the cache lives and which build reads and writes it. */
export interface GridCacheOptions {
  /** The cache folder (the data folder's `cache/`). */
  readonly dir: string;
  /** The Flotilla build (the running bundle's digest and Node's version): a grid of another build is never served. */
  readonly build: string;
  /** Where to say that a file was unreadable, corrupt or not a grid cache (the server's log; never the UI). */
  readonly log?: (line: string) => void;
  /** How long `putSoon` waits before it writes (default 1,000 ms). */
  readonly writeAfterMs?: number;
}

/** The two kinds of file: the grid, and what it takes from discovery. */
const KINDS = {
  grid: { prefix: 'fleet-grid', magic: 'flotilla-fleet-grid-cache', valid: isCachedGrid },
  inputs: { prefix: 'fleet-apps', magic: 'flotilla-fleet-apps-cache', valid: isGridInputs },
} as const;
type Kind = keyof typeof KINDS;
/** 2: the inputs file holds what discovery read (`reads`). */
const FORMAT = 2;
const FULL_SHA = /^[0-9a-f]{40}$/;

/** A file's parsed content, or why it cannot be used. */
type Loaded = { readonly key: unknown; readonly value: unknown; readonly reads?: TreeReads } | { readonly unusable: string } | undefined;

/** The on-disk fleet grid cache: per repository, a file of its grid and one of its grid inputs, in the cache folder. */
export class GridCache {
  /** Files being read (their text: parsed when asked for), by kind and repository. */
  private readonly reads = new Map<string, Promise<string | { readonly unusable: string } | undefined>>();
  /** The inputs key last written or read, per repository: unchanged inputs are not written again. */
  private readonly inputsOnDisk = new Map<string, string>();
  /** Writes waiting (the latest per repository), with their timers. */
  private readonly pending = new Map<string, { readonly timer: ReturnType<typeof setTimeout>; readonly write: () => void }>();

  constructor(private readonly options: GridCacheOptions) {}

  /** The cache file of the repository at `root` (of its grid, or of its grid inputs). */
  fileOf(root: string, kind: Kind = 'grid'): string {
    return path.join(this.options.dir, `${KINDS[kind].prefix}-${hash('sha256', root, 'hex').slice(0, 16)}.json`);
  }

  /** Starts reading the repository's cache files (as the server starts), so the first request finds them read. */
  preload(root: string): void {
    for (const kind of Object.keys(KINDS) as Kind[]) if (!this.reads.has(`${kind}\n${root}`)) this.reads.set(`${kind}\n${root}`, this.read(this.fileOf(root, kind)));
  }

  /**
   * The cached grid (and its key) when the file's key is exactly what is true now (and of this build): the
   * repository, HEAD, the store's state given, and each other revision the file names as `resolve` resolves it now.
   * Undefined otherwise. A file that cannot be read as a grid cache is reported in the log and ignored. The file is
   * read once: later calls read it anew.
   */
  async get(now: Omit<GridCacheKey, 'revisions'>, resolve: (revision: string) => string | null): Promise<{ readonly key: GridCacheKey; readonly grid: CachedGrid } | undefined> {
    const hit = await this.lookup('grid', now.repo, (revisions) => ({ ...now, revisions }), resolve);
    return hit && { key: hit.key, grid: hit.value as CachedGrid };
  }

  /**
   * The grid inputs of HEAD now, as `get` finds a grid (the key without the store); else those of an earlier commit of
   * this build and repository that recorded what discovery read, whose other revisions each name the commit they named
   * then or, when that was the earlier HEAD, HEAD now (see KeptInputs).
   */
  async inputs(now: Omit<GridInputsKey, 'revisions'>, resolve: (revision: string) => string | null): Promise<KeptInputs | undefined> {
    let earlier: KeptInputs | undefined;
    const hit = await this.lookup('inputs', now.repo, (revisions) => ({ ...now, revisions }), resolve, (loaded) => {
      earlier = this.earlier(loaded, now, resolve);
    });
    if (hit) {
      this.inputsOnDisk.set(now.repo, canonicalJson(this.fullKey(hit.key)));
      return { key: hit.key, inputs: hit.value as GridInputs, ...(hit.reads ? { reads: hit.reads } : {}), exact: true };
    }
    return earlier;
  }

  /**
   * Writes the grid of `key` and, when given, the grid inputs it was built from (unless the file holds them already),
   * each replacing the repository's file whole: a reader sees the old file or the new one.
   */
  put(key: GridCacheKey, value: CachedGrid, inputs?: GridInputs, reads?: TreeReads): void {
    this.write('grid', this.fileOf(key.repo), this.fullKey(key), value);
    if (!inputs) return;
    const inputsKey = this.fullKey({ repo: key.repo, head: key.head, revisions: key.revisions });
    if (this.inputsOnDisk.get(key.repo) === canonicalJson(inputsKey)) return;
    if (this.write('inputs', this.fileOf(key.repo, 'inputs'), inputsKey, inputs, reads)) this.inputsOnDisk.set(key.repo, canonicalJson(inputsKey));
  }

  /**
   * Writes as `put` does, a moment later (serialising a 10,000 × 3 grid takes tens of milliseconds: the page's first
   * requests, which may wait behind a grid built as the server starts, go first). A later grid of the same repository
   * replaces one still waiting; `flush` writes those waiting at once (as the server stops).
   */
  putSoon(key: GridCacheKey, value: CachedGrid, inputs?: GridInputs, reads?: TreeReads): void {
    clearTimeout(this.pending.get(key.repo)?.timer);
    const write = (): void => {
      this.pending.delete(key.repo);
      this.put(key, value, inputs, reads);
    };
    const timer = setTimeout(write, this.options.writeAfterMs ?? 1000);
    timer.unref();
    this.pending.set(key.repo, { timer, write });
  }

  /** Writes every grid still waiting to be written. */
  flush(): void {
    for (const { timer, write } of [...this.pending.values()]) {
      clearTimeout(timer);
      write();
    }
  }

  /**
   * Whether a key found holds still: HEAD and the store's state are `now`'s, and each other revision the key names
   * resolves to the commit it named (compared as `get` compares a file's key).
   */
  holds(key: GridCacheKey, now: { readonly head: string; readonly store: StoreGeneration }, resolve: (revision: string) => string | null): boolean {
    return canonicalJson(this.fullKey(key)) === canonicalJson(this.fullKey({ repo: key.repo, head: now.head, store: now.store, revisions: resolvedAgain(Object.keys(key.revisions), resolve) }));
  }

  /** Says in the log why the cache could not be used this time (the answer is then built as without it). */
  report(err: unknown): void {
    this.options.log?.(`fleet grid cache: not used: ${err instanceof Error ? err.message : String(err)}\n`);
  }

  private async lookup<K extends GridInputsKey>(kind: Kind, root: string, keyOf: (revisions: Record<string, string | null>) => K, resolve: (revision: string) => string | null, otherwise?: (loaded: { readonly key: unknown; readonly value: unknown; readonly reads?: TreeReads }) => void): Promise<{ readonly key: K; readonly value: unknown; readonly reads?: TreeReads } | undefined> {
    const id = `${kind}\n${root}`;
    const reading = this.reads.get(id) ?? this.read(this.fileOf(root, kind));
    this.reads.delete(id);
    const loaded = this.parse(kind, await reading);
    if (loaded === undefined) return undefined;
    if ('unusable' in loaded) {
      this.options.log?.(`fleet grid cache: ignoring ${this.fileOf(root, kind)}: ${loaded.unusable}\n`);
      return undefined;
    }
    const named = isRecord(loaded.key) && isRecord(loaded.key['revisions']) ? Object.keys(loaded.key['revisions']) : [];
    const key = keyOf(resolvedAgain(named, resolve));
    if (canonicalJson(loaded.key) === canonicalJson(this.fullKey(key))) return { key, value: loaded.value, ...(loaded.reads ? { reads: loaded.reads } : {}) };
    otherwise?.(loaded);
    return undefined;
  }

  /** The inputs file's content as inputs of an earlier commit (see `inputs`), when it is that. */
  private earlier(loaded: { readonly key: unknown; readonly value: unknown; readonly reads?: TreeReads }, now: Omit<GridInputsKey, 'revisions'>, resolve: (revision: string) => string | null): KeptInputs | undefined {
    const k = loaded.key;
    if (!loaded.reads || !isRecord(k) || k['build'] !== this.options.build || k['repo'] !== now.repo || !isRecord(k['revisions'])) return undefined;
    const head = k['head'];
    if (typeof head !== 'string' || !FULL_SHA.test(head) || head === now.head) return undefined;
    for (const [r, was] of Object.entries(k['revisions'])) {
      const is = resolve(r);
      // A revision that named the earlier HEAD was read through the recorder as HEAD was: it may have moved with HEAD.
      if (is !== was && !(was === head && is === now.head)) return undefined;
    }
    return { key: { repo: now.repo, head, revisions: k['revisions'] as Record<string, string | null> }, inputs: loaded.value as GridInputs, reads: loaded.reads, exact: false };
  }

  private fullKey(key: GridInputsKey & { readonly store?: StoreGeneration }): unknown {
    return { build: this.options.build, repo: key.repo, head: key.head, revisions: key.revisions, ...(key.store ? { store: key.store } : {}) };
  }

  private write(kind: Kind, file: string, key: unknown, value: unknown, reads?: TreeReads): boolean {
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(this.options.dir, { recursive: true, mode: 0o700 });
      writeFileSync(tmp, JSON.stringify({ [KINDS[kind].magic]: FORMAT, key, value, ...(reads ? { reads } : {}) }), { mode: 0o600 });
      renameSync(tmp, file);
      return true;
    } catch (err) {
      rmSync(tmp, { force: true });
      this.options.log?.(`fleet grid cache: could not write ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
      return false;
    }
  }

  private async read(file: string): Promise<string | { readonly unusable: string } | undefined> {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return { unusable: `unreadable (${err instanceof Error ? err.message : String(err)})` };
    }
  }

  private parse(kind: Kind, text: string | { readonly unusable: string } | undefined): Loaded {
    if (text === undefined || typeof text !== 'string') return text;
    const { magic, valid } = KINDS[kind];
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return { unusable: 'corrupt (not JSON)' };
    }
    if (!isRecord(doc) || doc[magic] === undefined) return { unusable: `not a Flotilla ${kind === 'grid' ? 'fleet grid' : 'fleet apps'} cache` };
    if (doc[magic] !== FORMAT) return { unusable: `written in format ${String(doc[magic])}, this build reads ${FORMAT}` };
    if (!valid(doc['value'])) return { unusable: `corrupt (the ${kind === 'grid' ? 'grid' : 'app list'} is not whole)` };
    if (doc['reads'] !== undefined && !isTreeReads(doc['reads'])) return { unusable: 'corrupt (what discovery read is not whole)' };
    return { key: doc['key'], value: doc['value'], ...(doc['reads'] !== undefined ? { reads: doc['reads'] } : {}) };
  }
}

/** Revisions a key names, each with the commit it names now (null: none). */
export function resolvedAgain(names: readonly string[], resolve: (revision: string) => string | null): Record<string, string | null> {
  return Object.fromEntries(names.map((r) => [r, resolve(r)]));
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

/** The shape grid inputs must have to be used. */
function isGridInputs(v: unknown): v is GridInputs {
  return isRecord(v) && Array.isArray(v['clusters']) && Array.isArray(v['apps']) && Array.isArray(v['problems']) && v['apps'].every((a) => isRecord(a) && typeof a['name'] === 'string' && typeof a['origin'] === 'string' && isRecord(a['labels']));
}

/**
 * This build of Flotilla: Node's version and the digest of the running bundle (dist/cli.js, or the desktop app's
 * dist/electron/main.js). A cache written by another build is never read.
 */
export function buildIdentity(): string {
  const url = (import.meta as { url?: string }).url;
  const file = url?.startsWith('file:') ? fileURLToPath(url) : __filename;
  return `${process.version} ${hash('sha256', readFileSync(file), 'hex')}`;
}
