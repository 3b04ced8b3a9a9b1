import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './paths';

/** Runs git in a folder with a fixed test identity. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Flotilla Test', '-c', 'user.email=test@flotilla.invalid', ...args], { cwd, encoding: 'utf8' });
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'flotilla-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes files (path → content) under a folder. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), content);
  }
}

/** Commits everything in a repository; returns the new HEAD sha. */
export function commitAll(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD').trim();
}

/** A real git repository holding a copy of the bundled example fleet, one commit. */
export function exampleRepo(): { dir: string; cleanup: () => void } {
  const t = tempDir('flotilla-example-');
  cpSync(path.join(repoRoot, 'examples', 'fleet'), t.dir, { recursive: true });
  git(t.dir, 'init', '-q', '-b', 'main');
  commitAll(t.dir, 'Example fleet');
  return t;
}
