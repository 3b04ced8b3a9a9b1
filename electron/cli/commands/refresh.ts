import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { formatProblem } from '../../../shared/problem';
import type { RefreshOutcome } from '../../services/fleet-refresh';
import { refreshAndRecord } from '../../services/fleet-refresh';
import { FleetStore } from '../../store/fleet-store';
import { storeFile } from '../../store/location';
import { DEFAULT_RETENTION } from '../../store/types';
import type { CliContext } from '../context';
import { action, coverageExit, outputOption, repoOption } from '../context';
import { coverageLine } from '../../../shared/report/coverage';
import { printData } from '../output';
import type { CompareCliOptions } from './diff';
import { compareOptions, fleetCompareOptions, reportProblems } from './diff';

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

/** Reads every app on every cluster (as `flotilla status`) and records the snapshot; returns the comparison and the record. */
export async function refreshFleet(ctx: CliContext, opts: RefreshCliOptions, app?: string): Promise<RefreshOutcome & { file: string }> {
  const file = storeFile(opts.dataDir);
  const store = FleetStore.open(file);
  try {
    const retention = opts.retentionDays !== undefined ? { ...DEFAULT_RETENTION, keepAllForMs: opts.retentionDays * 24 * 3600_000 } : DEFAULT_RETENTION;
    return { ...(await refreshAndRecord(store, fleetCompareOptions(ctx, opts, app), retention)), file };
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
      const { result, coverage, recorded, compacted, file } = await refreshFleet(ctx, opts);
      const drifted = result.rows.filter((r) => r.status.sync === 'OutOfSync').length;
      const unknown = result.rows.filter((r) => r.status.sync === 'Unknown').length;
      const line = coverageLine(coverage);
      const data = { ...recorded, file, revision: result.revision, appClusters: result.rows.length, drifted, unknown, notCompared: coverage.notCompared, coverage: line ?? null, compacted };
      printData(ctx.io, opts.output, data, () =>
        `recorded snapshot #${recorded.snapshot.id} at ${recorded.snapshot.takenAt} into ${file}\n` +
        `${result.rows.length} app × cluster(s) at revision ${result.revision.slice(0, 7)}: ${recorded.changed} changed, ${recorded.unchanged} unchanged; ` +
        `${drifted} drifted, ${unknown} unknown; ${recorded.events} event(s)\n` +
        (recorded.unreachable ? `${recorded.unreachable} app × cluster(s) not read: their last observed state was kept\n` : '') +
        (compacted.snapshotsDeleted ? `retention: compacted ${compacted.snapshotsDeleted} old snapshot(s), ${compacted.manifestsDeleted} manifest(s) no longer needed\n` : ''),
      );
      // Unknown is never success: a refresh that could read nothing exits 2, one that could read only part exits 1.
      reportProblems(ctx, result);
      for (const p of recorded.problems) ctx.io.err(`${p.severity}: ${formatProblem(p)}\n`);
      if (line !== undefined) ctx.io.err(`${coverage.level === 'nothing' ? 'error' : 'warning'}: ${line}\n`);
      return coverageExit(coverage);
    }),
  );
}
