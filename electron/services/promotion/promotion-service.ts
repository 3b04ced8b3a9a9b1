// Promotions through Git: plan on the remote branch's tip, apply the edits in a separate worktree (the user's checkout
// is never touched), commit with the promoter's git identity and structured trailers, push; on a non-fast-forward
// push fetch, re-plan, re-check the gates and retry (bounded). Every run is recorded in the store; rollback reverts a
// promotion's commit through the same path and gates (rollback.ts); git fetch/commit/push live in promotion-git.ts;
// signed approvals of a plan's digest in approvals.ts; what a plan reads from git objects and the store in plan-readers.ts.

import type { ExtraValidators } from '../validate/plan-validators';
import { planValidators, repositoryAdmission } from '../validate/plan-validators';
import path from 'node:path';
import type { GitReader } from '../../../shared/appset/engine';
import { fleetClusters, generateAll } from '../../../shared/fleet/overview';
import { FlotillaError, formatProblem, problem, toProblem } from '../../../shared/problem';
import { changedApps, promotionMessage } from '../../../shared/promotion/commit-message';
import type { Confirmation, GateContext } from '../../../shared/promotion/gates';
import type { PromotionRecordView } from '../../../shared/promotion/history';
import type { PromotionPlanView } from '../../../shared/api/contract';
import type { PipelineSpec } from '../../../shared/promotion/pipeline';
import { parsePipelineFile } from '../../../shared/promotion/pipeline';
import type { GeneratedApplication, PromotionPlan, PromotionRequest } from '../../../shared/promotion/plan';
import { planBlockers, planPromotion, planVersions, stageClusters } from '../../../shared/promotion/plan';
import type { FileTree } from '../../../shared/repo/file-tree';
import { matchesAny } from '../../../shared/repo/glob';
import type { RepoScan } from '../../../shared/repo/scan';
import { scanRepository } from '../../../shared/repo/scan';
import type { AppVersions } from '../../../shared/promotion/versions';
import type { StageStatus } from '../../../shared/promotion/stage-status';
import { stageStatuses } from '../../../shared/promotion/stage-status';
import { normalizeRepoUrl } from '../git-reader';
import type { HeadInfo } from '../git-repo';
import { GitRepository } from '../git-repo';
import type { CommitSignatureVerifier } from '../git-signatures';
import { verifierFor } from '../git-signatures';
import type { ApprovalSubject } from '../../../shared/promotion/approval';
import { shortDigest } from '../../../shared/promotion/digest';
import { stageGates } from '../../../shared/promotion/gates';
import type { GateResult } from '../../../shared/promotion/gates';
import type { SignedApproval } from './approvals';
import { ApprovalLedger } from './approvals';
import type { LiveDiffOptions } from './live-diff';
import { liveDiffs } from './live-diff';
import { readCapabilities } from '../helm/capabilities';
import { chooseKubeconfig } from '../kubeconfig-choice';
import { renderOptions } from '../sources/render-options';
import { PromotionLog } from './promotion-log';
import { historyReader, recordPromotionEvents, versionsReader } from './plan-readers';
import { withRepoLock } from './repo-lock';
import { linkOnPath, writeNoFollow } from '../no-follow';
import { PromotionGit } from './promotion-git';
import type { RollbackContext } from './rollback';
import type { RollbackOptions } from './rollback';
import { planRollback, rollbackPromotion } from './rollback';
import type { PromotionOutcome, RollbackPlan } from './types';

export type { PromotionOutcome, RollbackPlan } from './types';
export type { RollbackOptions } from './rollback';
export type { SignedApproval } from './approvals';

/**
 * What a person asks for: a plan request plus how it was confirmed and which pipeline. Approvals are not asked for:
 * they are the signed records on the remote's approvals ref (approvals.ts), read when the plan is made.
 */
export interface PromoteOptions extends PromotionRequest {
  /** The pipeline's name when the repository has several. */
  readonly pipeline?: string;
  /** Default `flag`. */
  readonly confirmation?: Confirmation;
  /** Also compare each target cluster's promoted render with its live state (plan only). */
  readonly live?: LiveDiffOptions;
}

/** A plan with where it builds and where it will push: the API contract's view, returned as it is. */
export type PlannedPromotion = PromotionPlanView;

