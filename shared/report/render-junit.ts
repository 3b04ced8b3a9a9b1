// The drift report as JUnit XML, so CI fails on drift: one test suite per cluster, one test case per app × cluster;
// a drifted app × cluster is a failure (listing its resources and diffs), an Unknown one an error.

import type { DriftReport, DriftReportEntry } from './drift-report';
import { driftedResourceId } from './drift-report';
import { staleNote } from './coverage';

/** Escapes text for XML content and attribute values, dropping characters XML 1.0 cannot hold. */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Renders the report as JUnit XML. */
export function renderDriftReportJunit(report: DriftReport): string {
  const byCluster = new Map<string, DriftReportEntry[]>();
  for (const e of report.entries) {
    const list = byCluster.get(e.cluster);
    if (list) list.push(e);
    else byCluster.set(e.cluster, [e]);
  }
  const s = report.summary;
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>\n');
  out.push(
    `<testsuites name="flotilla drift" tests="${s.appClusters}" failures="${countFailures(report.entries)}" errors="${countErrors(report.entries)}" timestamp="${escapeXml(report.generatedAt)}">\n`,
  );
  for (const [cluster, entries] of byCluster) {
    const env = entries[0]?.environment;
    out.push(
      `  <testsuite name="${escapeXml(cluster)}" tests="${entries.length}" failures="${countFailures(entries)}" errors="${countErrors(entries)}" skipped="0">\n`,
    );
    if (env) out.push(`    <properties><property name="environment" value="${escapeXml(env)}"/></properties>\n`);
    for (const e of entries) out.push(testCase(e, report.generatedAt));
    out.push('  </testsuite>\n');
  }
  out.push('</testsuites>\n');
  return out.join('');
}

function isFailure(e: DriftReportEntry): boolean {
  return !isError(e) && (e.sync === 'OutOfSync' || e.driftedResources.length > 0);
}

/** Not compared: its cluster could not be read (an older state is shown), or its sync is Unknown. */
function isError(e: DriftReportEntry): boolean {
  return e.unreachable !== null || e.sync === 'Unknown';
}

function countErrors(entries: readonly DriftReportEntry[]): number {
  return entries.filter(isError).length;
}

function countFailures(entries: readonly DriftReportEntry[]): number {
  return entries.filter(isFailure).length;
}

function testCase(e: DriftReportEntry, generatedAt: string): string {
  // The signature of the commit it runs, as properties of the test case (as Jenkins and GitLab read them).
  const sig = e.signature
    ? `<properties><property name="signature" value="${escapeXml(e.signature.verdict)}"/><property name="signature.commit" value="${escapeXml(e.signature.commit)}"/><property name="signature.words" value="${escapeXml(e.signature.words)}"/></properties>`
    : '';
  const open = `    <testcase classname="${escapeXml(`${e.environment ?? ''}${e.environment ? '.' : ''}${e.cluster}`)}" name="${escapeXml(e.app)}">`;
  // JUnit's order inside a test case: properties, then the failure or error, then its output.
  const parts = [sig, verdictElement(e, generatedAt), controllerOut(e)].filter((p) => p !== '');
  return parts.length === 0 ? `${open}</testcase>\n` : `${open}\n${parts.map((p) => `      ${p}\n`).join('')}    </testcase>\n`;
}

/** The test case's failure (drift) or error (not compared, Unknown) element, or '' when it passed. */
function verdictElement(e: DriftReportEntry, generatedAt: string): string {
  if (isFailure(e)) {
    const body = [
      `${e.app} on ${e.cluster} is OutOfSync at revision ${e.revision}${e.driftSince ? ` (drifted since ${e.driftSince})` : ''}.`,
      ...e.driftedResources.flatMap((r) => [
        `${r.state}: ${driftedResourceId(r)}${r.driftSince ? ` since ${r.driftSince}` : ''}${r.changedPaths.length ? ` (${r.changedPaths.join(', ')})` : ''}`,
        ...(r.diff ? [r.diff.replace(/\n$/, '')] : []),
      ]),
    ].join('\n');
    const message = `${e.driftedResources.length} resource(s) drifted`;
    return `<failure message="${escapeXml(message)}" type="drift">${escapeXml(body)}</failure>`;
  }
  if (e.unreachable !== null) {
    const last = e.sync === 'OutOfSync' ? `; last recorded OutOfSync, ${e.driftedResources.length} resource(s) drifted` : `; last recorded ${e.sync}`;
    return `<error message="${escapeXml(staleNote(e, generatedAt) + last)}" type="not-compared"/>`;
  }
  if (e.sync === 'Unknown') return `<error message="${escapeXml(e.error ?? 'sync status unknown')}" type="unknown"/>`;
  return '';
}

/**
 * The controller's own view beside Flotilla's, as the test case's output (CI shows it with the case):
 * `Argo CD says Synced at abc1234; Flotilla sees 2 objects differing (controller disagrees)`.
 */
function controllerOut(e: DriftReportEntry): string {
  if (!e.controllerSays) return '';
  const word = e.controllerAgreement === 'disagree' ? 'controller disagrees' : e.controllerAgreement === 'agree' ? 'controller agrees' : 'controller cannot say';
  return `<system-out>${escapeXml(`${e.controllerSays} (${word})`)}</system-out>`;
}
