import { useEffect, useState } from 'react';
import { getApi } from '../api/bridge';
import { sortByEnvironment } from '../../../shared/fleet/environment-order';
import { HealthBadge, SyncBadge } from '../components/badges';
import { When } from '../components/when';
import { useStore } from '../store';
import { LoadError } from '../components/load-error';

/** The Clusters page: every cluster of the fleet with its connection state, version, environment and labels. */
export function ClustersPage() {
  const clusters = useStore((s) => s.clusters);
  const error = useStore((s) => s.clustersError);
  const loadClusters = useStore((s) => s.loadClusters);
  const go = useStore((s) => s.go);
  const environments = useStore((s) => s.overview?.environments ?? []);
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
        <LoadError message={error} />
      )}
      {!clusters && !error && <p className="muted">Connecting to the clusters…</p>}
      <ClusterForm />
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
              <th scope="col">Argo CD</th>
            </tr>
          </thead>
          <tbody>
            {sortByEnvironment(clusters, (c) => c.environment, environments).map((c) => (
              <tr key={c.name}>
                <th scope="row">
                  <button type="button" className="link" onClick={() => go({ page: 'clusters', cluster: c.name })}>
                    {c.name}
                  </button>
                </th>
                <td>{c.environment}</td>
                <td>
                  <span className={`badge state-${c.state}`}>{c.state}</span>
                  {c.reason && <div className="muted small">{c.reason}</div>}
                  <div className="muted small">
                    since <When iso={c.since} />
                  </div>
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
                <td>
                  {c.argocd ? (
                    <details>
                      <summary>
                        {c.argocd.length} Application{c.argocd.length === 1 ? '' : 's'}, {c.argocd.filter((a) => a.sync !== 'Synced').length} not Synced
                      </summary>
                      <ul>
                        {c.argocd.map((a) => (
                          <li key={`${a.namespace}/${a.name}`}>
                            {a.name}: <SyncBadge sync={a.sync} /> <HealthBadge health={a.health} />
                          </li>
                        ))}
                      </ul>
                    </details>
                  ) : (
                    <span className="muted">none</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Adds a cluster from a kubeconfig context, or relabels one, in the fleet file of the working tree. */
function ClusterForm() {
  const overview = useStore((s) => s.overview);
  const [contexts, setContexts] = useState<readonly { name: string; server: string }[]>([]);
  const [name, setName] = useState('');
  const [context, setContext] = useState('');
  const [environment, setEnvironment] = useState('');
  const [labels, setLabels] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  useEffect(() => {
    getApi()['clusters:contexts']({}).then(setContexts, (err: unknown) => setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) }));
  }, []);
  const pick = (clusterName: string): void => {
    setName(clusterName);
    const c = overview?.repo.fleet?.clusters.find((x) => x.name === clusterName);
    if (!c) return;
    setContext(c.context ?? c.name);
    setEnvironment(c.environment ?? '');
    setLabels(Object.entries(c.labels).filter(([k]) => k !== 'environment').map(([k, v]) => `${k}=${v}`).join(', '));
  };
  const save = async (): Promise<void> => {
    const parsed: Record<string, string> = {};
    for (const pair of labels.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [k, ...v] = pair.split('=');
      parsed[k!.trim()] = v.join('=').trim();
    }
    const server = contexts.find((c) => c.name === context)?.server;
    try {
      const r = await getApi()['clusters:save']({ name, context, ...(server ? { server } : {}), ...(environment ? { environment } : {}), labels: parsed });
      setMessage({ ok: true, text: `Saved ${name} to ${r.file} in the working tree: commit it to apply.` });
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  };
  return (
    <section className="cluster-form" aria-labelledby="cluster-form-h">
      <h2 id="cluster-form-h">Add or relabel a cluster</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          Name{' '}
          <input list="fleet-clusters" required value={name} onChange={(e) => pick(e.target.value)} placeholder="prod-eu" />
        </label>
        <datalist id="fleet-clusters">
          {(overview?.repo.fleet?.clusters ?? []).map((c) => (
            <option key={c.name} value={c.name} />
          ))}
        </datalist>
        <label>
          Kubeconfig context{' '}
          <select required value={context} onChange={(e) => setContext(e.target.value)}>
            <option value="">choose…</option>
            {contexts.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name} ({c.server})
              </option>
            ))}
          </select>
        </label>
        <label>
          Environment <input value={environment} onChange={(e) => setEnvironment(e.target.value)} placeholder="prod" />
        </label>
        <label>
          Labels <input value={labels} onChange={(e) => setLabels(e.target.value)} placeholder="region=eu-west-1, tier=prod" />
        </label>
        <button type="submit" className="primary">
          Save to fleet file
        </button>
      </form>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? '' : 'error-text'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
