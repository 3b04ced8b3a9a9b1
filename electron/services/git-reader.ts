import type { GitReader } from '../../shared/appset/engine';
import { FlotillaError } from '../../shared/problem';
import type { FileTree } from '../../shared/repo/file-tree';
import type { GitRepository } from './git-repo';

/** Normalises a repo URL for comparison: lower-case host, no trailing slash or `.git`. */
export function normalizeRepoUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\.git$/, '').toLowerCase();
}

/**
 * A GitReader over the open repository: repoURLs listed in the fleet file (or the origin remote) read its git objects.
 * `resolved`: revisions the caller has resolved already (HEAD's commit, for one discovery), taken without `git rev-parse`.
 */
export function localGitReader(repo: GitRepository, repoURLs: readonly string[], resolved: Readonly<Record<string, string>> = {}): GitReader {
  const listed = new Set([...repoURLs, repo.root].filter(Boolean).map(normalizeRepoUrl));
  // The origin remote is asked for only when a repoURL is not one of the listed ones (one `git config` less per command).
  let origin: string | undefined | null = null;
  const originUrl = (): string | undefined => (origin === null ? (origin = repo.originUrl()) : origin);
  const known = (url: string): boolean => {
    const u = normalizeRepoUrl(url);
    if (listed.has(u)) return true;
    const o = originUrl();
    return o !== undefined && o !== '' && normalizeRepoUrl(o) === u;
  };
  // Each revision is resolved once per reader (one command, one refresh): rendering 10,000 Applications at HEAD runs
  // `git rev-parse` once, not 10,000 times. A revision that failed fails the same way without asking git again.
  const trees = new Map<string, FileTree | FlotillaError>();
  return {
    get localURL(): string {
      return repoURLs[0] ?? originUrl() ?? repo.root;
    },
    treeAt(repoURL: string, revision: string): FileTree {
      if (!known(repoURL)) {
        throw new FlotillaError({
          severity: 'error',
          message: `git generator repoURL ${repoURL} is not the open repository; Flotilla reads only the repository it has open (list its URL in spec.repoURL of flotilla.yaml)`,
        });
      }
      const rev = revision === '' ? 'HEAD' : revision;
      let tree = trees.get(rev);
      if (tree === undefined) {
        try {
          tree = repo.treeAt(Object.prototype.hasOwnProperty.call(resolved, rev) ? resolved[rev]! : rev);
        } catch (err) {
          if (!(err instanceof FlotillaError)) throw err;
          tree = err;
        }
        trees.set(rev, tree);
      }
      if (tree instanceof FlotillaError) throw tree;
      return tree;
    },
  };
}
