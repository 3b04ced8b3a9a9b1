import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { KubeObject } from '../../../shared/model/status';
import { formatProblem } from '../../../shared/problem';
import { isRecord, parseYamlDocuments } from '../../../shared/yaml/documents';
import { checkSyncAccess, syncWithAccessCheck } from '../../services/cluster/sync-access';
import { appSyncAccess, syncAppFromGit } from '../../services/app-sync';
import { resourceName } from '../../services/cluster/access-review';
import type { SyncAccess, SyncAccessPart } from '../../services/cluster/sync-types';
import { defaultDataDir } from '../../services/data-dir';
import { FleetService } from '../../services/fleet-service';
import { FleetStore } from '../../store/fleet-store';
import { storeFile } from '../../store/location';
import type { ResourceSelector, SyncOptions, SyncResult } from '../../services/cluster/sync';
import type { CliContext } from '../context';
import { action, cliKubeconfig, EXIT, outputOption } from '../context';
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
    .argument('[app]', 'a generated Application to sync from Git (HEAD) to its cluster: rendered, dry-run, then applied')
    .description("apply an app to its cluster with server-side apply (field manager flotilla): `flotilla sync APP --cluster C` syncs a generated Application from Git; `--app NAME -f FILE` applies manifest files. Dry run, sync waves, prune of objects tracked as the app's")
    .option('--app <name>', 'with -f: the Application name (written into the tracking annotation)')
    .option('-f, --filename <file...>', 'manifest files (YAML, several documents allowed; - for stdin)')
    .option('--cluster <name...>', 'clusters to sync (default: every cluster)')
    .option('-n, --namespace <ns>', 'destination namespace for objects without one', 'default')
    .option('--create-namespace', 'create the destination namespace when missing')
    .option('--prune', 'delete live objects tracked as the app that are no longer desired (default with -f; off when syncing from Git)')
    .option('--no-prune', 'keep live objects tracked as the app that are no longer in the manifests')
    .option('--dry-run', 'only the server-side dry run: show what would change')
    .option('--check', 'only ask the API server whether you may sync the app (and prune it: with APP when --prune, with -f unless --no-prune): each verb on each resource; changes nothing')
    .option('--resource <GROUP/KIND/NAMESPACE/NAME...>', 'selective sync of a Git app: only these resources (empty parts match any; no hooks run), e.g. apps/Deployment/shop/web or /ConfigMap//settings')
    .option('--tracking <method>', 'annotation (Argo CD tracking-id, default) or label (app.kubernetes.io/instance)', 'annotation');
  clusterOptions(outputOption(cmd)).action(
    action(ctx, async (gitApp: string | undefined, opts: ClusterCliOptions & { output: OutputFormat; app?: string; filename?: string[]; cluster?: string[]; namespace: string; createNamespace?: boolean; prune?: boolean; dryRun?: boolean; check?: boolean; tracking: string; resource?: string[] }) => {
      if (gitApp !== undefined) return syncFromGit(ctx, gitApp, opts);
      if (opts.resource) throw new Error('--resource selects resources of an Application synced from Git: `flotilla sync APP --resource GROUP/KIND/NAMESPACE/NAME`');
      if (!opts.app || !opts.filename) throw new Error('name an Application to sync from Git (`flotilla sync APP --cluster C`), or give --app NAME and -f FILE');
      if (opts.tracking !== 'annotation' && opts.tracking !== 'label') throw new Error(`--tracking must be annotation or label, got "${opts.tracking}"`);
      const tracking = { method: opts.tracking } as const;
      const desired = await readManifests(opts.filename);
      const prune = opts.prune ?? true;
      const options: SyncOptions = {
        app: opts.app, namespace: opts.namespace, tracking, prune,
        ...(opts.createNamespace ? { createNamespace: true } : {}), ...(opts.dryRun ? { dryRun: true } : {}),
      };
      const m = await managerFor(ctx, opts);
      try {
        if (opts.check) {
          // Only the access reviews, on each cluster: as `sync APP --check`, with Prune's (the default with -f) unless --no-prune.
          const checked = await m.forEachCluster((conn) => checkSyncAccess(conn, desired, options), opts.cluster);
          const data = checked.map((r) => (r.ok ? r.value : { cluster: r.cluster, result: 'error', problem: formatProblem(r.problem) }));
          printData(ctx.io, opts.output, data, () => formatTable(['cluster', 'part', 'verb', 'resource', 'namespace', 'result', 'reason'],
            checked.flatMap((r) => (r.ok ? accessRows(r.value, prune) : [[r.cluster, '', '', '', '', 'error', r.problem.message]]))));
          return checkExit(checked.flatMap((r) => (r.ok ? [r.value.sync, ...(prune ? [r.value.prune] : [])] : [])), checked.some((r) => !r.ok));
        }
        // Each cluster's permissions are asked first, as for an app from Git: a refused one refuses that cluster's sync.
        const results = await m.forEachCluster((conn) => syncWithAccessCheck(conn, desired, options, opts.app!), opts.cluster);
        for (const r of results) if (r.ok && r.value.access) warnUnknown(ctx, r.value.access, prune);
        const data = results.map((r) => (r.ok ? r.value : { cluster: r.cluster, phase: 'Error', problem: formatProblem(r.problem) }));
        printData(ctx.io, opts.output, data, () => {
          const rows = results.flatMap((r) => !r.ok
            ? [[r.cluster, '', '', '', '', 'error', r.problem.message]]
            : r.value.refused
              ? refusedRows(r.value, prune)
              : r.value.resources.map((x) => [r.cluster, `${x.group ? x.group + '/' : ''}${x.kind}`, x.namespace, x.name, String(x.wave), x.action + (r.value.dryRun ? ' (dry run)' : ''), x.problem?.message ?? '']));
          const refused = results.flatMap((r) => (r.ok && r.value.refused ? [`sync refused on ${r.cluster}: ${r.value.message ?? ''}\n`] : []));
          return formatTable(['cluster', 'kind', 'namespace', 'name', 'wave', 'result', 'message'], rows) + (refused.length ? `\n${refused.join('')}` : '');
        });
        const failed = results.some((r) => !r.ok || r.value.phase === 'Failed');
        return failed ? EXIT.findings : EXIT.ok;
      } finally {
        m.close();
      }
    }),
  );
}

