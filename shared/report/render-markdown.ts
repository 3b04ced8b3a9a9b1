// The drift report as Markdown (GitHub-flavoured): summary tables, then every drifted resource with its diff.

import type { DriftGroupSummary, DriftReport, DriftReportEntry } from './drift-report';
import { driftedResourceId } from './drift-report';
import { staleNote } from './coverage';
import { controllerWord } from '../controllers/summary';

/** Escapes text for a Markdown table cell or inline text (pipes, backslashes, markup characters, newlines). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+!|~]/g, '\\$&').replace(/\r?\n/g, ' ');
}

/** Renders the report as Markdown. */
export function renderDriftReportMarkdown(report: DriftReport): string {
  const s = report.summary;
  const out: string[] = [];
  out.push('# Flotilla drift report\n\n');
  out.push(
    `Generated ${escapeMarkdown(report.generatedAt)} (${report.source})` +
      (report.snapshot ? ` from snapshot #${report.snapshot.id} taken ${escapeMarkdown(report.snapshot.takenAt)}` : ' — no snapshot recorded') +
      ` · schema version ${report.schemaVersion}\n\n`,
  );
  const compared = s.appClusters - s.notCompared;
  const drifting = s.drifted > 0 || s.driftedResources > 0;
  out.push(
    s.appClusters > 0 && compared === 0
      ? `**Could not look**: none of the ${s.appClusters} app × cluster(s) could be compared` + (drifting ? `; as last recorded, ${s.drifted} had drifted (${s.driftedResources} resource(s)).\n\n` : '.\n\n')
      : !drifting
        ? s.notCompared === 0
          ? `**No drift**: ${s.appClusters} app × cluster(s) match their desired state.\n\n`
          : `**No drift found** in the ${compared} of ${s.appClusters} app × cluster(s) that could be compared.\n\n`
        : `**${s.drifted} of ${s.appClusters} app × cluster(s) drifted**, ${s.driftedResources} resource(s) in all` + (s.unknown ? `; ${s.unknown} unknown.\n\n` : '.\n\n'),
  );
  const c = s.controllers;
  if (c.reported > 0) {
    out.push(`**Controllers' own view**: Argo CD or Flux reported on ${c.reported} of ${s.appClusters} app × cluster(s); ${c.agree} agree with Flotilla, ${c.disagree} disagree, ${c.unknown} cannot say.\n\n`);
  }
  if (s.coverage) out.push(`**Coverage**: ${escapeMarkdown(s.coverage)}. App × clusters whose cluster could not be read show the state last observed, with its age.\n\n`);
  out.push('## By environment\n\n', groupTable('Environment', s.byEnvironment));
  out.push('## By cluster\n\n', groupTable('Cluster', s.byCluster));
  out.push('## By app\n\n', groupTable('App', s.byApp));
  out.push('## Drifted resources\n\n');
  const drifted = report.entries.filter((e) => e.driftedResources.length > 0 || e.sync === 'OutOfSync');
  if (drifted.length === 0) out.push('None.\n\n');
  for (const e of drifted) out.push(entrySection(e, report.generatedAt));
  out.push('## All app × clusters\n\n');
  out.push('| Environment | Cluster | App | Revision | Signature | Sync | Health | Drifted | Controller | Error |\n|---|---|---|---|---|---|---|---:|---|---|\n');
  for (const e of report.entries) {
    out.push(
      `| ${escapeMarkdown(e.environment ?? '')} | ${escapeMarkdown(e.cluster)} | ${escapeMarkdown(e.app)} | \`${e.revision.slice(0, 12).replace(/`/g, '')}\` | ${escapeMarkdown(signatureCell(e))} | ` +
        `${e.sync} | ${e.health.status} | ${e.driftedResources.length}/${e.resourceCount} | ${escapeMarkdown(controllerCell(e))} | ${escapeMarkdown(e.unreachable ? `${staleNote(e, report.generatedAt)}` : (e.error ?? ''))} |\n`,
    );
  }
  return out.join('');
}

/** The signature of the commit an entry runs, in words (naming the commit when it is not the recorded revision). */
export function signatureCell(e: Pick<DriftReportEntry, 'revision' | 'signature'>): string {
  if (!e.signature) return '';
  return e.signature.commit === e.revision ? e.signature.words : `${e.signature.words} (runs ${e.signature.commit.slice(0, 12)})`;
}

function groupTable(label: string, groups: readonly DriftGroupSummary[]): string {
  const rows = groups.map((g) => `| ${escapeMarkdown(g.name)} | ${g.appClusters} | ${g.drifted} | ${g.driftedResources} | ${g.unknown} |\n`);
  return `| ${label} | App × clusters | Drifted | Drifted resources | Unknown |\n|---|---:|---:|---:|---:|\n${rows.join('')}\n`;
}

function entrySection(e: DriftReportEntry, generatedAt: string): string {
  const out: string[] = [];
  out.push(`### ${escapeMarkdown(e.app)} on ${escapeMarkdown(e.cluster)}${e.environment ? ` (${escapeMarkdown(e.environment)})` : ''}\n\n`);
  out.push(
    `Revision \`${e.revision.replace(/`/g, '')}\` · ${e.sync} · health ${e.health.status}` +
      (e.driftSince ? ` · drifted since ${escapeMarkdown(e.driftSince)}` : '') +
      ` · observed ${escapeMarkdown(e.observedAt)}` +
      (e.signature ? ` · ${escapeMarkdown(signatureCell(e))}` : '') +
      (e.unreachable ? ` · **${escapeMarkdown(staleNote(e, generatedAt))}**` : '') +
      '\n\n',
  );
  if (e.controllerSays) out.push(`${e.controllerAgreement === 'disagree' ? '**Controller disagrees**: ' : ''}${escapeMarkdown(e.controllerSays)}\n\n`);
  out.push('| Resource | State | Health | Since | Changed |\n|---|---|---|---|---|\n');
  for (const r of e.driftedResources) {
    out.push(
      `| ${escapeMarkdown(driftedResourceId(r))} | ${r.state} | ${r.health ? escapeMarkdown(`${r.health.status}${r.health.message ? ' ' + r.health.message : ''}`) : ''} | ` +
        `${escapeMarkdown(r.driftSince ?? '')} | ${r.changedPaths.map(escapeMarkdown).join(', ')} |\n`,
    );
  }
  out.push('\n');
  for (const r of e.driftedResources) {
    if (!r.diff) continue;
    const fence = '`'.repeat(Math.max(3, longestRun(r.diff, '`') + 1));
    out.push(`${escapeMarkdown(driftedResourceId(r))}:\n\n${fence}diff\n${r.diff.replace(/\n$/, '')}\n${fence}\n\n`);
  }
  return out.join('');
}

/** The controller's word with whether it agrees with Flotilla: `Argo CD: Synced ≠`. */
function controllerCell(e: DriftReportEntry): string {
  if (!e.controller) return '';
  return controllerWord(e.controller) + (e.controllerAgreement === 'disagree' ? ' ≠' : e.controllerAgreement === 'agree' ? ' ✓' : ' ?');
}

/** The longest run of `ch` in `text`, so a code fence can be longer than anything inside it. */
function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

