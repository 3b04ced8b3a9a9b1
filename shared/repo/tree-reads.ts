// What a computation read of one commit's tree, recorded as it reads, and whether a change between two commits touches
// it. Discovery (every Application generated at HEAD) is a function of the paths it read: when no path it read, looked
// for or listed changed between two commits, it finds the same apps at both, and what was built from it at the first
// serves the second. A typical commit of a GitOps repository (a new image tag in one overlay) changes nothing
// discovery reads. When in doubt the answer is "touched": a stale app list would be a trust bug, a discovery run again
// only slower.

import type { DirEntry, FileTree, LinkResolution } from './file-tree';
import { matches, resolveInTree } from './file-tree';
import { dirname, normalizePath } from './paths';

/** What was read of one tree, as sorted repo-relative paths ('' is the root). */
export interface TreeReads {
  /** Files whose content was read or looked for (absent ones included). */
  readonly files: readonly string[];
  /** Paths whose kind (file, folder or absent) was asked. */
  readonly probes: readonly string[];
  /** Folders listed (or asked to be, when absent), except those inside a walked subtree. */
  readonly lists: readonly string[];
  /** Folders listed with every folder under them (a walk): whatever is added or removed under one counts. */
  readonly walks: readonly string[];
  /** Whether every folder of the tree was asked for at once (a GitReader's directoriesAt): any path added or removed counts. */
  readonly everyFolder: boolean;
  /**
   * Files read only to be found not to match a pattern (FileTree.readMatching), by pattern: a change to one counts
   * only when its new text matches (or cannot be read). Files also read whole are in `files` alone.
   */
  readonly unmatched: readonly UnmatchedReads[];
}

/** Files a pattern was found not to match. */
export interface UnmatchedReads {
  /** The pattern's source and flags. */
  readonly pattern: string;
  readonly flags: string;
  readonly paths: readonly string[];
}

/** One path that differs between two commits' trees, as `git diff-tree -r -t --raw` says it. */
export interface TreeChange {
  /** A (added), D (deleted), M (modified), T (type changed), or another letter git uses. */
  readonly status: string;
  readonly path: string;
  /** The entry's mode before and after (000000 where absent; 040000 a folder, 120000 a link, 160000 a submodule). */
  readonly modes: readonly [string, string];
  /** The entry's object ids before and after (all zeros where absent), when git said them. */
  readonly objects?: readonly [string, string];
}

const FOLDER = '040000';
const LINK = '120000';
const SUBMODULE = '160000';

/**
 * Records what is read through the trees it wraps (one commit's tree, reached from several readers): every file read,
 * folder listed, kind asked and link resolved, with the real path of each that a link leads elsewhere.
 */
export class TreeReadRecorder {
  private readonly files = new Set<string>();
  private readonly probes = new Set<string>();
  /** Folders listed, each with the names of its sub-folders (not links) as listed. */
  private readonly lists = new Map<string, readonly string[]>();
  /** Files found not to match a pattern, by the pattern's flags and source. */
  private readonly unmatched = new Map<string, { readonly pattern: string; readonly flags: string; readonly paths: Set<string> }>();
  private everyFolder = false;
  private readonly wrapped = new Map<FileTree, FileTree>();

  /** The tree that reads through `tree` and records it (the same wrapper for the same tree: caches by tree object still share). */
  wrap(tree: FileTree): FileTree {
    let w = this.wrapped.get(tree);
    if (!w) {
      w = this.recording(tree);
      this.wrapped.set(tree, w);
    }
    return w;
  }

  /** Notes that every folder of the tree was asked for (a GitReader's directoriesAt). */
  readEveryFolder(): void {
    this.everyFolder = true;
  }

