import { FlotillaError } from '../../shared/problem';
import type { DirEntry, FileTree } from '../../shared/repo/file-tree';
import { resolveInTree } from '../../shared/repo/file-tree';
import { dirname, normalizePath } from '../../shared/repo/paths';
import type { GitObjectReader } from './git-object-reader';

/** One file of a commit's tree: its object and type (blob, or commit for a submodule). */
interface GitTreeEntry {
  readonly path: string;
  readonly sha: string;
  readonly type: string;
  /** A symbolic link (mode 120000): its blob holds the link's target. */
  readonly link?: boolean;
}

/** Blobs read ahead with the one asked for, at most (see fetchFolderOf): one round trip per app, not per file. */
const READ_AHEAD = 64;
/**
 * Bytes of blob content kept in memory; past it the cache starts again (memory stays flat on large repositories). The
 * cache serves the read-ahead (an app's files, READ_AHEAD at most, read in one request): 2 MiB holds that many 32 KiB
 * files; more held blobs that a render of every app never read again (11 MB at 8 MiB).
 */
const CACHE_BYTES = 2 * 1024 * 1024;
/** Folders with more entries than this keep their sorted listing (sorting 10,000 app folders again costs). */
const SORTED_CACHE_MIN = 64;
/** Folders read together with the one asked for, at most (see folder()). */
const SIBLINGS = 16;
/** A folder's subfolders are read with it, level by level, until this many entries have been read. */
const SUBTREE_ENTRIES = 2048;
/**
 * Entries (files and folders) of the folders read that a tree keeps (~200 bytes each); past it, it forgets every folder
 * but the root and reads them again as they are looked into. A render of every app reads each app's folders once, so
 * keeping them all grew with the fleet (51 MB at 10,000 apps); the next call reads what it needs in a few round trips.
 */
const KEPT_ENTRIES = 32_768;

const utf8 = new TextDecoder();

/**
 * The files of one commit, read from git objects through a GitObjectReader (one long-lived `git cat-file --batch`):
 * a folder's tree object when something first looks into it (with a few levels below it and a few folders beside it,
 * in one round trip per level), a blob when it is first read, a folder's files at a time. A command that reads the
 * fleet file and the ApplicationSets of a 10,000-app repository reads a handful of trees, not a listing of every file.
 * A blob or tree that is missing (a partial, shallow or damaged clone), an object of the wrong type, or an unexpected
 * reply from git is an error naming the path and the revision, never content: reading the wrong bytes for a file
 * would render another file's objects.
 */
export class GitTree implements FileTree {
  // Compact on purpose (a 10,000-app fleet holds ~90,000 files): path → object id for the files of the folders read,
  // each folder's child names (a folder's name ending in '/'), and the tree ids of the folders not read yet.
  private readonly files = new Map<string, string>();
  private readonly submodules = new Set<string>();
  private readonly links = new Set<string>();
  private readonly dirs = new Map<string, string[]>();
  private readonly unread = new Map<string, string>();
  /** Folders in the order they were found (breadth first), with each one's place: what folder() reads together. */
  private readonly order: string[] = [];
  private readonly found = new Map<string, number>();
  private readonly broken = new Map<string, FlotillaError>();
  private readonly sorted = new Map<string, readonly DirEntry[]>();
  private readonly counts = new Map<string, number>();
  private readonly content = new Map<string, Uint8Array | FlotillaError>();
  private readonly hashBytes: number;
  private cachedBytes = 0;
  /** Entries of the folders read since the last time the tree forgot them, and the most one folder held. */
  private entries = 0;
  private largestFolder = 0;

  constructor(
    /** The commit's root tree object. */
    private readonly rootTree: string,
    /** The commit. */
    readonly revision: string,
    /** The revision as the user named it (branch, tag, HEAD), for error messages. */
    private readonly label: string,
    private readonly reader: GitObjectReader,
    /** Entries kept before the tree forgets its folders (see forgetIfLarge). */
    private readonly keptEntries = KEPT_ENTRIES,
  ) {
    this.hashBytes = rootTree.length / 2;
    this.loadRoot();
    const failed = this.broken.get('');
    if (failed) throw failed;
  }

  private loadRoot(): void {
    this.unread.set('', this.rootTree);
    this.load(['']);
  }

  /**
   * Forgets the folders read (and what was learnt from them) once they hold more than `keptEntries` entries, or four
   * times the largest folder (so a folder larger than the bound is not read again on every call). Called only where a
   * public method starts, so no walk in progress loses the folders it stands on; a commit's content never changes, so
   * reading them again gives the same answers.
   */
  private forgetIfLarge(): void {
    if (this.entries <= Math.max(this.keptEntries, 4 * this.largestFolder)) return;
    for (const m of [this.files, this.dirs, this.unread, this.found, this.broken, this.sorted, this.counts]) m.clear();
    this.submodules.clear();
    this.links.clear();
    this.order.length = 0;
    this.entries = 0;
    this.loadRoot();
  }

