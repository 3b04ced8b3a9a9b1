import type { AppSetSummary } from '../../../shared/api/contract';
import { ProblemList } from '../components/problem-list';
import { useStore } from '../store';

/** The fleet page: clusters by environment, then every ApplicationSet with the apps it generates. */
export function FleetPage() {
  const overview = useStore((s) => s.overview);
  if (!overview) return null;
  const clusters = overview.repo.fleet?.clusters ?? [];
  const apps = overview.appsets.reduce((n, s) => n + s.apps.length, 0);
  const problems = [...overview.problems, ...overview.appsets.flatMap((s) => s.problems)];
  const envs = [...new Set(clusters.map((c) => c.environment ?? 'unassigned'))];
  return (
    <div className="page">
      <h1>Fleet</h1>
      <div className="cards" role="list" aria-label="Fleet summary">
        <Card label="Clusters" value={clusters.length} />
        <Card label="Environments" value={envs.length} />
        <Card label="ApplicationSets" value={overview.appsets.length} />
        <Card label="Applications" value={apps} />
        <Card label="Problems" value={problems.length} tone={problems.length ? 'bad' : 'good'} />
      </div>
      <ProblemList problems={problems} />
      <section aria-labelledby="clusters-h">
        <h2 id="clusters-h">Clusters</h2>
        <div className="env-row">
          {envs.map((env) => (
            <div key={env} className="env" aria-label={`Environment ${env}`}>
              <h3>{env}</h3>
              <ul>
                {clusters
                  .filter((c) => (c.environment ?? 'unassigned') === env)
                  .map((c) => (
                    <li key={c.name}>
                      <strong>{c.name}</strong> <span className="muted">{c.server ?? c.context ?? ''}</span>
                    </li>
                  ))}
              </ul>
            </div>
          ))}
        </div>
      </section>
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
            return (
              <tr key={a.name}>
                <th scope="row">{a.name}</th>
                <td>{spec.project}</td>
                <td>{spec.destination.name ?? spec.destination.server}</td>
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
