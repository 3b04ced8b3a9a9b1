// Rolling a promotion back: revert its commit on the branch it was pushed to (temporary worktree, commit, push),
// recorded as a promotion of its own whose trailers and record list the versions the target stage runs after it.
// A rollback changes the stage as a promotion into it does, so it passes the same stage gates first: freeze windows,
// signed approvals (of the rollback plan's digest), signed commits and manual-only; `--yes` alone passes none of them.

import { FlotillaError, formatProblem, problem, toProblem } from '../../../shared/problem';
import { parsePromotionTrailers, rollbackMessage } from '../../../shared/promotion/commit-message';
import type { PromotionRecordView } from '../../../shared/promotion/history';
import type { PipelineSpec } from '../../../shared/promotion/pipeline';
import { rollbackDigest } from '../../../shared/promotion/digest';
import type { Confirmation, GateResult } from '../../../shared/promotion/gates';
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
  /** The gates of the rolled-back stage for a rollback plan, read at `base` (approvals fetched from `remote`). */
  gates(q: { readonly pipeline: string; readonly stage: string; readonly remote: string; readonly base: string; readonly digest: string; readonly confirmation: Confirmation }): Promise<GateResult[]>;
}

/** Which pipeline, and how the rollback was confirmed (default `flag`: a manual-only stage refuses it). */
export interface RollbackOptions {
  readonly pipeline?: string;
  readonly confirmation?: Confirmation;
}

/**
 * Reverts promotion `id`'s commit and pushes it; a push refused because the remote moved (or its ref was locked) is
 * retried on the fetched tip, a bounded number of times. The caller holds the repository's promotion lock.
 */
