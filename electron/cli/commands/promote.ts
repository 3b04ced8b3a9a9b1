import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { formatProblem } from '../../../shared/problem';
import type { PromotionPlan } from '../../../shared/promotion/plan';
import { planBlockers } from '../../../shared/promotion/plan';
import { defaultDataDir } from '../../services/data-dir';
import type { PlannedPromotion, PromotionOutcome, RollbackPlan } from '../../services/promotion/promotion-service';
import { PromotionService } from '../../services/promotion/promotion-service';
import { verifyPromotion } from '../../services/promotion/verify';
import type { CliContext } from '../context';
import { action, cliKubeconfig, EXIT, outputOption, repoOption } from '../context';
import { timeoutArg } from '../durations';
import type { OutputFormat } from '../output';
import { printData } from '../output';

/** The store file of a data folder (`--data-dir`, else Flotilla's data folder). */
export function promotionStoreFile(dataDir: string | undefined): string {
  return path.join(dataDir !== undefined ? path.resolve(dataDir) : defaultDataDir(), 'flotilla.db');
}

/** Adds `--data-dir DIR`. */
export function promotionDataDirOption(cmd: Command): Command {
  return cmd.option('--data-dir <dir>', "Flotilla's data folder holding the store (default: FLOTILLA_DATA_DIR or the platform's)");
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/** Whether an app of the plan has no `images:` entries to read its versions from (promote.images then sees nothing). */
function versionsUnseen(p: PlannedPromotion['plan']): boolean {
  return p.apps.some((a) => a.problems.some((pr) => pr.severity === 'warning' && /no kustomization `images:` entries/.test(pr.message)));
}

/** The plan as text: per app the moves, the file edits and the rendered diff per target cluster; then the gates. */
export function planText(planned: Pick<PlannedPromotion, 'plan' | 'base' | 'remote' | 'branch' | 'checkoutProblems' | 'live'>): string {
  const p: PromotionPlan = planned.plan;
  let t = `Promotion ${p.from} -> ${p.to} (pipeline ${p.pipeline}) on ${planned.remote ? `${planned.remote}/` : 'the local branch '}${planned.branch} at ${planned.base.slice(0, 7)}\n`;
  if (p.digest) t += `Plan digest: ${p.digest}\n`;
  for (const a of p.apps) {
    t += `\n== ${a.app}: ${a.sourceDir} -> ${a.targetDir}\n`;
    if (a.moves.length === 0 && a.problems.length === 0) t += '   already up to date\n';
    for (const m of a.moves) t += `   ${m.kind} ${m.name}: ${m.from ?? '(unset)'} -> ${m.to}  (${m.file}${m.line ? `:${m.line}` : ''})\n`;
    for (const pr of a.problems) t += `   ${pr.severity}: ${formatProblem(pr)}\n`;
    for (const e of a.edits) t += `\n${e.diff}`;
    for (const c of a.clusters) {
      t += `\n-- rendered change on ${c.cluster}${c.application ? ` (${c.application})` : ''}: ${c.changes.length} resource(s)\n`;
      for (const pr of c.problems) t += `   ${pr.severity}: ${formatProblem(pr)}\n`;
      for (const ch of c.changes) t += ch.diff;
      const findings = (c.findings ?? []).filter((f) => f.severity !== 'info');
      if (c.findings) t += `-- validation of the promoted state on ${c.cluster} (${(c.checks ?? []).join(', ')}): ${findings.length === 0 ? 'no findings' : `${findings.length} finding(s)`}\n`;
      for (const f of findings) t += `   ${f.severity} ${f.check}/${f.id}: ${f.message}${f.source ? ` (${f.source.file}${f.source.line ? `:${f.source.line}` : ''})` : ''}\n`;
    }
  }
  for (const l of planned.live ?? []) {
    t += `\n-- against the live state of ${l.application} on ${l.cluster}: ${l.error ? `not compared (${l.error})` : l.sync === 'Synced' ? 'live already matches the promoted state' : `${l.resources.length} resource(s) differ`}\n`;
    for (const r of l.resources) t += r.diff ? r.diff : `   ${r.id}: ${r.missing ? 'missing on the cluster' : r.extra ? 'extra (would be pruned)' : r.sync}\n`;
  }
  for (const pr of p.problems) t += `${pr.severity}: ${formatProblem(pr)}\n`;
  t += gatesText(p.gates);
  for (const c of planned.checkoutProblems) t += `error: ${c}\n`;
  const unseen = versionsUnseen(p);
  t += p.noop && unseen ? `\nNothing can be promoted: Flotilla sees no versions to move (see the warning above).\n` : p.noop ? `\nNothing to promote: ${p.to} already has ${p.from}'s versions.\n` : p.ready && planned.checkoutProblems.length === 0 ? '\nReady to promote.\n' : '\nBlocked.\n';
  return t;
}

/** The gates' verdicts, one line each, with each approval record's verdict under its gate. */
export function gatesText(gates: PromotionPlan['gates']): string {
  if (gates.length === 0) return '';
  let t = '\nGates:\n';
  for (const g of gates) {
    t += `   [${g.passed ? 'pass' : 'FAIL'}] ${g.gate}${g.app ? ` ${g.app}` : ''}${g.cluster ? ` on ${g.cluster}` : ''}: ${g.reason}\n`;
    for (const a of g.approvals ?? []) t += `      ${a.counted ? 'counted ' : 'rejected'} ${a.reason}\n`;
  }
  return t;
}

/** A rollback's plan as text: what it reverts, on which tip, its digest, the versions after it, the gates and the diff. */
export function rollbackPlanText(p: RollbackPlan): string {
  const r = p.promotion;
  return (
    `Roll back promotion #${r.id} (${r.apps.join(', ')}, ${r.from} -> ${r.to}, commit ${r.commit!.slice(0, 7)}) on ${p.remote}/${p.branch} at ${p.base.slice(0, 7)} (dry run: nothing is committed)\n` +
    `Plan digest: ${p.digest}\n` +
    `${r.to} would run: ${p.versions.join(', ') || '(no versions read)'}\n` +
    gatesText(p.gates) +
    `\n${p.diff}`
  );
}

function outcomeText(o: PromotionOutcome): string {
  const r = o.record;
  const head = `promotion #${r.id} ${r.result}`;
  if (r.result === 'pushed') return `${head}: ${r.commit!.slice(0, 7)} on ${r.branch} (${r.apps.join(', ')}, ${r.from} -> ${r.to}${r.attempts > 1 ? `, after ${r.attempts} attempts` : ''})\n`;
  return `${head}${r.message ? `: ${r.message}` : ''}\n`;
}

interface PromoteCliOptions {
  readonly all?: boolean;
  readonly from?: string;
  readonly to?: string;
  readonly dryRun?: boolean;
  readonly yes?: boolean;
  readonly image?: string[];
  readonly approve?: string[];
  readonly pipeline?: string;
  readonly rollback?: string;
  readonly verify?: boolean;
  readonly live?: boolean;
  /** Milliseconds. */
  readonly verifyTimeout?: number;
  readonly kubeconfig?: string[];
  readonly repo?: string;
  readonly dataDir?: string;
  readonly output: OutputFormat;
}

/** A promotion id given on the command line. */
export function promotionId(text: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id <= 0) throw new Error(`--rollback expects a promotion id (a whole number), got "${text}"`);
  return id;
}

