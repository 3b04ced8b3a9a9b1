import type { DirEntry, FileTree } from '../repo/file-tree';
import { normalizePath } from '../repo/paths';

/** A FileTree that shows a base tree with some files replaced: a revision as it will be after a promotion's edits. */
export class OverlayFileTree implements FileTree {
  private readonly edits = new Map<string, string>();

  constructor(
    private readonly base: FileTree,
    edits: Iterable<readonly [string, string]>,
  ) {
    for (const [p, text] of edits) {
      const n = normalizePath(p);
      if (n === undefined || n === '' || base.kind(n) !== 'file') throw new Error(`an overlay edit must replace an existing file: ${p}`);
      this.edits.set(n, text);
    }
  }

  /** The edited revision is not a commit yet. */
  get revision(): string | undefined {
    return undefined;
  }

  read(path: string): string | undefined {
    const n = normalizePath(path);
    return (n !== undefined ? this.edits.get(n) : undefined) ?? this.base.read(path);
  }

  readBytes(path: string): Uint8Array | undefined {
    const n = normalizePath(path);
    const edited = n !== undefined ? this.edits.get(n) : undefined;
    return edited !== undefined ? new TextEncoder().encode(edited) : this.base.readBytes(path);
  }

  list(path: string): readonly DirEntry[] | undefined {
    return this.base.list(path);
  }

  kind(path: string): 'file' | 'dir' | undefined {
    return this.base.kind(path);
  }
}
