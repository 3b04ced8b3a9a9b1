import type { AccessPartView, AppAccessView } from '../../../shared/api/app-access';
import { appSyncAccess } from '../app-sync';
import { resourceName } from '../cluster/access-review';
import type { SyncAccessPart } from '../cluster/sync-types';
import type { Session } from '../session';
import { rbacReport } from './rbac-service';

/** A part of a sync's access as the UI shows it. */
function partView(p: SyncAccessPart): AccessPartView {
  return {
    result: p.result,
    ...(p.reason ? { reason: p.reason } : {}),
    missing: p.denied.map((v) => `${v.verb} ${resourceName(v)}${v.name ? ` "${v.name}"` : ''} ${v.namespace ? `in namespace ${v.namespace}` : 'cluster-wide'}`),
  };
}

/**
 * The app page's permissions: may the cluster's user Sync and Prune this app (asked of the API server, changing
 * nothing), and who may sync it by Argo CD's RBAC in the repository. A check that cannot run is `unknown` with why.
 */
export async function appAccess(session: Session, app: string, cluster: string): Promise<AppAccessView> {
  const fleet = await session.fleet();
  const kubeconfig = session.kubeconfig();
  const [k8s, argo] = await Promise.allSettled([
    appSyncAccess(fleet, { app, cluster, ...(kubeconfig.length ? { kubeconfig } : {}) }),
    rbacReport(fleet, { dataDir: session.options.dataDir, app }),
  ]);
  const unknown = (err: unknown): AccessPartView => ({ result: 'unknown', reason: `could not check what you may do on ${cluster}: ${err instanceof Error ? err.message : String(err)}`, missing: [] });
  const sync = k8s.status === 'fulfilled' ? partView(k8s.value.sync) : unknown(k8s.reason);
  const prune = k8s.status === 'fulfilled' ? partView(k8s.value.prune) : sync;
  if (argo.status === 'rejected') {
    const message = argo.reason instanceof Error ? argo.reason.message : String(argo.reason);
    return { app, cluster, sync, prune, problems: [{ severity: 'error', message: `argocd-rbac-cm: ${message}` }] };
  }
  const r = argo.value;
  const row = r.apps[0];
  if (!r.source || !row) return { app, cluster, sync, prune, problems: r.problems };
  return {
    app, cluster, sync, prune, problems: [],
    argocd: { source: r.source, object: row.object, ...(r.defaultRole ? { defaultRole: r.defaultRole } : {}), subjects: row.subjects, problems: r.problems },
  };
}
