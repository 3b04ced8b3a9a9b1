import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { ClusterSpec } from '../../../shared/model/fleet';
import { FlotillaError } from '../../../shared/problem';
import { FLEET_FILE } from '../../../shared/repo/scan';
import { ClusterManager } from '../../services/cluster/cluster-manager';
import { FleetService } from '../../services/fleet-service';
import type { CliContext } from '../context';
import { action, cliKubeconfig, EXIT, outputOption } from '../context';
import { timeoutArg } from '../durations';
import type { OutputFormat } from '../output';
import { formatTable, printData, printProblems } from '../output';

/** Options shared by the commands that reach clusters. */
export interface ClusterCliOptions {
  readonly repo?: string;
  readonly kubeconfig?: string[];
  readonly sandbox?: boolean;
  /** Milliseconds (default 10 s). */
  readonly timeout?: number;
}

/** Adds `--repo`, `--kubeconfig`, `--sandbox` and `--timeout` to a command that reaches clusters. */
export function clusterOptions(cmd: Command): Command {
  return cmd
    .option('--repo <dir>', "the GitOps repository whose fleet file names the clusters (default: the current folder if it has flotilla.yaml, else every kubeconfig context)")
    .option('--kubeconfig <file...>', "kubeconfig files (default: $KUBECONFIG, else the running sandbox's, else ~/.kube/config)")
    .option('--sandbox', 'use the kubeconfig of `flotilla sandbox up` (an error when it is not running)')
    .option('--timeout <duration>', 'deadline of every API call: 30s, 2m, 500ms (a plain number is seconds; default 10s)', timeoutArg());
}

/** The cluster manager for a command: kubeconfig from the options, clusters from the fleet file when there is one. */
export async function managerFor(ctx: CliContext, opts: ClusterCliOptions): Promise<ClusterManager> {
  const kubeconfigPaths = cliKubeconfig(ctx, { ...(opts.kubeconfig ? { flag: opts.kubeconfig } : {}), ...(opts.sandbox ? { sandbox: true } : {}) });
  let clusters: readonly ClusterSpec[] | undefined;
  const repo = opts.repo ? path.resolve(ctx.cwd, opts.repo) : existsSync(path.join(ctx.cwd, 'flotilla.yaml')) ? ctx.cwd : undefined;
  if (repo) {
    const overview = await (await FleetService.open(repo)).overview();
    // An invalid fleet file is an error, never a silent fall back to every kubeconfig context.
    const errors = overview.problems.filter((p) => p.severity === 'error' && p.file === FLEET_FILE);
    if (errors.length > 0) {
      const first = errors[0]!;
      throw new FlotillaError({ ...first, message: `invalid fleet file: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more problem(s) in ${FLEET_FILE})` : ''}` });
    }
    if (overview.repo.fleet && overview.repo.fleet.clusters.length) clusters = overview.repo.fleet.clusters;
  }
  const manager = ClusterManager.fromKubeconfig({ kubeconfigPaths, ...(clusters ? { clusters } : {}), timeoutMs: opts.timeout ?? 10_000 });
  // A kubeconfig that cannot be read is "could not run", not a cluster finding.
  const unreadable = manager.problems.find((p) => p.severity !== 'warning' && /kubeconfig could not be read/.test(p.message));
  if (unreadable) {
    manager.close();
    throw new FlotillaError(unreadable);
  }
  return manager;
}

/** `flotilla clusters`: every cluster of the fleet (or kubeconfig) with its state, version and reason. */
export function registerClusters(program: Command, ctx: CliContext): void {
  const cmd = program.command('clusters').description('connect to every cluster of the fleet (or every kubeconfig context) and show its state and version');
  clusterOptions(outputOption(cmd)).action(
    action(ctx, async (opts: ClusterCliOptions & { output: OutputFormat }) => {
      const m = await managerFor(ctx, opts);
      try {
        const infos = await m.status();
        printData(ctx.io, opts.output, { clusters: infos, problems: m.problems }, () =>
          formatTable(['cluster', 'context', 'environment', 'state', 'version', 'server', 'reason'], infos.map((i) => [i.cluster, i.context, i.environment ?? '', i.state, i.version ?? '', i.server, i.reason ?? ''])));
        printProblems(ctx.io, m.problems);
        return infos.every((i) => i.state === 'ready') ? EXIT.ok : EXIT.findings;
      } finally {
        m.close();
      }
    }),
  );
}
