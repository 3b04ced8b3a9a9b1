import type { Command } from 'commander';
import type { Observation } from '../../../shared/fleet/observation';
import { staleCellText } from '../../../shared/fleet/observation';
import { agreement, controllerWord, verdictsBeside } from '../../../shared/controllers/summary';
import type { FlotillaVerdict } from '../../../shared/controllers/summary';
import type { ControllerAgreement } from '../../../shared/controllers/types';
import type { AppClusterStatus } from '../../../shared/model/status';
import { gridRowKey } from '../../../shared/fleet/grid';
import { reportSignature } from '../../../shared/report/drift-report';
import { storeFile } from '../../store/location';
import type { FleetStatusRow } from '../../services/fleet-status';
import { fleetStatus } from '../../services/fleet-status';
import type { CliContext } from '../context';
import { action, EXIT, outputOption, repoOption } from '../context';
import { formatTable, printData, printProblems } from '../output';
import type { CompareCliOptions } from './diff';
import { compareOptions, fleetCompareOptions, reportProblems } from './diff';
import { dataDirOption } from './refresh';

/**
 * One cell of the grid: `Synced/Healthy` when read in this run; `unreachable (last Synced/Healthy 11m ago)` when its
 * cluster could not be read (the last state observed, dated, never shown as current); `-` when the app does not deploy there.
 */
function cell(s: AppClusterStatus | undefined, o: Observation | undefined): string {
  if (!s || !o) return '-';
  if (o.freshness !== 'current') return staleCellText(o);
  const counts = s.resources.filter((r) => r.sync === 'OutOfSync').length;
  const controller = s.controller ? ` [${controllerWord(s.controller)}${agreementOf(s) === 'disagree' ? ' ≠' : ''}]` : '';
  return `${s.sync}/${s.health.status}` + (s.sync === 'OutOfSync' ? ` (${counts})` : '') + controller;
}

/** Whether the controller and Flotilla agree, for one status that carries a controller's. */
function agreementOf(s: AppClusterStatus): ControllerAgreement | undefined {
  return s.controller ? agreement(s.controller, verdictOf(s)) : undefined;
}

function verdictOf(s: AppClusterStatus): FlotillaVerdict {
  return { sync: s.sync, drifted: s.resources.filter((r) => r.sync === 'OutOfSync').length, ...(s.error ? { error: s.error } : {}), revision: s.revision };
}

/** The JSON of one row: its status as compared now (Unknown when not read) and how old what it shows is. */
function rowData(r: FleetStatusRow): Record<string, unknown> {
  const { observedAt: _observedAt, ...status } = r.status;
  const o = r.observation;
  return {
    ...status,
    // The controller's own word beside Flotilla's, as the grid and the app page say it.
    ...(r.status.controller ? { controllerSays: verdictsBeside(r.status.controller, verdictOf(r.status)), controllerAgreement: agreementOf(r.status) } : {}),
    // The grid's data carries no diff text; `flotilla diff` shows it.
    resources: r.status.resources.map((res) => {
      const { diff: _diff, ...rest } = res;
      return rest;
    }),
    freshness: o.freshness,
    ...(o.observedAt !== undefined ? { observedAt: o.observedAt, ageSeconds: o.ageSeconds } : {}),
    ...(o.unreachable !== undefined ? { unreachable: o.unreachable } : {}),
    ...(o.last ? { lastObserved: o.last } : {}),
    // The verified signature of the commit it runs, as drift reports carry it.
    signature: r.signature ? reportSignature(r.signature) : null,
  };
}

/** `flotilla status`: the apps × clusters grid of sync and health, from Git (HEAD) and the live clusters. */
export function registerStatus(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('status')
    .argument('[app]', 'only this Application')
    .description('show the sync status and health of every app on every cluster (apps × clusters), with how old each observation is; -o json for the full status');
  dataDirOption(repoOption(outputOption(compareOptions(cmd)))).action(
    action(ctx, async (app: string | undefined, opts: CompareCliOptions & { readonly dataDir?: string }) => {
      const { comparison: result, rows, problems } = await fleetStatus({ ...fleetCompareOptions(ctx, opts, app), storeFile: storeFile(opts.dataDir) });
      printData(ctx.io, opts.output, rows.map(rowData), () => {
        const clusters = result.clusters.filter((c) => rows.some((r) => r.cluster === c));
        const grid = new Map<string, Map<string, FleetStatusRow>>();
        for (const r of rows) {
          const row = gridRowKey(r.app, r.cluster);
          if (!grid.has(row)) grid.set(row, new Map());
          grid.get(row)!.set(r.cluster, r);
        }
        const table = [...grid.keys()].sort().map((row) => [row, ...clusters.map((c) => {
          const r = grid.get(row)!.get(c);
          return cell(r?.status, r?.observation);
        })]);
        // A cluster none of whose apps could be read says so in its column header.
        const header = clusters.map((c) => (rows.every((r) => r.cluster !== c || r.unreachable !== undefined) ? `${c} (unreachable)` : c));
        const current = rows.filter((r) => r.observation.freshness === 'current').map((r) => r.observation.observedAt!).sort();
        const stale = rows.length - current.length;
        const when = current.length > 0 ? `observed ${current[0]} (this run)` : 'nothing observed in this run';
        const note = stale > 0 ? `; ${stale} app × cluster(s) not read in this run show their last observed state and its age` : '';
        return `revision ${result.revision.slice(0, 7)} · ${when}${note}\n` + formatTable(['app', ...header], table);
      });
      printProblems(ctx.io, problems);
      return reportProblems(ctx, result, app !== undefined) ? EXIT.error : EXIT.ok;
    }),
  );
}
