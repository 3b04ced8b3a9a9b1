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
const CACHE_BYTES = 64 * 1024 * 1024;

const utf8 = new TextDecoder();

/**
 * The files of one commit, read from git objects: the listing comes from one `git ls-tree -r`, the blobs on first
 * read through a GitObjectReader, a folder at a time. A blob that is missing (a partial, shallow or damaged
 * clone), an object that is not a blob, or an unexpected reply from git is an error naming the path and the revision,
 * never content: reading the wrong bytes for a file would render another file's objects.
 */
export class GitTree implements FileTree {
  private readonly files = new Map<string, GitTreeEntry>();
  private readonly dirs = new Map<string, Map<string, 'file' | 'dir'>>();
  private readonly sorted = new Map<string, readonly DirEntry[]>();
  private readonly counts = new Map<string, number>();
  private readonly content = new Map<string, Uint8Array | FlotillaError>();
  private readonly links = new Set<string>();
  private cachedBytes = 0;

  constructor(
    entries: Iterable<GitTreeEntry>,
    /** The commit. */
    readonly revision: string,
    /** The revision as the user named it (branch, tag, HEAD), for error messages. */
    private readonly label: string,
    private readonly reader: GitObjectReader,
  ) {
    this.dirs.set('', new Map());
    for (const e of entries) this.add(e);
  }

  read(path: string): string | undefined {
    const bytes = this.readBytes(path);
    return bytes === undefined ? undefined : utf8.decode(bytes);
  }

  readBytes(path: string): Uint8Array | undefined {
    const p = this.real(path);
    const entry = p === undefined ? undefined : this.files.get(p);
    if (entry === undefined || entry.link) return undefined;
    return this.blob(entry);
  }

  readLink(path: string): string | undefined {
    const p = this.normalize(path);
    const entry = p === undefined ? undefined : this.files.get(p);
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
        const child = p === '' ? name : `${p}/${name}`;
        return this.links.has(child) ? (this.kind(child) ?? 'file') : kind;
      };
      entries = [...d.entries()].map(([name, kind]) => ({ name, kind: kindOf(name, kind) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      this.sorted.set(p, entries);
    }
    return entries;
  }

  kind(path: string): 'file' | 'dir' | undefined {
    const p = this.real(path);
    if (p === undefined) return undefined;
    if (this.files.has(p)) return this.files.get(p)!.link ? undefined : 'file';
    return this.dirs.has(p) ? 'dir' : undefined;
  }

  /** Every file path, sorted. */
  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  private add(e: GitTreeEntry): void {
    this.files.set(e.path, e);
    if (e.link) this.links.add(e.path);
    let child = e.path;
    let kind: 'file' | 'dir' = 'file';
    while (child !== '') {
      const parent = dirname(child);
      const d = this.dirs.get(parent);
      if (d) {
        // The parent is known, so are its own parents.
        d.set(basename(child), kind);
        return;
      }
      this.dirs.set(parent, new Map([[basename(child), kind]]));
      kind = 'dir';
      child = parent;
    }
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
      const e = this.files.get(p);
      if (e && e !== entry && e.type === 'blob' && !this.content.has(p)) batch.push(e);
    };
    if (this.blobCount(dir) <= READ_AHEAD) {
      const visit = (d: string): void => {
        for (const [name, kind] of this.dirs.get(d) ?? []) {
          const p = d === '' ? name : `${d}/${name}`;
          if (kind === 'dir') visit(p);
          else wanted(p);
        }
      };
      visit(dir);
    } else {
      for (const [name, kind] of this.dirs.get(dir) ?? []) {
        if (batch.length >= READ_AHEAD) break;
        if (kind === 'file') wanted(dir === '' ? name : `${dir}/${name}`);
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

  /** How many blobs the subtree of `dir` holds (memoised). */
  private blobCount(dir: string): number {
    let n = this.counts.get(dir);
    if (n !== undefined) return n;
    n = 0;
    for (const [name, kind] of this.dirs.get(dir) ?? []) {
      const p = dir === '' ? name : `${dir}/${name}`;
      n += kind === 'dir' ? this.blobCount(p) : 1;
    }
    this.counts.set(dir, n);
    return n;
  }

  private error(entry: GitTreeEntry, why: string): FlotillaError {
    const rev = this.label === this.revision ? this.revision : `${this.label} (${this.revision.slice(0, 12)})`;
    return new FlotillaError({ severity: 'error', message: `cannot read ${entry.path} at revision ${rev}: ${why}`, file: entry.path });
  }
}
