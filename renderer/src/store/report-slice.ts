import type { StateCreator } from 'zustand';
import type { DriftReportFormat } from '../../../shared/report/index';
import type { DriftReportResult } from '../../../shared/report/api';
import { getApi } from '../api/bridge';

/** The drift report from the store (offline: no cluster needed) and its exports. */
export interface ReportSlice {
  readonly report: DriftReportResult | undefined;
  readonly reportError: string | undefined;
  readonly exporting: DriftReportFormat | undefined;
  loadReport(): Promise<void>;
  /** The report rendered in a format, to save as a file. */
  exportReport(format: DriftReportFormat): Promise<DriftReportResult | undefined>;
}

/** The report slice of the store. */
export const createReportSlice: StateCreator<ReportSlice, [], [], ReportSlice> = (set) => ({
  report: undefined,
  reportError: undefined,
  exporting: undefined,
  async loadReport() {
    try {
      set({ report: await getApi()['report:drift']({ format: 'json' }), reportError: undefined });
    } catch (err) {
      set({ reportError: err instanceof Error ? err.message : String(err) });
    }
  },
  async exportReport(format) {
    set({ exporting: format });
    try {
      return await getApi()['report:drift']({ format });
    } catch (err) {
      set({ reportError: err instanceof Error ? err.message : String(err) });
      return undefined;
    } finally {
      set({ exporting: undefined });
    }
  },
});