  read(path: string): string | undefined {
    const bytes = this.readBytes(path);
    return bytes === undefined ? undefined : utf8.decode(bytes);
  }

  readBytes(path: string): Uint8Array | undefined {
    this.forgetIfLarge();
    const p = this.real(path);
    const entry = p === undefined ? undefined : this.entry(p);
    if (entry === undefined || entry.link) return undefined;
    return this.blob(entry);
  }

  readLink(path: string): string | undefined {
    this.forgetIfLarge();
    return this.linkTarget(path);
  }

  private linkTarget(path: string): string | undefined {
    const p = this.normalize(path);
    if (p === undefined) return undefined;
    this.reachParent(p);
    const entry = this.entry(p);
    return entry?.link ? utf8.decode(this.blob(entry)) : undefined;
  }

  /** The path with every symbolic link on the way followed inside the tree (undefined when one leaves it). */
  private real(path: string): string | undefined {
    const p = this.normalize(path);
    if (p === undefined) return undefined;
    // The folders on the way are read first: a link among them is known only once its folder is.
    this.reachParent(p);
    if (this.links.size === 0) return p;
    return resolveInTree(p, (q) => {
      this.reachParent(q);
      return this.links.has(q) ? this.linkTarget(q) : undefined;
    });
  }

  private blob(entry: GitTreeEntry): Uint8Array {
    let got = this.content.get(entry.path);
    if (got === undefined) {
      this.fetchFolderOf(entry);
      got = this.content.get(entry.path);
    }
    if (got === undefined) throw this.error(entry, 'git did not return it');
    if (got instanceof FlotillaError) throw got;
    return got;
  }