/** Parses `--resource GROUP/KIND/NAMESPACE/NAME` (four parts; an empty part matches any). */
export function parseResourceSelector(s: string): ResourceSelector {
  const parts = s.split('/');
  if (parts.length !== 4 || !parts[1]) throw new Error(`--resource ${s}: expected GROUP/KIND/NAMESPACE/NAME with a kind (empty group for the core API, e.g. /ConfigMap/shop/settings)`);
  const [group, kind, namespace, name] = parts as [string, string, string, string];
  return { group, kind, namespace, name };
}

/** The permissions of a sync as rows: cluster, part, verb, resource, namespace, result, reason. */
function accessRows(a: SyncAccess, prune: boolean): string[][] {
  const parts: [string, SyncAccessPart][] = [['sync', a.sync], ...(prune ? [['prune', a.prune] as [string, SyncAccessPart]] : [])];
  return parts.flatMap(([name, p]) => {
    const rows = [...p.denied, ...p.unknown].map((v) => [a.cluster, name, v.verb, `${resourceName(v)}${v.name ? ` "${v.name}"` : ''}`, v.namespace ?? '(cluster)', v.result, v.reason ?? '']);
    return rows.length ? rows : [[a.cluster, name, '', `${p.checked} permission${p.checked === 1 ? '' : 's'}`, '', p.result, p.reason ?? '']];
  });
}

/** The exit code of `sync --check`: 0 every permission granted, 1 one refused, 2 one unanswered (or a cluster not asked at all). */
function checkExit(parts: readonly SyncAccessPart[], unasked = false): number {
  if (parts.some((p) => p.result === 'denied')) return EXIT.findings;
  return unasked || parts.some((p) => p.result === 'unknown') ? EXIT.error : EXIT.ok;
}