/** Where the service keeps its history and how it behaves. */
export interface PromotionServiceOptions {
  /** The store's SQLite file (promotions, and the history the soak gate reads). */
  readonly storeFile: string;
  /** The clock (epoch ms); tests fix it. */
  readonly now?: () => number;
  /** How many times a rejected (non-fast-forward) push is re-planned and retried (default 3). */
  readonly maxAttempts?: number;
  /** Called just before each push with the attempt number (tests use it to let another clone push first). */
  readonly beforePush?: (attempt: number) => Promise<void> | void;
  /** Validators the plan runs per target cluster besides schema, lint and score (the admission-policy check). */
  readonly validators?: ExtraValidators;
}

/** Promotions of one repository. */
export class PromotionService {
  private constructor(
    readonly repo: GitRepository,
    private readonly opts: PromotionServiceOptions,
    /** The lock file serialising promotions of this repository (in its git folder, shared by its worktrees). */
    private readonly lockFile: string,
  ) {
    this.git = new PromotionGit(repo);
    this.signatures = verifierFor(repo.root);
    this.approvals = new ApprovalLedger(repo, this.signatures);
  }

  /** The signed approval records on the pipeline's remote. */
  private readonly approvals: ApprovalLedger;

  /** Verifies (and caches) the signatures of source revisions, for stages that require signed commits. */
  private readonly signatures: CommitSignatureVerifier;

  /** Fetch, tips and commit-and-push in temporary worktrees. */
  private readonly git: PromotionGit;

  /** Opens the repository at `dir`. */
  static async open(dir: string, opts: PromotionServiceOptions): Promise<PromotionService> {
    const repo = await GitRepository.open(dir);
    const common = (await repo.git.raw(['rev-parse', '--git-common-dir'])).trim();
    return new PromotionService(repo, opts, path.resolve(repo.root, common, 'flotilla-promotion.lock'));
  }

  /**
   * Fetches the pipeline's remote branch and plans the promotion on its tip; writes nothing. A repository without the
   * remote (the bundled example) is planned on its local branch, with a problem saying a remote is needed to promote.
   */
  async plan(req: PromoteOptions): Promise<PlannedPromotion> {
    const target = await this.target(req.pipeline, false);
    if (target.remote) await this.git.fetch(target.remote, target.branch);
    const planned = await this.planAt(req, target.remote, target.branch);
    if (!req.live) return planned;
    return { ...planned, live: await liveDiffs(this.repo, planned.base, planned.plan, req.live) };
  }

  /** Plans on what is already fetched, contacting no remote: the pipeline graph's validation verdicts. */
  async planFetched(req: PromoteOptions): Promise<PlannedPromotion> {
    const target = await this.target(req.pipeline, false);
    return this.planAt(req, target.remote, target.branch);
  }

  /** The checkout's HEAD against a revision (the one promotions build on): commits on each side only. */
  async checkoutAgainst(revision: string, known?: HeadInfo): Promise<{ revision: string; branch?: string; ahead: number; behind: number }> {
    const head = known ?? (await this.repo.head());
    const [ahead, behind] = head.sha === revision ? [0, 0] : (await this.repo.git.raw(['rev-list', '--left-right', '--count', `${head.sha}...${revision}`])).trim().split(/\s+/).map(Number);
    return { revision: head.sha, ...(head.branch ? { branch: head.branch } : {}), ahead: ahead ?? 0, behind: behind ?? 0 };
  }

  /** The promotions recorded, newest first. */
  history(limit = 100): PromotionRecordView[] {
    const log = this.openLog();
    try {
      return log.list(limit);
    } finally {
      log.close();
    }
  }

