import { useEffect } from 'react';
import type { DriftReportFormat } from '../../../shared/report/index';
import { sortByEnvironment } from '../../../shared/fleet/environment-order';
import { HealthBadge, SyncBadge } from '../components/badges';
import { When } from '../components/when';
import { SideBySideDiff } from '../components/diff-view';
import { useStore } from '../store';
import { LoadError } from '../components/load-error';

const EXPORTS: readonly { readonly format: DriftReportFormat; readonly label: string; readonly ext: string; readonly mime: string }[] = [
  { format: 'html', label: 'HTML', ext: 'html', mime: 'text/html' },
  { format: 'md', label: 'Markdown', ext: 'md', mime: 'text/markdown' },
  { format: 'json', label: 'JSON', ext: 'json', mime: 'application/json' },
  { format: 'junit', label: 'JUnit XML', ext: 'xml', mime: 'application/xml' },
];

/** The Reports page: the drift report from the last recorded state (no cluster needed), exported in each format. */
export function ReportsPage() {
  const result = useStore((s) => s.report);
  const error = useStore((s) => s.reportError);
  const exporting = useStore((s) => s.exporting);
  const loadReport = useStore((s) => s.loadReport);
  const exportReport = useStore((s) => s.exportReport);
  const environments = useStore((s) => s.overview?.environments ?? []);
  useEffect(() => void loadReport(), [loadReport]);
  const save = async (format: DriftReportFormat): Promise<void> => {
    const x = EXPORTS.find((e) => e.format === format)!;
    const r = await exportReport(format);
    if (!r) return;
    const url = URL.createObjectURL(new Blob([r.content], { type: x.mime }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `flotilla-drift-report.${x.ext}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  const report = result?.report;
  return (
    <div className="page reports-page">
      <div className="page-head">
        <h1>Drift report</h1>
        {report?.snapshot && <span className="muted">from the snapshot recorded <When iso={report.snapshot.takenAt} full />: no cluster is contacted</span>}
      </div>
      <div className="exports" role="group" aria-label="Export the report">
        {EXPORTS.map((x) => (
          <button key={x.format} type="button" onClick={() => void save(x.format)} disabled={!report || exporting !== undefined}>
            {exporting === x.format ? `Exporting ${x.label}…` : `Export ${x.label}`}
          </button>
        ))}
      </div>
      {error && (
        <LoadError message={error} />
      )}
      {report && (
        <>
          <div className="cards" role="list" aria-label="Report summary">
            {[
              ['App × clusters', report.summary.appClusters],
              ['Drifted', report.summary.drifted],
              ['Unknown', report.summary.unknown],
              ['Drifted resources', report.summary.driftedResources],
            ].map(([label, value]) => (
              <div key={label} className="card" role="listitem">
                <div className="value">{value}</div>
                <div className="label">{label}</div>
              </div>
            ))}
          </div>
          <h2>By environment</h2>
          <table className="grid" aria-label="Drift by environment">
            <thead>
              <tr>
                <th scope="col">Environment</th>
                <th scope="col">App × clusters</th>
                <th scope="col">Drifted</th>
                <th scope="col">Unknown</th>
              </tr>
            </thead>
            <tbody>
              {sortByEnvironment(report.summary.byEnvironment, (g) => g.name, environments).map((g) => (
                <tr key={g.name}>
                  <th scope="row">{g.name}</th>
                  <td>{g.appClusters}</td>
                  <td>{g.drifted}</td>
                  <td>{g.unknown}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Drifted resources</h2>
          {report.entries.filter((e) => e.driftedResources.length > 0 || e.sync !== 'Synced').length === 0 && <p>No drift recorded.</p>}
          {report.entries
            .filter((e) => e.driftedResources.length > 0 || e.sync !== 'Synced')
            .map((e) => (
              <section key={`${e.app}/${e.cluster}`} aria-label={`${e.app} on ${e.cluster}`} className="report-entry">
                <h3>
                  {e.app} <span className="muted">on {e.cluster}</span> <SyncBadge sync={e.sync} /> <HealthBadge health={e.health.status} message={e.health.message} />
                  {e.driftSince && <span className="muted"> drifting since <When iso={e.driftSince} full /></span>}
                  {e.signature && <span className={`muted sig-${e.signature.verdict}`} title={e.signature.commit}> · runs {e.signature.commit.slice(0, 7)}, {e.signature.words}</span>}
                </h3>
                {e.error && <code className="error-text">{e.error}</code>}
                {e.driftedResources.map((r) => (
                  <div key={`${r.kind}/${r.namespace}/${r.name}`}>
                    <p>
                      <strong>{r.kind}</strong> <code>{r.name}</code> — {r.state}
                      {r.changedPaths.some(Boolean) && <span className="muted"> ({r.changedPaths.filter(Boolean).join(', ')})</span>}
                    </p>
                    {r.diff && <SideBySideDiff diff={r.diff} label={`${r.kind} ${r.name} in ${e.app} on ${e.cluster}`} />}
                  </div>
                ))}
              </section>
            ))}
        </>
      )}
    </div>
  );
}
