import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { fleetClusters, generateAll } from '../../../shared/fleet/overview';
import { renderApplication } from '../../../shared/fleet/render-apps';
import { resourceKey } from '../../../shared/diff/normalize';
import type { KubeObject, ResourceKey } from '../../../shared/model/status';
import { formatProblem } from '../../../shared/problem';
import { FleetService } from '../../services/fleet-service';
import { localGitReader } from '../../services/git-reader';
import { FleetStore } from '../../store/fleet-store';
import { storeFile } from '../../store/location';
import type { AppClusterRecord, CompactionResult, RecordResult, ResourceManifests, SnapshotInput } from '../../store/types';
import { DEFAULT_RETENTION } from '../../store/types';
import type { CliContext } from '../context';
import { action, EXIT, outputOption, repoOption } from '../context';
import { printData } from '../output';
import type { CompareCliOptions, FleetComparison } from './diff';
import { compareFleet, compareOptions, fleetCompareOptions, reportProblems } from './diff';

/** Adds `--data-dir DIR`: where the store lives (default: Flotilla's data folder). */
export function dataDirOption(cmd: Command): Command {
  return cmd.option('--data-dir <dir>', "Flotilla's data folder holding the store (default: $FLOTILLA_DATA_DIR or the platform's config folder)");
}

/** Adds `--retention-days N`: keep every snapshot for N days, then one a day (events are always kept). */
export function retentionOption(cmd: Command): Command {
  return cmd.option('--retention-days <days>', 'keep every snapshot this many days, then one a day; events are always kept (default 14)', (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`--retention-days expects a number of days ≥ 0, got "${v}"`);
    return n;
  });
}

/** The options `refresh` (and `drift-report` when it refreshes) take. */
export interface RefreshCliOptions extends CompareCliOptions {
  readonly dataDir?: string;
  readonly retentionDays?: number;
}

const keyOf = (k: ResourceKey): string => `${k.group}/${k.kind}/${k.namespace}/${k.name}`;

/**
 * The snapshot a fleet comparison makes: each row's status, its cluster's environment, its live objects (normalised
 * and masked by the comparison) and its rendered desired objects (`desired`: app name → objects, keyed as the
 * comparison keys them). Objects the status does not list are left out.
 */
export function snapshotFromComparison(
  result: FleetComparison,
  environments: ReadonlyMap<string, string>,
  desired: ReadonlyMap<string, { readonly namespace: string; readonly objects: readonly KubeObject[] }>,
  partial: boolean,
): SnapshotInput {
  const appClusters: AppClusterRecord[] = result.rows.map((r) => {
    const byKey = new Map<string, { desired?: KubeObject; live?: KubeObject }>();
    for (const res of r.status.resources) byKey.set(keyOf(res), {});
    const rendered = desired.get(r.app);
    for (const obj of rendered?.objects ?? []) {
      const slot = byKey.get(keyOf(resourceKey(obj, rendered!.namespace))) ?? byKey.get(keyOf(resourceKey(obj, '')));
      if (slot) slot.desired = obj;
    }
    for (const d of r.comparison?.diffs ?? []) {
      const slot = d?.live ? byKey.get(keyOf(d.key)) : undefined;
      if (slot) slot.live = d!.live;
    }
    const manifests: ResourceManifests[] = [];
    for (const res of r.status.resources) {
      const m = byKey.get(keyOf(res))!;
      if (m.desired || m.live) manifests.push({ group: res.group, ...(res.version !== undefined ? { version: res.version } : {}), kind: res.kind, namespace: res.namespace, name: res.name, ...m });
    }
    const environment = environments.get(r.cluster);
    return { status: r.status, ...(environment !== undefined ? { environment } : {}), manifests };
  });
  return { appClusters, partial };
}

/**
 * Each app's rendered desired objects at `revision` (the comparison's), and the clusters' environments. Renders the
 * apps once more (compareFleet does not hand its rendered objects out); when HEAD moved since, no desired objects.
 */
