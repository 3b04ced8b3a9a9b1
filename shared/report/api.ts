// The store's API channels (history timeline and drift reports), in the shape of shared/api/contract.ts's
// ApiChannels so the contract can take them in with `extends ReportApiChannels` and list their names.

import type { DriftReport } from './drift-report';
import type { DriftReportFormat } from './index';
import type { AppClusterHistory, SnapshotRef } from './model';

/** A drift report as the UI receives it: the document (to show) and its rendering (to save). */
export interface DriftReportResult {
  readonly report: DriftReport;
  readonly format: DriftReportFormat;
  /** The report rendered in `format` (HTML, Markdown, JSON or JUnit text). */
  readonly content: string;
  /** Whether any app × cluster drifted. */
  readonly drifted: boolean;
}

/** The invoke channels the store serves. */
export interface ReportApiChannels {
  /** An app's history per cluster (or one cluster): timeline of states, events, drift episodes. */
  'history:app': (req: { readonly app: string; readonly cluster?: string }) => Promise<readonly AppClusterHistory[]>;
  /** The recorded snapshots, newest first (for a time picker). */
  'history:snapshots': (req: { readonly limit?: number }) => Promise<readonly SnapshotRef[]>;
  /** The drift report from the latest snapshot, or the one in effect at `at` (ISO time), read from the store alone. */
  'report:drift': (req: { readonly at?: string; readonly format: DriftReportFormat }) => Promise<DriftReportResult>;
}

/** The store's channel names, for the contract's CHANNELS list. */
export const REPORT_CHANNELS = ['history:app', 'history:snapshots', 'report:drift'] as const satisfies readonly (keyof ReportApiChannels)[];
