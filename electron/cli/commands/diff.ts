import type { Command } from 'commander';
import { formatProblem } from '../../../shared/problem';
import type { FleetCompareOptions, FleetComparison } from '../../services/fleet-compare';
import { compareFleet } from '../../services/fleet-compare';
import type { CliContext } from '../context';
import { action, cliKubeconfig, EXIT, outputOption, repoOption } from '../context';
import { timeoutArg } from '../durations';
import type { OutputFormat } from '../output';
import { printData, printProblems } from '../output';

/** Adds the options `diff` and `status` share: --cluster, --kubeconfig, --timeout. */
export function compareOptions(cmd: Command): Command {
  return cmd
    .option('--cluster <name>', 'only this cluster of the fleet')
    .option('--kubeconfig <file>', "kubeconfig file to reach the clusters (repeatable; default $KUBECONFIG, else the running sandbox's, else ~/.kube/config)", (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--server-side-diff', "compare with each cluster's server-side apply dry run (exact defaults and webhooks), as Argo CD's ServerSideDiff=true")
    .option('--timeout <duration>', 'deadline of each API call: 30s, 2m, 500ms (a plain number is seconds; default 10s)', timeoutArg());
}

/** The parsed options `diff` and `status` share. */
export interface CompareCliOptions {
  readonly repo?: string;
  readonly cluster?: string;
  readonly kubeconfig?: string[];
  /** Milliseconds. */
  readonly timeout?: number;
  readonly serverSideDiff?: boolean;
  readonly output: OutputFormat;
}

/** Turns the CLI options into `compareFleet` options; the kubeconfig is chosen as everywhere (see kubeconfig-choice). */
export function fleetCompareOptions(ctx: CliContext, opts: CompareCliOptions, app?: string): FleetCompareOptions {
  const kubeconfig = cliKubeconfig(ctx, { ...(opts.kubeconfig ? { flag: opts.kubeconfig } : {}) });
  return {
    repo: opts.repo ?? ctx.cwd,
    ...(app !== undefined ? { app } : {}),
    ...(opts.cluster !== undefined ? { cluster: opts.cluster } : {}),
    kubeconfig,
    ...(opts.timeout ? { timeoutMs: opts.timeout } : {}),
    ...(opts.serverSideDiff ? { serverSide: true } : {}),
  };
}

/**
 * Prints the problems of a comparison to stderr; says whether any is an error. With `rowsOnly` (one app asked for),
 * problems of other ApplicationSets are shown but do not count.
 */
export function reportProblems(ctx: CliContext, result: FleetComparison, rowsOnly = false): boolean {
  const rowProblems = result.rows.flatMap((r) => r.status.problems ?? []);
  const all = [...result.problems, ...rowProblems];
  const seen = new Set<string>();
  const distinct = all.filter((p) => {
    const line = `${p.severity}: ${formatProblem(p)}`;
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
  printProblems(ctx.io, distinct);
  // One line per distinct reason (a dead cluster makes all its apps Unknown for the same reason).
  const byReason = new Map<string, string[]>();
  for (const r of result.rows) if (r.status.error) byReason.set(r.status.error, [...(byReason.get(r.status.error) ?? []), r.app]);
  for (const [reason, apps] of byReason) ctx.io.err(`error: ${reason} (${apps.length === 1 ? 'app' : 'apps'} ${apps.join(', ')} not compared)\n`);
  return (rowsOnly ? rowProblems : all).some((p) => p.severity === 'error') || result.rows.some((r) => r.status.sync === 'Unknown');
}

/** `flotilla diff [APP] [--cluster C]`: the drift between Git (HEAD) and the clusters; exit 0 in sync, 1 drift, 2 error. */
export function registerDiff(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('diff')
    .argument('[app]', 'only this Application')
    .description('show how the live objects differ from Git (HEAD), as `argocd app diff` does; exit 0 in sync, 1 on drift, 2 on error');
  repoOption(outputOption(compareOptions(cmd))).action(
    action(ctx, async (app: string | undefined, opts: CompareCliOptions) => {
      const result = await compareFleet(fleetCompareOptions(ctx, opts, app));
      const drifted = result.rows.filter((r) => r.status.sync === 'OutOfSync');
      const data = result.rows.map((r) => ({
        app: r.app,
        cluster: r.cluster,
        revision: r.status.revision,
        sync: r.status.sync,
        ...(r.status.error ? { error: r.status.error } : {}),
        resources: r.status.resources
          .filter((res) => res.sync !== 'Synced')
          .map((res) => ({
            group: res.group, kind: res.kind, namespace: res.namespace, name: res.name, sync: res.sync,
            ...(res.missing ? { missing: true } : {}), ...(res.extra ? { extra: true } : {}),
            ...(res.changes ? { changes: res.changes } : {}), ...(res.diff ? { diff: res.diff } : {}),
          })),
      }));
      printData(ctx.io, opts.output, data, () => {
        const several = result.rows.length > 1;
        let text = '';
        for (const r of drifted) {
          if (several) text += `\n# ${r.app} on ${r.cluster}: OutOfSync\n`;
          for (const res of r.status.resources) if (res.diff) text += '\n' + res.diff;
        }
        return text;
      });
      const failed = reportProblems(ctx, result, app !== undefined);
      if (failed) return EXIT.error;
      return drifted.length > 0 ? EXIT.findings : EXIT.ok;
    }),
  );
}