export async function rollbackPromotion(ctx: RollbackContext, id: number, opts: RollbackOptions = {}): Promise<PromotionOutcome> {
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
        // The gates decide on the revert of this very tip: its digest is what an approval must name.
        const planned = await revertPlan(ctx, original, target, branch, base);
        const gates = await ctx.gates({ pipeline: original.pipeline, stage: original.to, remote: target.remote, base, digest: planned.digest, confirmation: opts.confirmation ?? 'flag' });
        const failed = gates.filter((g) => !g.passed).map((g) => `gate ${g.gate}: ${g.reason}`);
        if (failed.length > 0) {
          const plan = { ...emptyPlan(original), gates, digest: planned.digest, ready: false };
          return { record: log.finish(rid, { result: 'blocked', baseRevision: base, attempts: attempt, message: failed.join('\n'), at: ctx.now() }), plan, blockers: failed };
        }
        let restored: string[] = [];
        const pushed = await ctx.git.commitAndPush(base, target.remote, branch, (tree) => {
          restored = deployedVersions(target.pipeline, tree, original);
          return rollbackMessage({ ...trailers, versions: restored }, original.commit!, String(id));
        }, async (wt) => {
          await revertInto(wt, original, target.remote, branch);
          await ctx.beforePush?.(attempt);
          return undefined;
        });
        const plan = { ...emptyPlan(original), gates, digest: planned.digest };
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
 * fetched remote tip and reports the diff, the versions the target stage would run after it, the plan's digest and the
 * verdicts of the stage's gates.
 */
export async function planRollback(ctx: RollbackContext, which: number | { readonly commit: string }, opts: RollbackOptions = {}): Promise<RollbackPlan> {
  const target = await ctx.target(opts.pipeline);
  const log = ctx.openLog();
  try {
    const { original, branch } = await rollbackSubject(ctx, log, typeof which === 'number' ? which : await recordOfCommit(ctx, log, which.commit, target), target);
    const base = ctx.git.remoteTip(target.remote, branch);
    const planned = await revertPlan(ctx, original, target, branch, base);
    const gates = await ctx.gates({ pipeline: original.pipeline, stage: original.to, remote: target.remote, base, digest: planned.digest, confirmation: opts.confirmation ?? 'interactive' });
    return { promotion: original, remote: target.remote, branch, base, ...planned, gates, ready: gates.every((g) => g.passed) };
  } finally {
    log.close();
  }
}

/** The revert of a promotion's commit on `base`, in a temporary worktree: its diff, the versions after it and its digest. */
async function revertPlan(ctx: RollbackContext, original: PromotionRecordView, target: { pipeline: PipelineSpec; remote: string }, branch: string, base: string): Promise<{ diff: string; versions: string[]; digest: string }> {
  return ctx.git.inWorktree(base, async (dir) => {
    await revertInto(dir, original, target.remote, branch);
    const wt = simpleGit(dir);
    const diff = await wt.raw(['diff', '--cached', '--no-color']);
    const tree = (await wt.raw(['write-tree'])).trim();
    // A dangling commit of the reverted tree (never pushed, collected by git gc), to read it from git objects.
    const commit = (await wt.raw(['-c', 'user.name=Flotilla', '-c', 'user.email=flotilla@localhost', '-c', 'commit.gpgsign=false', 'commit-tree', tree, '-p', base, '-m', 'flotilla rollback plan'])).trim();
    const digest = rollbackDigest({ pipeline: original.pipeline, stage: original.to, commit: original.commit!, revision: base, diff });
    return { diff, versions: deployedVersions(target.pipeline, ctx.git.repo.treeAt(commit), original), digest };
  });
}

/** The promotion to roll back, checked: pushed, not rolled back yet, its commit present after fetching its branch. */
async function rollbackSubject(ctx: RollbackContext, log: PromotionLog, which: number | PromotionRecordView, target: { remote: string; branch: string }): Promise<{ original: PromotionRecordView; branch: string }> {
  const original = typeof which === 'number' ? log.require(which) : which;
  const id = original.id || original.commit!.slice(0, 7);
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

/**
 * The promotion a commit pushed, for an approver whose store never recorded it (another machine): the store's record
 * when there is one, else one read from the commit's `Flotilla-Promotion-*` trailers (id 0: not in this store).
 */
async function recordOfCommit(ctx: RollbackContext, log: PromotionLog, commit: string, target: { pipeline: PipelineSpec; remote: string; branch: string }): Promise<PromotionRecordView> {
  await ctx.git.fetch(target.remote, target.branch);
  const repo = ctx.git.repo;
  const sha = /^[0-9a-f]{4,64}$/i.test(commit) ? repo.resolve(`${commit}^{commit}`) : undefined;
  if (!sha) throw new FlotillaError(problem(`commit ${commit} is not in ${repo.root}, even after fetching ${target.remote}/${target.branch}`));
  const recorded = log.list(1_000_000).find((r) => r.commit === sha);
  if (recorded) return recorded;
  const [by = '', at = '', message = ''] = (await repo.git.raw(['log', '-1', '--format=%an <%ae>%x1f%aI%x1f%B', sha])).split('\u001f');
  const trailers = parsePromotionTrailers(message);
  if (!trailers || trailers.rollbackOf !== undefined) throw new FlotillaError(problem(`commit ${sha.slice(0, 7)} is not a Flotilla promotion (no Flotilla-Promotion-From/-To trailers, or it is a rollback): there is nothing to roll back`));
  return { id: 0, startedAt: at, by, pipeline: trailers.pipeline ?? target.pipeline.name, from: trailers.from, to: trailers.to, apps: trailers.apps, versions: trailers.versions, commit: sha, branch: target.branch, result: 'pushed', attempts: 1 };
}

/** Stages the revert of a promotion's commit in a worktree; a clear Problem when it no longer reverts cleanly. */
async function revertInto(dir: string, original: PromotionRecordView, remote: string, branch: string): Promise<void> {
  try {
    await simpleGit(dir).raw(['revert', '--no-commit', original.commit!]);
  } catch (err) {
    throw new FlotillaError(problem(`promotion ${original.id ? `#${original.id} ` : ''}(${original.commit!.slice(0, 7)}) does not revert cleanly on ${remote}/${branch}: the files changed since; ${firstLine(err)}`));
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
