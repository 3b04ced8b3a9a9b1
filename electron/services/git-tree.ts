import { FlotillaError } from '../../shared/problem';
import type { DirEntry, FileTree } from '../../shared/repo/file-tree';
import { resolveInTree } from '../../shared/repo/file-tree';
import { basename, dirname, normalizePath } from '../../shared/repo/paths';
import type { GitObjectReader } from './git-object-reader';

/** One file of a commit's tree listing (`git ls-tree -r`): its object and type (blob, or commit for a submodule). */
export interface GitTreeEntry {
  readonly path: string;
  readonly sha: string;
  readonly type: string;
  /** A symbolic link (mode 120000): its blob holds the link's target. */
  readonly link?: boolean;
}

/** Blobs read ahead with the one asked for, at most (see fetchFolderOf): one round trip per app, not per file. */
const READ_AHEAD = 64;
/** Bytes of blob content kept in memory; past it the cache starts again (memory stays flat on large repositories). */
const CACHE_BYTES = 8 * 1024 * 1024;
/** Folders with more entries than this keep their sorted listing (sorting 10,000 app folders again costs). */
const SORTED_CACHE_MIN = 64;

const utf8 = new TextDecoder();

/**
 * The files of one commit, read from git objects: the listing comes from one `git ls-tree -r`, the blobs on first
 * read through a GitObjectReader, a folder at a time. A blob that is missing (a partial, shallow or damaged
 * clone), an object that is not a blob, or an unexpected reply from git is an error naming the path and the revision,
 * never content: reading the wrong bytes for a file would render another file's objects.
 */
export class GitTree implements FileTree {
  // Compact on purpose (a 10,000-app fleet lists ~90,000 files): path → object id, and each folder's child names,
  // a folder's name ending in '/'.
  private readonly files = new Map<string, string>();
  private readonly submodules = new Set<string>();
  private readonly links = new Set<string>();
  private readonly dirs = new Map<string, string[]>();
  private readonly sorted = new Map<string, readonly DirEntry[]>();
  private readonly counts = new Map<string, number>();
  private readonly content = new Map<string, Uint8Array | FlotillaError>();
  private cachedBytes = 0;
  private lastParent: string | undefined;
  private lastFolder: string[] | undefined;

  constructor(
    entries: Iterable<GitTreeEntry>,
    /** The commit. */
    readonly revision: string,
    /** The revision as the user named it (branch, tag, HEAD), for error messages. */
    private readonly label: string,
    private readonly reader: GitObjectReader,
  ) {
    this.dirs.set('', []);
    for (const e of entries) this.add(e);
  }

  /**
   * The tree of a `git ls-tree -r -z --full-tree` listing (`<mode> <type> <sha>\t<path>\0` per file), parsed in place
   * without an object per file (a 10,000-app fleet lists ~110,000 files).
   */
  static fromListing(listing: string, revision: string, label: string, reader: GitObjectReader): GitTree {
    const tree = new GitTree([], revision, label, reader);
    let pos = 0;
    while (pos < listing.length) {
      const end = listing.indexOf('\0', pos);
      const stop = end < 0 ? listing.length : end;
      const sp1 = listing.indexOf(' ', pos);
      const sp2 = listing.indexOf(' ', sp1 + 1);
      const tab = listing.indexOf('\t', sp2 + 1);
      if (sp1 > 0 && sp2 > sp1 && tab > sp2 && tab < stop) {
        // Only blobs (files, links) and commits (submodules) are files of the tree.
        const blob = sp2 - sp1 === 5 && listing.startsWith('blob', sp1 + 1);
        if (blob || (sp2 - sp1 === 7 && listing.startsWith('commit', sp1 + 1))) {
          // Mode 120000 is a symbolic link: the tree keeps it as a link, followed only inside the repository.
          const link = sp1 - pos === 6 && listing.startsWith('120000', pos);
          tree.addFile(listing.slice(tab + 1, stop), listing.slice(sp2 + 1, tab), blob ? 'blob' : 'commit', link);
        }
      }
      pos = stop + 1;
    }
    return tree;
  }

  read(path: string): string | undefined {
    const bytes = this.readBytes(path);
    return bytes === undefined ? undefined : utf8.decode(bytes);
  }

  readBytes(path: string): Uint8Array | undefined {
    const p = this.real(path);
    const entry = p === undefined ? undefined : this.entry(p);
    if (entry === undefined || entry.link) return undefined;
    return this.blob(entry);
  }

