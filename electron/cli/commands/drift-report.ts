import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { DriftReportFormat } from '../../../shared/report/index';
import type { DriftReportInput } from '../../../shared/report/model';
import { buildDriftReport, DRIFT_REPORT_FORMATS, hasDrift, renderDriftReport, reportCoverage } from '../../../shared/report/index';
import { formatProblem } from '../../../shared/problem';
import { FleetStore } from '../../store/fleet-store';
import { GitRepository } from '../../services/git-repo';
import { signReportInput } from '../../services/report-signatures';
import { storeFile } from '../../store/location';
import type { CliContext } from '../context';
import { action, EXIT, repoOption } from '../context';
import { compareOptions, reportProblems } from './diff';
import type { RefreshCliOptions } from './refresh';
import { dataDirOption, refreshFleet, retentionOption } from './refresh';

/** Parses `-f`; throws with the accepted values on anything else. */
export function parseReportFormat(value: string): DriftReportFormat {
  if ((DRIFT_REPORT_FORMATS as readonly string[]).includes(value)) return value as DriftReportFormat;
  throw new InvalidArgumentError(`unknown report format "${value}": expected ${DRIFT_REPORT_FORMATS.join(', ')}`);
}

interface DriftReportCliOptions extends Omit<RefreshCliOptions, 'output'> {
  readonly offline?: boolean;
  readonly at?: string;
  readonly format: DriftReportFormat;
  readonly output?: string;
}

/**
 * `flotilla drift-report`: the fleet's drift as HTML, Markdown, JSON or JUnit. With `--offline` (or `--at`) it reads
 * only the store; otherwise it refreshes first (reads the clusters and records a snapshot). Exit 1 on drift.
 */
export function registerDriftReport(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('drift-report')
    .description('write a drift report (html, md, json or junit) of every app on every cluster; --offline reads only the store; exit 0 no drift, 1 drift or some app × clusters not compared, 2 nothing could be compared or error')
    .option('--offline', 'do not reach any cluster: report from the latest recorded snapshot')
    .option('--at <time>', 'report from the snapshot in effect at this ISO 8601 time (implies --offline)')
    .option('-f, --format <format>', `report format: ${DRIFT_REPORT_FORMATS.join(', ')}`, parseReportFormat, 'md' as DriftReportFormat)
    .option('-o, --output <file>', 'write the report to this file (default: standard output)');
  retentionOption(dataDirOption(repoOption(compareOptions(cmd)))).action(
    action(ctx, async (opts: DriftReportCliOptions) => {
      const offline = opts.offline === true || opts.at !== undefined;
      let file = storeFile(opts.dataDir);
      if (!offline) {
        const refreshed = await refreshFleet(ctx, { ...opts, output: 'table' });
        file = refreshed.file;
        reportProblems(ctx, refreshed.result);
      }
      const store = FleetStore.open(file, { readonly: true });
      let text: string;
      let drift: boolean;
      let coverage: ReturnType<typeof reportCoverage>;
      try {
        const input = store.driftReportInput({ ...(opts.at !== undefined ? { at: opts.at } : {}), source: offline ? 'offline' : 'live' });
        if (!input.snapshot) {
          throw new Error(`no snapshot recorded${opts.at !== undefined ? ` at or before ${opts.at}` : ''} in ${file}: run \`flotilla refresh\` first`);
        }
        // The signature of the commit each app × cluster runs, judged by the repository's trust (its keyring or
        // allowed-signers file); without a repository to look in, entries carry none and a warning says so.
        const signed = await reportSignatures(ctx, opts.repo ?? ctx.cwd, input);
        const report = buildDriftReport(signed);
        text = renderDriftReport(report, opts.format);
        drift = hasDrift(report);
        coverage = reportCoverage(report);
        const s = report.summary;
        ctx.io.err(`snapshot #${input.snapshot.id} (${input.snapshot.takenAt}): ${s.drifted} of ${s.appClusters} app × cluster(s) drifted, ${s.driftedResources} resource(s); ${s.unknown} unknown\n`);
        if (s.coverage) ctx.io.err(`${coverage === 'nothing' ? 'error' : 'warning'}: ${s.coverage}${coverage === 'nothing' ? ' — nothing could be compared: this is not "no drift"' : ''}\n`);
      } finally {
        store.close();
      }
      if (opts.output !== undefined) writeFileSync(opts.output, text);
      else ctx.io.out(text);
      // Could not look is never "no drift": 2 when nothing could be compared, 1 on drift or partial coverage.
      if (coverage === 'nothing') return EXIT.error;
      return drift || coverage === 'partial' ? EXIT.findings : EXIT.ok;
    }),
  );
}

/** The report input with the signature of the commit each entry runs, verified in the repository at `dir` (warns on stderr when it cannot). */
async function reportSignatures(ctx: CliContext, dir: string, input: DriftReportInput): Promise<DriftReportInput> {
  const root = GitRepository.topLevel(dir);
  if (!root) {
    ctx.io.err(`warning: ${dir} is not in a git repository: the report names no commit signatures (pass --repo)\n`);
    return input;
  }
  const { input: signed, problem } = await signReportInput(input, root);
  if (problem) ctx.io.err(`warning: ${formatProblem(problem)}\n`);
  return signed;
}
