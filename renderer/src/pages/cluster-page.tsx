import { useEffect, useMemo } from 'react';
import type { GitOpsObjectView, NamespaceView, NodeView } from '../../../shared/api/cluster-detail';
import { runningDiffers, shownVersion, withDesiredVersions } from '../../../shared/fleet/grid';
import type { GridCell } from '../../../shared/fleet/grid';
import { HealthBadge, SyncBadge } from '../components/badges';
import { When } from '../components/when';
import { useStore } from '../store';
import { LoadError } from '../components/load-error';

/** How many Namespaces are listed before the rest fold away. */
const NAMESPACES_SHOWN = 40;

/** One cluster's page: connection and version, the apps Git deploys to it with their state, Nodes, Namespaces, and the Argo CD and Flux objects on it. */
export function ClusterPage({ name }: { readonly name: string }) {
  const detail = useStore((s) => s.clusterDetail);
  const error = useStore((s) => s.clusterDetailError);
  const loading = useStore((s) => s.clusterLoading);
  const load = useStore((s) => s.loadClusterDetail);
  const go = useStore((s) => s.go);
  const spec = useStore((s) => s.overview?.repo.fleet?.clusters.find((c) => c.name === name));
  useEffect(() => void load(name), [load, name]);
  const shown = detail?.cluster.name === name ? detail : undefined;
  const c = shown?.cluster;
  return (
    <div className="page cluster-page">
      <div className="page-head">
        <h1>
          Cluster <code>{name}</code>
        </h1>
        <span className="muted">{spec?.environment ?? c?.environment ? `environment ${spec?.environment ?? c?.environment}` : 'no environment'}</span>
        <button type="button" className="link" onClick={() => go({ page: 'clusters' })}>
          All clusters
        </button>
        <button type="button" onClick={() => void load(name)} disabled={loading}>
          {loading ? 'Reading…' : 'Reconnect'}
        </button>
      </div>
      {error && (
        <LoadError message={error} />
      )}
      {!shown && !error && <p className="muted">Connecting to {name}…</p>}
      {c && (
        <dl className="facts" aria-label="Connection">
          <dt>State</dt>
          <dd>
            <span className={`badge state-${c.state}`}>{c.state}</span> since <When iso={c.since} />
            {c.reason && <div className="muted small">{c.reason}</div>}
          </dd>
          <dt>Version</dt>
          <dd>{c.version ?? <span className="muted">not known</span>}</dd>
          <dt>Server</dt>
          <dd>
            <code>{c.server || spec?.server || '—'}</code>
          </dd>
          <dt>Context</dt>
          <dd>{c.context || spec?.context || '—'}</dd>
          <dt>Labels</dt>
          <dd>
            {Object.entries(c.labels).length === 0 ? <span className="muted">none</span> : Object.entries(c.labels).map(([k, v]) => (
              <span key={k} className="tag">
                {k}={v}
              </span>
            ))}
          </dd>
        </dl>
      )}
      {shown && shown.problems.length > 0 && (
        <div className="problems" role="alert">
          <strong>Could not read everything on {name}</strong>
          <ul>
            {shown.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <DeployedApps cluster={name} />
      {shown?.nodes && <Nodes nodes={shown.nodes} />}
      {shown?.namespaces && <Namespaces namespaces={shown.namespaces} />}
      {shown?.gitops && <GitOpsObjects objects={shown.gitops} cluster={name} />}
    </div>
  );
}

/** The apps Git deploys to the cluster, with the sync and health last recorded and their versions. */
function DeployedApps({ cluster }: { readonly cluster: string }) {
  const status = useStore((s) => s.status);
  const desired = useStore((s) => s.desired);
  const loadStatus = useStore((s) => s.loadStatus);
  const loadDesired = useStore((s) => s.loadDesired);
  const openApp = useStore((s) => s.openApp);
  useEffect(() => {
    if (!status) void loadStatus();
    if (!desired) void loadDesired();
  }, [status, desired, loadStatus, loadDesired]);
  const cells = useMemo<GridCell[]>(() => {
    if (!status) return [];
    const grid = desired ? withDesiredVersions(status.grid, desired.versions) : status.grid;
    return grid.rows.flatMap((r) => (r.cells[cluster] ? [r.cells[cluster]] : []));
  }, [status, desired, cluster]);
  return (
    <section aria-labelledby="cluster-apps-h">
      <h2 id="cluster-apps-h">
        Applications <span className="muted">deployed here from Git · {cells.length}</span>
      </h2>
      {status?.recordedAt ? (
        <p className="muted small">
          State as the refresh of <When iso={status.recordedAt} full /> recorded it.
        </p>
      ) : (
        <p className="muted small">Never refreshed: sync and health are not known yet.</p>
      )}
      {cells.length === 0 ? (
        <p className="empty">No app of the repository is deployed to this cluster.</p>
      ) : (
        <table className="grid" aria-label={`Applications on ${cluster}`}>
          <thead>
            <tr>
              <th scope="col">Application</th>
              <th scope="col">Sync</th>
              <th scope="col">Health</th>
              <th scope="col">Version in Git</th>
              <th scope="col">Running</th>
              <th scope="col">Observed</th>
            </tr>
          </thead>
          <tbody>
            {cells.map((cell) => (
              <tr key={cell.app}>
                <th scope="row">
                  <button type="button" className="link" onClick={() => openApp(cell.app, cluster)}>
                    {cell.app}
                  </button>
                </th>
                <td>
                  <SyncBadge sync={cell.sync} count={cell.outOfSync} />
                </td>
                <td>
                  <HealthBadge health={cell.health} message={cell.healthMessage} />
                </td>
                <td>
                  <code>{shownVersion(cell) || '—'}</code>
                </td>
                <td className={runningDiffers(cell) ? 'version-differs' : undefined}>{cell.runningVersion ? <code>{cell.runningVersion}</code> : <span className="muted">—</span>}</td>
                <td>
                  <When iso={cell.observedAt || undefined} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Nodes({ nodes }: { readonly nodes: readonly NodeView[] }) {
  const ready = nodes.filter((n) => n.ready).length;
  return (
    <section aria-labelledby="cluster-nodes-h">
      <h2 id="cluster-nodes-h">
        Nodes <span className="muted">· {ready} of {nodes.length} Ready</span>
      </h2>
      {nodes.length === 0 ? (
        <p className="empty">No Nodes: nothing can be scheduled on this cluster.</p>
      ) : (
        <table className="grid" aria-label="Nodes">
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Ready</th>
              <th scope="col">Roles</th>
              <th scope="col">Kubelet</th>
              <th scope="col">CPU</th>
              <th scope="col">Memory</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {nodes.map((n) => (
              <tr key={n.name}>
                <th scope="row">{n.name}</th>
                <td>
                  <span className={`badge ${n.ready ? 'health-Healthy' : 'health-Degraded'}`}>{n.ready ? 'Ready' : 'NotReady'}</span>
                  {n.unschedulable && <span className="muted small"> · cordoned</span>}
                  {n.reason && <div className="muted small">{n.reason}</div>}
                </td>
                <td>{n.roles.join(', ') || <span className="muted">—</span>}</td>
                <td>{n.kubeletVersion ?? '—'}</td>
                <td>{n.cpu ?? '—'}</td>
                <td>{n.memory ?? '—'}</td>
                <td>
                  <When iso={n.created} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Namespaces({ namespaces }: { readonly namespaces: readonly NamespaceView[] }) {
  const row = (n: NamespaceView) => (
    <tr key={n.name}>
      <th scope="row">{n.name}</th>
      <td>{n.phase}</td>
      <td>
        <When iso={n.created} />
      </td>
    </tr>
  );
  return (
    <section aria-labelledby="cluster-ns-h">
      <h2 id="cluster-ns-h">
        Namespaces <span className="muted">· {namespaces.length}</span>
      </h2>
      <table className="grid" aria-label="Namespaces">
        <thead>
          <tr>
            <th scope="col">Namespace</th>
            <th scope="col">Phase</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>{namespaces.slice(0, NAMESPACES_SHOWN).map(row)}</tbody>
      </table>
      {namespaces.length > NAMESPACES_SHOWN && (
        <details>
          <summary>{namespaces.length - NAMESPACES_SHOWN} more Namespaces</summary>
          <table className="grid" aria-label="More Namespaces">
            <tbody>{namespaces.slice(NAMESPACES_SHOWN).map(row)}</tbody>
          </table>
        </details>
      )}
    </section>
  );
}

function GitOpsObjects({ objects, cluster }: { readonly objects: readonly GitOpsObjectView[]; readonly cluster: string }) {
  return (
    <section aria-labelledby="cluster-gitops-h">
      <h2 id="cluster-gitops-h">
        Argo CD and Flux objects <span className="muted">· {objects.length}</span>
      </h2>
      {objects.length === 0 ? (
        <p className="empty">No Argo CD Application and no Flux object on {cluster}: nothing here reconciles from Git on its own.</p>
      ) : (
        <table className="grid" aria-label={`Argo CD and Flux objects on ${cluster}`}>
          <thead>
            <tr>
              <th scope="col">Object</th>
              <th scope="col">Tool</th>
              <th scope="col">State</th>
              <th scope="col">Revision</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {objects.map((o) => (
              <tr key={`${o.tool}/${o.kind}/${o.namespace}/${o.name}`}>
                <th scope="row">
                  {o.kind} <code>{o.namespace ? `${o.namespace}/${o.name}` : o.name}</code>
                </th>
                <td>{o.tool}</td>
                <td>
                  {o.sync && <SyncBadge sync={o.sync} />} {o.health && <HealthBadge health={o.health} />}
                  {o.ready && <span className={`badge ${o.ready === 'True' ? 'health-Healthy' : o.ready === 'False' ? 'health-Degraded' : 'health-Unknown'}`}>{o.ready === 'True' ? 'Ready' : o.ready === 'False' ? 'NotReady' : 'Ready unknown'}</span>}
                  {o.suspended && <span className="muted small"> · suspended</span>}
                </td>
                <td>{o.revision ? <code>{o.revision.length > 20 ? o.revision.slice(0, 20) + '…' : o.revision}</code> : <span className="muted">—</span>}</td>
                <td className="small">{o.message ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
