import type { Command } from 'commander';
import { formatProblem } from '../../../shared/problem';
import { defaultDataDir } from '../../services/data-dir';
import { NotifyService } from '../../services/notify/notify-service';
import { Session } from '../../services/session';
import type { CliContext } from '../context';
import { action, cliKubeconfig, EXIT, outputOption, repoOption } from '../context';
import type { OutputFormat } from '../output';
import { formatTable, printData } from '../output';
import { dataDirOption } from './refresh';

/** `flotilla notify`: Argo CD–format notifications for the fleet as last recorded (run it after `flotilla refresh`). */
export function registerNotify(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('notify')
    .option('--config-cluster <name>', "read argocd-notifications-cm and its Secret from this cluster's argocd namespace when no file has them")
    .option('--config-namespace <ns>', "with --config-cluster: Argo CD's namespace there (default argocd)")
    .option('--kubeconfig <file>', 'kubeconfig file to reach --config-cluster (repeatable)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--history', 'list the latest deliveries instead of evaluating')
    .description("evaluate Argo CD's notification triggers (argocd-notifications-cm) on the fleet as last recorded, deliver what became due once, and list it; exits 1 when a delivery failed or the configuration has errors");
  dataDirOption(repoOption(outputOption(cmd))).action(
    action(ctx, async (opts: { repo?: string; dataDir?: string; configCluster?: string; configNamespace?: string; kubeconfig?: string[]; history?: boolean; output: OutputFormat }) => {
      const session = new Session({ repoPath: opts.repo ?? ctx.cwd, dataDir: opts.dataDir ?? defaultDataDir(), kubeconfig: opts.configCluster ? cliKubeconfig(ctx, { ...(opts.kubeconfig ? { flag: opts.kubeconfig } : {}) }) : [] });
      try {
        const notify = new NotifyService(session, { ...(opts.configCluster ? { configCluster: opts.configCluster } : {}), ...(opts.configNamespace ? { configNamespace: opts.configNamespace } : {}) });
        const table = (rows: readonly { at: string; appKey: string; trigger: string; template: string; service: string; recipient: string; outcome: string; attempts: number; error?: string }[]): string =>
          formatTable(['at', 'app', 'trigger', 'template', 'to', 'outcome', 'attempts', 'error'], rows.map((d) => [d.at, d.appKey, d.trigger, d.template, d.recipient ? `${d.service}:${d.recipient}` : d.service, d.outcome, String(d.attempts), d.error ?? '']));
        if (opts.history) {
          const rows = notify.deliveries();
          printData(ctx.io, opts.output, rows, () => (rows.length ? table(rows) : 'no notification delivered yet\n'));
          return EXIT.ok;
        }
        const pass = await notify.evaluate();
        for (const p of pass.problems) ctx.io.err(`${p.severity}: ${formatProblem(p)}\n`);
        if (!pass.source) throw new Error('no argocd-notifications-cm found: put argocd-notifications-cm.yaml in the data folder or the repository, or name a cluster with --config-cluster');
        printData(ctx.io, opts.output, pass.deliveries, () => (pass.deliveries.length ? table(pass.deliveries) : `nothing new to notify (configuration from ${pass.source})\n`));
        const failed = pass.deliveries.some((d) => d.outcome === 'failed') || pass.problems.some((p) => p.severity === 'error');
        return failed ? EXIT.findings : EXIT.ok;
      } finally {
        session.close();
      }
    }),
  );
}
