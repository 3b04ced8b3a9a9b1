import { basename, dirname, normalizePath } from './paths';

/** One entry of a folder listing. */
export interface DirEntry {
  readonly name: string;
  readonly kind: 'file' | 'dir';
}

/**
 * A read-only, synchronous view of a repository's files at one revision: the working tree or the git objects
 * at a commit. Paths are repo-relative POSIX paths ('' is the root). Generators and the renderer read only
 * through this, so they run the same in the main process, the CLI, the renderer and tests.
 */
export interface FileTree {
  /** The commit this tree shows, when it comes from git objects. */
  readonly revision?: string;
  /** The file's text (UTF-8), or undefined when there is no such file. */
  read(path: string): string | undefined;
  /** The file's bytes, or undefined when there is no such file. */
  readBytes(path: string): Uint8Array | undefined;
  /** The entries of a folder in name order, or undefined when it is not a folder. */
  list(path: string): readonly DirEntry[] | undefined;
  /** Whether the path is a file, a folder, or absent. */
  kind(path: string): 'file' | 'dir' | undefined;
  /**
   * Where a path really is once symbolic links are resolved: its repo-relative path, or why it is refused (a link
   * whose target is outside the repository, or a link loop); undefined when nothing is there (a dangling link).
   * Reads never follow a link out of the repository: such a path reads as absent, and this says why.
   * Trees without links (in memory) may omit it.
   */
  resolveLinks?(path: string): LinkResolution | undefined;
}

/** Where a path leads once symbolic links are resolved: inside the repository, or refused with the reason. */
export type LinkResolution = { readonly path: string } | { readonly refused: string };

/** Kustomize's load-restrictor wording for a file outside the allowed root. */
export function notInOrBelow(file: string, root: string): string {
  return `security; file '${file}' is not in or below '${root}'`;
}

/** A FileTree held in memory: built from a path → content map (tests, git blobs, edited buffers). */
export class MemoryFileTree implements FileTree {
  private readonly files = new Map<string, Uint8Array | string>();
  private readonly dirs = new Map<string, Map<string, 'file' | 'dir'>>();

  constructor(files: Readonly<Record<string, string | Uint8Array>> | Iterable<readonly [string, string | Uint8Array]> = {}, readonly revision?: string) {
    this.dirs.set('', new Map());
    const entries = Symbol.iterator in files ? (files as Iterable<readonly [string, string | Uint8Array]>) : Object.entries(files);
    for (const [p, content] of entries) this.set(p, content);
  }

  /** Adds or replaces a file (and creates its folders). */
  set(path: string, content: string | Uint8Array): void {
    const p = normalizePath(path);
    if (p === undefined || p === '') throw new Error(`invalid file path: ${path}`);
    this.files.set(p, content);
    let child = p;
    let kind: 'file' | 'dir' = 'file';
    while (child !== '') {
      const parent = dirname(child);
      let d = this.dirs.get(parent);
      if (!d) {
        d = new Map();
        this.dirs.set(parent, d);
      }
      d.set(basename(child), kind);
      kind = 'dir';
      child = parent;
    }
  }

  read(path: string): string | undefined {
    const p = normalizePath(path);
    const v = p === undefined ? undefined : this.files.get(p);
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v : new TextDecoder().decode(v);
  }

  readBytes(path: string): Uint8Array | undefined {
    const p = normalizePath(path);
    const v = p === undefined ? undefined : this.files.get(p);
    if (v === undefined) return undefined;
    return typeof v === 'string' ? new TextEncoder().encode(v) : v;
  }

  list(path: string): readonly DirEntry[] | undefined {
    const p = normalizePath(path);
    const d = p === undefined ? undefined : this.dirs.get(p);
    if (!d) return undefined;
    return [...d.entries()].map(([name, kind]) => ({ name, kind })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  kind(path: string): 'file' | 'dir' | undefined {
    const p = normalizePath(path);
    if (p === undefined) return undefined;
    if (this.files.has(p)) return 'file';
    return this.dirs.has(p) ? 'dir' : undefined;
  }

  /** Every file path, sorted. */
  paths(): string[] {
    return [...this.files.keys()].sort();
  }
}

/** Every file under `root` (recursively), sorted, as repo-relative paths. */
export function walkFiles(tree: FileTree, root = ''): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (dir: string): void => {
    // A folder reached twice through links (a link to an ancestor) is walked once.
    const real = tree.resolveLinks?.(dir);
    const key = real && 'path' in real ? real.path : dir;
    if (seen.has(key)) return;
    seen.add(key);
    for (const e of tree.list(dir) ?? []) {
      const p = dir === '' ? e.name : `${dir}/${e.name}`;
      if (e.kind === 'dir') visit(p);
      else out.push(p);
    }
  };
  visit(normalizePath(root) ?? '');
  return out.sort();
}