  readLink(path: string): string | undefined {
    const p = this.normalize(path);
    const entry = p === undefined ? undefined : this.entry(p);
    return entry?.link ? utf8.decode(this.blob(entry)) : undefined;
  }

  /** The path with every symbolic link on the way followed inside the tree (undefined when one leaves it). */
  private real(path: string): string | undefined {
    const p = this.normalize(path);
    if (p === undefined || this.links.size === 0) return p;
    return resolveInTree(p, (q) => (this.links.has(q) ? this.readLink(q) : undefined));
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
    const p = this.real(path);
    const d = p === undefined ? undefined : this.dirs.get(p);
    if (p === undefined || !d) return undefined;
    let entries = this.sorted.get(p);
    if (!entries) {
      // A link is listed as what it points to (a folder or a file; a dangling one as a file).
      const kindOf = (name: string, kind: 'file' | 'dir'): 'file' | 'dir' => {
        if (this.links.size === 0) return kind; // most trees have no links: no path to build and hash per file
        const child = p === '' ? name : `${p}/${name}`;
        return this.links.has(child) ? (this.kind(child) ?? 'file') : kind;
      };
      entries = d.map((n): DirEntry => (n.endsWith('/') ? { name: n.slice(0, -1), kind: 'dir' } : { name: n, kind: kindOf(n, 'file') })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      // Only large folders are worth keeping sorted: caching every small one would grow with the fleet.
      if (entries.length > SORTED_CACHE_MIN) this.sorted.set(p, entries);
    }
    return entries;
  }

  kind(path: string): 'file' | 'dir' | undefined {
    const p = this.real(path);
    if (p === undefined) return undefined;
    if (this.files.has(p)) return this.links.has(p) ? undefined : 'file';
    return this.dirs.has(p) ? 'dir' : undefined;
  }

  /** Every file path, sorted. */
  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  private add(e: GitTreeEntry): void {
    this.addFile(e.path, e.sha, e.type, e.link === true);
  }

  private addFile(path: string, sha: string, type: string, link: boolean): void {
    if (this.files.has(path)) return;
    this.files.set(path, sha);
    if (type !== 'blob') this.submodules.add(path);
    if (link) this.links.add(path);
    const slash = path.lastIndexOf('/');
    const parent = slash < 0 ? '' : path.slice(0, slash);
    // A listing comes folder by folder: most files go where the previous one went.
    if (parent === this.lastParent && this.lastFolder) {
      this.lastFolder.push(slash < 0 ? path : path.slice(slash + 1));
      return;
    }
    let child = path;
    let name = basename(child);
    while (child !== '') {
      const up = dirname(child);
      const d = this.dirs.get(up);
      if (d) {
        // The parent is known, so are its own parents.
        d.push(name);
        break;
      }
      this.dirs.set(up, [name]);
      name = `${basename(up)}/`;
      child = up;
    }
    this.lastParent = parent;
    this.lastFolder = this.dirs.get(parent);
  }

  /** The listing entry of a file. */
  private entry(path: string): GitTreeEntry | undefined {
    const sha = this.files.get(path);
    return sha === undefined ? undefined : { path, sha, type: this.submodules.has(path) ? 'commit' : 'blob', ...(this.links.has(path) ? { link: true } : {}) };
  }

  /** Paths the engine passes are nearly always normal already: look them up before normalising. */
  private normalize(path: string): string | undefined {
    return this.files.has(path) || this.dirs.has(path) ? path : normalizePath(path);
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
    if (this.blobCount(dir) <= READ_AHEAD) {
      const visit = (d: string): void => {
        for (const name of this.dirs.get(d) ?? []) {
          if (name.endsWith('/')) visit(d === '' ? name.slice(0, -1) : `${d}/${name.slice(0, -1)}`);
          else wanted(d === '' ? name : `${d}/${name}`);
        }
      };
      visit(dir);
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
   * How many blobs the subtree of `dir` holds, counted only up to READ_AHEAD + 1 (memoised): the read-ahead only asks
   * whether a folder is small, and counting the whole repository (~100,000 files at 10,000 apps) to say no costs.
   */
  private blobCount(dir: string): number {
    let n = this.counts.get(dir);
    if (n !== undefined) return n;
    n = 0;
    for (const name of this.dirs.get(dir) ?? []) {
      n += name.endsWith('/') ? this.blobCount(dir === '' ? name.slice(0, -1) : `${dir}/${name.slice(0, -1)}`) : 1;
      if (n > READ_AHEAD) break;
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