/** Asks on the terminal; resolves whether the person typed yes. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** `flotilla promote APP|--all --from S --to S [--dry-run] [--yes]` and `flotilla promote --rollback ID`. */
export function registerPromote(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('promote')
    .argument('[app]', 'the app to promote (as the pipeline names it, e.g. api)')
    .option('--all', 'every app of the source stage')
    .option('--from <stage>', 'the stage to promote from')
    .option('--to <stage>', 'the stage to promote to')
    .option('--dry-run', 'print the plan and the rendered diff per target cluster; change nothing')
    .option('-y, --yes', 'promote without asking (refused for manual-only stages); required when not on a terminal')
    .option('--image <name>', 'only this image (repeatable)', collect)
    .option('--approve <name>', 'no longer accepted: approvals are signed records (see flotilla approve)', collect)
    .option('--pipeline <name>', 'the pipeline, when the repository has several')
    .option('--rollback <id>', 'revert promotion ID (see `flotilla promotions`) through a new commit; with --dry-run, show the revert and the versions after it')
    .option('--live', 'also diff the promoted state against the live state of each target cluster (uses --kubeconfig)')
    .option('--verify', 'after pushing, wait until the target is Synced and Healthy at the new commit (else the promotion is marked failed)')
    .option('--verify-timeout <duration>', 'how long --verify waits: 10m, 90s (a plain number is seconds; default 10m)', timeoutArg('--verify-timeout'))
    .option('--kubeconfig <file>', "kubeconfig for --live and --verify (repeatable; default $KUBECONFIG, else the running sandbox's, else ~/.kube/config)", collect)
    .description('promote versions from one stage to the next by committing to Git: shows the edits, the rendered diff per target cluster and the gates first; exit 0 done, 1 blocked by a gate, 2 error');
  repoOption(outputOption(promotionDataDirOption(cmd))).action(
    action(ctx, async (app: string | undefined, opts: PromoteCliOptions) => {
      if (opts.approve) {
        throw new Error(
          `--approve ${opts.approve.join(' --approve ')}: a typed name is not an approval. An approver signs the plan's digest with their own git signing key: ` +
            '`flotilla approve APP --from STAGE --to STAGE` (or `flotilla approve --rollback ID`), which pushes the signed record to the remote; the gate then counts it',
        );
      }
      const svc = await PromotionService.open(opts.repo ?? ctx.cwd, { storeFile: promotionStoreFile(opts.dataDir) });
      if (opts.rollback !== undefined) {
        const id = promotionId(opts.rollback);
        const pipeline = opts.pipeline !== undefined ? { pipeline: opts.pipeline } : {};
        // The plan first, with the gates of the rolled-back stage: a gated rollback is refused before any prompt.
        const plan = await svc.planRollback(id, { ...pipeline, confirmation: opts.yes ? 'flag' : 'interactive' });
        // JSON and YAML print one document: the plan when nothing is pushed, else the record.
        if (opts.output === 'table') ctx.io.out(rollbackPlanText(plan));
        else if (opts.dryRun || !plan.ready) printData(ctx.io, opts.output, plan, () => '');
        if (!plan.ready) {
          ctx.io.err(`rollback of #${id} blocked by its stage's gates:\n  ${plan.gates.filter((g) => !g.passed).map((g) => `${g.gate}: ${g.reason}`).join('\n  ')}\n`);
          return EXIT.findings;
        }
        if (opts.dryRun) return EXIT.ok;
        let confirmation: 'interactive' | 'flag' = 'flag';
        if (!opts.yes) {
          if (!process.stdin.isTTY) throw new Error('refusing to roll back without --yes when not on a terminal');
          if (!(await confirm(`Roll back promotion #${id}? [y/N] `))) return EXIT.findings;
          confirmation = 'interactive';
        }
        const out = await svc.rollback(id, { ...pipeline, confirmation });
        if (opts.output === 'table') ctx.io.out(outcomeText(out));
        else printData(ctx.io, opts.output, out.record, () => '');
        return out.record.result === 'pushed' ? EXIT.ok : out.record.result === 'blocked' ? EXIT.findings : EXIT.error;
      }
      if (!opts.from || !opts.to) throw new Error('--from and --to are required (e.g. flotilla promote api --from staging --to prod)');
      if ((app === undefined) === !opts.all) throw new Error(app === undefined ? 'name an app or pass --all' : `name an app or pass --all, not both (${app} and --all)`);
      const request = {
        from: opts.from, to: opts.to, apps: opts.all ? ('all' as const) : [app!],
        ...(opts.image ? { images: opts.image } : {}), ...(opts.pipeline ? { pipeline: opts.pipeline } : {}),
      };
      const planned = await svc.plan({ ...request, confirmation: opts.yes ? 'flag' : 'interactive', ...(opts.live ? { live: { kubeconfig: cliKubeconfig(ctx, opts.kubeconfig ? { flag: opts.kubeconfig } : {}) } } : {}) });
      const blockers = [...planBlockers(planned.plan), ...planned.checkoutProblems];
      if (opts.dryRun || opts.output !== 'table') printData(ctx.io, opts.output, planned, () => planText(planned));
      else ctx.io.out(planText(planned));
      const code = blockers.length === 0 ? EXIT.ok : planned.plan.gates.filter((g) => !g.passed).length === blockers.length ? EXIT.findings : EXIT.error;
      // Nothing to promote because Flotilla could not see the versions is not "in sync": unknown is never success.
      if (planned.plan.noop && code === EXIT.ok && versionsUnseen(planned.plan)) return EXIT.findings;
      if (opts.dryRun || planned.plan.noop || code !== EXIT.ok) return code;
      let confirmation: 'interactive' | 'flag' = 'flag';
      if (!opts.yes) {
        if (!process.stdin.isTTY) {
          ctx.io.err('error: refusing to promote without --yes when not on a terminal (use --dry-run to see the plan)\n');
          return EXIT.error;
        }
        if (!(await confirm(`Promote ${planned.plan.apps.filter((a) => a.edits.length).map((a) => a.app).join(', ')} from ${opts.from} to ${opts.to}? [y/N] `))) {
          ctx.io.err('not promoted\n');
          return EXIT.findings;
        }
        confirmation = 'interactive';
      }
      const out = await svc.execute({ ...request, confirmation });
      if (opts.output === 'table') ctx.io.out(outcomeText(out));
      if (out.record.result !== 'pushed') {
        if (opts.output !== 'table') printData(ctx.io, opts.output, out.record, () => '');
        return out.record.result === 'no-op' ? EXIT.ok : out.record.result === 'blocked' ? EXIT.findings : EXIT.error;
      }
      let record = out.record;
      if (opts.verify) {
        ctx.io.err(`verifying ${record.to}: waiting until Synced and Healthy at ${record.commit!.slice(0, 7)}...\n`);
        record = await verifyPromotion(svc, record.id, { timeoutMs: opts.verifyTimeout ?? 600_000, kubeconfig: cliKubeconfig(ctx, opts.kubeconfig ? { flag: opts.kubeconfig } : {}) });
        if (opts.output === 'table') ctx.io.out(`promotion #${record.id} ${record.result}: ${record.message ?? ''}\n`);
      }
      if (opts.output !== 'table') printData(ctx.io, opts.output, record, () => '');
      return record.result === 'verify-failed' ? EXIT.error : EXIT.ok;
    }),
  );
}
