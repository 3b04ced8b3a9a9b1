// The drift report as one self-contained HTML file: inline CSS, no script, no external asset (a CSP forbids
// them), every value escaped, so it opens from disk, from a CI artifact or an e-mail attachment alike.

import type { DriftGroupSummary, DriftReport, DriftReportEntry, DriftedResourceEntry } from './drift-report';
import { driftedResourceId } from './drift-report';
import { staleNote } from './coverage';
import { signatureCell } from './render-markdown';
import { controllerWord } from '../controllers/summary';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const CSS = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;--bad:#cf222e;--good:#1a7f37;--warn:#9a6700;--add:#dafbe1;--del:#ffebe9}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#151b23;--line:#3d444d;--bad:#f85149;--good:#3fb950;--warn:#d29922;--add:#12261e;--del:#25171c}}
*{box-sizing:border-box}body{margin:0 auto;max-width:1200px;padding:24px;font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:20px 0 6px}
.meta{color:var(--muted)}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}.card{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:10px 16px;min-width:150px}
.card b{display:block;font-size:22px}table{border-collapse:collapse;width:100%;margin:6px 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--panel)}th.n,td.n{text-align:right;font-variant-numeric:tabular-nums}.OutOfSync,.Degraded,.Missing{color:var(--bad);font-weight:600}.Synced,.Healthy,.sig-signed{color:var(--good)}.sig-bad,.sig-unsigned,.sig-untrusted{color:var(--bad)}
.Unknown,.Progressing,.Suspended{color:var(--warn)}code,pre{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px;overflow:auto;margin:4px 0 12px}pre .a{background:var(--add);display:block}pre .d{background:var(--del);display:block}
details{margin:2px 0}summary{cursor:pointer}.ok{color:var(--good)}.err{color:var(--bad)}.disagree{color:var(--bad);font-weight:600}.agree{color:var(--good)}.unknown{color:var(--warn)}
`;

/** Renders the report as a standalone HTML document. */
export function renderDriftReportHtml(report: DriftReport): string {
  const s = report.summary;
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
    `<title>Flotilla drift report — ${escapeHtml(report.generatedAt)}</title>\n<style>${CSS}</style>\n</head>\n<body>\n`,
    '<h1>Flotilla drift report</h1>\n',
    `<p class="meta">Generated ${escapeHtml(report.generatedAt)} (${escapeHtml(report.source)})`,
    report.snapshot ? ` from snapshot #${report.snapshot.id} taken ${escapeHtml(report.snapshot.takenAt)}` : ' — no snapshot recorded',
    ` · schema version ${report.schemaVersion}</p>\n`,
    '<div class="cards">',
    card('App × clusters', s.appClusters),
    card('Drifted', s.drifted),
    card('Drifted resources', s.driftedResources),
    card('Unknown', s.unknown),
    card('Not compared', s.notCompared),
    '</div>\n',
  );
  out.push(
    s.appClusters > 0 && s.notCompared === s.appClusters
      ? `<p class="err">Could not look: no app × cluster could be compared${s.drifted || s.driftedResources ? `; as last recorded, ${s.drifted} had drifted (${s.driftedResources} resource(s))` : ''}.</p>\n`
      : s.drifted === 0 && s.driftedResources === 0
        ? s.notCompared === 0
          ? '<p class="ok">No drift: every app × cluster matches its desired state.</p>\n'
          : `<p class="err">No drift found in the ${s.appClusters - s.notCompared} of ${s.appClusters} app × cluster(s) that could be compared.</p>\n`
        : `<p class="err">${s.drifted} app × cluster(s) drifted, ${s.driftedResources} resource(s) in all.</p>\n`,
  );
  const c = s.controllers;
  if (c.reported > 0) {
    out.push(
      `<p class="${c.disagree ? 'disagree' : 'meta'}">Controllers' own view: Argo CD or Flux reported on ${c.reported} of ${s.appClusters} app × cluster(s); ` +
        `${c.agree} agree with Flotilla, ${c.disagree} disagree, ${c.unknown} cannot say.</p>\n`,
    );
  }
  if (s.coverage) out.push(`<p class="err">Coverage: ${escapeHtml(s.coverage)}. App × clusters whose cluster could not be read show the state last observed, with its age.</p>\n`);
  out.push('<h2>By environment</h2>\n', groupTable('Environment', s.byEnvironment));
  out.push('<h2>By cluster</h2>\n', groupTable('Cluster', s.byCluster));
  out.push('<h2>By app</h2>\n', groupTable('App', s.byApp));
  out.push('<h2>Drifted resources</h2>\n');
  const drifted = report.entries.filter((e) => e.driftedResources.length > 0 || e.sync === 'OutOfSync');
  if (drifted.length === 0) out.push('<p class="ok">None.</p>\n');
  for (const e of drifted) out.push(entrySection(e, report.generatedAt));
  out.push('<h2>All app × clusters</h2>\n', allTable(report.entries, report.generatedAt), '</body>\n</html>\n');
  return out.join('');
}

function card(label: string, n: number): string {
  return `<div class="card"><b>${n}</b>${escapeHtml(label)}</div>`;
}

