import type { GitOpsObjectView, NamespaceView, NodeView } from '../../../shared/api/cluster-detail';
import type { KubeObject } from '../../../shared/model/status';
import { readArgoApplications } from './argocd';
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

/** The Flux kinds a cluster page lists, by API group: the appliers first, then their sources. */
const FLUX_KINDS: readonly (readonly [string, string])[] = [
  ['kustomize.toolkit.fluxcd.io', 'Kustomization'],
  ['helm.toolkit.fluxcd.io', 'HelmRelease'],
  ['source.toolkit.fluxcd.io', 'GitRepository'],
  ['source.toolkit.fluxcd.io', 'OCIRepository'],
  ['source.toolkit.fluxcd.io', 'HelmRepository'],
];

/** Argo CD Applications (with Argo CD's sync and health) and Flux objects (with their Ready condition) on the cluster. */
export async function readGitOpsObjects(conn: ClusterConnection): Promise<GitOpsObjectView[]> {
  const out: GitOpsObjectView[] = [];
  const argo = await readArgoApplications(conn);
  for (const a of argo.apps) {
    out.push({ tool: 'Argo CD', kind: 'Application', namespace: a.namespace, name: a.name, sync: a.sync, health: a.health, ...(a.healthMessage ? { message: a.healthMessage } : {}), ...(a.revision ? { revision: a.revision } : {}) });
  }
  for (const [group, kind] of FLUX_KINDS) {
    const info = await conn.resourceForGroupKind(group, kind);
    if (!info) continue;
    const { items } = await conn.list(info);
    for (const o of items) {
      const md = rec(o.metadata);
      const ready = conditions(o).find((c) => c['type'] === 'Ready');
      const status = str(ready?.['status']);
      const revision = str(rec(o.status)['lastAppliedRevision']) ?? str(rec(rec(o.status)['artifact'])['revision']);
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