  /**
   * Plans and, when every gate passes, commits the edits in a worktree and pushes them. A rejected push (the remote
   * moved) is fetched, re-planned and retried; a remote that refuses the push stops cleanly with nothing pushed.
   */
  async execute(req: PromoteOptions): Promise<PromotionOutcome> {
    // The lock is taken before anything is awaited: concurrent promotions run in the order they were asked for.
    return withRepoLock(this.lockFile, async () => {
      const target = await this.target(req.pipeline);
      const log = this.openLog();
      try {
        await this.git.fetch(target.remote, target.branch);
        let planned = await this.planAt(req, target.remote, target.branch);
        const promoter = this.requirePromoter(planned);
        const id = log.start({ by: promoter, pipeline: planned.plan.pipeline, from: req.from, to: req.to, apps: changedApps(planned.plan), versions: planVersions(planned.plan), at: this.now() });
        const maxAttempts = this.opts.maxAttempts ?? 3;
        try {
          for (let attempt = 1; ; attempt++) {
            const blockers = [...planBlockers(planned.plan), ...planned.checkoutProblems];
            if (blockers.length > 0) {
              const result = blockers.length === planned.plan.gates.filter((g) => !g.passed).length ? 'blocked' : 'failed';
              return { record: log.finish(id, { result, baseRevision: planned.base, attempts: attempt, message: blockers.join('\n'), at: this.now() }), plan: planned.plan, blockers };
            }
            if (planned.plan.noop) {
              return { record: log.finish(id, { result: 'no-op', baseRevision: planned.base, attempts: attempt, message: `${req.to} already has ${req.from}'s versions`, at: this.now() }), plan: planned.plan, blockers: [] };
            }
            const branch = this.pushBranch(planned, target.pipeline);
            const files = planned.plan.apps.flatMap((a) => a.edits.map((e) => [e.file, e.after] as const));
            const pushed = await this.git.commitAndPush(planned.base, target.remote, branch, promotionMessage(planned.plan), async (wt) => {
              for (const [file, text] of files) {
                // A promotion edits files of a temporary checkout: never through a link committed to the repository.
                const link = linkOnPath(wt, file);
                if (link !== undefined) throw new FlotillaError({ severity: 'error', message: `refusing to write ${file}: ${link} is a symbolic link in the repository`, file });
                writeNoFollow(path.join(wt, file), text);
              }
              await this.opts.beforePush?.(attempt);
              return files.map(([f]) => f);
            });
            if (pushed.ok) {
              const record = log.finish(id, {
                result: 'pushed', commit: pushed.commit, branch, baseRevision: planned.base, attempts: attempt, at: this.now(),
                apps: changedApps(planned.plan), versions: planVersions(planned.plan),
              });
              recordPromotionEvents(this.opts.storeFile, planned.plan, pushed.commit, promoter, this.now());
              return { record, plan: planned.plan, blockers: [] };
            }
            if (!pushed.rejected || attempt >= maxAttempts) {
              const message = pushed.rejected ? `the remote kept moving: ${maxAttempts} attempts were rejected as non-fast-forward; nothing was pushed` : `push to ${target.remote} ${branch} failed; nothing was pushed: ${pushed.error}`;
              return { record: log.finish(id, { result: 'failed', baseRevision: planned.base, attempts: attempt, message, at: this.now() }), plan: planned.plan, blockers: [message] };
            }
            // Someone pushed first: build on their commit, and decide again (their change may already be ours, or a gate may now fail).
            await this.git.fetch(target.remote, target.branch);
            planned = await this.planAt(req, target.remote, target.branch);
          }
        } catch (err) {
          log.finish(id, { result: 'failed', message: formatProblem(toProblem(err)), at: this.now() });
          throw err;
        }
      } finally {
        log.close();
      }
    });
  }

  /**
   * Reverts a promotion's commit on the branch it was pushed to, recorded as a promotion of its own whose trailers and
   * record list the versions the target stage runs after it (see rollback.ts).
   */
  async rollback(id: number, opts: RollbackOptions = {}): Promise<PromotionOutcome> {
    return withRepoLock(this.lockFile, () => rollbackPromotion(this.rollbackContext(), id, opts));
  }

  /** What `rollback` would do, changing nothing: the revert's diff, the versions after it, its digest and gates. */
  async planRollback(id: number | { readonly commit: string }, opts: RollbackOptions = {}): Promise<RollbackPlan> {
    return planRollback(this.rollbackContext(), id, opts);
  }

