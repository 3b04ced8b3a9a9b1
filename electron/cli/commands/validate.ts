import path from 'node:path';
import type { Command } from 'commander';
import type { ValidationFinding } from '../../../shared/validate/finding';
import type { ValidationReport } from '../../../shared/validate/report';
import { allFindings, countFindings } from '../../../shared/validate/report';
import { renderValidationJunit } from '../../../shared/validate/render-junit';
import { renderValidationSarif } from '../../../shared/validate/render-sarif';
import { FleetService } from '../../services/fleet-service';
import { GitRepository } from '../../services/git-repo';
import { validateFleet } from '../../services/validate/validate-service';
import type { CliContext } from '../context';
import { action, EXIT } from '../context';
import { formatTable, printProblems } from '../output';

type ValidateFormat = 'table' | 'json' | 'sarif' | 'junit';

interface ValidateCliOptions {
  readonly repo?: string;
  readonly revision?: string;
  readonly app?: string;
  readonly cluster?: string;
  readonly all?: boolean;
  readonly output: ValidateFormat;
}

function parseValidateFormat(v: string): ValidateFormat {
  if (v === 'table' || v === 'json' || v === 'sarif' || v === 'junit') return v;
  throw new Error(`unknown output format "${v}": expected table, json, sarif or junit`);
}

/** `flotilla validate [PATH | --app NAME [--cluster C] | --all] [-o table|json|sarif|junit]`: exit 0 clean, 1 findings, 2 error. */
export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description("validate rendered objects per target cluster: schemas (the cluster's Kubernetes version and CRDs, strict), lint, security score")
    .argument('[path]', 'a file or folder of the repository, validated as written (a kustomization is built)')
    .option('--repo <dir>', 'the GitOps repository (default: the current directory)')
    .option('--revision <rev>', 'validate the apps at this git revision')
    .option('--app <name>', 'validate this Application')
    .option('--cluster <name>', 'only the apps that deploy to this cluster')
    .option('--all', 'validate every Application of the fleet')
    .option('-o, --output <format>', 'output format: table, json, sarif or junit', parseValidateFormat, 'table' as ValidateFormat)
    .action(
      action(ctx, async (target: string | undefined, opts: ValidateCliOptions) => {
        if (target === undefined && !opts.app && !opts.all && !opts.cluster) throw new Error('name a PATH to validate, or --app NAME [--cluster C], or --all');
        const fleet = await FleetService.open(opts.repo ?? (target !== undefined ? (GitRepository.topLevel(ctx.cwd) ?? ctx.cwd) : ctx.cwd));
        const report = await validateFleet(fleet, {
          ...(target !== undefined ? { path: relativeTo(fleet.repo.root, ctx.cwd, target) } : {}),
          ...(opts.app ? { app: opts.app } : {}),
          ...(opts.cluster ? { cluster: opts.cluster } : {}),
          ...(opts.revision ? { revision: opts.revision } : {}),
        });
        const problems = [...report.problems, ...report.targets.flatMap((t) => t.problems)];
        printProblems(ctx.io, problems);
        ctx.io.out(format(report, opts.output));
        const counts = countFindings(allFindings(report));
        if (opts.output === 'table') ctx.io.err(summaryLine(report, counts));
        if (problems.some((p) => p.severity === 'error')) return EXIT.error;
        return counts.error + counts.warning > 0 ? EXIT.findings : EXIT.ok;
      }),
    );
}

/** A PATH on the command line is relative to the working directory; the service takes it relative to the repository. */
function relativeTo(root: string, cwd: string, target: string): string {
  return path.relative(root, path.resolve(cwd, target)).split(path.sep).join('/') || '.';
}

function format(report: ValidationReport, output: ValidateFormat): string {
  if (output === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (output === 'sarif') return renderValidationSarif(report, process.env.FLOTILLA_VERSION ?? '0.1.0');
  if (output === 'junit') return renderValidationJunit(report);
  const rows = allFindings(report)
    .filter((f) => f.severity !== 'info')
    .map((f: ValidationFinding) => [f.severity, `${f.check}/${f.id}`, f.cluster ?? '', f.app ?? '', `${f.object.kind}/${f.object.name}`, f.source ? `${f.source.file}${f.source.line ? `:${f.source.line}` : ''}` : '', f.message]);
  const scores = allFindings(report).filter((f) => f.score !== undefined);
  const scoreRows = scores.map((f) => [f.cluster ?? '', f.app ?? '', `${f.object.kind}/${f.object.name}`, String(f.score), f.severity === 'error' ? 'failed' : 'passed']);
  return (rows.length > 0 ? formatTable(['severity', 'check', 'cluster', 'app', 'object', 'source', 'message'], rows) : 'no findings\n') + (scoreRows.length > 0 ? `\n${formatTable(['cluster', 'app', 'workload', 'score', 'kubesec'], scoreRows)}` : '');
}

function summaryLine(report: ValidationReport, c: { error: number; warning: number }): string {
  const objects = report.targets.reduce((n, t) => n + t.objects, 0);
  const versions = [...new Set(report.targets.map((t) => t.kubernetesVersion))].join(', ');
  return `validated ${objects} objects in ${report.targets.length} target${report.targets.length === 1 ? '' : 's'} (Kubernetes ${versions}): ${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}\n`;
}
