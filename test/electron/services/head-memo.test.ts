// HEAD resolved once per change of the files git keeps it in: every way HEAD moves is seen at the next resolve, and
// an unchanged HEAD is answered without a git process.
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GitRepository } from '../../../electron/services/git-repo';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';

describe('HEAD of a long-lived repository', () => {
  let shim: { dir: string; cleanup: () => void };
  let log: string;
  let repo: { dir: string; cleanup: () => void };
  const savedPath = process.env['PATH'];
  const revParses = (): number => readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('rev-parse --verify --quiet HEAD')).length;
  const head = (dir: string): string => git(dir, 'rev-parse', 'HEAD').trim();

  beforeAll(() => {
    shim = tempDir('flotilla-git-shim-');
    log = path.join(shim.dir, 'git.log');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    // A `git` first on PATH that writes down each command line, then runs the real one.
    writeFileSync(path.join(shim.dir, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realGit}' "$@"\n`);
    chmodSync(path.join(shim.dir, 'git'), 0o755);
  });
  afterAll(() => shim.cleanup());
  beforeEach(() => {
    repo = tempDir('flotilla-head-');
    git(repo.dir, 'init', '-q', '-b', 'main');
    writeFiles(repo.dir, { 'a.txt': '1\n' });
    commitAll(repo.dir, 'one');
    writeFileSync(log, '');
    process.env['PATH'] = `${shim.dir}${path.delimiter}${savedPath ?? ''}`;
  });
  afterEach(() => {
    process.env['PATH'] = savedPath;
    repo.cleanup();
  });

  it('asks git once while HEAD stays, and again after each commit (several within a millisecond of each other)', async () => {
    const opened = await GitRepository.open(repo.dir);
    expect(opened.resolve('HEAD')).toBe(head(repo.dir));
    expect(opened.resolve('HEAD')).toBe(head(repo.dir));
    expect(opened.resolve('HEAD')).toBe(head(repo.dir));
    expect(revParses()).toBe(1);
    for (let i = 2; i < 6; i++) {
      writeFiles(repo.dir, { 'a.txt': `${i}\n` });
      const sha = commitAll(repo.dir, `commit ${i}`);
      expect(opened.resolve('HEAD')).toBe(sha);
    }
    opened.close();
  });

  it('sees a branch switch, a detached HEAD, a reset, an update-ref and packed refs', async () => {
    const opened = await GitRepository.open(repo.dir);
    const first = head(repo.dir);
    expect(opened.resolve('HEAD')).toBe(first);
    git(repo.dir, 'checkout', '-q', '-b', 'other');
    writeFiles(repo.dir, { 'b.txt': 'b\n' });
    const onOther = commitAll(repo.dir, 'on other');
    expect(opened.resolve('HEAD')).toBe(onOther);
    git(repo.dir, 'checkout', '-q', 'main');
    expect(opened.resolve('HEAD')).toBe(first);
    git(repo.dir, 'checkout', '-q', '--detach', onOther);
    expect(opened.resolve('HEAD')).toBe(onOther);
    git(repo.dir, 'checkout', '-q', 'main');
    expect(opened.resolve('HEAD')).toBe(first);
    // main moved by another tool, without a checkout: the loose ref rewritten.
    git(repo.dir, 'update-ref', 'refs/heads/main', onOther);
    expect(opened.resolve('HEAD')).toBe(onOther);
    git(repo.dir, 'reset', '-q', '--hard', first);
    expect(opened.resolve('HEAD')).toBe(first);
    // Packed: the loose file goes, the ref lives in packed-refs; then moved inside packed-refs alone.
    git(repo.dir, 'pack-refs', '--all');
    expect(opened.resolve('HEAD')).toBe(first);
    git(repo.dir, 'update-ref', '--no-deref', 'refs/heads/main', onOther);
    expect(opened.resolve('HEAD')).toBe(onOther);
    git(repo.dir, 'pack-refs', '--all');
    git(repo.dir, 'update-ref', 'refs/heads/main', first);
    git(repo.dir, 'pack-refs', '--all');
    expect(opened.resolve('HEAD')).toBe(first);
    opened.close();
  });

  it('follows the HEAD of a linked worktree, whose branch lives in the common dir', async () => {
    const wt = tempDir('flotilla-head-wt-');
    try {
      const other = path.join(wt.dir, 'w');
      git(repo.dir, 'worktree', 'add', '-q', '-b', 'feature', other);
      const opened = await GitRepository.open(other);
      expect(opened.resolve('HEAD')).toBe(head(other));
      writeFiles(other, { 'c.txt': 'c\n' });
      const moved = commitAll(other, 'in the worktree');
      expect(opened.resolve('HEAD')).toBe(moved);
      // The branch moved from the main worktree.
      git(repo.dir, 'update-ref', 'refs/heads/feature', head(repo.dir));
      expect(opened.resolve('HEAD')).toBe(head(repo.dir));
      opened.close();
    } finally {
      git(repo.dir, 'worktree', 'remove', '--force', path.join(wt.dir, 'w'));
      wt.cleanup();
    }
  });

  it('a repository with no commit yet has no HEAD, then the first commit is seen', async () => {
    const empty = tempDir('flotilla-head-empty-');
    try {
      git(empty.dir, 'init', '-q', '-b', 'main');
      const opened = await GitRepository.open(empty.dir);
      expect(opened.resolve('HEAD')).toBeUndefined();
      writeFiles(empty.dir, { 'a.txt': 'a\n' });
      const sha = commitAll(empty.dir, 'first');
      expect(opened.resolve('HEAD')).toBe(sha);
      opened.close();
    } finally {
      empty.cleanup();
    }
  });
});
