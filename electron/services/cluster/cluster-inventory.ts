import type { GitOpsObjectView, NamespaceView, NodeView } from '../../../shared/api/cluster-detail';
import type { KubeObject } from '../../../shared/model/status';
import type { ControllerStatus } from '../../../shared/controllers/types';
import { readControllers } from './controllers';
import type { ClusterConnection } from './connection';

// What is on one cluster, for its page: Nodes, Namespaces, and the GitOps controllers' own objects.

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const conditions = (o: KubeObject): Obj[] => (Array.isArray(rec(o.status)['conditions']) ? (rec(o.status)['conditions'] as unknown[]).map(rec) : []);

/** The cluster's Nodes with their Ready condition, roles, kubelet version and capacity. */
export async function readNodes(conn: ClusterConnection): Promise<NodeView[]> {
  const info = await conn.resourceForGroupKind('', 'Node');
  if (!info) return [];
  const { items } = await conn.list(info);
  return items.map((n): NodeView => {
    const md = rec(n.metadata);
    const labels = rec(md['labels']);
    const ready = conditions(n).find((c) => c['type'] === 'Ready');
    const roles = Object.keys(labels).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length) || 'node');
    const capacity = rec(rec(n.status)['capacity']);
    const isReady = ready?.['status'] === 'True';
    return {
      name: str(md['name']) ?? '',
      ready: isReady,
      ...(!isReady ? { reason: [str(ready?.['reason']) ?? 'no Ready condition', str(ready?.['message'])].filter(Boolean).join(': ') } : {}),
      roles,
      ...(str(rec(rec(n.status)['nodeInfo'])['kubeletVersion']) ? { kubeletVersion: str(rec(rec(n.status)['nodeInfo'])['kubeletVersion'])! } : {}),
      ...(str(capacity['cpu']) ? { cpu: str(capacity['cpu'])! } : {}),
      ...(str(capacity['memory']) ? { memory: str(capacity['memory'])! } : {}),
      unschedulable: rec(n.spec)['unschedulable'] === true,
      ...(str(md['creationTimestamp']) ? { created: str(md['creationTimestamp'])! } : {}),
    };
  }).sort((a, b) => a.name.localeCompare(b.name));
}

/** The cluster's Namespaces with their phase. */
export async function readNamespaces(conn: ClusterConnection): Promise<NamespaceView[]> {
  const info = await conn.resourceForGroupKind('', 'Namespace');
  if (!info) return [];
  const { items } = await conn.list(info);
  return items.map((n): NamespaceView => {
    const md = rec(n.metadata);
    return { name: str(md['name']) ?? '', phase: str(rec(n.status)['phase']) ?? 'Unknown', ...(str(md['creationTimestamp']) ? { created: str(md['creationTimestamp'])! } : {}) };
  }).sort((a, b) => a.name.localeCompare(b.name));
}

/** Flux's source kinds a cluster page lists after the appliers (Kustomization, HelmRelease). */
const FLUX_SOURCE_KINDS: readonly (readonly [string, string])[] = [
  ['source.toolkit.fluxcd.io', 'GitRepository'],
  ['source.toolkit.fluxcd.io', 'OCIRepository'],
  ['source.toolkit.fluxcd.io', 'HelmRepository'],
];

/** A controller's own status as a row of the cluster page. */
function viewOf(c: ControllerStatus): GitOpsObjectView {
  const base = { tool: c.controller, kind: c.kind, namespace: c.namespace, name: c.name, ...(c.revision ? { revision: c.revision } : {}) };
  if (c.controller === 'Argo CD') return { ...base, ...(c.sync ? { sync: c.sync } : {}), ...(c.health ? { health: c.health } : {}), ...(c.healthMessage ? { message: c.healthMessage } : {}) };
  return { ...base, ready: c.ready?.status ?? 'Unknown', ...(c.ready?.message ? { message: c.ready.message } : {}), ...(c.suspended ? { suspended: true } : {}) };
}

/**
 * Argo CD Applications (with Argo CD's sync and health) and Flux objects (with their Ready condition) on the cluster:
 * the appliers as the controllers' own view reads them (controllers.ts), then Flux's sources.
 */
export async function readGitOpsObjects(conn: ClusterConnection): Promise<GitOpsObjectView[]> {
  const read = await readControllers(conn, { reportForbidden: true });
  if (read.problems.length > 0) throw new Error(read.problems.map((p) => p.message).join('; '));
  const order = ['Application', 'Kustomization', 'HelmRelease'];
  const out: GitOpsObjectView[] = [...read.objects].sort((x, y) => order.indexOf(x.kind) - order.indexOf(y.kind)).map(viewOf);
  for (const [group, kind] of FLUX_SOURCE_KINDS) {
    const info = await conn.resourceForGroupKind(group, kind);
    if (!info) continue;
    const { items } = await conn.list(info);
    for (const o of items) {
      const md = rec(o.metadata);
      const ready = conditions(o).find((c) => c['type'] === 'Ready');
      const status = str(ready?.['status']);
      const revision = str(rec(rec(o.status)['artifact'])['revision']);
      out.push({
        tool: 'Flux',
        kind,
        namespace: str(md['namespace']) ?? '',
        name: str(md['name']) ?? '',
        ready: status === 'True' || status === 'False' ? status : 'Unknown',
        ...(str(ready?.['message']) ? { message: str(ready?.['message'])! } : {}),
        ...(revision ? { revision } : {}),
        ...(rec(o.spec)['suspend'] === true ? { suspended: true } : {}),
      });
    }
  }
  return out;
}
