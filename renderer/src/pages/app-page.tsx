import { useEffect, useMemo, useState } from 'react';
import { SyncAction } from '../components/sync-action';
import type { RenderedSourceInfo } from '../../../shared/fleet/render-apps';
import type { RecordedResource, SyncRunDetail } from '../../../shared/report/model';
import { ControllerTag, HealthBadge, SignatureBadge, SyncBadge } from '../components/badges';
import type { CommitSignature } from '../../../shared/repo/signature';
import { describeSignature } from '../../../shared/repo/signature';
import { agreement, verdictsBeside } from '../../../shared/controllers/summary';
import type { FlotillaVerdict } from '../../../shared/controllers/summary';
import type { ControllerStatus } from '../../../shared/controllers/types';
import { SideBySideDiff } from '../components/diff-view';
import { AppEvents, LiveTree } from '../components/live-tree';
import { useAppTreeRead } from '../components/app-tree-read';
import { FindingList } from '../components/findings';
import { ProblemList } from '../components/problem-list';
import { When } from '../components/when';
import { useStore } from '../store';
import { formatOrigin } from '../../../shared/fleet/app-origin';
import type { Application } from '../../../shared/model/application';
import { LoadError } from '../components/load-error';

const TABS = ['Resources', 'Tree', 'Events', 'Diff', 'Manifests', 'Validation', 'History'] as const;
type Tab = (typeof TABS)[number];

/** Where an app's manifests come from: its source path, or the Flux object (and its path) a Flux app stands for; then its namespace. */
function SourceWhere({ application }: { readonly application?: Application | undefined }) {
  const src = application?.spec.source ?? application?.spec.sources?.[0];
  // A Flux app's source carries its Kustomization or HelmRelease (shared/sources/flux-source.ts); read here, not imported, to keep the renderers out of the UI bundle.
  const flux = src?.['flux'] as { readonly kind: string; readonly object: Readonly<Record<string, unknown>> } | undefined;
  const meta = (flux?.object['metadata'] ?? {}) as Readonly<Record<string, unknown>>;
  const fluxPath = flux?.kind === 'Kustomization' ? (flux.object['spec'] as Readonly<Record<string, unknown>> | undefined)?.['path'] : undefined;
  const namespace = application?.spec.destination.namespace;
  return (
    <>
      {src?.path ? (
        <>
          {' '}· source <code>{src.path}</code>
        </>
      ) : flux ? (
        <>
          {' '}· Flux {flux.kind} <code>{`${String(meta['namespace'] ?? 'default')}/${String(meta['name'] ?? '')}`}</code>
          {typeof fluxPath === 'string' ? (
            <>
              {' '}at <code>{fluxPath}</code>
            </>
          ) : null}
        </>
      ) : null}
      {namespace ? (
        <>
          {' '}· namespace <code>{namespace}</code>
        </>
      ) : null}
    </>
  );
}

/** The app page: one app on one cluster — its recorded resources, the live tree (with Pods, manifests and logs), events, the diff, the manifests, validation and the history. */
export function AppPage() {
  const ref = useStore((s) => s.appRef);
  const detail = useStore((s) => s.detail);
  const detailError = useStore((s) => s.detailError);
  const loadDetail = useStore((s) => s.loadDetail);
  const refresh = useStore((s) => s.refresh);
  const refreshing = useStore((s) => s.refreshing);
  const go = useStore((s) => s.go);
  const tab: Tab = (TABS as readonly string[]).includes(ref?.tab ?? '') ? (ref!.tab as Tab) : 'Resources';
  const setTab = (t: Tab): void => {
    if (ref) go({ page: 'app', app: ref.app, cluster: ref.cluster, tab: t }, { replace: true });
  };
  const refApp = ref?.app;
  const refCluster = ref?.cluster;
  useEffect(() => {
    if (refApp && refCluster) void loadDetail(refApp, refCluster);
  }, [refApp, refCluster, loadDetail]);
  // The Tree and Events tabs share one live read, read again once the detail is (after a sync or a refresh).
  const treeRead = useAppTreeRead(refApp ?? '', refCluster ?? '', detail, !!detail && (tab === 'Tree' || tab === 'Events'));
  if (!ref) return <p className="muted">Choose an app on the Fleet page.</p>;
  const status = detail?.status;
  return (
    <div className="page app-page">
      <div className="page-head">
        <h1>
          {ref.app} <span className="muted">on {ref.cluster}</span>
        </h1>
        {status && (
          <span role="status" aria-label="Sync and health">
            <SyncBadge sync={status.sync} count={status.driftedCount} /> <HealthBadge health={status.health.status} message={status.health.message} />{' '}
            <span className="muted">
              observed <When iso={status.observedAt} full /> at {status.revision.slice(0, 7)}
            </span>
          </span>
        )}
        <button type="button" onClick={() => void refresh().then(() => loadDetail(ref.app, ref.cluster))} disabled={refreshing} title="Reads every cluster and records a snapshot; nothing is changed in any cluster">
          {refreshing ? 'Refreshing…' : 'Refresh (read only)'}
        </button>
      </div>
      <SyncAction app={ref.app} cluster={ref.cluster} onDone={() => void useStore.getState().reloadDetail()} />
      {detailError && (
        <LoadError message={detailError} />
      )}
      {detail && (
        <>
          {(detail.explain || detail.origin) && (
            <p className="muted" aria-label="Origin">
              {detail.explain ? `Generated by ${detail.explain.generatorPath.join(' → ')}` : detail.origin ? formatOrigin(detail.origin) : ''}
              {detail.explain && detail.origin?.kind === 'app' ? ` · ${formatOrigin(detail.origin)}` : ''}
              <SourceWhere application={detail.application} />
            </p>
          )}
          {status?.error && (
            <LoadError message={status.error} />
          )}
          {status?.controller && <ControllerView controller={status.controller} verdict={{ sync: status.sync, drifted: status.driftedCount, ...(status.error ? { error: status.error } : {}), revision: status.revision }} />}
          {detail.signature && <SignatureRow signature={detail.signature} />}
          {detail.sources && detail.sources.length > 0 && <Sources sources={detail.sources} />}
          <ProblemList problems={detail.renderProblems} title="Rendering problems" />
          <div role="tablist" aria-label="App views" className="tabs">
            {TABS.map((t) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
                {t}
              </button>
            ))}
          </div>
          <div role="tabpanel" aria-label={tab}>
            {tab === 'Resources' && <Resources resources={status?.resources ?? []} never={!status} />}
            {tab === 'Tree' && <LiveTree app={ref.app} cluster={ref.cluster} read={treeRead} />}
            {tab === 'Events' && <AppEvents cluster={ref.cluster} read={treeRead} />}
            {tab === 'Diff' && <Diffs resources={status?.resources ?? []} />}
            {tab === 'Manifests' && <Manifests yaml={detail.rendered} />}
            {tab === 'Validation' && <Validation app={ref.app} cluster={ref.cluster} />}
            {tab === 'History' && <History />}
          </div>
        </>
      )}
    </div>
  );
}