  list(path: string): readonly DirEntry[] | undefined {
    this.forgetIfLarge();
    const p = this.real(path);
    if (p === undefined || !this.folder(p)) return undefined;
    const d = this.dirs.get(p)!;
    let entries = this.sorted.get(p);
    if (!entries) {
      // A link is listed as what it points to (a folder or a file; a dangling one as a file).
      const shown = (name: string, kind: 'file' | 'dir'): 'file' | 'dir' => {
        if (this.links.size === 0) return kind; // most trees have no links: no path to build and hash per file
        const child = p === '' ? name : `${p}/${name}`;
        return this.links.has(child) ? (this.kindOf(child) ?? 'file') : kind;
      };
      entries = d.map((n): DirEntry => (n.endsWith('/') ? { name: n.slice(0, -1), kind: 'dir' } : { name: n, kind: shown(n, 'file') })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      // Only large folders are worth keeping sorted: caching every small one would grow with the fleet.
      if (entries.length > SORTED_CACHE_MIN) this.sorted.set(p, entries);
    }
    return entries;
  }

  kind(path: string): 'file' | 'dir' | undefined {
    this.forgetIfLarge();
    return this.kindOf(path);
  }

  private kindOf(path: string): 'file' | 'dir' | undefined {
    const p = this.real(path);
    if (p === undefined) return undefined;
    if (this.files.has(p)) return this.links.has(p) ? undefined : 'file';
    return this.dirs.has(p) || this.unread.has(p) || this.broken.has(p) ? 'dir' : undefined;
  }

  /** Every file path, sorted (reads every tree of the commit). */
  paths(): string[] {
    while (this.unread.size > 0) this.load([...this.unread.keys()], Infinity);
    return [...this.files.keys()].sort();
  }

  /**
   * Whether `dir` is a folder, reading its tree (and those of the folders above it) when it was not read yet. A tree
   * git cannot give is an error naming the folder and the revision.
   */
  private folder(dir: string): boolean {
    if (this.dirs.has(dir)) return true;
    const failed = this.broken.get(dir);
    if (failed) throw failed;
    if (dir === '') return false;
    const parent = dirname(dir);
    if (!this.folder(parent)) return false;
    const known = this.broken.get(dir);
    if (known) throw known;
    if (!this.unread.has(dir)) return this.dirs.has(dir);
    // Folders near it are read in the same round trips (a walk or a render of every app reads them next): the other
    // unread folders of its parent (an overlay's base), then those found after it (the next apps' folders).
    const batch = [dir];
    const names = this.dirs.get(parent)!;
    if (names.length <= SIBLINGS * 4) {
      for (const n of names) {
        if (batch.length >= SIBLINGS) break;
        const sibling = n.endsWith('/') ? (parent === '' ? n.slice(0, -1) : `${parent}/${n.slice(0, -1)}`) : undefined;
        if (sibling !== undefined && sibling !== dir && this.unread.has(sibling)) batch.push(sibling);
      }
    }
    for (let i = (this.found.get(dir) ?? this.order.length) + 1; i < this.order.length && batch.length < SIBLINGS; i++) {
      const next = this.order[i]!;
      if (this.unread.has(next) && !batch.includes(next)) batch.push(next);
    }
    this.load(batch);
    const broken = this.broken.get(dir);
    if (broken) throw broken;
    return this.dirs.has(dir);
  }

  /** Reads the folders on the way to `path` (not `path` itself), as far as they exist. */
  private reachParent(path: string): void {
    if (path === '') return;
    const parent = dirname(path);
    if (!this.dirs.has(parent)) this.folder(parent);
  }

  /**
   * Reads the trees of `roots` and, a level per round trip, of the folders below them, until `budget` entries have
   * been read. A tree git does not give marks its folder broken (the error is thrown when the folder is used).
   */
  private load(roots: readonly string[], budget = SUBTREE_ENTRIES): void {
    let level = roots.filter((d) => this.unread.has(d));
    let entries = 0;
    while (level.length > 0) {
      const replies = this.reader.read(level.map((d) => this.unread.get(d)!));
      const next: string[] = [];
      level.forEach((dir, i) => {
        const sha = this.unread.get(dir)!;
        this.unread.delete(dir);
        const r = replies[i];
        if (r?.kind === 'object' && r.type === 'tree') entries += this.addFolder(dir, r.data, next);
        else {
          const why =
            r?.kind === 'object'
              ? `git holds a ${r.type} there, not a folder`
              : r?.kind === 'missing'
                ? `its tree ${sha} is missing from the repository (a partial or shallow clone whose remote cannot supply it, or a pruned object); run \`git fetch\` or re-clone without --filter/--depth`
                : (r?.message ?? 'git did not return it');
          this.broken.set(dir, this.error({ path: dir === '' ? '/' : `${dir}/`, sha, type: 'tree' }, why));
        }
      });
      if (entries >= budget) return;
      level = next;
    }
  }

  /** Adds the entries of a tree object (`<mode> <name>\0<binary id>` each); returns how many; `next` gets its folders. */
  private addFolder(dir: string, data: Uint8Array, next: string[]): number {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const names: string[] = [];
    const prefix = dir === '' ? '' : `${dir}/`;
    let pos = 0;
    while (pos < buf.length) {
      const sp = buf.indexOf(0x20, pos);
      const nul = sp < 0 ? -1 : buf.indexOf(0, sp + 1);
      if (sp < 0 || nul < 0 || nul + 1 + this.hashBytes > buf.length) {
        this.broken.set(dir, this.error({ path: dir === '' ? '/' : `${dir}/`, sha: '', type: 'tree' }, 'git returned a tree that does not parse'));
        return 0;
      }
      const mode = buf.toString('latin1', pos, sp);
      const name = buf.toString('utf8', sp + 1, nul);
      const sha = buf.toString('hex', nul + 1, nul + 1 + this.hashBytes);
      pos = nul + 1 + this.hashBytes;
      const path = prefix + name;
      if (mode === '40000') {
        names.push(`${name}/`);
        this.unread.set(path, sha);
        this.found.set(path, this.order.length);
        this.order.push(path);
        next.push(path);
        continue;
      }
      names.push(name);
      this.files.set(path, sha);
      // Mode 160000 is a submodule (a commit); 120000 a symbolic link, followed only inside the repository.
      if (mode === '160000') this.submodules.add(path);
      else if (mode === '120000') this.links.add(path);
    }
    this.dirs.set(dir, names);
    this.entries += names.length;
    if (names.length > this.largestFolder) this.largestFolder = names.length;
    return names.length;
  }

  /** The entry of a file (its folder read already). */
  private entry(path: string): GitTreeEntry | undefined {
    const sha = this.files.get(path);
    return sha === undefined ? undefined : { path, sha, type: this.submodules.has(path) ? 'commit' : 'blob', ...(this.links.has(path) ? { link: true } : {}) };
  }

  /** Paths the engine passes are nearly always normal already: look them up before normalising. */
  private normalize(path: string): string | undefined {
    return this.files.has(path) || this.dirs.has(path) || this.unread.has(path) ? path : normalizePath(path);
  }

  /**
   * Reads `entry` with the unread blobs near it in one request: those of the highest folder above it whose whole
   * subtree holds at most READ_AHEAD blobs (an app's base and overlays, typically), else those of its own folder.
   */
  private fetchFolderOf(entry: GitTreeEntry): void {
    let dir = dirname(entry.path);
    while (dir !== '' && this.blobCount(dirname(dir)) <= READ_AHEAD) dir = dirname(dir);
    const batch: GitTreeEntry[] = [entry];
    const wanted = (p: string): void => {
      const e = p === entry.path || this.content.has(p) ? undefined : this.entry(p);
      if (e && e.type === 'blob') batch.push(e);
    };
    // A subtree of at most READ_AHEAD blobs was read whole to count them.
    const whole = this.blobCount(dir) <= READ_AHEAD ? this.loadedBlobs(dir, READ_AHEAD) : undefined;
    if (whole !== undefined) {
      for (const p of whole) wanted(p);
      // Then the folders after it in its parent, whole, while they fit and are read already (a render of every app
      // reads the next apps' files next: one request per few apps, not per app).
      const parent = dirname(dir);
      const names = dir === '' ? [] : (this.dirs.get(parent) ?? []);
      const own = `${dir.slice(parent === '' ? 0 : parent.length + 1)}/`;
      for (let i = names.indexOf(own) + 1; i > 0 && i < names.length && batch.length < READ_AHEAD; i++) {
        if (!names[i]!.endsWith('/')) continue;
        const next = this.loadedBlobs(parent === '' ? names[i]!.slice(0, -1) : `${parent}/${names[i]!.slice(0, -1)}`, READ_AHEAD - batch.length);
        if (next === undefined) break;
        for (const p of next) wanted(p);
      }
    } else {
      for (const name of this.dirs.get(dir) ?? []) {
        if (batch.length >= READ_AHEAD) break;
        if (!name.endsWith('/')) wanted(dir === '' ? name : `${dir}/${name}`);
      }
    }
    if (entry.type !== 'blob') {
      this.content.set(entry.path, this.error(entry, `it is a ${entry.type === 'commit' ? 'submodule (commit ' + entry.sha + ')' : entry.type}, not a file`));
      batch.shift();
    }
    const replies = this.reader.read(batch.map((b) => b.sha));
    if (this.cachedBytes > CACHE_BYTES) {
      this.content.clear();
      this.cachedBytes = 0;
    }
    batch.forEach((b, i) => {
      const r = replies[i];
      if (r?.kind === 'object' && r.type === 'blob') {
        this.content.set(b.path, r.data);
        this.cachedBytes += r.data.byteLength;
      } else if (r?.kind === 'object') {
        this.content.set(b.path, this.error(b, `git holds a ${r.type} there, not a file`));
      } else if (r?.kind === 'missing') {
        this.content.set(b.path, this.error(b, `its blob ${b.sha} is missing from the repository (a partial or shallow clone whose remote cannot supply it, or a pruned object); run \`git fetch\` or re-clone without --filter/--depth`));
      } else {
        this.content.set(b.path, this.error(b, r?.message ?? 'git did not return it'));
      }
    });
  }

  /**
   * The file paths of the subtree of `dir` (links and submodules included: `wanted` filters), when every folder of it is
   * read already and it holds at most `limit` files; undefined otherwise. Reads nothing from git.
   */
  private loadedBlobs(dir: string, limit: number): string[] | undefined {
    const out: string[] = [];
    const visit = (d: string): boolean => {
      const names = this.dirs.get(d);
      if (names === undefined) return false;
      for (const name of names) {
        if (name.endsWith('/')) {
          if (!visit(d === '' ? name.slice(0, -1) : `${d}/${name.slice(0, -1)}`)) return false;
        } else if (out.push(d === '' ? name : `${d}/${name}`) > limit) return false;
      }
      return true;
    };
    return visit(dir) ? out : undefined;
  }

  /**
   * How many blobs the subtree of `dir` holds, counted only up to READ_AHEAD + 1 (memoised): the read-ahead only asks
   * whether a folder is small, and counting the whole repository (~100,000 files at 10,000 apps) to say no costs.
   * Reads the trees it counts (a broken one counts as large: its files are read one folder at a time).
   */
  private blobCount(dir: string): number {
    let n = this.counts.get(dir);
    if (n !== undefined) return n;
    n = 0;
    try {
      this.folder(dir);
      for (const name of this.dirs.get(dir) ?? []) {
        n += name.endsWith('/') ? this.blobCount(dir === '' ? name.slice(0, -1) : `${dir}/${name.slice(0, -1)}`) : 1;
        if (n > READ_AHEAD) break;
      }
    } catch {
      n = READ_AHEAD + 1;
    }
    n = Math.min(n, READ_AHEAD + 1);
    this.counts.set(dir, n);
    return n;
  }

  private error(entry: GitTreeEntry, why: string): FlotillaError {
    const rev = this.label === this.revision ? this.revision : `${this.label} (${this.revision.slice(0, 12)})`;
    return new FlotillaError({ severity: 'error', message: `cannot read ${entry.path} at revision ${rev}: ${why}`, file: entry.path });
  }
}
