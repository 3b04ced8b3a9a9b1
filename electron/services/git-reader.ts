import type { GitReader } from '../../shared/appset/engine';
import { FlotillaError } from '../../shared/problem';
import type { FileTree } from '../../shared/repo/file-tree';
import type { GitRepository } from './git-repo';

/** Normalises a repo URL for comparison: lower-case host, no trailing slash or `.git`. */
export function normalizeRepoUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\.git$/, '').toLowerCase();
}

/** A GitReader over the open repository: repoURLs listed in the fleet file (or the origin remote) read its git objects. */
export function localGitReader(repo: GitRepository, repoURLs: readonly string[]): GitReader {
  const known = new Set([...repoURLs, repo.originUrl() ?? '', repo.root].filter(Boolean).map(normalizeRepoUrl));
  // Each revision is resolved once per reader (one command, one refresh): rendering 10,000 Applications at HEAD runs
  // `git rev-parse` once, not 10,000 times. A revision that failed fails the same way without asking git again.
  const resolved = new Map<string, FileTree | FlotillaError>();
  return {
    localURL: repoURLs[0] ?? repo.originUrl() ?? repo.root,
    treeAt(repoURL: string, revision: string): FileTree {
      if (!known.has(normalizeRepoUrl(repoURL))) {
        throw new FlotillaError({
          severity: 'error',
          message: `git generator repoURL ${repoURL} is not the open repository; Flotilla reads only the repository it has open (list its URL in spec.repoURL of flotilla.yaml)`,
        });
      }
      const rev = revision === '' ? 'HEAD' : revision;
      let tree = resolved.get(rev);
      if (tree === undefined) {
        try {
          tree = repo.treeAt(rev);
        } catch (err) {
          if (!(err instanceof FlotillaError)) throw err;
          tree = err;
        }
        resolved.set(rev, tree);
      }
      if (tree instanceof FlotillaError) throw tree;
      return tree;
    },
  };
}
