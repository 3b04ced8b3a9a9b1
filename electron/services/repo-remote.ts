import { execFile, execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { RemoteStatusView } from '../../shared/api/contract';
import { FlotillaError, problem } from '../../shared/problem';
import type { GitRepository } from './git-repo';

// How the checkout stands against its remote: commits behind and ahead of the upstream branch, as of the last fetch,
// and a fetch that updates only the remote-tracking branches (never the user's branch or working tree: no pull).

/** How long a fetch may take before it is given up. */
const FETCH_TIMEOUT_MS = 60_000;

const git = (repo: GitRepository, args: readonly string[]): string =>
  execFileSync('git', args, { cwd: repo.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The upstream of the current branch (`origin/main`), else `origin/<branch>` when that remote branch exists. */
function upstreamOf(repo: GitRepository, branch: string | undefined): { upstream: string; remote: string } | undefined {
  try {
    const upstream = git(repo, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']);
    const remote = git(repo, ['config', '--get', `branch.${branch ?? ''}.remote`]);
    if (upstream) return { upstream, remote: remote || upstream.split('/')[0]! };
  } catch {
    // no upstream configured: try origin/<branch>
  }
  if (branch && repo.resolve(`refs/remotes/origin/${branch}`)) return { upstream: `origin/${branch}`, remote: 'origin' };
  return undefined;
}

/** The checkout against its upstream, from what is already fetched (no network). */
export async function remoteStatus(repo: GitRepository): Promise<RemoteStatusView> {
  const head = await repo.head();
  const up = upstreamOf(repo, head.branch);
  if (!up) return { ahead: 0, behind: 0, reason: head.branch ? `the branch ${head.branch} has no upstream and there is no origin/${head.branch}` : 'HEAD is detached: no branch to compare' };
  const [ahead, behind] = git(repo, ['rev-list', '--left-right', '--count', `HEAD...${up.upstream}`]).split(/\s+/).map(Number);
  let fetchedAt: string | undefined;
  try {
    const file = git(repo, ['rev-parse', '--git-path', 'FETCH_HEAD']);
    fetchedAt = statSync(path.resolve(repo.root, file)).mtime.toISOString();
  } catch {
    // never fetched
  }
  return { upstream: up.upstream, remote: up.remote, ahead: ahead ?? 0, behind: behind ?? 0, ...(fetchedAt ? { fetchedAt } : {}) };
}

/** `git fetch` of the upstream's remote (remote-tracking branches only), then the new standing. */
export async function fetchRemote(repo: GitRepository): Promise<RemoteStatusView> {
  const before = await remoteStatus(repo);
  if (!before.remote) throw new FlotillaError(problem(`nothing to fetch: ${before.reason ?? 'no remote'}`));
  await new Promise<void>((resolve, reject) => {
    execFile('git', ['fetch', '--quiet', '--prune', before.remote!], { cwd: repo.root, timeout: FETCH_TIMEOUT_MS, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (err, _out, stderr) => {
      if (err) reject(new FlotillaError(problem(`git fetch ${before.remote} failed: ${(stderr || err.message).trim().split('\n')[0]}`)));
      else resolve();
    });
  });
  return remoteStatus(repo);
}
