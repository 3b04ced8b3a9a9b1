import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DirEntry, FileTree } from '../../shared/repo/file-tree';
import { normalizePath } from '../../shared/repo/paths';

/** A FileTree over a folder on disk (the working tree), skipping `.git`; reads are synchronous and uncached. */
export class FsFileTree implements FileTree {
  constructor(readonly root: string) {}

  private abs(p: string): string | undefined {
    const rel = normalizePath(p);
    if (rel === undefined || rel === '.git' || rel.startsWith('.git/')) return undefined;
    return path.join(this.root, rel);
  }

  read(p: string): string | undefined {
    const b = this.readBytes(p);
    return b === undefined ? undefined : Buffer.from(b).toString('utf8');
  }

  readBytes(p: string): Uint8Array | undefined {
    const abs = this.abs(p);
    try {
      return abs === undefined ? undefined : readFileSync(abs);
    } catch {
      return undefined;
    }
  }

  list(p: string): readonly DirEntry[] | undefined {
    const abs = this.abs(p);
    if (abs === undefined) return undefined;
    try {
      return readdirSync(abs, { withFileTypes: true })
        .filter((e) => !(e.name === '.git' && normalizePath(p) === ''))
        .map((e): DirEntry => ({ name: e.name, kind: e.isDirectory() || (e.isSymbolicLink() && isDir(path.join(abs, e.name))) ? 'dir' : 'file' }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return undefined;
    }
  }

  readLink(p: string): string | undefined {
    const abs = this.abs(p);
    try {
      return abs !== undefined && lstatSync(abs).isSymbolicLink() ? readlinkSync(abs) : undefined;
    } catch {
      return undefined;
    }
  }

  kind(p: string): 'file' | 'dir' | undefined {
    const abs = this.abs(p);
    try {
      if (abs === undefined) return undefined;
      const s = statSync(abs);
      return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Whether a path (followed if a link) is a folder; false for a dangling link. */
function isDir(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}
