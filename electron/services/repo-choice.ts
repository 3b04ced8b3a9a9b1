import { existsSync } from 'node:fs';
import path from 'node:path';
import { readSettings } from './data-dir';
import { installExampleFleet } from './example-fleet';

/**
 * The repository a UI opens when none is named: the current folder when it is a Flotilla repo, else the one opened
 * last, else the bundled example fleet (copied into the data folder as a git repository on first run).
 */
export function chooseRepo(dataDir: string, cwd: string, explicit?: string): string {
  if (explicit) return path.resolve(cwd, explicit);
  if (existsSync(path.join(cwd, 'flotilla.yaml')) && existsSync(path.join(cwd, '.git'))) return cwd;
  const last = readSettings(dataDir).repoPath;
  if (last && existsSync(last)) return last;
  return installExampleFleet(dataDir);
}

/** The built renderer folder (dist/renderer) next to the running bundle. */
export function rendererDir(): string {
  const candidates = [path.resolve(__dirname, 'renderer'), path.resolve(__dirname, '..', 'renderer'), path.resolve(__dirname, '..', 'dist', 'renderer')];
  return candidates.find((c) => existsSync(path.join(c, 'index.html'))) ?? candidates[0]!;
}