async function desiredState(repo: string, revision: string): Promise<{ environments: Map<string, string>; desired: Map<string, { namespace: string; objects: readonly KubeObject[] }>; warning?: string }> {
  const fleet = await FleetService.open(repo);
  const { head, scan } = await fleet.scanHead();
  const clusters = fleetClusters(scan);
  const environments = new Map<string, string>();
  for (const c of clusters) if (c.environment !== undefined) environments.set(c.name, c.environment);
  const desired = new Map<string, { namespace: string; objects: readonly KubeObject[] }>();
  if (head.sha !== revision) return { environments, desired, warning: `HEAD moved from ${revision.slice(0, 7)} to ${head.short} during the refresh: desired manifests not recorded` };
  const git = localGitReader(fleet.repo, scan.fleet.repoURLs);
  for (const set of generateAll(scan, git).appsets) {
    for (const a of set.apps) {
      const rendered = renderApplication(a.application, git, { clusters, loadRestrictor: scan.fleet.loadRestrictor });
      desired.set(a.name, { namespace: a.application.spec.destination.namespace ?? '', objects: rendered.objects });
    }
  }
  return { environments, desired };
}

/** Reads every app on every cluster (as `flotilla status`) and records the snapshot; returns the comparison and the record. */
export async function refreshFleet(ctx: CliContext, opts: RefreshCliOptions, app?: string): Promise<{ result: FleetComparison; recorded: RecordResult; compacted: CompactionResult; file: string }> {
  const compare = fleetCompareOptions(ctx, opts, app);
  const result = await compareFleet(compare);
  const { environments, desired, warning } = await desiredState(compare.repo, result.revision);
  if (warning) ctx.io.err(`warning: ${warning}\n`);
  const file = storeFile(opts.dataDir);
  const store = FleetStore.open(file);
  try {
    const recorded = store.recordSnapshot(snapshotFromComparison(result, environments, desired, app !== undefined || opts.cluster !== undefined));
    const retention = opts.retentionDays !== undefined ? { ...DEFAULT_RETENTION, keepAllForMs: opts.retentionDays * 24 * 3600_000 } : DEFAULT_RETENTION;
    const compacted = store.compact(retention);
    return { result, recorded, compacted, file };
  } finally {
    store.close();
  }
}

/** `flotilla refresh`: read every app on every cluster and record the snapshot in the store (history, offline reports). */
export function registerRefresh(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('refresh')
    .description('read every app on every cluster and record a snapshot in the store, for `flotilla history` and offline drift reports');
  retentionOption(dataDirOption(repoOption(outputOption(compareOptions(cmd))))).action(
    action(ctx, async (opts: RefreshCliOptions) => {
      const { result, recorded, compacted, file } = await refreshFleet(ctx, opts);
      const drifted = result.rows.filter((r) => r.status.sync === 'OutOfSync').length;
      const unknown = result.rows.filter((r) => r.status.sync === 'Unknown').length;
      const data = { ...recorded, file, revision: result.revision, appClusters: result.rows.length, drifted, unknown, compacted };
      printData(ctx.io, opts.output, data, () =>
        `recorded snapshot #${recorded.snapshot.id} at ${recorded.snapshot.takenAt} into ${file}\n` +
        `${result.rows.length} app × cluster(s) at revision ${result.revision.slice(0, 7)}: ${recorded.changed} changed, ${recorded.unchanged} unchanged; ` +
        `${drifted} drifted, ${unknown} unknown; ${recorded.events} event(s)\n` +
        (compacted.snapshotsDeleted ? `retention: compacted ${compacted.snapshotsDeleted} old snapshot(s), ${compacted.manifestsDeleted} manifest(s) no longer needed\n` : ''),
      );
      // Unreachable clusters and render failures are recorded (as Unknown) and reported; the refresh itself succeeded.
      reportProblems(ctx, result);
      for (const p of recorded.problems) ctx.io.err(`${p.severity}: ${formatProblem(p)}\n`);
      return EXIT.ok;
    }),
  );
}