/** The permissions that refused a sync of manifest files, as rows of its result table (no resource was touched). */
function refusedRows(r: SyncResult, prune: boolean): string[][] {
  const a = r.access!;
  return [...a.sync.denied, ...(prune ? a.prune.denied : [])].map((v) => [r.cluster, resourceName(v), v.namespace ?? '(cluster)', v.name ?? '', '', `${v.verb} denied`, v.reason ?? '']);
}

/** Says on stderr that a permission could not be checked, and who decides instead. */
function warnUnknown(ctx: CliContext, a: SyncAccess, prune: boolean): void {
  for (const p of [a.sync, ...(prune ? [a.prune] : [])]) {
    if (p.result === 'unknown') ctx.io.err(`warning: ${p.reason ?? `could not check permissions on ${a.cluster}`}; the API server judges (its dry run refuses before anything is applied)\n`);
  }
}

/** `flotilla sync APP`: the generated Application from Git, to its cluster; the run is recorded in the store's history. */
async function syncFromGit(ctx: CliContext, app: string, opts: ClusterCliOptions & { output: OutputFormat; cluster?: string[]; prune?: boolean; dryRun?: boolean; check?: boolean; createNamespace?: boolean; resource?: string[] }): Promise<number> {
  const resources = opts.resource?.map(parseResourceSelector);
  if (opts.cluster && opts.cluster.length > 1) throw new Error('an Application deploys to one cluster: give one --cluster');
  const fleet = await FleetService.open(opts.repo ?? ctx.cwd);
  const kubeconfig = cliKubeconfig(ctx, { ...(opts.kubeconfig ? { flag: opts.kubeconfig } : {}), ...(opts.sandbox ? { sandbox: true } : {}) });
  const req = {
    app,
    ...(opts.cluster?.[0] ? { cluster: opts.cluster[0] } : {}),
    ...(opts.dryRun ? { dryRun: true } : {}),
    ...(opts.prune ? { prune: true } : {}),
    kubeconfig,
    ...(opts.createNamespace ? { createNamespace: true } : {}),
    ...(resources ? { resources } : {}),
    ...(opts.timeout ? { timeoutMs: opts.timeout } : {}),
  };
  if (opts.check) {
    // Only the access review: 0 every permission granted, 1 one refused, 2 the server could not answer (unknown).
    const a = await appSyncAccess(fleet, req);
    printData(ctx.io, opts.output, a, () => formatTable(['cluster', 'part', 'verb', 'resource', 'namespace', 'result', 'reason'], accessRows(a, opts.prune ?? false)));
    return checkExit([a.sync, ...(opts.prune ? [a.prune] : [])]);
  }
  const store = opts.dryRun ? undefined : FleetStore.open(storeFile(defaultDataDir()));
  try {
    const r = await syncAppFromGit(fleet, req, store);
    if (r.access) warnUnknown(ctx, r.access, opts.prune ?? false);
    if (r.refused && r.access) {
      printData(ctx.io, opts.output, r, () => formatTable(['cluster', 'part', 'verb', 'resource', 'namespace', 'result', 'reason'], accessRows(r.access!, opts.prune ?? false)) + `\nsync refused: ${r.message ?? ''}\n`);
      return EXIT.findings;
    }
    printData(ctx.io, opts.output, r, () =>
      formatTable(['cluster', 'phase', 'wave', 'kind', 'namespace', 'name', 'result', 'message'], r.resources.map((x) => [r.cluster, x.phase + (x.hook ? ' hook' : ''), String(x.wave), `${x.group ? x.group + '/' : ''}${x.kind}`, x.namespace, x.name, x.action + (r.dryRun ? ' (dry run)' : ''), x.problem?.message ?? x.message ?? '']))
      + (r.message ? `\nsync ${r.phase.toLowerCase()}: ${r.message}\n` : ''));
    return r.phase === 'Failed' ? EXIT.findings : EXIT.ok;
  } finally {
    store?.close();
  }
}