  /**
   * Plans a promotion and signs an approval of its digest, pushed to the pipeline's remote. `digest` (what the approver
   * reviewed) must be the plan's digest now; a plan with errors or nothing to change is not approved.
   */
  async approve(req: PromoteOptions & { readonly digest?: string }): Promise<{ readonly planned: PlannedPromotion; readonly approval: SignedApproval }> {
    const planned = await this.plan(req);
    const { plan } = planned;
    const errors = planBlockers(plan).filter((b) => !b.startsWith('gate '));
    if (!planned.remote) throw new FlotillaError(problem(`approvals are pushed to the pipeline's remote, which ${this.repo.root} does not have: ${planned.checkoutProblems.join('; ') || 'add it with git remote add'}`));
    if (errors.length > 0 || !plan.digest) throw new FlotillaError(problem(`the plan ${plan.from} -> ${plan.to} has errors and cannot be approved:\n  ${errors.join('\n  ')}`));
    if (plan.noop) throw new FlotillaError(problem(`nothing to approve: ${plan.to} already has ${plan.from}'s versions`));
    const subject: ApprovalSubject = { kind: 'promotion', pipeline: plan.pipeline, stage: plan.to, digest: plan.digest, subject: `${plan.from} -> ${plan.to}: ${changedApps(plan).join(', ')} at ${planned.base.slice(0, 7)}` };
    return { planned, approval: await this.signApproval(planned.remote, subject, req.digest) };
  }

