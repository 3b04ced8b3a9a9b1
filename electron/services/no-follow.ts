// Reading and writing working-tree files for the UI without ever going through a symbolic link.
import { closeSync, constants, lstatSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Whether any component of `rel` below `root` is a symbolic link (lstat of every component); names the first one. */
export function linkOnPath(root: string, rel: string): string | undefined {
  const parts = rel.split('/');
  let cur = root;
  for (let i = 0; i < parts.length; i++) {
    cur = path.join(cur, parts[i]!);
    try {
      if (lstatSync(cur).isSymbolicLink()) return parts.slice(0, i + 1).join('/');
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Reads a file without following a symbolic link in its last component (O_NOFOLLOW: a link swapped in after the check fails). */
export function readNoFollow(abs: string): string {
  const fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** Writes a file without following a symbolic link in its last component. */
export function writeNoFollow(abs: string, text: string): void {
  const fd = openSync(abs, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
  try {
    writeFileSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
