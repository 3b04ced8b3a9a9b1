import type { Command } from 'commander';
import { defaultDataDir } from '../../services/data-dir';
import type { SandboxStatus } from '../../services/sandbox';
import { sandboxDown, sandboxStatus, sandboxUp } from '../../services/sandbox';
import type { CliContext } from '../context';
import { action, EXIT, outputOption } from '../context';
import type { OutputFormat } from '../output';
import { formatTable, printData } from '../output';

/** Prints a sandbox status as data or a table with the kubeconfig hint. */
function show(ctx: CliContext, format: OutputFormat, s: SandboxStatus): void {
  printData(ctx.io, format, s, () => {
    if (!s.clusters.length) return 'the sandbox is not running (start it with `flotilla sandbox up`)\n';
    const state = (up: boolean): string => (up ? 'running' : 'stopped');
    const table = formatTable(['cluster', 'context', 'server', 'apiserver', 'etcd', 'controllers'], s.clusters.map((c) => [c.name, c.context, c.server, state(c.apiserver), state(c.etcd), state(c.controllers)]));
    const resumed = s.restarted?.length ? `\nstarted again (data kept): ${s.restarted.join(', ')}\n` : '';
    return table + resumed + (s.kubeconfig ? `\nexport KUBECONFIG=${s.kubeconfig}\n` : '');
  });
}

/** `flotilla sandbox up|down|status`: the example fleet's clusters as real local control planes. */
export function registerSandbox(program: Command, ctx: CliContext): void {
  const sandbox = program.command('sandbox').description("run the example fleet's clusters (dev, staging, prod) as real local Kubernetes API servers");
  outputOption(sandbox.command('up').description('start the sandbox clusters (builds the cluster binaries on first use; they keep running in the background; after a crash, starts again only what died and keeps the data)')).action(
    action(ctx, async (opts: { output: OutputFormat }) => {
      const s = await sandboxUp(defaultDataDir(), { log: (l) => ctx.io.err(l + '\n') });
      show(ctx, opts.output, s);
      return s.running ? EXIT.ok : EXIT.error;
    }),
  );
  outputOption(sandbox.command('down').description('stop the sandbox clusters and delete their data')).action(
    action(ctx, async (opts: { output: OutputFormat }) => {
      show(ctx, opts.output, await sandboxDown(defaultDataDir()));
      return EXIT.ok;
    }),
  );
  outputOption(sandbox.command('status').description('show whether the sandbox clusters are running')).action(
    action(ctx, async (opts: { output: OutputFormat }) => {
      const s = sandboxStatus(defaultDataDir());
      show(ctx, opts.output, s);
      return s.running ? EXIT.ok : EXIT.findings;
    }),
  );
}
