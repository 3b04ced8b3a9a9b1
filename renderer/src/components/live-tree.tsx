import { useEffect, useMemo, useRef, useState } from 'react';
import type { PodLogsView, ResourceManifestView } from '../../../shared/api/app-live';
import { LOG_TAIL_LINES } from '../../../shared/api/app-live';
import type { KubeEventView } from '../../../shared/fleet/kube-events';
import type { ResourceNode } from '../../../shared/fleet/resource-tree';
import { treeOrder } from '../../../shared/fleet/resource-tree';
import { getApi } from '../api/bridge';
import type { AppTreeRead } from './app-tree-read';
import { age, HealthBadge } from './badges';
import { ProblemList } from './problem-list';
import { LoadError } from './load-error';

/** How often a followed log is read again (the API serves a bounded tail; the viewer keeps at most LOG_TAIL_LINES lines). */
const FOLLOW_MS = 2000;

const nodeId = (n: ResourceNode): string => n.uid || `${n.group}/${n.kind}/${n.namespace}/${n.name}`;

/**
 * The app's live resource tree as Argo CD draws it: its objects with the ReplicaSets, Pods and Jobs the cluster made
 * from them hung under their owner, health per node; choosing a node shows its manifests and, for a Pod, its logs.
 */
export function LiveTree({ app, cluster, read }: { readonly app: string; readonly cluster: string; readonly read: AppTreeRead }) {
  const { view: tree, error, loading, reload } = read;
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const rows = useMemo(() => (tree ? treeOrder(tree.nodes) : []), [tree]);
  const chosen = rows.find((r) => nodeId(r.node) === selected)?.node;
  return (
    <div className="live-tree">
      <p className="muted">
        {tree ? `Read from ${cluster} ${age(tree.observedAt)} · ${tree.nodes.length} resources · ${tree.events.length} events` : loading ? `Reading ${cluster}…` : ''}{' '}
        <button type="button" className="link" onClick={reload} disabled={loading}>
          {loading ? 'Reading…' : 'Reload'}
        </button>
      </p>
      {error && (
        <LoadError message={error} />
      )}
      {tree && <ProblemList problems={tree.problems} title="Could not read" />}
      {tree && (
        <table className="grid resource-tree" aria-label="Resource tree">
          <thead>
            <tr>
              <th>Resource</th>
              <th>Health</th>
              <th>Status</th>
              <th>Age</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ node, depth }) => (
              <tr key={nodeId(node)} data-depth={depth + 1} data-namespace={node.namespace ?? ''} className={nodeId(node) === selected ? 'selected' : undefined}>
                <th scope="row" style={{ paddingLeft: 10 + depth * 22 }}>
                  {depth > 0 && <span aria-hidden="true" className="muted">└ </span>}
                  {depth > 0 && <span className="sr-only">level {depth + 1}: </span>}
                  <span className="kind">{node.kind}</span>{' '}
                  <button type="button" className="link" onClick={() => setSelected(nodeId(node) === selected ? undefined : nodeId(node))} aria-label={`${node.kind} ${node.name}`} aria-pressed={nodeId(node) === selected}>
                    {node.name}
                  </button>
                  {node.namespace && <span className="muted tree-ns"> in {node.namespace}</span>}
                  {!node.managed && <span className="tag">live only</span>}
                </th>
                <td>{node.health ? <HealthBadge health={node.health.status} message={node.health.message} /> : <span className="muted">–</span>}</td>
                <td className="muted">{[...(node.info ?? []), node.health?.message].filter(Boolean).join(' · ')}</td>
                <td className="muted">{node.createdAt ? age(node.createdAt) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {chosen && <NodeDetails key={nodeId(chosen)} app={app} cluster={cluster} node={chosen} events={tree?.events ?? []} />}
    </div>
  );
}

function NodeDetails({ app, cluster, node, events }: { readonly app: string; readonly cluster: string; readonly node: ResourceNode; readonly events: readonly KubeEventView[] }) {
  const [view, setView] = useState<'Logs' | 'Manifest' | 'Events'>(node.kind === 'Pod' ? 'Logs' : 'Manifest');
  const views = node.kind === 'Pod' ? (['Logs', 'Manifest', 'Events'] as const) : (['Manifest', 'Events'] as const);
  const mine = events.filter((e) => (node.uid ? e.object.uid === node.uid : e.object.name === node.name && e.object.kind === node.kind));
  return (
    <section className="node-details" aria-label={`${node.kind} ${node.name}`}>
      <h3>
        {node.kind} <code>{node.namespace ? `${node.namespace}/` : ''}{node.name}</code>
      </h3>
      <div role="tablist" aria-label={`${node.kind} ${node.name} views`} className="tabs">
        {views.map((v) => (
          <button key={v} type="button" role="tab" aria-selected={view === v} onClick={() => setView(v)}>
            {v}
            {v === 'Events' ? ` (${mine.length})` : ''}
          </button>
        ))}
      </div>
      {view === 'Logs' && <PodLogs app={app} cluster={cluster} namespace={node.namespace} pod={node.name} containers={node.containers ?? []} />}
      {view === 'Manifest' && <NodeManifest app={app} cluster={cluster} node={node} />}
      {view === 'Events' && <EventList events={mine} label={`Events of ${node.kind} ${node.name}`} />}
    </section>
  );
}

function NodeManifest({ app, cluster, node }: { readonly app: string; readonly cluster: string; readonly node: ResourceNode }) {
  const [m, setM] = useState<ResourceManifestView | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    getApi()['app:manifest']({ app, cluster, group: node.group, kind: node.kind, namespace: node.namespace, name: node.name }).then(
      (v) => live && setM(v),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [app, cluster, node]);
  if (error) return <LoadError message={error} />;
  if (!m) return <p className="muted">Reading…</p>;
  return (
    <div className="manifest-pair">
      <div>
        <h4>Desired (Git)</h4>
        {m.desired ? <pre className="manifests" aria-label="Desired manifest">{m.desired}</pre> : <p className="muted">Not in Git: the cluster made it{node.managed ? '' : ' from its owner'}.</p>}
      </div>
      <div>
        <h4>Live ({cluster})</h4>
        {m.live ? <pre className="manifests" aria-label="Live manifest">{m.live}</pre> : <p className="muted">Not on the cluster.</p>}
      </div>
    </div>
  );
}

/** A Pod container's log: container picker, previous instance, follow (read again every 2 s); read-only, bounded. */
export function PodLogs({ app, cluster, namespace, pod, containers }: { readonly app: string; readonly cluster: string; readonly namespace: string; readonly pod: string; readonly containers: readonly string[] }) {
  const [container, setContainer] = useState(containers[containers.length - 1] ?? '');
  const [previous, setPrevious] = useState(false);
  const [follow, setFollow] = useState(false);
  const [logs, setLogs] = useState<PodLogsView | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    let live = true;
    const read = (): void => {
      getApi()['app:logs']({ app, cluster, namespace, pod, ...(container ? { container } : {}), previous }).then(
        (v) => {
          if (!live) return;
          // The bounded buffer: never more than LOG_TAIL_LINES lines kept, whatever the server sent.
          const lines = v.text.split('\n');
          setLogs(lines.length > LOG_TAIL_LINES + 1 ? { ...v, text: lines.slice(-LOG_TAIL_LINES - 1).join('\n'), truncated: true } : v);
          setError(undefined);
        },
        (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
      );
    };
    read();
    const timer = follow ? setInterval(read, FOLLOW_MS) : undefined;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
  }, [app, cluster, namespace, pod, container, previous, follow]);
  useEffect(() => {
    if (follow && pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [logs, follow]);
  return (
    <div className="pod-logs">
      <div className="filters">
        <label>
          Container{' '}
          <select value={container} onChange={(e) => setContainer(e.target.value)} aria-label="Container">
            {containers.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          <input type="checkbox" checked={previous} onChange={(e) => setPrevious(e.target.checked)} /> Previous instance
        </label>{' '}
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        {logs?.truncated && <span className="muted"> · last {LOG_TAIL_LINES} lines</span>}
      </div>
      {error && (
        <LoadError message={error} />
      )}
      <pre ref={pre} className="manifests logs" aria-label={`Logs of ${pod} ${container}`}>
        {logs ? logs.text || '(no output)' : 'Reading…'}
      </pre>
    </div>
  );
}

/** Kubernetes events, warnings first (as given), with their object, count and age. */
export function EventList({ events, label }: { readonly events: readonly KubeEventView[]; readonly label: string }) {
  if (events.length === 0) return <p className="muted">No events (the API server keeps them for an hour).</p>;
  return (
    <table className="grid events" aria-label={label}>
      <thead>
        <tr>
          <th>Type</th>
          <th>Reason</th>
          <th>Object</th>
          <th>Message</th>
          <th>Count</th>
          <th>Last seen</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e, i) => (
          <tr key={`${e.object.uid}/${e.reason}/${e.lastSeen}/${i}`} className={e.type === 'Warning' ? 'warning' : undefined}>
            <td>{e.type === 'Warning' ? <strong className="warn-text">⚠ Warning</strong> : e.type}</td>
            <td>{e.reason}</td>
            <td>
              <code>
                {e.object.kind}/{e.object.name}
              </code>
            </td>
            <td>{e.message}</td>
            <td>{e.count}</td>
            <td className="muted">{age(e.lastSeen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The Kubernetes events of the app's objects and their children, from the app page's live read (shared with the Tree tab), warnings first. */
export function AppEvents({ cluster, read }: { readonly cluster: string; readonly read: AppTreeRead }) {
  const { view: tree, error, loading, reload } = read;
  if (error && !tree) return <LoadError message={error} />;
  if (!tree) return <p className="muted">Reading {cluster}…</p>;
  const warnings = tree.events.filter((e) => e.type === 'Warning').length;
  return (
    <div>
      <p className="muted">
        {tree.events.length} events, {warnings} warnings, of {tree.nodes.length} resources · read from {cluster} {age(tree.observedAt)}{' '}
        <button type="button" className="link" onClick={reload} disabled={loading}>
          {loading ? 'Reading…' : 'Reload'}
        </button>
      </p>
      {error && <LoadError message={error} />}
      <ProblemList problems={tree.problems} title="Could not read" />
      <EventList events={tree.events} label="Events" />
    </div>
  );
}