/** The Validation tab: the app's rendered objects validated for this cluster (schema of its version, lint, score). */
function Validation({ app, cluster }: { readonly app: string; readonly cluster: string }) {
  const v = useStore((s) => s.appValidation);
  const key = useStore((s) => s.appValidationKey);
  const error = useStore((s) => s.appValidationError);
  const load = useStore((s) => s.loadAppValidation);
  const mine = key === `${app}\u0000${cluster}`;
  useEffect(() => {
    if (!mine) void load(app, cluster);
  }, [app, cluster, mine, load]);
  if (mine && error)
    return (
      <LoadError message={error} />
    );
  if (!mine || !v) return <p className="muted">Validating…</p>;
  const errors = v.findings.filter((f) => f.severity === 'error').length;
  const warnings = v.findings.filter((f) => f.severity === 'warning').length;
  return (
    <div>
      <p className="muted" aria-label="Validation summary">
        {v.objects} objects against Kubernetes {v.kubernetesVersion} ({v.schemaSource}) at <code>{v.revision.slice(0, 7)}</code>: {errors} error{errors === 1 ? '' : 's'}, {warnings} warning{warnings === 1 ? '' : 's'}
      </p>
      <ProblemList problems={v.problems} title="Validation problems" />
      <FindingList findings={v.findings} revision={v.revision} label={`Validation of ${app} on ${cluster}`} />
    </div>
  );
}

