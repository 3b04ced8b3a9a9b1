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
  /**
   * When this tree is another tree with a few paths changed (a Flux-generated kustomization): that tree and the paths
   * whose content or listing differ. Caches of the other tree's commit share with this one the entries that read none
   * of those paths.
   */
  readonly overlayOf?: TreeOverlay;
  /** The file's text (UTF-8), or undefined when there is no such file. */
  read(path: string): string | undefined;
  /** The file's bytes, or undefined when there is no such file. */
  readBytes(path: string): Uint8Array | undefined;
  /**
   * The file's text when `test` matches it, else undefined (also when there is no such file): for a reader that uses
   * only the files matching a pattern (the scan), so that what it took of the others is only that they did not match.
   * Optional: `readMatching` gives the same answer from `read` for trees that do not implement it.
   */
  readMatching?(path: string, test: RegExp): string | undefined;
  /** The entries of a folder in name order, or undefined when it is not a folder. */
  list(path: string): readonly DirEntry[] | undefined;
  /** Whether the path is a file, a folder, or absent. */
  kind(path: string): 'file' | 'dir' | undefined;
  /**
   * The target of the symbolic link at `path`, exactly as written in the link (e.g. `../base/a.yaml`), or undefined
   * when `path` is not a link. Optional: a tree without links need not implement it. Reads through a link follow it.
   */
  readLink?(path: string): string | undefined;
  /**
   * Where a path really is once symbolic links are resolved: its repo-relative path, or why it is refused (a link
   * leading out of the repository, or a loop); undefined when nothing is there (a dangling link). Reads never follow
   * a link out of the repository: such a path reads as absent, and this says why. Optional: `linkResolution` gives
   * the same answer from `readLink` for trees that do not implement it.
   */
  resolveLinks?(path: string): LinkResolution | undefined;
}

/** A tree's difference from the tree it wraps: the paths read differently through it (files, and folders it lists differently). */
export interface TreeOverlay {
  readonly tree: FileTree;
  readonly changed: readonly string[];
}

/** Where a path leads once symbolic links are resolved: inside the repository, or refused with the reason. */
export type LinkResolution = { readonly path: string } | { readonly refused: string };

/** Kustomize's load-restrictor wording for a file outside the allowed root. */
export function notInOrBelow(file: string, root: string): string {
  return `security; file '${file}' is not in or below '${root}'`;
}

/** A tree's answer to `resolveLinks`, or one derived from `readLink` (a tree without either has no links). */
export function linkResolution(tree: FileTree, path: string): LinkResolution | undefined {
  if (tree.resolveLinks) return tree.resolveLinks(path);
  const p = normalizePath(path);
  if (p === undefined) return undefined;
  if (!tree.readLink) return tree.kind(p) === undefined ? undefined : { path: p };
  const real = resolveInTree(p, (q) => tree.readLink?.(q));
  if (real === undefined) return { refused: `${notInOrBelow(p, '<repository root>')} (a symbolic link on the way leads out of the repository, or loops)` };
  return tree.kind(real) === undefined ? undefined : { path: real };
}

/** A FileTree held in memory: built from a path → content map (tests, git blobs, edited buffers). */
export class MemoryFileTree implements FileTree {
  private readonly files = new Map<string, Uint8Array | string>();
  private readonly dirs = new Map<string, Map<string, 'file' | 'dir'>>();
  private readonly links = new Map<string, string>();

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

  /** Adds a symbolic link at `path` whose target is `target` (as written: relative to the link's folder, or absolute). */
  setLink(path: string, target: string): void {
    this.set(path, '');
    const p = normalizePath(path)!;
    this.files.delete(p);
    this.links.set(p, target);
  }

  readLink(path: string): string | undefined {
    const p = normalizePath(path);
    return p === undefined ? undefined : this.links.get(p);
  }

  /** The real path of `path` with every link on the way followed inside the tree; undefined when one leaves it or loops. */
  private real(path: string): string | undefined {
    const p = normalizePath(path);
    if (p === undefined || this.links.size === 0) return p;
    return resolveInTree(p, (q) => this.links.get(q));
  }

  read(path: string): string | undefined {
    const p = this.real(path);
    const v = p === undefined ? undefined : this.files.get(p);
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v : new TextDecoder().decode(v);
  }

  readBytes(path: string): Uint8Array | undefined {
    const p = this.real(path);
    const v = p === undefined ? undefined : this.files.get(p);
    if (v === undefined) return undefined;
    return typeof v === 'string' ? new TextEncoder().encode(v) : v;
  }

  list(path: string): readonly DirEntry[] | undefined {
    const p = this.real(path);
    const d = p === undefined ? undefined : this.dirs.get(p);
    if (!d) return undefined;
    const kindOf = (name: string, kind: 'file' | 'dir'): 'file' | 'dir' => {
      const child = p === '' ? name : `${p}/${name}`;
      return this.links.has(child) ? (this.kind(child) ?? 'file') : kind;
    };
    return [...d.entries()].map(([name, kind]) => ({ name, kind: kindOf(name, kind) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  kind(path: string): 'file' | 'dir' | undefined {
    const p = this.real(path);
    if (p === undefined) return undefined;
    if (this.files.has(p)) return 'file';
    return this.dirs.has(p) ? 'dir' : undefined;
  }

  /** Every file path, sorted. */
  paths(): string[] {
    return [...this.files.keys()].sort();
  }
}

/**
 * Follows the links on a normalised repo-relative path, segment by segment (as the OS does), given a lookup of the
 * link at a path. Returns the real path, or undefined when a link leaves the tree (absolute or above the root) or
 * more than 40 links are followed (a loop).
 */
export function resolveInTree(path: string, linkAt: (path: string) => string | undefined): string | undefined {
  let pending = path === '' ? [] : path.split('/');
  const done: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const seg = pending[0]!;
    pending = pending.slice(1);
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (done.length === 0) return undefined;
      done.pop();
      continue;
    }
    const here = [...done, seg].join('/');
    const target = linkAt(here);
    if (target === undefined) {
      done.push(seg);
      continue;
    }
    if (++hops > 40 || target.startsWith('/')) return undefined;
    pending = [...target.split('/'), ...pending];
  }
  return done.join('/');
}

/** The file's text when `test` matches it (see FileTree.readMatching), from the tree's own method or from `read`. */
export function readMatching(tree: FileTree, path: string, test: RegExp): string | undefined {
  if (tree.readMatching) return tree.readMatching(path, test);
  const text = tree.read(path);
  return text !== undefined && matches(test, text) ? text : undefined;
}

/** Whether a pattern matches a text, from its start whatever its lastIndex (a global pattern keeps one). */
export function matches(test: RegExp, text: string): boolean {
  test.lastIndex = 0;
  return test.test(text);
}

/** Every file under `root` (recursively), sorted, as repo-relative paths. */
export function walkFiles(tree: FileTree, root = ''): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const e of tree.list(dir) ?? []) {
      const p = dir === '' ? e.name : `${dir}/${e.name}`;
      if (e.kind === 'dir') {
        // A link to a folder is not descended into (as git and filepath.Walk list it): no loops, no duplicates.
        if (tree.readLink?.(p) === undefined) visit(p);
      } else out.push(p);
    }
  };
  visit(normalizePath(root) ?? '');
  return out.sort();
}
