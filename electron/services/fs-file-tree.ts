import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DirEntry, FileTree, LinkResolution } from '../../shared/repo/file-tree';
import { notInOrBelow } from '../../shared/repo/file-tree';
import { normalizePath } from '../../shared/repo/paths';

/**
 * A FileTree over a folder on disk (the working tree), skipping `.git`; reads are synchronous and uncached.
 * Symbolic links are followed only inside the repository, as kustomize's load restrictor and Argo CD's repo server
 * do: a path whose real location is outside the repository (or in `.git`) reads as absent, and `resolveLinks` says
 * why (`security; file '…' is not in or below '…'`); a dangling link reads as absent (listed as a file, as git lists it).
 */
export class FsFileTree implements FileTree {
  private realRoot: string | undefined;

  constructor(readonly root: string) {}

  private abs(p: string): string | undefined {
    const rel = normalizePath(p);
    if (rel === undefined || rel === '.git' || rel.startsWith('.git/')) return undefined;
    return path.join(this.root, rel);
  }

  resolveLinks(p: string): LinkResolution | undefined {
    const abs = this.abs(p);
    if (abs === undefined) return undefined;
    let real: string;
    try {
      real = realpathSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return { refused: `symbolic link loop at '${normalizePath(p) ?? p}'` };
      return undefined;
    }
    this.realRoot ??= realpathSync(this.root);
    const rel = path.relative(this.realRoot, real);
    if (rel === '') return { path: '' };
    const posix = rel.split(path.sep).join('/');
    if (posix === '..' || posix.startsWith('../') || path.isAbsolute(rel) || posix === '.git' || posix.startsWith('.git/')) {
      return { refused: notInOrBelow(real, this.realRoot) };
    }
    return { path: posix };
  }

  /** The absolute path to read for a repo-relative path, or undefined when it is absent or leads out of the repository. */
  private confined(p: string): string | undefined {
    const abs = this.abs(p);
    if (abs === undefined) return undefined;
    const r = this.resolveLinks(p);
    return r && 'path' in r ? abs : undefined;
  }

  read(p: string): string | undefined {
    const b = this.readBytes(p);
    return b === undefined ? undefined : Buffer.from(b).toString('utf8');
  }

  readBytes(p: string): Uint8Array | undefined {
    const abs = this.confined(p);
    try {
      return abs === undefined ? undefined : readFileSync(abs);
    } catch {
      return undefined;
    }
  }

  list(p: string): readonly DirEntry[] | undefined {
    const abs = this.confined(p);
    if (abs === undefined) return undefined;
    const rel = normalizePath(p) ?? '';
    try {
      const out: DirEntry[] = [];
      for (const e of readdirSync(abs, { withFileTypes: true })) {
        if (e.name === '.git' && rel === '') continue;
        if (e.isSymbolicLink()) {
          // A link is listed as what it leads to; a dangling one, or one out of the repository, as a file (reading it says why not).
          let isDir = false;
          try {
            isDir = statSync(path.join(abs, e.name)).isDirectory();
          } catch {
            // a loop: listed as a file, refused when read
          }
          out.push({ name: e.name, kind: isDir ? 'dir' : 'file' });
        } else out.push({ name: e.name, kind: e.isDirectory() ? 'dir' : 'file' });
      }
      return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
    const abs = this.confined(p);
    try {
      if (abs === undefined) return undefined;
      const s = statSync(abs);
      return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  }
}