  /** What was read so far, compacted: folders whose every sub-folder was listed too become one walk. */
  reads(): TreeReads {
    const walked = new Map<string, boolean>();
    const isWalked = (dir: string): boolean => {
      let w = walked.get(dir);
      if (w === undefined) {
        const subs = this.lists.get(dir);
        w = subs !== undefined && subs.every((s) => isWalked(dir === '' ? s : `${dir}/${s}`));
        walked.set(dir, w);
      }
      return w;
    };
    /** Whether a folder above `path` is walked (whatever is added or removed there counts already). */
    const inWalk = (path: string): boolean => {
      for (let up = path; up !== ''; ) {
        up = dirname(up);
        if (this.lists.has(up) && isWalked(up)) return true;
      }
      return false;
    };
    const walks: string[] = [];
    const lists: string[] = [];
    for (const dir of this.lists.keys()) if (!inWalk(dir)) (isWalked(dir) ? walks : lists).push(dir);
    const probes = [...this.probes].filter((p) => !inWalk(p) && !(this.lists.has(p) && isWalked(p)));
    const unmatched = [...this.unmatched.values()]
      .map((u) => ({ pattern: u.pattern, flags: u.flags, paths: [...u.paths].filter((p) => !this.files.has(p)).sort() }))
      .filter((u) => u.paths.length > 0)
      .sort((a, b) => (a.flags + a.pattern).localeCompare(b.flags + b.pattern));
    return { files: [...this.files].sort(), probes: probes.sort(), lists: lists.sort(), walks: walks.sort(), everyFolder: this.everyFolder, unmatched };
  }

  private unmatchedOf(test: RegExp): Set<string> {
    const id = `${test.flags}/${test.source}`;
    let u = this.unmatched.get(id);
    if (!u) {
      u = { pattern: test.source, flags: test.flags, paths: new Set() };
      this.unmatched.set(id, u);
    }
    return u.paths;
  }

  private recording(tree: FileTree): FileTree {
    const note = (into: Set<string>, path: string): void => {
      const p = normalizePath(path);
      // A path leaving the root reads as absent whatever the tree holds.
      if (p === undefined || into.has(p)) return;
      into.add(p);
      const real = realPath(tree, p);
      if (real !== undefined && real !== p) into.add(real);
    };
    const listed = (path: string, entries: readonly DirEntry[] | undefined): void => {
      const p = normalizePath(path);
      if (p === undefined || this.lists.has(p)) return;
      const subs: string[] = [];
      for (const e of entries ?? []) {
        const child = p === '' ? e.name : `${p}/${e.name}`;
        // A link is listed as what it leads to: that path's kind counts (and the link is not walked into).
        if (tree.readLink?.(child) !== undefined) note(this.probes, child);
        else if (e.kind === 'dir') subs.push(e.name);
      }
      this.lists.set(p, subs);
      const real = realPath(tree, p);
      if (real !== undefined && real !== p && !this.lists.has(real)) this.lists.set(real, []);
      note(this.probes, p);
    };
    const w: FileTree = {
      ...(tree.revision !== undefined ? { revision: tree.revision } : {}),
      ...(tree.overlayOf ? { overlayOf: tree.overlayOf } : {}),
      read: (path: string): string | undefined => {
        note(this.files, path);
        return tree.read(path);
      },
      readBytes: (path: string): Uint8Array | undefined => {
        note(this.files, path);
        return tree.readBytes(path);
      },
      readMatching: (path: string, test: RegExp): string | undefined => {
        const text = tree.read(path);
        // A file that matches, or is absent, is read as any other; one that does not is noted with the pattern.
        if (text === undefined || matches(test, text)) {
          note(this.files, path);
          return text;
        }
        const p = normalizePath(path);
        const real = p === undefined ? undefined : realPath(tree, p);
        // Read through a link: the link's own change counts anyway; the path it leads to is noted as read whole.
        if (p === undefined || real !== p) note(this.files, path);
        else this.unmatchedOf(test).add(p);
        return undefined;
      },
      list: (path: string): readonly DirEntry[] | undefined => {
        const entries = tree.list(path);
        listed(path, entries);
        return entries;
      },
      kind: (path: string): 'file' | 'dir' | undefined => {
        note(this.probes, path);
        return tree.kind(path);
      },
    };
    if (tree.readLink) {
      const readLink = tree.readLink.bind(tree);
      // Whether a path is a link, and where it leads, changes only with a link's own change (always counted).
      w.readLink = (path: string): string | undefined => {
        note(this.probes, path);
        return readLink(path);
      };
    }
    if (tree.resolveLinks) {
      const resolveLinks = tree.resolveLinks.bind(tree);
      w.resolveLinks = (path: string): LinkResolution | undefined => {
        note(this.probes, path);
        return resolveLinks(path);
      };
    }
    return w;
  }
}

