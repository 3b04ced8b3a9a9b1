// Handlers for the store's API channels (shared/report/api.ts), ready to spread into the main handler table.

import { FlotillaError, problem } from '../../shared/problem';
import type { ReportApiChannels } from '../../shared/report/api';
import { buildDriftReport, DRIFT_REPORT_FORMATS, hasDrift, renderDriftReport } from '../../shared/report/index';
import type { FleetStore } from './fleet-store';
import { signReportInput } from '../services/report-signatures';

/** One handler per store channel. */
export type ReportApiHandlers = { readonly [C in keyof ReportApiChannels]: ReportApiChannels[C] };

/**
 * The store's handlers; `store` gives the open store (opened once per data folder by the caller), `repoRoot` the
 * repository whose trust judges the signature of the commit each app × cluster runs (none: reports carry no signatures).
 */
export function createReportApiHandlers(store: () => FleetStore, repoRoot?: () => Promise<string>): ReportApiHandlers {
  return {
    'history:app': async ({ app, cluster }) => {
      if (typeof app !== 'string' || app === '') throw new FlotillaError(problem('history:app expects an app name'));
      return store().history(app, cluster !== undefined ? { cluster } : {});
    },
    'history:snapshots': async ({ limit }) => store().snapshots(limit ?? 100),
    'report:drift': async ({ at, format }) => {
      if (!DRIFT_REPORT_FORMATS.includes(format)) throw new FlotillaError(problem(`unknown report format "${String(format)}": expected ${DRIFT_REPORT_FORMATS.join(', ')}`));
      const s = store();
      const input = s.driftReportInput(at !== undefined ? { at } : {});
      if (!input.snapshot) {
        throw new FlotillaError(problem(`no snapshot recorded${at !== undefined ? ` at or before ${at}` : ''}: refresh the fleet first`, { file: s.file }));
      }
      const report = buildDriftReport(repoRoot ? (await signReportInput(input, await repoRoot())).input : input);
      return { report, format, content: renderDriftReport(report, format), drifted: hasDrift(report) };
    },
  };
}
