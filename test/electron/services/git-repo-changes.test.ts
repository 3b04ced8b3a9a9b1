// What changed between two commits, as one bounded git process says it: every path, folders included, with its modes
// (a link and a folder told apart), and an error (never a partial list) for a commit git does not have, for anything
// but commit ids, or for output past its bound.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepository } from '../../../electron/services/git-repo';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';

const LIMITS = { timeoutMs: 5000, maxBytes: 1024 * 1024 };
let dir = '';
let cleanup = (): void => undefined;
let first = '';
let second = '';
let repo: GitRepository;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('flotilla-changes-'));
  git(dir, 'init', '-q', '-b', 'main');
  writeFiles(dir, { 'flotilla.yaml': 'a\n', 'apps/web/kustomization.yaml': 'b\n', 'apps/api/kustomization.yaml': 'c\n' });
  first = commitAll(dir, 'first');
  writeFileSync(path.join(dir, 'flotilla.yaml'), 'a2\n');
  rmSync(path.join(dir, 'apps', 'api'), { recursive: true });
  mkdirSync(path.join(dir, 'apps', 'shop'));
  writeFileSync(path.join(dir, 'apps', 'shop', 'kustomization.yaml'), 'd\n');
  symlinkSync('web', path.join(dir, 'apps', 'www'));
  second = commitAll(dir, 'second');
  repo = await GitRepository.open(dir);
});
afterAll(() => {
  repo?.close();
  cleanup();
});

describe('the changes between two commits', () => {
  it('lists each path added, deleted or modified, folders included, with its modes', async () => {
    const changes = await repo.treeChanges(first, second, LIMITS);
    expect([...changes].sort((a, b) => (a.path < b.path ? -1 : 1)).map(({ objects: _objects, ...c }) => c)).toEqual([
      { status: 'M', path: 'apps', modes: ['040000', '040000'] },
      { status: 'D', path: 'apps/api', modes: ['040000', '000000'] },
      { status: 'D', path: 'apps/api/kustomization.yaml', modes: ['100644', '000000'] },
      { status: 'A', path: 'apps/shop', modes: ['000000', '040000'] },
      { status: 'A', path: 'apps/shop/kustomization.yaml', modes: ['000000', '100644'] },
      { status: 'A', path: 'apps/www', modes: ['000000', '120000'] },
      { status: 'M', path: 'flotilla.yaml', modes: ['100644', '100644'] },
    ]);
    expect(await repo.treeChanges(second, second, LIMITS)).toEqual([]);
    // Each entry's object ids before and after: a modified file's new text is read by its new blob's id.
    const fleet = changes.find((c) => c.path === 'flotilla.yaml')!;
    expect(fleet.objects).toEqual([git(dir, 'rev-parse', `${first}:flotilla.yaml`).trim(), git(dir, 'rev-parse', `${second}:flotilla.yaml`).trim()]);
    expect(repo.blobText(fleet.objects![1])).toBe('a2\n');
    expect(changes.find((c) => c.path === 'apps/shop/kustomization.yaml')!.objects![0]).toBe('0'.repeat(40));
    // A tree's id, an absent id or anything else is no blob's text.
    expect(repo.blobText(changes.find((c) => c.path === 'apps/shop')!.objects![1])).toBeUndefined();
    expect(repo.blobText('0'.repeat(40))).toBeUndefined();
    expect(repo.blobText('HEAD')).toBeUndefined();
  });

  it('fails for a commit git does not have, for what is not a commit id, and past its bound of output', async () => {
    await expect(repo.treeChanges('f'.repeat(40), second, LIMITS)).rejects.toThrow();
    await expect(repo.treeChanges('--output=/tmp/x', second, LIMITS)).rejects.toThrow(/not commit ids/);
    await expect(repo.treeChanges(first, second, { timeoutMs: 5000, maxBytes: 16 })).rejects.toThrow();
  });
});
