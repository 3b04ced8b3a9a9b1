import type { HealthStatus, SyncStatus } from '../../../shared/model/status';
import type { ClusterConnection } from './connection';

// Argo CD awareness: where a cluster serves argoproj.io Applications, read their sync and health status.

/** An Argo CD Application's status as read from a cluster. */
export interface ArgoAppStatus {
  readonly cluster: string;
  readonly name: string;
  readonly namespace: string;
  readonly sync: SyncStatus;
  readonly health: HealthStatus;
  /** The revision Argo CD last synced or compared. */
  readonly revision?: string;
  readonly healthMessage?: string;
  /** The destination as the Application names it. */
  readonly destination?: { readonly server?: string; readonly name?: string; readonly namespace?: string };
}

/** What a cluster says about Argo CD: whether the Application CRD is there, and every Application's status. */
export interface ArgoClusterStatus {
  readonly cluster: string;
  readonly present: boolean;
  readonly apps: readonly ArgoAppStatus[];
}

const SYNC: readonly SyncStatus[] = ['Synced', 'OutOfSync', 'Unknown'];
const HEALTH: readonly HealthStatus[] = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];

/** Reads Argo CD Applications from a cluster (every namespace); `present: false` when the CRD is absent. */
export async function readArgoApplications(conn: ClusterConnection): Promise<ArgoClusterStatus> {
  const info = await conn.resourceForGroupKind('argoproj.io', 'Application');
  if (!info) return { cluster: conn.name, present: false, apps: [] };
  const { items } = await conn.list(info);
  const apps = items.map((item): ArgoAppStatus => {
    const m = (item.metadata ?? {}) as { name?: string; namespace?: string };
    const status = (item.status ?? {}) as { sync?: { status?: string; revision?: string }; health?: { status?: string; message?: string } };
    const spec = (item.spec ?? {}) as { destination?: { server?: string; name?: string; namespace?: string } };
    const sync = SYNC.find((s) => s === status.sync?.status) ?? 'Unknown';
    const health = HEALTH.find((h) => h === status.health?.status) ?? 'Unknown';
    return {
      cluster: conn.name, name: m.name ?? '', namespace: m.namespace ?? '', sync, health,
      ...(status.sync?.revision ? { revision: status.sync.revision } : {}),
      ...(status.health?.message ? { healthMessage: status.health.message } : {}),
      ...(spec.destination ? { destination: spec.destination } : {}),
    };
  });
  return { cluster: conn.name, present: true, apps };
}
