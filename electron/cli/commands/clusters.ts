import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { ClusterSpec } from '../../../shared/model/fleet';
import { formatProblem } from '../../../shared/problem';
import { ClusterManager } from '../../services/cluster/cluster-manager';
import { defaultDataDir } from '../../services/data-dir';
import { FleetService } from '../../services/fleet-service';
import { sandboxStatus } from '../../services/sandbox';
import type { CliContext } from '../context';
import { action, EXIT, outputOption } from '../context';
import type { OutputFormat } from '../output';
import { formatTable, printData } from '../output';

/** Options shared by the commands that reach clusters. */
export interface ClusterCliOptions {
  readonly repo?: string;
  readonly kubeconfig?: string[];
  readonly sandbox?: boolean;
  readonly timeout: number;
}

/** Adds `--repo`, `--kubeconfig`, `--sandbox` and `--timeout` to a command that reaches clusters. */
export function clusterOptions(cmd: Command): Command {
  return cmd
    .option('--repo <dir>', "the GitOps repository whose fleet file names the clusters (default: the current folder if it has flotilla.yaml, else every kubeconfig context)")
    .option('--kubeconfig <file...>', 'kubeconfig files (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--sandbox', 'use the kubeconfig of `flotilla sandbox up`')
    .option('--timeout <ms>', 'deadline of every API call in ms', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`--timeout must be a positive number of milliseconds, got "${v}"`);
      return n;
    }, 10_000);
}

/** The cluster manager for a command: kubeconfig from the options, clusters from the fleet file when there is one. */
export async function managerFor(ctx: CliContext, opts: ClusterCliOptions): Promise<ClusterManager> {
  let kubeconfigPaths = opts.kubeconfig;
  if (opts.sandbox) {
    const s = sandboxStatus(defaultDataDir());
    if (!s.kubeconfig) throw new Error('the sandbox is not running: start it with `flotilla sandbox up`');
    kubeconfigPaths = [s.kubeconfig];
  }
  let clusters: readonly ClusterSpec[] | undefined;
  const repo = opts.repo ? path.resolve(ctx.cwd, opts.repo) : existsSync(path.join(ctx.cwd, 'flotilla.yaml')) ? ctx.cwd : undefined;
  if (repo) {
    const overview = await (await FleetService.open(repo)).overview();
    if (overview.repo.fleet && overview.repo.fleet.clusters.length) clusters = overview.repo.fleet.clusters;
  }
  return ClusterManager.fromKubeconfig({ ...(kubeconfigPaths ? { kubeconfigPaths } : {}), ...(clusters ? { clusters } : {}), timeoutMs: opts.timeout });
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
        for (const p of m.problems) ctx.io.err(`${p.severity}: ${formatProblem(p)}\n`);
        return infos.every((i) => i.state === 'ready') ? EXIT.ok : EXIT.findings;
      } finally {
        m.close();
      }
    }),
  );
}
