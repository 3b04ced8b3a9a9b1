import type { Command } from 'commander';
import { agreement, controllerWord, verdictsBeside } from '../../../shared/controllers/summary';
import type { FlotillaVerdict } from '../../../shared/controllers/summary';
import type { ControllerAgreement } from '../../../shared/controllers/types';
import type { AppClusterStatus } from '../../../shared/model/status';
import type { CliContext } from '../context';
import { action, EXIT, outputOption, repoOption } from '../context';
import { formatTable, printData } from '../output';
import { gridRowKey } from '../../../shared/fleet/grid';
import type { FleetComparisonRow } from '../../services/fleet-compare';
import { compareFleet } from '../../services/fleet-compare';
import type { CompareCliOptions } from './diff';
import { compareOptions, fleetCompareOptions, reportProblems } from './diff';

/** One cell of the grid: `Synced/Healthy`, `unreachable` when its cluster could not be read, or `-` when the app does not deploy there. */
function cell(s: AppClusterStatus | undefined, unreachable: boolean): string {
  if (!s) return '-';
  // Nothing was observed: not Unknown health of a read cluster, and not a stale state passed off as current.
  if (unreachable) return 'unreachable';
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

/** `flotilla status`: the apps × clusters grid of sync and health, from Git (HEAD) and the live clusters. */
export function registerStatus(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('status')
    .argument('[app]', 'only this Application')
    .description('show the sync status and health of every app on every cluster (apps × clusters); -o json for the full status');
  repoOption(outputOption(compareOptions(cmd))).action(
    action(ctx, async (app: string | undefined, opts: CompareCliOptions) => {
      const result = await compareFleet(fleetCompareOptions(ctx, opts, app));
      const statuses = result.rows.map((r) => ({
        ...r.status,
        // The controller's own word beside Flotilla's, as the grid and the app page say it.
        ...(r.status.controller ? { controllerSays: verdictsBeside(r.status.controller, verdictOf(r.status)), controllerAgreement: agreementOf(r.status) } : {}),
        resources: r.status.resources.map((res) => {
          // The grid's data carries no diff text; `flotilla diff` shows it.
          const { diff: _diff, ...rest } = res;
          return rest;
        }),
      }));
      printData(ctx.io, opts.output, statuses, () => {
        const clusters = result.clusters.filter((c) => result.rows.some((r) => r.cluster === c));
        const grid = new Map<string, Map<string, FleetComparisonRow>>();
        for (const r of result.rows) {
          const row = gridRowKey(r.app, r.cluster);
          if (!grid.has(row)) grid.set(row, new Map());
          grid.get(row)!.set(r.cluster, r);
        }
        const rows = [...grid.keys()].sort().map((row) => [row, ...clusters.map((c) => {
          const r = grid.get(row)!.get(c);
          return cell(r?.status, r?.unreachable !== undefined);
        })]);
        // A cluster none of whose apps could be read says so in its column header.
        const header = clusters.map((c) => (result.rows.every((r) => r.cluster !== c || r.unreachable !== undefined) ? `${c} (unreachable)` : c));
        return `revision ${result.revision.slice(0, 7)}\n` + formatTable(['app', ...header], rows);
      });
      return reportProblems(ctx, result, app !== undefined) ? EXIT.error : EXIT.ok;
    }),
  );
}
