// Rolling a promotion back: revert its commit on the branch it was pushed to (temporary worktree, commit, push),
// recorded as a promotion of its own whose trailers and record list the versions the target stage runs after it.

import { FlotillaError, formatProblem, problem, toProblem } from '../../../shared/problem';
import { parsePromotionTrailers, rollbackMessage } from '../../../shared/promotion/commit-message';
import type { PromotionRecordView } from '../../../shared/promotion/history';
import type { PipelineSpec } from '../../../shared/promotion/pipeline';
import type { PromotionPlan } from '../../../shared/promotion/plan';
import { stageVersions } from '../../../shared/promotion/versions';
import type { FileTree } from '../../../shared/repo/file-tree';
import type { PromotionGit } from './promotion-git';
import { firstLine, simpleGit } from './promotion-git';
import type { PromotionLog } from './promotion-log';
import type { PromotionOutcome, RollbackPlan } from './types';

/** What a rollback needs from the promotion service of its repository. */
export interface RollbackContext {
  readonly git: PromotionGit;
  /** How many times a rejected push is retried on the fetched tip. */
  readonly maxAttempts: number;
  /** Called just before each push with the attempt number (tests). */
  readonly beforePush?: (attempt: number) => Promise<void> | void;
  now(): number;
  /** The repository's promotion log (the caller's to close: it is closed here). */
  openLog(): PromotionLog;
  /** The pipeline (by name, or the only one) and where it pushes. */
  target(name: string | undefined): Promise<{ pipeline: PipelineSpec; remote: string; branch: string }>;
}

/**
 * Reverts promotion `id`'s commit and pushes it; a push refused because the remote moved (or its ref was locked) is
 * retried on the fetched tip, a bounded number of times. The caller holds the repository's promotion lock.
 */
export async function rollbackPromotion(ctx: RollbackContext, id: number, opts: { readonly pipeline?: string } = {}): Promise<PromotionOutcome> {
  const target = await ctx.target(opts.pipeline);
  const log = ctx.openLog();
  try {
    const { original, branch } = await rollbackSubject(ctx, log, id, target);
    const message = (await ctx.git.repo.git.raw(['log', '-1', '--format=%B', original.commit!])).trim();
    const trailers = parsePromotionTrailers(message) ?? { from: original.from, to: original.to, apps: original.apps, versions: original.versions, pipeline: original.pipeline };
    const promoter = await ctx.git.identity();
    if (!promoter) throw new FlotillaError(problem(`promotions are committed with your git identity: set it with git config user.name and git config user.email (in ${ctx.git.repo.root} or globally)`));
    const rid = log.start({ by: promoter, pipeline: original.pipeline, from: original.to, to: original.to, apps: original.apps, versions: original.versions, rollbackOf: id, at: ctx.now() });
    try {
      for (let attempt = 1; ; attempt++) {
        const base = ctx.git.remoteTip(target.remote, branch);
        let restored: string[] = [];
        const pushed = await ctx.git.commitAndPush(base, target.remote, branch, (tree) => {
          restored = deployedVersions(target.pipeline, tree, original);
          return rollbackMessage({ ...trailers, versions: restored }, original.commit!, String(id));
        }, async (wt) => {
          await revertInto(wt, original, target.remote, branch);
          await ctx.beforePush?.(attempt);
          return undefined;
        });
        const plan = emptyPlan(original);
        if (pushed.ok) {
          return { record: log.finish(rid, { result: 'pushed', commit: pushed.commit, branch, baseRevision: base, attempts: attempt, versions: restored, at: ctx.now() }), plan, blockers: [] };
        }
        if (!pushed.rejected || attempt >= ctx.maxAttempts) {
          const msg = pushed.rejected ? `the remote kept moving: ${ctx.maxAttempts} attempts were rejected; nothing was pushed` : `push failed; nothing was pushed: ${pushed.error}`;
          return { record: log.finish(rid, { result: 'failed', baseRevision: base, attempts: attempt, message: msg, at: ctx.now() }), plan, blockers: [msg] };
        }
        await ctx.git.fetch(target.remote, branch);
      }
    } catch (err) {
      log.finish(rid, { result: 'failed', message: formatProblem(toProblem(err)), at: ctx.now() });
      throw err;
    }
  } finally {
    log.close();
  }
}

