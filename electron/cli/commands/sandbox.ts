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
    const table = formatTable(['cluster', 'context', 'server', 'apiserver', 'etcd'], s.clusters.map((c) => [c.name, c.context, c.server, c.apiserver ? 'running' : 'stopped', c.etcd ? 'running' : 'stopped']));
    return table + (s.kubeconfig ? `\nexport KUBECONFIG=${s.kubeconfig}\n` : '');
  });
}

/** `flotilla sandbox up|down|status`: the example fleet's clusters as real local control planes. */
export function registerSandbox(program: Command, ctx: CliContext): void {
  const sandbox = program.command('sandbox').description("run the example fleet's clusters (dev, staging, prod) as real local Kubernetes API servers");
  outputOption(sandbox.command('up').description('start the sandbox clusters (builds kube-apiserver and etcd on first use; they keep running in the background)')).action(
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
