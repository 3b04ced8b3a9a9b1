// Offline drift reports: the document model and its HTML, Markdown, JSON and JUnit renderings.

import type { DriftReport } from './drift-report';
import { renderDriftReportJson } from './drift-report';
import { renderDriftReportHtml } from './render-html';
import { renderDriftReportJunit } from './render-junit';
import { renderDriftReportMarkdown } from './render-markdown';

export * from './api';
export * from './coverage';
export * from './drift-report';
export * from './model';
export { renderDriftReportHtml } from './render-html';
export { renderDriftReportJunit } from './render-junit';
export { renderDriftReportMarkdown } from './render-markdown';

/** The formats a drift report is written in. */
export type DriftReportFormat = 'html' | 'md' | 'json' | 'junit';

/** Every drift report format. */
export const DRIFT_REPORT_FORMATS: readonly DriftReportFormat[] = ['html', 'md', 'json', 'junit'];

/** Renders a report in one format. */
export function renderDriftReport(report: DriftReport, format: DriftReportFormat): string {
  switch (format) {
    case 'html':
      return renderDriftReportHtml(report);
    case 'md':
      return renderDriftReportMarkdown(report);
    case 'json':
      return renderDriftReportJson(report);
    case 'junit':
      return renderDriftReportJunit(report);
  }
}
