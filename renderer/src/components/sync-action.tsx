import { useEffect, useState } from 'react';
import type { AppAccessView } from '../../../shared/api/app-access';
import type { SyncResultView } from '../../../shared/api/contract';
import { getApi } from '../api/bridge';
import { ProblemList } from './problem-list';
import { LoadError } from './load-error';

// The app page's Sync: what the cluster's user may do is asked first (SelfSubjectAccessReview, nothing changed);
// Sync and Prune are offered only when allowed, else disabled with the reason. Then a server-side dry run shows what
// would change, and the sync runs only when confirmed. Below it, who may sync the app by Argo CD's RBAC.

/** Sync from Git, offered when the cluster's user may: first a server-side dry run that shows what would change, then the sync only when confirmed. */
export function SyncAction({ app, cluster, onDone }: { readonly app: string; readonly cluster: string; readonly onDone: () => void }) {
  const [plan, setPlan] = useState<SyncResultView | undefined>(undefined);
  const [result, setResult] = useState<SyncResultView | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [prune, setPrune] = useState(false);
  const [access, setAccess] = useState<AppAccessView | undefined>(undefined);
  const [accessError, setAccessError] = useState<string | undefined>(undefined);
  useEffect(() => {
    let current = true;
    setAccess(undefined);
    setAccessError(undefined);
    getApi()['app:access']({ app, cluster })
      .then((a) => current && setAccess(a))
      .catch((err: unknown) => current && setAccessError(err instanceof Error ? err.message : String(err)));
    return () => {
      current = false;
    };
  }, [app, cluster]);
  const checking = !access && !accessError;
  const syncDenied = access?.sync.result === 'denied';
  const pruneDenied = access?.prune.result === 'denied';
  const unknownReason = accessError ?? (access?.sync.result === 'unknown' ? access.sync.reason : prune && access?.prune.result === 'unknown' ? access.prune.reason : undefined);
  const run = async (dryRun: boolean): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await getApi()['app:sync']({ app, cluster, dryRun, ...(prune && !pruneDenied ? { prune: true } : {}) });
      if (dryRun) setPlan(r);
      else {
        setPlan(undefined);
        setResult(r);
        onDone();
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const shown = plan ?? result;
  return (
    <section className="sync-action" aria-label="Sync">
      {!plan && (
        <p className="sync-controls">
          <button type="button" onClick={() => void run(true)} disabled={busy || checking || syncDenied} aria-describedby={syncDenied ? 'sync-denied' : undefined} title={syncDenied ? access?.sync.reason : undefined}>
            {busy ? 'Planning…' : 'Sync…'}
          </button>{' '}
          <label title={pruneDenied ? access?.prune.reason : 'Delete live objects tracked as the app that Git no longer has'}>
            <input type="checkbox" checked={prune && !pruneDenied} disabled={busy || checking || syncDenied || pruneDenied} onChange={(e) => setPrune(e.target.checked)} aria-describedby={pruneDenied ? 'prune-denied' : undefined} /> Prune
          </label>
          {checking && <span className="muted"> checking your permissions on {cluster}…</span>}
        </p>
      )}
      {syncDenied && (
        <p id="sync-denied" className="access-denied" role="note" aria-label="Why Sync is disabled">
          Sync is disabled: {access?.sync.reason}
        </p>
      )}
      {!syncDenied && pruneDenied && (
        <p id="prune-denied" className="access-denied" role="note" aria-label="Why Prune is disabled">
          Prune is disabled: {access?.prune.reason}
        </p>
      )}
      {unknownReason && (
        <p className="access-unknown" role="note" aria-label="Permissions not checked">
          Permissions not checked: {unknownReason}. Sync stays offered: the API server judges, and its dry run refuses before anything is applied.
        </p>
      )}
      {error && (
        <LoadError message={error} />
      )}
      {shown && (
        <div>
          <p>
            {shown.dryRun ? (
              <strong>Sync plan (server-side dry run: nothing changed yet)</strong>
            ) : (
              <strong>
                Sync {shown.phase === 'Succeeded' ? 'succeeded' : 'failed'} on {shown.cluster}
              </strong>
            )}
            {shown.message && <span className="muted"> — {shown.message}</span>}
          </p>
          <table className="grid" aria-label={shown.dryRun ? 'Sync plan' : 'Sync result'}>
            <thead>
              <tr>
                <th scope="col">Phase</th>
                <th scope="col">Wave</th>
                <th scope="col">Kind</th>
                <th scope="col">Name</th>
                <th scope="col">{shown.dryRun ? 'Would be' : 'Result'}</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {shown.resources.map((r) => (
                <tr key={`${r.phase ?? ''}/${r.kind}/${r.namespace}/${r.name}`}>
                  <td>{r.phase}{r.hook ? ' hook' : ''}</td>
                  <td>{r.wave}</td>
                  <td>{r.kind}</td>
                  <td>
                    <code>{r.namespace ? `${r.namespace}/` : ''}{r.name}</code>
                  </td>
                  <td>{r.action}</td>
                  <td>{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {plan && (
            <p>
              <button type="button" className="primary" onClick={() => void run(false)} disabled={busy}>
                {busy ? 'Syncing…' : `Confirm sync to ${cluster}`}
              </button>{' '}
              <button type="button" onClick={() => setPlan(undefined)} disabled={busy}>
                Cancel
              </button>
            </p>
          )}
        </div>
      )}
      {access && <ArgoRbacSection access={access} />}
    </section>
  );
}

/** The Argo CD RBAC part of an app's access: who may sync, by which line, and the policy's problems. */
function ArgoRbacSection({ access }: { readonly access: AppAccessView }) {
  const argo = access.argocd;
  if (!argo) return access.problems.length ? <ProblemList problems={access.problems} title="argocd-rbac-cm problems" /> : null;
  const allowed = argo.subjects.filter((s) => s.allowed);
  return (
    <section className="who-may-sync" aria-label="Who may sync">
      <h2>Who may sync (Argo CD RBAC)</h2>
      <p className="muted">
        {argo.object} by <code>{argo.source}</code>
        {argo.defaultRole ? ` · everybody has ${argo.defaultRole}` : ''}
      </p>
      {allowed.length === 0 ? (
        <p>Nobody the policy names may sync {access.app}.</p>
      ) : (
        <ul>
          {allowed.map((s) => (
            <li key={s.subject}>
              <strong>{s.subject}</strong>{' '}
              <span className="muted">
                {s.byDefaultRole ? `by the default role ${argo.defaultRole ?? ''}` : s.via ? `by ${s.via}` : ''}
                {s.rule ? ' · ' : ''}
              </span>
              {s.rule && <code>{s.rule}</code>}
            </li>
          ))}
        </ul>
      )}
      <ProblemList problems={argo.problems} title="argocd-rbac-cm problems" />
    </section>
  );
}