/** Where a normalised path really is once links on the way are followed (itself in a tree without links); undefined when a link leads out or loops. */
function realPath(tree: FileTree, p: string): string | undefined {
  if (!tree.readLink) return p;
  return resolveInTree(p, (q) => tree.readLink!(q));
}

/**
 * The first change that touches what was read, or undefined when none does: a file read that was modified; a file
 * found not to match a pattern that was modified and whose new text matches it, or cannot be read (`textAfter`: the
 * changed file's new text, by its new object id); a path added, removed or changed in type that was read, looked for
 * or listed, or that sits in a listed folder or under a walked one; any path added or removed once every folder was
 * asked for; and any link or submodule changed (conservatively: a link can lead a read anywhere).
 */
export function changeTouching(reads: TreeReads, changes: readonly TreeChange[], textAfter?: (change: TreeChange) => string | undefined): TreeChange | undefined {
  const unmatched = new Map<string, RegExp[]>();
  for (const u of reads.unmatched) {
    const test = new RegExp(u.pattern, u.flags);
    for (const p of u.paths) unmatched.set(p, [...(unmatched.get(p) ?? []), test]);
  }
  /** Whether a modified file found not to match may match now. */
  const mayMatchNow = (c: TreeChange, tests: readonly RegExp[]): boolean => {
    const text = textAfter?.(c);
    return text === undefined || tests.some((t) => matches(t, text));
  };
  const whole = new Set(reads.files);
  const files = new Set([...reads.files, ...unmatched.keys()]);
  const probes = new Set(reads.probes);
  const lists = new Set(reads.lists);
  const walks = new Set(reads.walks);
  const underWalk = (p: string): boolean => {
    for (let up = p; ; up = dirname(up)) {
      if (walks.has(up)) return true;
      if (up === '') return false;
    }
  };
  return changes.find((c) => {
    const [before, after] = c.modes;
    if (before === LINK || after === LINK || before === SUBMODULE || after === SUBMODULE) return true;
    if (c.status === 'M') {
      // A folder whose content changed: the entries under it say what.
      if (before === FOLDER && after === FOLDER) return false;
      if (before === FOLDER || after === FOLDER) return true;
      const tests = unmatched.get(c.path);
      return tests && !whole.has(c.path) ? mayMatchNow(c, tests) : files.has(c.path);
    }
    if (c.status !== 'A' && c.status !== 'D') return true;
    return reads.everyFolder || files.has(c.path) || probes.has(c.path) || lists.has(c.path) || lists.has(dirname(c.path)) || underWalk(c.path);
  });
}

/** Whether a value has the shape of TreeReads (a cache file is read back: anything else is not used). */
export function isTreeReads(v: unknown): v is TreeReads {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  const paths = (x: unknown): boolean => Array.isArray(x) && x.every((p) => typeof p === 'string');
  const unmatched = (x: unknown): boolean =>
    Array.isArray(x) &&
    x.every((u) => {
      if (typeof u !== 'object' || u === null) return false;
      const { pattern, flags, paths: ps } = u as Record<string, unknown>;
      if (typeof pattern !== 'string' || typeof flags !== 'string' || !paths(ps)) return false;
      try {
        new RegExp(pattern, flags);
        return true;
      } catch {
        return false;
      }
    });
  return paths(r['files']) && paths(r['probes']) && paths(r['lists']) && paths(r['walks']) && typeof r['everyFolder'] === 'boolean' && unmatched(r['unmatched']);
}
