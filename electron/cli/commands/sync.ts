import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { KubeObject } from '../../../shared/model/status';
import { formatProblem } from '../../../shared/problem';
import { isRecord, parseYamlDocuments } from '../../../shared/yaml/documents';
import { syncApp } from '../../services/cluster/sync';
import type { SyncResult } from '../../services/cluster/sync';
import type { CliContext } from '../context';
import { action, EXIT, outputOption } from '../context';
import type { OutputFormat } from '../output';
import { formatTable, printData } from '../output';
import type { ClusterCliOptions } from './clusters';
import { clusterOptions, managerFor } from './clusters';

/** The Kubernetes objects of manifest files (`-` is stdin); a document that is not an object is an error naming its line. */
async function readManifests(files: readonly string[]): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const file of files) {
    let text = '';
    if (file === '-') for await (const chunk of process.stdin) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    else text = await readFile(file, 'utf8');
    const parsed = parseYamlDocuments(text, file);
    if (parsed.problems.length) throw new Error(parsed.problems.map(formatProblem).join('\n'));
    for (const doc of parsed.docs) {
      const v = doc.value;
      if (v === null || v === undefined) continue;
      if (!isRecord(v) || typeof v.kind !== 'string' || typeof v.apiVersion !== 'string') throw new Error(`${file}:${doc.line}: expected a Kubernetes object with apiVersion and kind`);
      if (v.kind.endsWith('List') && Array.isArray(v.items)) out.push(...(v.items as KubeObject[]));
      else out.push(v as KubeObject);
    }
  }
  return out;
}

/** `flotilla sync`: server-side apply of an app's manifests to one or more clusters, with dry run, waves and prune. */
export function registerSync(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('sync')
    .description("apply an app's manifests to clusters with server-side apply (field manager flotilla): dry run, sync waves, prune of objects tracked as the app's")
    .requiredOption('--app <name>', 'the Application name (written into the tracking annotation)')
    .requiredOption('-f, --filename <file...>', 'manifest files (YAML, several documents allowed; - for stdin)')
    .option('--cluster <name...>', 'clusters to sync (default: every cluster)')
    .option('-n, --namespace <ns>', 'destination namespace for objects without one', 'default')
    .option('--create-namespace', 'create the destination namespace when missing')
    .option('--no-prune', 'keep live objects tracked as the app that are no longer in the manifests')
    .option('--dry-run', 'only the server-side dry run: show what would change')
    .option('--tracking <method>', 'annotation (Argo CD tracking-id, default) or label (app.kubernetes.io/instance)', 'annotation');
  clusterOptions(outputOption(cmd)).action(
    action(ctx, async (opts: ClusterCliOptions & { output: OutputFormat; app: string; filename: string[]; cluster?: string[]; namespace: string; createNamespace?: boolean; prune: boolean; dryRun?: boolean; tracking: string }) => {
      if (opts.tracking !== 'annotation' && opts.tracking !== 'label') throw new Error(`--tracking must be annotation or label, got "${opts.tracking}"`);
      const tracking = { method: opts.tracking } as const;
      const desired = await readManifests(opts.filename);
      const m = await managerFor(ctx, opts);
      try {
        const results = await m.forEachCluster((conn) => syncApp(conn, desired, {
          app: opts.app, namespace: opts.namespace, tracking, prune: opts.prune,
          ...(opts.createNamespace ? { createNamespace: true } : {}), ...(opts.dryRun ? { dryRun: true } : {}),
        }), opts.cluster);
        const data = results.map((r) => (r.ok ? r.value : { cluster: r.cluster, phase: 'Error', problem: formatProblem(r.problem) }));
        printData(ctx.io, opts.output, data, () => {
          const rows = results.flatMap((r) => r.ok
            ? r.value.resources.map((x) => [r.cluster, `${x.group ? x.group + '/' : ''}${x.kind}`, x.namespace, x.name, String(x.wave), x.action + (r.value.dryRun ? ' (dry run)' : ''), x.problem?.message ?? ''])
            : [[r.cluster, '', '', '', '', 'error', r.problem.message]]);
          return formatTable(['cluster', 'kind', 'namespace', 'name', 'wave', 'result', 'message'], rows);
        });
        const failed = results.some((r) => !r.ok || (r.value as SyncResult).phase === 'Failed');
        return failed ? EXIT.findings : EXIT.ok;
      } finally {
        m.close();
      }
    }),
  );
}
