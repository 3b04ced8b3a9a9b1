import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GitRepository } from '../../../electron/services/git-repo';
import { FsFileTree } from '../../../electron/services/fs-file-tree';
import { walkFiles } from '../../../shared/repo/file-tree';
import { commitAll, git, tempDir } from '../../helpers/git-fixtures';

describe('symbolic links in a repository', () => {
  const t = tempDir('flotilla-links-');
  afterAll(() => t.cleanup());

  it('are read from git objects as links: followed inside the repository, their target available, never their target text as content', async () => {
    mkdirSync(path.join(t.dir, 'base'), { recursive: true });
    mkdirSync(path.join(t.dir, 'app'), { recursive: true });
    writeFileSync(path.join(t.dir, 'base', 'cm.yaml'), 'kind: ConfigMap\n');
    symlinkSync('../base/cm.yaml', path.join(t.dir, 'app', 'cm.yaml'));
    symlinkSync('../base', path.join(t.dir, 'app', 'base-dir'));
    symlinkSync('../../../etc/hostname', path.join(t.dir, 'app', 'escape.yaml'));
    symlinkSync('missing.yaml', path.join(t.dir, 'app', 'dangling.yaml'));
    git(t.dir, 'init', '-q', '-b', 'main');
    commitAll(t.dir, 'links');
    const repo = await GitRepository.open(t.dir);
    for (const tree of [repo.treeAt('HEAD'), new FsFileTree(t.dir)]) {
      expect(tree.readLink?.('app/cm.yaml')).toBe('../base/cm.yaml');
      expect(tree.readLink?.('base/cm.yaml')).toBeUndefined();
      expect(tree.read('app/cm.yaml')).toBe('kind: ConfigMap\n');
      expect(tree.read('app/base-dir/cm.yaml')).toBe('kind: ConfigMap\n');
      expect(tree.kind('app/base-dir')).toBe('dir');
      expect(tree.kind('app/dangling.yaml')).toBeUndefined();
      expect(tree.list('app')).toEqual([
        { name: 'base-dir', kind: 'dir' },
        { name: 'cm.yaml', kind: 'file' },
        { name: 'dangling.yaml', kind: 'file' },
        { name: 'escape.yaml', kind: 'file' },
      ]);
    }
    const gitTree = repo.treeAt('HEAD');
    // Outside the repository, git objects show nothing (the working tree would read the host's file).
    expect(gitTree.read('app/escape.yaml')).toBeUndefined();
    expect(walkFiles(gitTree, 'app')).toEqual(['app/cm.yaml', 'app/dangling.yaml', 'app/escape.yaml']);
  });
});