function groupTable(label: string, groups: readonly DriftGroupSummary[]): string {
  const rows = groups.map(
    (g) =>
      `<tr><td>${escapeHtml(g.name)}</td><td class="n">${g.appClusters}</td><td class="n${g.drifted ? ' OutOfSync' : ''}">${g.drifted}</td>` +
      `<td class="n">${g.driftedResources}</td><td class="n">${g.unknown}</td></tr>`,
  );
  return (
    `<table><thead><tr><th>${escapeHtml(label)}</th><th class="n">App × clusters</th><th class="n">Drifted</th><th class="n">Drifted resources</th><th class="n">Unknown</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>\n`
  );
}

function entrySection(e: DriftReportEntry, generatedAt: string): string {
  const out: string[] = [];
  out.push(
    `<h3>${escapeHtml(e.app)} on ${escapeHtml(e.cluster)}${e.environment ? ` <span class="meta">(${escapeHtml(e.environment)})</span>` : ''}</h3>\n`,
    `<p class="meta">revision <code>${escapeHtml(e.revision)}</code> · <span class="${cls(e.sync)}">${escapeHtml(e.sync)}</span> · `,
    `health <span class="${cls(e.health.status)}">${escapeHtml(e.health.status)}</span>`,
    e.driftSince ? ` · drifted since ${escapeHtml(e.driftSince)}` : '',
    ` · observed ${escapeHtml(e.observedAt)}`,
    e.signature ? ` · <span class="sig-${e.signature.verdict}">${escapeHtml(signatureCell(e))}</span>` : '',
    e.unreachable ? ` · <b>${escapeHtml(staleNote(e, generatedAt))}</b>` : '',
    '</p>\n',
    e.controllerSays ? `<p class="controller ${e.controllerAgreement ?? ''}">${escapeHtml(e.controllerSays)}</p>\n` : '',
  );
  out.push('<table><thead><tr><th>Resource</th><th>State</th><th>Health</th><th>Since</th><th>Changed</th></tr></thead><tbody>');
  for (const r of e.driftedResources) {
    out.push(
      `<tr><td><code>${escapeHtml(driftedResourceId(r))}</code></td><td>${escapeHtml(r.state)}</td>`,
      `<td>${r.health ? `<span class="${cls(r.health.status)}">${escapeHtml(r.health.status)}</span>${r.health.message ? ' ' + escapeHtml(r.health.message) : ''}` : ''}</td>`,
      `<td>${escapeHtml(r.driftSince ?? '')}</td><td>${r.changedPaths.map((p) => `<code>${escapeHtml(p)}</code>`).join(' ')}</td></tr>`,
    );
  }
  out.push('</tbody></table>\n');
  for (const r of e.driftedResources) out.push(diffBlock(r));
  return out.join('');
}

function diffBlock(r: DriftedResourceEntry): string {
  if (!r.diff) return '';
  const lines = r.diff.split('\n').map((l) => {
    const t = escapeHtml(l);
    if (l.startsWith('+') && !l.startsWith('+++')) return `<span class="a">${t}</span>`;
    if (l.startsWith('-') && !l.startsWith('---')) return `<span class="d">${t}</span>`;
    return t + '\n';
  });
  return `<details><summary>diff <code>${escapeHtml(driftedResourceId(r))}</code></summary><pre>${lines.join('')}</pre></details>\n`;
}

function allTable(entries: readonly DriftReportEntry[], generatedAt: string): string {
  const rows = entries.map(
    (e) =>
      `<tr><td>${escapeHtml(e.environment ?? '')}</td><td>${escapeHtml(e.cluster)}</td><td>${escapeHtml(e.app)}</td><td><code>${escapeHtml(e.revision.slice(0, 12))}</code></td><td class="sig-${e.signature?.verdict ?? 'none'}">${escapeHtml(signatureCell(e))}</td>` +
      `<td class="${cls(e.sync)}">${escapeHtml(e.sync)}</td><td class="${cls(e.health.status)}">${escapeHtml(e.health.status)}</td>` +
      `<td class="n">${e.driftedResources.length}/${e.resourceCount}</td><td>${controllerCell(e)}</td><td>${escapeHtml(e.unreachable ? staleNote(e, generatedAt) : (e.error ?? ''))}</td></tr>`,
  );
  return (
    '<table><thead><tr><th>Environment</th><th>Cluster</th><th>App</th><th>Revision</th><th>Signature</th><th>Sync</th><th>Health</th><th class="n">Drifted</th><th>Controller</th><th>Error</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>\n`
  );
}

/** The controller's word with whether it agrees with Flotilla (`Flux: Ready ≠`), the whole sentence as its title. */
function controllerCell(e: DriftReportEntry): string {
  if (!e.controller) return '';
  const mark = e.controllerAgreement === 'disagree' ? ' ≠' : e.controllerAgreement === 'agree' ? ' ✓' : ' ?';
  return `<span class="${e.controllerAgreement ?? ''}" title="${escapeHtml(e.controllerSays ?? '')}">${escapeHtml(controllerWord(e.controller) + mark)}</span>`;
}

/** A CSS class from a status word (only known words; anything else gets none). */
function cls(word: string): string {
  return /^(OutOfSync|Synced|Unknown|Healthy|Progressing|Degraded|Suspended|Missing)$/.test(word) ? word : '';
}
