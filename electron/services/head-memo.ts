// HEAD's commit, remembered with the files git keeps it in, so that a long-lived process (the server, the desktop
// app) asks `git rev-parse HEAD` again only once one of them changed. Every page load and every `fleet:updated`
// re-read checks HEAD; a git process costs 10-45 ms of a loaded machine and holds the event loop while it runs, the
// check below tens of microseconds.
//
// With git's files backend, HEAD is `$GIT_DIR/HEAD` (a commit id, or `ref: refs/heads/<branch>`) and the branch is a
// loose file under the common dir or a line of `packed-refs`. Git replaces each of these whole (a lock file renamed
// over it), so any update gives the file a new inode and new times: the stamp below (HEAD's text, and inode, size,
// mtime and ctime in nanoseconds of the loose ref and of packed-refs, or their absence) changes with every update.
// Anything else — a reftable store, a symbolic ref to a symbolic ref, a HEAD that cannot be read — is not remembered:
// git is asked every time, as without the memo.

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Where a repository keeps HEAD and its refs: its git dir (per worktree) and its common dir. */
export interface GitDirs {
  readonly gitDir: string;
  readonly commonDir: string;
}

/** HEAD's commit as last resolved, valid while the files it was read from are unchanged. */
export class HeadMemo {
  private memo: { readonly stamp: string; readonly sha: string } | undefined;

  constructor(private readonly dirs: GitDirs) {}

  /** The commit remembered for HEAD, when the files it came from are as `stamp` (taken now) says; else undefined (ask git). */
  shaAt(stamp: string | undefined): string | undefined {
    return stamp !== undefined && stamp === this.memo?.stamp ? this.memo.sha : undefined;
  }

  /**
   * Remembers what git said HEAD is, with the stamp taken before git was asked (`stamp()`): a ref that moved while
   * git ran leaves a stamp that no longer holds, and the next `shaAt` asks git again.
   */
  set(stamp: string | undefined, sha: string | undefined): void {
    this.memo = stamp !== undefined && sha !== undefined ? { stamp, sha } : undefined;
  }

  /** The state of the files HEAD is read from, or undefined when HEAD is not kept in a way this can follow. */
  stamp(): string | undefined {
    const { gitDir, commonDir } = this.dirs;
    try {
      if (existsSync(path.join(commonDir, 'reftable')) || existsSync(path.join(gitDir, 'reftable'))) return undefined;
      const head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8');
      const parts = [head, fileStamp(path.join(commonDir, 'packed-refs'))];
      const ref = /^ref: (refs\/heads\/[^\n]+)\n?$/.exec(head)?.[1];
      if (ref !== undefined) {
        // A branch name is a path below refs/heads/ (git refuses `..` and friends in it).
        if (ref.split('/').some((p) => p === '' || p === '.' || p === '..')) return undefined;
        parts.push(fileStamp(path.join(commonDir, ref)));
      } else if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?\n?$/.test(head)) {
        return undefined;
      }
      return parts.join('\0');
    } catch {
      return undefined;
    }
  }
}

/** A file's identity and times (nanoseconds), or "absent". */
function fileStamp(file: string): string {
  const s = statSync(file, { bigint: true, throwIfNoEntry: false });
  if (!s) return 'absent';
  if (!s.isFile()) throw new Error(`${file} is not a file`);
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}
