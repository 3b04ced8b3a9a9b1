import type { Command } from 'commander';
import type { AppComparison } from '../../../shared/diff/compare-app';
import { compareAppDetailed } from '../../../shared/diff/compare-app';
import type { IgnoreRules } from '../../../shared/diff/ignore-differences';
import { compileIgnoreDifferences } from '../../../shared/diff/ignore-differences';
import { FLOTILLA_FIELD_MANAGER } from '../../../shared/diff/managed-fields';
import { INSTANCE_LABEL } from '../../../shared/diff/normalize';
import { isFleetDoc } from '../../../shared/model/fleet-file';
import { FLEET_FILE } from '../../../shared/repo/scan';
import { isRecord, parseYamlDocuments } from '../../../shared/yaml/documents';
import { renderApplication } from '../../../shared/fleet/render-apps';
import { fleetClusters, generateAll } from '../../../shared/fleet/overview';
import { assessHealth, parseHealthSpec } from '../../../shared/health';
import type { HealthCustomizations } from '../../../shared/health';
import type { Application } from '../../../shared/model/application';
import type { AppClusterStatus, HealthResult, KubeObject, ResourceKey } from '../../../shared/model/status';
import type { Problem } from '../../../shared/problem';
import { formatProblem, problem, toProblem } from '../../../shared/problem';
import { ClusterManager } from '../../services/cluster/cluster-manager';
import type { ClusterConnection } from '../../services/cluster/connection';
import { resourcePath } from '../../services/cluster/discovery';
import { LiveStore } from '../../services/cluster/live-state';
import { withTracking } from '../../services/cluster/tracking';
import { LuaHealthRunner } from '../../services/lua-health';
import { FleetService } from '../../services/fleet-service';
import { localGitReader } from '../../services/git-reader';
import type { CliContext } from '../context';
import { action, EXIT, outputOption, repoOption } from '../context';
import type { OutputFormat } from '../output';
import { printData } from '../output';

// `flotilla diff` and the comparison `flotilla status` shares: render each Application from the repository at HEAD,
// read its live state from its cluster, and compare them with shared/diff (Argo CD's normalisation and sync status).

/** Which apps and clusters to compare, and how to reach the clusters. */
export interface FleetCompareOptions {
  readonly repo: string;
  /** Only this Application (by name). */
  readonly app?: string;
  /** Only this cluster (by fleet name). */
  readonly cluster?: string;
  /** Kubeconfig files (default: `$KUBECONFIG`, else `~/.kube/config`). */
  readonly kubeconfig?: readonly string[];
  /** Deadline of each API call (default 10 s). */
  readonly timeoutMs?: number;
  /**
   * Server-side diff (Argo CD's `ServerSideDiff=true`): ask each cluster for a server-side apply dry run of every
   * desired object that exists and compare live with the server's answer (exact defaults and mutating webhooks).
   */
  readonly serverSide?: boolean;
}

/** One app on one cluster, compared. */
export interface FleetComparisonRow {
  readonly app: string;
  readonly cluster: string;
  readonly status: AppClusterStatus;
  /** Each resource's full comparison, aligned with `status.resources` (absent when nothing could be compared). */
  readonly comparison?: AppComparison;
}

/** Every selected app × cluster compared, the fleet's clusters in order, and problems that concern no single row. */
export interface FleetComparison {
  readonly revision: string;
  readonly clusters: readonly string[];
  readonly rows: readonly FleetComparisonRow[];
  readonly problems: readonly Problem[];
}

/**
 * Compares every Application of the repository at HEAD (or the one named) with its cluster's live state. One
 * unreachable cluster or unrenderable app makes its own rows Unknown and never stops the others.
 */
