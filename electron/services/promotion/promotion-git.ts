// The git side of a promotion: fetch the branch the GitOps tool reads, read its tip, and commit in a temporary worktree
// and push (the user's checkout is never touched). Shared by promotions and rollbacks.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SimpleGit } from 'simple-git';
import type * as SimpleGitModule from 'simple-git';
import { FlotillaError, problem } from '../../../shared/problem';
import type { FileTree } from '../../../shared/repo/file-tree';
import type { GitRepository } from '../git-repo';
import { lazyModule } from '../lazy-module';

/** simple-git for promotion worktrees, loaded on first use (not at CLI start-up). */
const simpleGitModule = lazyModule<typeof SimpleGitModule>('simple-git');

/** simple-git bound to a worktree folder. */
export const simpleGit = (dir: string): SimpleGit => simpleGitModule().simpleGit(dir);

/** How a commit-and-push ended: the pushed commit, or why not (and whether re-planning on the fetched tip may help). */
export type PushOutcome = { ok: true; commit: string } | { ok: false; rejected: boolean; error: string };

/** Fetch, tips, identity, and commit-and-push in a temporary worktree, for one repository. */
export class PromotionGit {
  constructor(readonly repo: GitRepository) {}

  /** `Name <email>` from git config, when both are set. */
  async identity(): Promise<string | undefined> {
    const get = async (key: string): Promise<string> => {
      try {
        return (await this.repo.git.raw(['config', '--get', key])).trim();
      } catch {
        return '';
      }
    };
    const name = await get('user.name');
    const email = await get('user.email');
    return name && email ? `${name} <${email}>` : undefined;
  }

  /** Fetches one branch of a remote into its remote-tracking ref. */
  async fetch(remote: string, branch: string): Promise<void> {
    try {
      await this.repo.git.fetch(remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`);
    } catch (err) {
      throw new FlotillaError(problem(`cannot fetch ${branch} from ${remote}: ${firstLine(err)}`));
    }
  }

  /** The local branch's tip (HEAD when there is no such branch). */
  localTip(branch: string): string {
    const sha = this.repo.resolve(`refs/heads/${branch}`) ?? this.repo.resolve('HEAD');
    if (!sha) throw new FlotillaError(problem(`the repository has no branch ${branch}`));
    return sha;
  }

  /** The fetched remote branch's tip. */
  remoteTip(remote: string, branch: string): string {
    const sha = this.repo.resolve(`refs/remotes/${remote}/${branch}`);
    if (!sha) throw new FlotillaError(problem(`the remote ${remote} has no branch ${branch}`));
    return sha;
  }

  /**
   * Checks `base` out in a temporary worktree, lets `edit` change it (returning the paths to stage, or undefined when
   * it staged them itself), commits and pushes HEAD to `branch`. The worktree is always removed; the user's checkout
   * and branches are never touched, and a failed push leaves no ref behind.
   */
  async commitAndPush(
    base: string, remote: string, branch: string, message: string | ((committed: FileTree) => string), edit: (dir: string) => readonly string[] | undefined | Promise<readonly string[] | undefined>,
  ): Promise<PushOutcome> {
    return this.inWorktree(base, async (dir) => {
      const wt: SimpleGit = simpleGit(dir);
      const staged = await edit(dir);
      if (staged) await wt.add([...staged]);
      // Commits go through `git commit` with the user's configuration: signed when commit.gpgsign says so.
      await signedCommit(async () => {
        if (typeof message === 'string') await wt.commit(message);
        else {
          // The message describes the committed files (a rollback's trailers list the versions it restores): commit,
          // read the commit's tree from git objects, then give the commit its message.
          await wt.commit('flotilla: message follows');
          await wt.raw(['commit', '--amend', '--quiet', '-m', message(this.repo.treeAt((await wt.revparse(['HEAD'])).trim()))]);
        }
      });
      const commit = (await wt.revparse(['HEAD'])).trim();
      try {
        await wt.push(remote, `HEAD:refs/heads/${branch}`);
        return { ok: true, commit };
      } catch (err) {
        const text = err instanceof Error ? err.message : String(err);
        const rejected = isRetryablePushError(text);
        return { ok: false, rejected, error: text.split('\n').filter((l) => /rejected|error|denied|hook|remote:/i.test(l)).join(' ').trim() || firstLine(err) };
      }
    });
  }

  /** Runs `work` in a temporary detached worktree at `base`, always removed afterwards. */
  async inWorktree<T>(base: string, work: (dir: string) => Promise<T>): Promise<T> {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'flotilla-promote-'));
    const dir = path.join(parent, 'worktree');
    await this.repo.git.raw(['worktree', 'add', '--detach', '--quiet', dir, base]);
    try {
      return await work(dir);
    } finally {
      await this.repo.git.raw(['worktree', 'remove', '--force', dir]).catch(() => undefined);
      rmSync(parent, { recursive: true, force: true });
      await this.repo.git.raw(['worktree', 'prune']).catch(() => undefined);
    }
  }
}

/**
 * Whether a refused push is worth re-planning on the fetched remote and retrying: the branch moved (non-fast-forward,
 * fetch first) or another push held the ref's lock at that moment (`cannot lock ref`). A hook or permission refusal
 * (`remote rejected` for any other reason) is final.
 */
export function isRetryablePushError(text: string): boolean {
  if (/cannot lock ref|unable to create .*\.lock|failed to update ref/i.test(text)) return true;
  return /\[rejected\]|non-fast-forward|fetch first/.test(text) && !/remote rejected/.test(text);
}

/** Runs a commit; a signing failure becomes a Problem saying which git settings sign (nothing is pushed). */
async function signedCommit(commit: () => Promise<void>): Promise<void> {
  try {
    await commit();
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    const why = text.split('\n').map((l) => l.trim()).find((l) => /failed to sign|couldn't load public key|signing failed|ssh-keygen|gpg:/i.test(l));
    if (why === undefined) throw err;
    throw new FlotillaError(problem(`your git configuration signs commits (commit.gpgsign) and signing failed: ${why.replace(/^error:\s*/, '')}; check user.signingkey and gpg.format (nothing was pushed)`));
  }
}

/** The first non-empty line of an error's message. */
export function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? text;
}