function Resources({ resources, never }: { readonly resources: readonly RecordedResource[]; readonly never: boolean }) {
  if (never) return <p className="muted">Not observed yet: refresh to read this cluster.</p>;
  const byKind = new Map<string, RecordedResource[]>();
  for (const r of resources) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r]);
  return (
    <ul className="tree" aria-label="Resources">
      {[...byKind].map(([kind, list]) => (
        <li key={kind}>
          <strong>{kind}</strong>
          <ul>
            {list.map((r) => (
              <li key={`${r.namespace}/${r.name}`}>
                <code>
                  {r.namespace ? `${r.namespace}/` : ''}
                  {r.name}
                </code>{' '}
                <SyncBadge sync={r.sync} /> {r.health && <HealthBadge health={r.health.status} message={r.health.message} />}
                {r.missing && <span className="tag">missing</span>}
                {r.extra && <span className="tag">extra: would be pruned</span>}
                {r.health?.message && <span className="muted"> {r.health.message}</span>}
                {r.driftSince && <span className="muted"> · drifted since <When iso={r.driftSince} full /></span>}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

function Diffs({ resources }: { readonly resources: readonly RecordedResource[] }) {
  const drifted = resources.filter((r) => r.diff);
  if (drifted.length === 0) return <p className="muted">No drift: every resource matches Git.</p>;
  return (
    <div>
      {drifted.map((r) => (
        <section key={`${r.kind}/${r.namespace}/${r.name}`} aria-label={`Diff of ${r.kind} ${r.name}`}>
          <h3>
            {r.kind} <code>{r.name}</code> {r.changedPaths && r.changedPaths.length > 0 && <span className="muted">changed: {r.changedPaths.join(', ')}</span>}
          </h3>
          <SideBySideDiff diff={r.diff!} label={`${r.kind} ${r.name}: live and desired`} />
        </section>
      ))}
    </div>
  );
}

function Manifests({ yaml }: { readonly yaml: string }) {
  const [q, setQ] = useState('');
  const docs = useMemo(() => yaml.split(/^---\n/m).filter(Boolean), [yaml]);
  const shown = q ? docs.filter((d) => d.toLowerCase().includes(q.toLowerCase())) : docs;
  return (
    <div>
      <input type="search" aria-label="Search the rendered manifests" placeholder="Search manifests…" value={q} onChange={(e) => setQ(e.target.value)} />
      <span className="muted">
        {' '}
        {shown.length} of {docs.length} objects
      </span>
      <pre className="manifests" aria-label="Rendered manifests">
        {shown.join('---\n')}
      </pre>
    </div>
  );
}

function History() {
  const history = useStore((s) => s.detail?.history);
  if (!history || (history.timeline.length === 0 && history.events.length === 0)) return <p className="muted">No history recorded yet.</p>;
  return (
    <div>
      <ol className="timeline" aria-label="Timeline">
        {[...history.timeline].reverse().map((t, i) => (
          <li key={i}>
            <When iso={t.since} full /> <SyncBadge sync={t.sync} /> <HealthBadge health={t.health.status} message={t.health.message} />{' '}
            <code>{t.revision.slice(0, 7)}</code>
          </li>
        ))}
      </ol>
      {history.events.length > 0 && (
        <>
          <h3>Events</h3>
          <ul aria-label="Events">
            {[...history.events].reverse().map((e) => (
              <li key={e.id}>
                <When iso={e.at} full /> <strong>{e.kind}</strong>
                {e.kind === 'sync-run' && <SyncRunDetails at={e.at} detail={e.detail} />}
              </li>
            ))}
          </ul>
        </>
      )}
      {history.driftEpisodes.length > 0 && (
        <>
          <h3>Drift episodes</h3>
          <ul>
            {history.driftEpisodes.map((d, i) => (
              <li key={i}>
                began <When iso={d.began} full />
                {d.ended ? `, fixed after ${Math.round((d.durationMs ?? 0) / 60000)} min` : ', still drifting'}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** A recorded sync run: its phase and message, and each resource's phase, wave and result. */
function SyncRunDetails({ at, detail }: { readonly at: string; readonly detail: SyncRunDetail }) {
  return (
    <>
      {' '}
      {detail.phase} at <code>{detail.revision.slice(0, 7)}</code>
      {detail.message && <div className="muted">{detail.message}</div>}
      {detail.results && detail.results.length > 0 && (
        <table className="grid" aria-label={`Sync run ${at}`}>
          <thead>
            <tr>
              <th scope="col">Phase</th>
              <th scope="col">Wave</th>
              <th scope="col">Resource</th>
              <th scope="col">Result</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {detail.results.map((r, i) => (
              <tr key={i}>
                <td>{r.phase}{r.hook ? ' hook' : ''}</td>
                <td>{r.wave}</td>
                <td><code>{r.id}</code></td>
                <td>{r.action}</td>
                <td>{r.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Which source type rendered each of the app's sources, with which options (as `flotilla render --app` prints it). */
function Sources({ sources }: { readonly sources: readonly RenderedSourceInfo[] }) {
  return (
    <section aria-label="Sources" className="app-sources">
      <h2>{sources.length === 1 ? 'Source' : `Sources (${sources.length})`}</h2>
      <ol>
        {sources.map((s) => (
          <li key={s.index}>
            {s.description} <span className="muted">· {s.objects} object{s.objects === 1 ? '' : 's'}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The controller's own view beside Flotilla's: one sentence, and the object it was read from. */
function ControllerView({ controller, verdict }: { readonly controller: ControllerStatus; readonly verdict: FlotillaVerdict }) {
  const disagree = agreement(controller, verdict) === 'disagree';
  return (
    <p className={`controller-view${disagree ? ' controller-disagree' : ''}`} role="note" aria-label="The controller's own view">
      <ControllerTag controller={controller} verdict={verdict} /> {verdictsBeside(controller, verdict)}
      <span className="muted">
        {' '}
        · {controller.kind} {controller.namespace}/{controller.name} on {controller.cluster}
        {controller.inventory !== undefined ? ` · inventory of ${controller.inventory}` : ''}
        {disagree ? ' · they disagree: the controller has not seen (or not yet acted on) what Flotilla compares' : ''}
      </span>
    </p>
  );
}

/** The signature of the commit the app runs there, as git judged it against the repository's trust. */
function SignatureRow({ signature }: { readonly signature: CommitSignature }) {
  return (
    <p className="signature-row" role="group" aria-label="Commit signature">
      <span className="muted">Signature of the commit it runs:</span> <SignatureBadge signature={signature} />{' '}
      <span title={signature.commit}>{describeSignature(signature)}</span>
    </p>
  );
}