export async function compareFleet(opts: FleetCompareOptions): Promise<FleetComparison> {
  const fleet = await FleetService.open(opts.repo);
  const { head, scan } = await fleet.scanHead();
  const git = localGitReader(fleet.repo, scan.fleet.repoURLs);
  const clusters = fleetClusters(scan);
  const generated = generateAll(scan, git);
  const problems: Problem[] = [...generated.problems, ...generated.appsets.flatMap((s) => s.problems)];
  let apps: Application[] = generated.appsets.flatMap((s) => s.apps.map((a) => a.application));
  if (opts.app !== undefined) {
    apps = apps.filter((a) => a.metadata.name === opts.app);
    if (apps.length === 0) {
      const known = generated.appsets.flatMap((s) => s.apps.map((a) => a.name)).sort();
      throw new Error(`no Application named ${opts.app} in ${fleet.repo.root} at ${head.short} (known: ${known.join(', ') || 'none'})`);
    }
  }
  if (opts.cluster !== undefined && !clusters.some((c) => c.name === opts.cluster)) {
    throw new Error(`no cluster named ${opts.cluster} in the fleet (known: ${clusters.map((c) => c.name).join(', ') || 'none'})`);
  }

  const settings = fleetCompareSettings(fleet.repo.treeAt(head.sha).read(FLEET_FILE));
  problems.push(...settings.problems);
  const fleetIgnore = settings.ignore;
  // Custom health checks of the fleet file (Lua, as argocd-cm's) run in a sandboxed VM for this comparison.
  const lua = Object.keys(settings.health).length > 0 ? new LuaHealthRunner(settings.health) : undefined;
  const assess = (o: KubeObject): HealthResult => assessHealth(o, lua ? { custom: lua } : undefined);
  const observedAt = new Date().toISOString();
  type Job = { app: Application; cluster: string; desired: readonly KubeObject[]; revision: string; renderError?: string; renderProblems: readonly Problem[] };
  const jobs: Job[] = [];
  for (const app of apps) {
    const rendered = renderApplication(app, git, { clusters, loadRestrictor: scan.fleet.loadRestrictor });
    if (rendered.cluster === undefined) {
      const d = app.spec.destination;
      problems.push({ ...problem(`destination ${d.name ?? d.server ?? '(none)'} is not a cluster of the fleet; not compared`, { app: app.metadata.name }), severity: 'warning' });
      continue;
    }
    if (opts.cluster !== undefined && rendered.cluster !== opts.cluster) continue;
    const firstError = rendered.problems.find((p) => p.severity === 'error');
    jobs.push({
      app,
      cluster: rendered.cluster,
      desired: rendered.objects,
      revision: rendered.revision ?? head.sha,
      ...(firstError ? { renderError: `render failed: ${formatProblem(firstError)}` } : {}),
      renderProblems: rendered.problems,
    });
  }

  const manager = ClusterManager.fromKubeconfig({
    clusters: clusters.filter((c) => jobs.some((j) => j.cluster === c.name)),
    ...(opts.kubeconfig ? { kubeconfigPaths: opts.kubeconfig } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  problems.push(...manager.problems);
  const rows: FleetComparisonRow[] = [];
  try {
    const byCluster = new Map<string, Job[]>();
    for (const j of jobs) byCluster.set(j.cluster, [...(byCluster.get(j.cluster) ?? []), j]);
    const perCluster = await Promise.all([...byCluster].map(async ([cluster, clusterJobs]) => {
      const out: FleetComparisonRow[] = [];
      const conn = manager.connection(cluster);
      let clusterError: string | undefined;
      const info = await conn.connect().catch(() => conn.info);
      if (info.state !== 'ready') clusterError = `cluster ${cluster} is ${info.state}${info.reason ? `: ${info.reason}` : ''}`;
      const store = clusterError ? undefined : new LiveStore(conn, { watch: false, tracking: { method: scan.fleet.tracking } });
      try {
        const renderable = clusterJobs.filter((j) => !j.renderError);
        if (store) {
          try {
            await store.prepare(renderable.map((j) => ({ desired: j.desired, ...(j.app.spec.destination.namespace ? { namespace: j.app.spec.destination.namespace } : {}) })));
          } catch (err) {
            clusterError = `cluster ${cluster}: ${toProblem(err).message}`;
          }
        }
        for (const j of clusterJobs) {
          const name = j.app.metadata.name;
          const namespace = j.app.spec.destination.namespace;
          const base = {
            app: name, cluster, revision: j.revision, ignoreDifferences: withFleetRules(fleetIgnore, j.app), assessHealth: assess,
            ...(namespace ? { namespace } : {}),
            ...(scan.fleet.tracking === 'label' ? { trackingLabel: INSTANCE_LABEL } : {}),
          };
          const error = j.renderError ?? clusterError;
          if (error !== undefined || !store) {
            const comparison = compareAppDetailed({ ...base, desired: j.renderError ? [] : j.desired, live: [], extra: [], error: error ?? 'not compared', observedAt });
            out.push({ app: name, cluster, status: withProblems(comparison.status, j.renderProblems) });
            continue;
          }
          const live = await store.liveState(name, j.desired, namespace);
          const ours = live.resources.filter((r) => !r.extra && r.desired);
          const liveErrors = ours.map((r) => (r.problem ? formatProblem(r.problem) : undefined));
          const serverPredicted = opts.serverSide
            ? await Promise.all(ours.map(async (r, i) => {
                if (!r.live || liveErrors[i] !== undefined) return undefined;
                try {
                  return await serverSideDryRun(conn, r.desired!, r, name, scan.fleet.tracking);
                } catch (err) {
                  liveErrors[i] = `server-side dry run failed: ${toProblem(err).message}`;
                  return undefined;
                }
              }))
            : undefined;
          const comparison = compareAppDetailed({
            ...base,
            desired: ours.map((r) => r.desired!),
            live: ours.map((r) => r.live),
            liveErrors,
            ...(serverPredicted ? { serverPredicted } : {}),
            extra: live.resources.filter((r) => r.extra && r.live).map((r) => r.live!),
            observedAt: live.observedAt,
          });
          out.push({ app: name, cluster, status: withProblems(comparison.status, [...j.renderProblems, ...live.problems]), comparison });
        }
      } finally {
        store?.close();
      }
      return out;
    }));
    for (const r of perCluster) rows.push(...r);
  } finally {
    manager.close();
  }
  const order = new Map(clusters.map((c, i) => [c.name, i]));
  rows.sort((a, b) => a.app.localeCompare(b.app) || (order.get(a.cluster) ?? 0) - (order.get(b.cluster) ?? 0));
  return { revision: head.sha, clusters: clusters.map((c) => c.name), rows, problems };
}

/** The fleet file's `spec.ignoreDifferences` (same entries as an Application's, applied to every app) and `spec.health` checks. */
export function fleetCompareSettings(text: string | undefined): { readonly ignore: IgnoreRules; readonly health: HealthCustomizations; readonly problems: readonly Problem[] } {
  const none = { ignore: { rules: [], problems: [] }, health: {}, problems: [] };
  if (text === undefined) return none;
  const doc = parseYamlDocuments(text, FLEET_FILE).docs.find((d) => isFleetDoc(d.value));
  const spec = doc && isRecord(doc.value) && isRecord(doc.value['spec']) ? doc.value['spec'] : undefined;
  if (!spec) return none;
  const where = { file: FLEET_FILE, ...(doc ? { line: doc.line } : {}) };
  const problems: Problem[] = [];
  let ignore: IgnoreRules = { rules: [], problems: [] };
  const raw = spec['ignoreDifferences'];
  if (Array.isArray(raw)) {
    const compiled = compileIgnoreDifferences(raw, where);
    ignore = { rules: compiled.rules, problems: [] };
    problems.push(...compiled.problems.map((p) => ({ ...p, message: `fleet file: spec.${p.message}` })));
  } else if (raw !== undefined && raw !== null) {
    problems.push(problem('fleet file: spec.ignoreDifferences must be a list', where));
  }
  const health = parseHealthSpec(spec['health'], FLEET_FILE);
  problems.push(...health.problems);
  return { ignore, health: health.customizations, problems };
}

function withFleetRules(fleetRules: IgnoreRules, app: Application): IgnoreRules {
  const own = compileIgnoreDifferences(app.spec.ignoreDifferences ?? [], { app: app.metadata.name });
  return { rules: [...fleetRules.rules, ...own.rules], problems: own.problems };
}

/** The object the API server would hold after Flotilla's server-side apply of `desired` (a dry run: nothing changes). */
async function serverSideDryRun(conn: ClusterConnection, desired: KubeObject, key: ResourceKey, app: string, tracking: 'annotation' | 'label'): Promise<KubeObject> {
  const info = await conn.resourceFor(desired.apiVersion ?? '', desired.kind ?? '');
  if (!info) throw new Error(`kind ${desired.apiVersion}/${desired.kind} is not served by the cluster`);
  const { status: _status, ...rest } = desired as KubeObject & { status?: unknown };
  const metadata: Record<string, unknown> = { ...(desired.metadata ?? {}) };
  if (info.namespaced) metadata['namespace'] = key.namespace;
  else delete metadata['namespace'];
  const body = withTracking({ ...rest, metadata }, app, key, { method: tracking });
  const q = new URLSearchParams({ fieldManager: FLOTILLA_FIELD_MANAGER, force: 'true', dryRun: 'All' });
  return await conn.request<KubeObject>({ method: 'PATCH', path: `${resourcePath(info, key.namespace, key.name)}?${q}`, contentType: 'application/apply-patch+yaml', body });
}

function withProblems(status: AppClusterStatus, extra: readonly Problem[]): AppClusterStatus {
  if (extra.length === 0) return status;
  return { ...status, problems: [...(status.problems ?? []), ...extra] };
}

/** Adds the options `diff` and `status` share: --cluster, --kubeconfig, --timeout. */
export function compareOptions(cmd: Command): Command {
  return cmd
    .option('--cluster <name>', 'only this cluster of the fleet')
    .option('--kubeconfig <file>', 'kubeconfig file to reach the clusters (repeatable; default $KUBECONFIG or ~/.kube/config)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--server-side-diff', "compare with each cluster's server-side apply dry run (exact defaults and webhooks), as Argo CD's ServerSideDiff=true")
    .option('--timeout <seconds>', 'deadline of each API call', (v: string) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`--timeout expects a number of seconds, got "${v}"`);
      return n;
    });
}

/** The parsed options `diff` and `status` share. */
export interface CompareCliOptions {
  readonly repo?: string;
  readonly cluster?: string;
  readonly kubeconfig?: string[];
  readonly timeout?: number;
  readonly serverSideDiff?: boolean;
  readonly output: OutputFormat;
}

/** Turns the CLI options into `compareFleet` options. */
export function fleetCompareOptions(ctx: CliContext, opts: CompareCliOptions, app?: string): FleetCompareOptions {
  return {
    repo: opts.repo ?? ctx.cwd,
    ...(app !== undefined ? { app } : {}),
    ...(opts.cluster !== undefined ? { cluster: opts.cluster } : {}),
    ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
    ...(opts.timeout ? { timeoutMs: opts.timeout * 1000 } : {}),
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
  for (const p of all) {
    const line = `${p.severity}: ${formatProblem(p)}`;
    if (seen.has(line)) continue;
    seen.add(line);
    ctx.io.err(line + '\n');
  }
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