  /**
   * Plans a rollback and signs an approval of its digest (as `approve` does for a promotion). The promotion is named by
   * its id in this store, or by its commit (an approver on another machine, whose store never recorded it).
   */
  async approveRollback(id: number | { readonly commit: string }, opts: RollbackOptions & { readonly digest?: string } = {}): Promise<{ readonly plan: RollbackPlan; readonly approval: SignedApproval }> {
    const plan = await this.planRollback(id, opts);
    const r = plan.promotion;
    const subject: ApprovalSubject = { kind: 'rollback', pipeline: r.pipeline, stage: r.to, digest: plan.digest, subject: `rollback of ${r.commit!.slice(0, 7)} (${r.id ? `#${r.id}: ` : ''}${r.apps.join(', ')}, ${r.from} -> ${r.to}) at ${plan.base.slice(0, 7)}` };
    return { plan, approval: await this.signApproval(plan.remote, subject, opts.digest) };
  }

  private async signApproval(remote: string, subject: ApprovalSubject, expected: string | undefined): Promise<SignedApproval> {
    if (expected !== undefined && expected !== subject.digest && shortDigest(subject.digest) !== expected) {
      throw new FlotillaError(problem(`the plan changed: its digest is now ${subject.digest}, not ${expected} (the one you asked to approve); review the plan again and approve its new digest`));
    }
    return this.approvals.approve(remote, subject, this.opts.maxAttempts ?? 3);
  }

  /**
   * What the gates need beyond the pipeline and the history: the approval records on the remote (fetched now; only
   * for a stage that requires approvals), the promoter, and the verified signature of the revision built on.
   */
  private async trustContext(pipeline: PipelineSpec, stage: string, remote: string, base: string): Promise<Pick<GateContext, 'approvals' | 'promoter' | 'sourceSignature'>> {
    const gates = pipeline.stages.find((s) => s.name === stage)?.gates;
    const approvals = gates && gates.requiredApprovals > 0 && remote ? await this.approvals.records(remote) : [];
    const promoter = await this.approvals.promoter(await this.git.identity());
    const sourceSignature = gates?.signedCommits ? await this.signatures.verifyOne(base) : undefined;
    return { approvals, promoter, ...(sourceSignature ? { sourceSignature } : {}) };
  }

  /** The gates of a rollback out of `stage`: the stage's own (freeze, approvals of this digest, signed commits, manual-only). */
  private async rollbackGates(q: { readonly pipeline: string; readonly stage: string; readonly remote: string; readonly base: string; readonly digest: string; readonly confirmation: Confirmation }): Promise<GateResult[]> {
    let pipeline: PipelineSpec;
    try {
      pipeline = this.choosePipeline(this.repo.treeAt(q.base), q.pipeline);
    } catch (err) {
      return [{ gate: 'validation', stage: q.stage, passed: false, reason: `the gates of ${q.stage} cannot be read at ${q.base.slice(0, 7)}: ${formatProblem(toProblem(err))}` }];
    }
    const stage = pipeline.stages.find((s) => s.name === q.stage);
    if (!stage) return [{ gate: 'validation', stage: q.stage, passed: false, reason: `pipeline ${pipeline.name} has no stage ${q.stage} at ${q.base.slice(0, 7)}: its gates cannot be checked` }];
    const ctx: GateContext = { now: this.now(), confirmation: q.confirmation, ...(await this.trustContext(pipeline, stage.name, q.remote, q.base)) };
    return stageGates(stage.name, stage.gates, ctx, { kind: 'rollback', pipeline: pipeline.name, digest: q.digest });
  }

  private rollbackContext(): RollbackContext {
    return {
      git: this.git,
      maxAttempts: this.opts.maxAttempts ?? 3,
      ...(this.opts.beforePush ? { beforePush: this.opts.beforePush } : {}),
      now: () => this.now(),
      openLog: () => this.openLog(),
      target: (name) => this.target(name),
      gates: (q) => this.rollbackGates(q),
    };
  }

  /** Records a verification verdict on a promotion. */
  recordVerification(id: number, verified: boolean, message: string): PromotionRecordView {
    const log = this.openLog();
    try {
      return log.finish(id, { result: verified ? 'verified' : 'verify-failed', message, at: this.now() });
    } finally {
      log.close();
    }
  }

  /** The pipelines of the repository at a revision, and their parse problems. */
  pipelinesAt(tree: FileTree, scan: RepoScan = scanRepository(tree)): { pipelines: PipelineSpec[]; problems: string[] } {
    const files = [...new Set(scan.pipelines.map((p) => p.file))];
    const pipelines: PipelineSpec[] = [];
    // A pipeline file that does not parse is not among scan.pipelines: its problems are found by the fleet's globs.
    const problems: string[] = scan.problems.filter((p) => p.file !== undefined && !files.includes(p.file) && matchesAny(p.file, scan.fleet.pipelines) && isPipelineText(tree.read(p.file) ?? '')).map(formatProblem);
    for (const f of files) {
      const r = parsePipelineFile(tree.read(f) ?? '', f);
      pipelines.push(...r.pipelines);
      problems.push(...r.problems.map(formatProblem));
    }
    return { pipelines, problems };
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** The promotion log of this repository (keyed by its identity), claiming older unkeyed records whose commit it holds. */
  private openLog(): PromotionLog {
    const log = PromotionLog.open(this.opts.storeFile, this.repo.identity());
    try {
      log.claimLegacy((sha) => this.repo.hasCommit(sha));
    } catch (err) {
      log.close();
      throw err;
    }
    return log;
  }

  /** The pipeline (chosen by name, or the only one) read at the current HEAD, and where it pushes. */
  private async target(name: string | undefined, requireRemote = true): Promise<{ pipeline: PipelineSpec; remote: string; branch: string }> {
    const head = await this.repo.head();
    const pipeline = this.choosePipeline(this.repo.treeAt(head.sha), name);
    const remote = pipeline.git.remote;
    const remotes = (await this.repo.git.getRemotes()).map((r) => r.name);
    const branch = pipeline.git.branch ?? head.branch ?? 'main';
    if (!remotes.includes(remote) && !requireRemote) return { pipeline, remote: '', branch };
    if (!remotes.includes(remote)) {
      throw new FlotillaError(problem(`promotions push to the remote "${remote}", which ${this.repo.root} does not have (remotes: ${remotes.join(', ') || 'none'}); set spec.git.remote in the pipeline`, { file: pipeline.file, line: pipeline.line }));
    }
    return { pipeline, remote, branch };
  }

  /**
   * Where the Promotions page reads its pipelines: the fetched remote branch promotions build on and push to (what the
   * GitOps tool deploys, so a pushed promotion shows at once), else the checkout's HEAD when there is no such remote.
   */
  async pipelinesRevision(pipelinesAt: (sha: string) => readonly PipelineSpec[] = (sha) => this.pipelinesAt(this.repo.treeAt(sha)).pipelines, known?: HeadInfo): Promise<{ readonly revision: string; readonly ref: string }> {
    const head = known ?? (await this.repo.head());
    const first = pipelinesAt(head.sha)[0];
    if (first) {
      const branch = first.git.branch ?? head.branch ?? 'main';
      const sha = this.repo.resolve(`refs/remotes/${first.git.remote}/${branch}`);
      if (sha) return { revision: sha, ref: `${first.git.remote}/${branch}` };
    }
    return { revision: head.sha, ref: head.branch ?? 'HEAD' };
  }

  /**
   * Each stage's status at a revision for the pipeline graph: the apps behind the stage they are promoted from and the
   * gates' current verdicts (soak from the recorded history, freeze windows, approvals still needed), nothing rendered.
   */
  stageStatusesAt(pipeline: PipelineSpec, revision: string, tree: FileTree, scan: RepoScan, versions: readonly AppVersions[], applications: readonly GeneratedApplication[] = this.applicationsAt(revision, scan)): StageStatus[] {
    const history = historyReader(this.opts.storeFile);
    try {
      return stageStatuses({
        pipeline,
        tree,
        clusters: fleetClusters(scan),
        applications,
        versions,
        gates: { now: this.now(), confirmation: 'interactive', ...(history ? { history: history.read } : {}), versionsAt: versionsReader(this.repo, pipeline, { revision, versions }) },
      });
    } finally {
      history?.close();
    }
  }

  /** The Applications the repository generates at a revision (its branch standing for HEAD), for the gates. */
  applicationsAt(revision: string, scan: RepoScan): GeneratedApplication[] {
    return generateAll(scan, this.readerAt(revision, '', scan.fleet.repoURLs)).apps.map((a) => ({ application: a.application, appset: a.appset }));
  }

  private choosePipeline(tree: FileTree, name: string | undefined): PipelineSpec {
    const { pipelines, problems } = this.pipelinesAt(tree);
    if (problems.length > 0) throw new FlotillaError(problem(`the pipeline file does not parse:\n  ${problems.join('\n  ')}`));
    if (pipelines.length === 0) throw new FlotillaError(problem('no Pipeline (apiVersion flotilla.dev/v1alpha1, kind Pipeline) in the repository; see README "Flotilla file kinds"'));
    if (name === undefined) {
      if (pipelines.length > 1) throw new FlotillaError(problem(`the repository has ${pipelines.length} pipelines (${pipelines.map((p) => p.name).join(', ')}): name one with --pipeline`));
      return pipelines[0]!;
    }
    const p = pipelines.find((x) => x.name === name);
    if (!p) throw new FlotillaError(problem(`no pipeline named ${name} (pipelines: ${pipelines.map((x) => x.name).join(', ')})`));
    return p;
  }

  private async planAt(req: PromoteOptions, remote: string, branch: string): Promise<PlannedPromotion> {
    const base = remote ? this.git.remoteTip(remote, branch) : this.git.localTip(branch);
    const tree = this.repo.treeAt(base);
    const scan = scanRepository(tree);
    const pipeline = this.choosePipeline(tree, req.pipeline);
    const git = this.readerAt(base, branch, scan.fleet.repoURLs);
    const generated = generateAll(scan, git);
    const promoter = await this.git.identity();
    // Approvals are fetched from the remote now; a stage requiring signed commits verifies the revision built on.
    const trust = await this.trustContext(pipeline, req.to, remote, base);
    const history = historyReader(this.opts.storeFile);
    try {
      const gates: GateContext = {
        now: this.now(),
        confirmation: req.confirmation ?? 'flag',
        ...trust,
        ...(history ? { history: history.read } : {}),
        versionsAt: versionsReader(this.repo, pipeline),
      };
      // A plan with live diffs reads the target clusters' version and API groups for Helm; else the fleet file's.
      const clusters = fleetClusters(scan);
      const toStage = pipeline.stages.find((s) => s.name === req.to);
      const targets = new Set(toStage ? stageClusters(toStage, clusters) : []);
      const caps = await readCapabilities(req.live ? { kubeconfig: req.live.kubeconfig ?? chooseKubeconfig().files, ...(req.live.timeoutMs ? { timeoutMs: req.live.timeoutMs } : {}) } : { offline: 'a plan without live diffs contacts no cluster' }, clusters.filter((c) => targets.has(c.name)));
      const renderWith = renderOptions(scan, clusters, caps.lookup);
      caps.close();
      const plan = planPromotion({
        renderWith,
        pipeline,
        request: { from: req.from, to: req.to, apps: req.apps, ...(req.images ? { images: req.images } : {}) },
        tree,
        clusters: fleetClusters(scan),
        applications: generated.apps.map((a) => ({ application: a.application, appset: a.appset })),
        loadRestrictor: scan.fleet.loadRestrictor,
        gates,
        // A stage requiring `admission` checks its clusters' policies as the repository renders them at the base.
        validators: planValidators(tree, fleetClusters(scan), scan.fleet.validation?.ignore ?? [], this.opts.validators ?? (toStage?.validation?.admission ? repositoryAdmission(generated.apps, git, renderWith) : undefined)),
      });
      const checkoutProblems = await this.checkoutProblems(plan, remote, branch, pipeline.git.remote);
      return { plan, remote, branch, base, ...(promoter ? { promoter } : {}), checkoutProblems };
    } finally {
      history?.close();
    }
  }

  /** Uncommitted or unpushed changes to the files the promotion edits: the user would not get what they see. */
  private async checkoutProblems(plan: PromotionPlan, remote: string, branch: string, wanted: string): Promise<string[]> {
    const files = plan.apps.flatMap((a) => a.edits.map((e) => e.file));
    if (files.length === 0) return [];
    const out: string[] = [];
    if (!remote) {
      out.push(`${this.repo.root} has no remote "${wanted}": this plan shows its local branch ${branch}; promotions commit and push to a remote (add it with git remote add ${wanted} URL, or set spec.git.remote in the pipeline)`);
      return out;
    }
    const status = await this.repo.git.raw(['status', '--porcelain', '--', ...files]);
    for (const line of status.split('\n').filter(Boolean)) {
      out.push(`${line.slice(3)} has uncommitted changes in ${this.repo.root}: commit and push them, or discard them, before promoting (the promotion builds on ${remote}/${branch})`);
    }
    const local = this.repo.resolve(`refs/heads/${branch}`);
    if (local) {
      const ahead = (await this.repo.git.raw(['log', '--format=%h', `refs/remotes/${remote}/${branch}..${local}`, '--', ...files])).trim();
      if (ahead) out.push(`the local branch ${branch} has unpushed commits (${ahead.split('\n').join(', ')}) that change ${files.join(', ')}: push or drop them before promoting (the promotion builds on ${remote}/${branch})`);
    }
    return out;
  }

  private readerAt(base: string, branch: string, repoURLs: readonly string[]): GitReader {
    const origin = this.repo.originUrl();
    const known = new Set([...repoURLs, origin ?? '', this.repo.root].filter(Boolean).map(normalizeRepoUrl));
    return {
      treeAt: (repoURL, revision) => {
        if (!known.has(normalizeRepoUrl(repoURL))) throw new FlotillaError(problem(`repoURL ${repoURL} is not the open repository`));
        // The branch the promotion builds on stands for HEAD: generators see what the GitOps tool will see.
        return this.repo.treeAt(revision === '' || revision === 'HEAD' || revision === branch ? base : revision);
      },
    };
  }

  private requirePromoter(planned: Pick<PlannedPromotion, 'promoter'>): string {
    if (!planned.promoter) throw new FlotillaError(problem(`promotions are committed with your git identity: set it with git config user.name and git config user.email (in ${this.repo.root} or globally)`));
    return planned.promoter;
  }

  private pushBranch(planned: PlannedPromotion, pipeline: PipelineSpec): string {
    if (!pipeline.git.review) return planned.branch;
    const apps = changedApps(planned.plan);
    const slug = `${planned.plan.to}-${apps.length === 1 ? apps[0] : `${apps.length}-apps`}-${new Date(this.now()).toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
    return `${pipeline.git.reviewBranchPrefix}${slug.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`;
  }

}

/** Whether a file that did not parse looks like a Flotilla pipeline (not, say, a Tekton Pipeline). */
function isPipelineText(text: string): boolean {
  return /\bkind:\s*["']?Pipeline\b/.test(text) && /flotilla\.dev\/v1alpha1/.test(text);
}

