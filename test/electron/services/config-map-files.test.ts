import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findConfigMapInTree } from '../../../electron/services/config-map-files';
import { GitRepository } from '../../../electron/services/git-repo';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';

const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata: {}\n`;

describe('finding an Argo CD ConfigMap in the repository', () => {
  let repo: { dir: string; cleanup: () => void };
  let git_: GitRepository;
  let sha: string;
  beforeAll(async () => {
    repo = tempDir();
    git(repo.dir, 'init', '-q', '-b', 'main');
    writeFiles(repo.dir, {
      // Hidden folders and node_modules are never looked into, however shallow.
      '.argocd/notifications.yaml': cm('argocd-notifications-cm'),
      'node_modules/notif.yaml': cm('argocd-notifications-cm'),
      // Deeper than the one to be found: a breadth-first walk reaches it later.
      'a/b/c/notifications.yaml': cm('argocd-notifications-cm'),
      // Named for the concept but another ConfigMap, and the right name in a Secret: neither is it.
      'argocd/notifications-other.yaml': cm('something-else'),
      'argocd/notifications-secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: argocd-notifications-cm\n',
      // Same depth: "b" comes after "argocd" in name order, so the walk meets this one second.
      'b/notifications-cm.yaml': cm('argocd-notifications-cm'),
      'argocd/notifications-cm.yml': cm('argocd-notifications-cm'),
      // Folders are listed in name order ("x" before "x-y", though git's own tree order puts "x-y/" first).
      'x/notif/cm.yaml': cm('argocd-rbac-cm-x'),
      'x-y/notif/cm.yaml': cm('argocd-rbac-cm-x'),
      // The right ConfigMap in a file whose path does not name the concept is not opened.
      'cm.yaml': cm('argocd-notifications-cm'),
      'apps/rbac/argocd-rbac-cm.yaml': cm('argocd-rbac-cm'),
    });
    sha = commitAll(repo.dir, 'config maps');
    git_ = await GitRepository.open(repo.dir);
  });
  afterAll(() => {
    git_.close();
    repo.cleanup();
  });

  it('from the commit\'s path list finds what the folder-by-folder walk finds', async () => {
    const tree = git_.treeAt(sha);
    const paths = await git_.filePaths(sha);
    expect(paths).toContain('a/b/c/notifications.yaml');
    for (const [name, hint] of [['argocd-notifications-cm', /notif/i], ['argocd-rbac-cm', /rbac/i], ['argocd-rbac-cm-x', /notif/i], ['absent-cm', /notif/i]] as const) {
      expect(findConfigMapInTree(tree, name, hint, paths)).toBe(findConfigMapInTree(tree, name, hint));
    }
    expect(findConfigMapInTree(tree, 'argocd-notifications-cm', /notif/i, paths)).toBe('argocd/notifications-cm.yml');
    expect(findConfigMapInTree(tree, 'argocd-rbac-cm', /rbac/i, paths)).toBe('apps/rbac/argocd-rbac-cm.yaml');
    expect(findConfigMapInTree(tree, 'argocd-rbac-cm-x', /notif/i, paths)).toBe('x/notif/cm.yaml');
    expect(findConfigMapInTree(tree, 'absent-cm', /notif/i, paths)).toBeUndefined();
  });

  it('skips hidden folders and node_modules in the path list as the walk does', () => {
    const tree = git_.treeAt(sha);
    const onlyHidden = ['.argocd/notifications.yaml', 'node_modules/notif.yaml'];
    expect(findConfigMapInTree(tree, 'argocd-notifications-cm', /notif/i, onlyHidden)).toBeUndefined();
  });
});