/**
 * What `rollbackPromotion` would do, changing nothing: reverts the promotion's commit in a temporary worktree on the
 * fetched remote tip and reports the diff and the versions the target stage would run after it.
 */
export async function planRollback(ctx: RollbackContext, id: number, opts: { readonly pipeline?: string } = {}): Promise<RollbackPlan> {
  const target = await ctx.target(opts.pipeline);
  const log = ctx.openLog();
  try {
    const { original, branch } = await rollbackSubject(ctx, log, id, target);
    const base = ctx.git.remoteTip(target.remote, branch);
    return await ctx.git.inWorktree(base, async (dir) => {
      await revertInto(dir, original, target.remote, branch);
      const wt = simpleGit(dir);
      const diff = await wt.raw(['diff', '--cached', '--no-color']);
      const tree = (await wt.raw(['write-tree'])).trim();
      // A dangling commit of the reverted tree (never pushed, collected by git gc), to read it from git objects.
      const commit = (await wt.raw(['-c', 'user.name=Flotilla', '-c', 'user.email=flotilla@localhost', 'commit-tree', tree, '-p', base, '-m', 'flotilla rollback plan'])).trim();
      return { promotion: original, remote: target.remote, branch, base, diff, versions: deployedVersions(target.pipeline, ctx.git.repo.treeAt(commit), original) };
    });
  } finally {
    log.close();
  }
}

/** The promotion to roll back, checked: pushed, not rolled back yet, its commit present after fetching its branch. */
async function rollbackSubject(ctx: RollbackContext, log: PromotionLog, id: number, target: { remote: string; branch: string }): Promise<{ original: PromotionRecordView; branch: string }> {
  const original = log.require(id);
  if (!original.commit || !['pushed', 'verified', 'verify-failed'].includes(original.result)) {
    throw new FlotillaError(problem(`promotion #${id} ${original.result === 'no-op' ? 'changed nothing' : `was not pushed (${original.result})`}: there is nothing to roll back`));
  }
  if (original.rolledBackBy !== undefined) throw new FlotillaError(problem(`promotion #${id} was already rolled back by #${original.rolledBackBy}`));
  const branch = original.branch ?? target.branch;
  await ctx.git.fetch(target.remote, branch);
  const c = original.commit.slice(0, 7);
  const repo = ctx.git.repo;
  if (!repo.hasCommit(original.commit)) {
    throw new FlotillaError(problem(`promotion #${id}'s commit ${c} is not in ${repo.root}, even after fetching ${target.remote}/${branch}: it was removed from the remote (force-push) or never reached it; there is nothing to revert`));
  }
  const tip = ctx.git.remoteTip(target.remote, branch);
  if (!repo.isAncestor(original.commit, tip)) {
    throw new FlotillaError(problem(`promotion #${id}'s commit ${c} is no longer on ${target.remote}/${branch} (at ${tip.slice(0, 7)}): it was removed by a force-push, so there is nothing to revert`));
  }
  return { original, branch };
}

/** Stages the revert of a promotion's commit in a worktree; a clear Problem when it no longer reverts cleanly. */
async function revertInto(dir: string, original: PromotionRecordView, remote: string, branch: string): Promise<void> {
  try {
    await simpleGit(dir).raw(['revert', '--no-commit', original.commit!]);
  } catch (err) {
    throw new FlotillaError(problem(`promotion #${original.id} (${original.commit!.slice(0, 7)}) does not revert cleanly on ${remote}/${branch}: the files changed since; ${firstLine(err)}`));
  }
}

/** The versions the promotion's target stage runs in a tree, as `app:version` entries (the trailer's form). */
function deployedVersions(pipeline: PipelineSpec, tree: FileTree, original: PromotionRecordView): string[] {
  return original.apps.flatMap((app) => (stageVersions(pipeline, tree, app, original.to) ?? []).map((v) => `${app}:${v}`));
}

/** A rollback edits no plan: an empty one for its outcome. */
function emptyPlan(r: PromotionRecordView): PromotionPlan {
  return { pipeline: r.pipeline, from: r.to, to: r.to, apps: [], gates: [], problems: [], noop: false, ready: true };
}
