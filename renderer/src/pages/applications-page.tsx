import type { AppSetSummary } from '../../../shared/api/contract';
import { ProblemList } from '../components/problem-list';
import { useStore } from '../store';
import { clusterForApp } from '../../../shared/fleet/destination';

/** The Applications page: every ApplicationSet of the repository at HEAD with the apps it generates. */
export function ApplicationsPage() {
  const overview = useStore((s) => s.overview);
  if (!overview) return null;
  const clusters = overview.repo.fleet?.clusters ?? [];
  const apps = overview.appsets.reduce((n, s) => n + s.apps.length, 0);
  const problems = [...overview.problems, ...overview.appsets.flatMap((s) => s.problems)];
  return (
    <div className="page">
      <h1>Applications</h1>
      <div className="cards" role="list" aria-label="Repository summary">
        <Card label="Clusters" value={clusters.length} />
        <Card label="ApplicationSets" value={overview.appsets.length} />
        <Card label="Applications" value={apps} />
        <Card label="Problems" value={problems.length} tone={problems.length ? 'bad' : 'good'} />
      </div>
      <ProblemList problems={problems} />
      {overview.appsets.length === 0 && <p className="empty">No ApplicationSets found in this repository.</p>}
      {overview.appsets.map((s) => (
        <AppSetTable key={`${s.file}:${s.line}`} appset={s} />
      ))}
    </div>
  );
}

function Card({ label, value, tone }: { readonly label: string; readonly value: number; readonly tone?: 'good' | 'bad' }) {
  return (
    <div className={`card ${tone ?? ''}`} role="listitem">
      <div className="value">{value}</div>
      <div className="label">{label}</div>
    </div>
  );
}

function AppSetTable({ appset }: { readonly appset: AppSetSummary }) {
  const openApp = useStore((s) => s.openApp);
  const clusters = useStore((s) => s.overview?.repo.fleet?.clusters ?? []);
  return (
    <section className="appset" aria-labelledby={`appset-${appset.name}`}>
      <h2 id={`appset-${appset.name}`}>
        ApplicationSet <code>{appset.name}</code>{' '}
        <span className="muted">
          {appset.file}:{appset.line} · generators: {appset.generators.join(', ') || 'none'} · {appset.apps.length} apps
        </span>
      </h2>
      <ProblemList problems={appset.problems} title={`Problems in ${appset.name}`} />
      <table className="grid" aria-label={`Applications of ${appset.name}`}>
        <thead>
          <tr>
            <th scope="col">Application</th>
            <th scope="col">Project</th>
            <th scope="col">Destination</th>
            <th scope="col">Namespace</th>
            <th scope="col">Source path</th>
            <th scope="col">Revision</th>
          </tr>
        </thead>
        <tbody>
          {appset.apps.map((a) => {
            const spec = a.application.spec;
            const cluster = clusterForApp(a.application, clusters)?.name ?? spec.destination.name;
            return (
              <tr key={a.name}>
                <th scope="row">
                  {cluster ? (
                    <button type="button" className="link" onClick={() => openApp(a.name, cluster)}>
                      {a.name}
                    </button>
                  ) : (
                    a.name
                  )}
                </th>
                <td>{spec.project}</td>
                <td>{cluster ?? spec.destination.server}</td>
                <td>{spec.destination.namespace}</td>
                <td>
                  <code>{spec.source?.path}</code>
                </td>
                <td>{spec.source?.targetRevision}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
