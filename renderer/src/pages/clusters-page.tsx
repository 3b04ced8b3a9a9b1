import { useEffect } from 'react';
import { age } from '../components/badges';
import { useStore } from '../store';

/** The Clusters page: every cluster of the fleet with its connection state, version, environment and labels. */
export function ClustersPage() {
  const clusters = useStore((s) => s.clusters);
  const error = useStore((s) => s.clustersError);
  const loadClusters = useStore((s) => s.loadClusters);
  useEffect(() => void loadClusters(), [loadClusters]);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Clusters</h1>
        <button type="button" onClick={() => void loadClusters()}>
          Reconnect
        </button>
      </div>
      {error && (
        <div role="alert" className="load-error">
          <code>{error}</code>
        </div>
      )}
      {!clusters && !error && <p className="muted">Connecting to the clusters…</p>}
      {clusters && (
        <table className="grid" aria-label="Clusters">
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              <th scope="col">Environment</th>
              <th scope="col">State</th>
              <th scope="col">Version</th>
              <th scope="col">Server</th>
              <th scope="col">Context</th>
              <th scope="col">Labels</th>
            </tr>
          </thead>
          <tbody>
            {clusters.map((c) => (
              <tr key={c.name}>
                <th scope="row">{c.name}</th>
                <td>{c.environment}</td>
                <td>
                  <span className={`badge state-${c.state}`}>{c.state}</span>
                  {c.reason && <div className="muted small">{c.reason}</div>}
                  <div className="muted small">since {age(c.since)}</div>
                </td>
                <td>{c.version}</td>
                <td>
                  <code>{c.server}</code>
                </td>
                <td>{c.context}</td>
                <td>
                  {Object.entries(c.labels).map(([k, v]) => (
                    <span key={k} className="tag">
                      {k}={v}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
