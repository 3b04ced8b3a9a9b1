import type { Command } from 'commander';
import { describeSignature } from '../../../shared/repo/signature';
import { APPROVALS_REF } from '../../../shared/promotion/approval';
import type { SignedApproval } from '../../services/promotion/promotion-service';
import { PromotionService } from '../../services/promotion/promotion-service';
import type { CliContext } from '../context';
import { action, EXIT, outputOption, repoOption } from '../context';
import type { OutputFormat } from '../output';
import { printData } from '../output';
import { confirm, planText, promotionDataDirOption, promotionId, promotionStoreFile, rollbackPlanText } from './promote';

interface ApproveCliOptions {
  readonly all?: boolean;
  readonly from?: string;
  readonly to?: string;
  readonly pipeline?: string;
  readonly rollback?: string;
  readonly digest?: string;
  readonly yes?: boolean;
  readonly repo?: string;
  readonly dataDir?: string;
  readonly output: OutputFormat;
}

/** What was signed and whether this repository's trust verifies it (else the gate will not count it). */
function approvalText(a: SignedApproval): string {
  const good = a.signature.status === 'good';
  return (
    `approved ${a.subject.kind === 'rollback' ? a.subject.subject : `promotion ${a.subject.subject}`}\n` +
    `  plan digest ${a.subject.digest}\n` +
    `  signed record ${a.commit.slice(0, 7)} pushed to ${a.remote} ${APPROVALS_REF}${a.attempts > 1 ? ` (after ${a.attempts} attempts)` : ''}\n` +
    `  ${good ? describeSignature(a.signature) : `warning: ${describeSignature(a.signature)}; the approval gate counts only signatures this repository trusts (gpg.ssh.allowedSignersFile or the GnuPG keyring)`}\n`
  );
}

/** `flotilla approve APP|--all --from S --to S` and `flotilla approve --rollback ID|COMMIT`: sign a plan's digest and push the record. */
export function registerApprove(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('approve')
    .argument('[app]', 'the app of the promotion to approve (as the pipeline names it)')
    .option('--all', 'every app of the source stage')
    .option('--from <stage>', 'the stage promoted from')
    .option('--to <stage>', 'the stage promoted to')
    .option('--rollback <id|commit>', "approve the rollback of a promotion instead: its id in this store, or its commit (a promotion this machine's store never recorded)")
    .option('--pipeline <name>', 'the pipeline, when the repository has several')
    .option('--digest <digest>', 'the plan digest you reviewed (from `flotilla promote --dry-run`): refused when the plan has changed since')
    .option('-y, --yes', 'approve without asking; without --digest the plan is still printed')
    .description(`sign a promotion's (or rollback's) plan digest with your git signing key and push the record to the pipeline's remote (${APPROVALS_REF}); exit 0 approved, 1 signed but not trusted by this repository, 2 error`);
  repoOption(outputOption(promotionDataDirOption(cmd))).action(
    action(ctx, async (app: string | undefined, opts: ApproveCliOptions) => {
      const svc = await PromotionService.open(opts.repo ?? ctx.cwd, { storeFile: promotionStoreFile(opts.dataDir) });
      const pipeline = opts.pipeline !== undefined ? { pipeline: opts.pipeline } : {};
      const ask = async (question: string): Promise<boolean> => {
        if (opts.yes || opts.digest !== undefined) return true;
        if (!process.stdin.isTTY) throw new Error('refusing to approve without --digest or --yes when not on a terminal: review the plan (flotilla promote --dry-run) and pass its digest');
        return confirm(question);
      };
      let approval: SignedApproval;
      if (opts.rollback !== undefined) {
        // Up to six digits is an id of this store; anything else names the promotion's commit.
        const id = /^\d{1,6}$/.test(opts.rollback) ? promotionId(opts.rollback) : { commit: opts.rollback };
        const plan = await svc.planRollback(id, pipeline);
        if (opts.output === 'table') ctx.io.out(rollbackPlanText(plan));
        if (!(await ask(`Sign an approval of this rollback (${plan.digest})? [y/N] `))) return EXIT.findings;
        approval = (await svc.approveRollback(id, { ...pipeline, digest: opts.digest ?? plan.digest })).approval;
      } else {
        if (!opts.from || !opts.to) throw new Error('--from and --to are required (e.g. flotilla approve api --from staging --to prod), or --rollback ID');
        if ((app === undefined) === !opts.all) throw new Error(app === undefined ? 'name an app or pass --all' : `name an app or pass --all, not both (${app} and --all)`);
        const request = { from: opts.from, to: opts.to, apps: opts.all ? ('all' as const) : [app!], ...pipeline };
        const planned = await svc.plan(request);
        if (opts.output === 'table') ctx.io.out(planText(planned));
        if (planned.plan.digest && !(await ask(`Sign an approval of this plan (${planned.plan.digest})? [y/N] `))) return EXIT.findings;
        approval = (await svc.approve({ ...request, ...(opts.digest ?? planned.plan.digest ? { digest: opts.digest ?? planned.plan.digest! } : {}) })).approval;
      }
      printData(ctx.io, opts.output, approval, () => `\n${approvalText(approval)}`);
      return approval.signature.status === 'good' ? EXIT.ok : EXIT.findings;
    }),
  );
}
