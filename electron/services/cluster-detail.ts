import type { ClusterDetailView } from '../../shared/api/cluster-detail';
import { FlotillaError, problem, toProblem } from '../../shared/problem';
import { readGitOpsObjects, readNamespaces, readNodes } from './cluster/cluster-inventory';
import { clusterView } from './cluster-view';
import type { Session } from './session';

/**
 * One cluster's page: its connection (re-checked now), then its Nodes, Namespaces and GitOps objects, read side by
 * side over the session's connection. A part that cannot be read (forbidden, timed out) is a problem naming the part;
 * the others are still shown. An unreachable cluster returns its state and reason, nothing else.
 */
export async function clusterDetail(session: Session, name: string): Promise<ClusterDetailView> {
  const manager = await session.clusterManager();
  if (!manager.names().includes(name)) {
    const problems = manager.problems.filter((p) => p.cluster === name);
    if (problems.length) {
      return { cluster: { name, context: '', server: '', labels: {}, state: 'unreachable', since: new Date().toISOString(), reason: problems.map((p) => p.message).join('; ') }, problems: [] };
    }
    throw new FlotillaError(problem(`no cluster ${name} in the fleet file (known: ${manager.names().join(', ') || 'none'})`, { cluster: name }));
  }
  const [info] = await manager.refresh([name]);
  const cluster = clusterView(info!);
  if (info!.state !== 'ready') return { cluster, problems: [] };
  const conn = manager.connection(name);
  const [nodes, namespaces, gitops] = await Promise.allSettled([readNodes(conn), readNamespaces(conn), readGitOpsObjects(conn)]);
  const problems: string[] = [];
  const part = <T>(what: string, r: PromiseSettledResult<T>): T | undefined => {
    if (r.status === 'fulfilled') return r.value;
    problems.push(`${what}: ${toProblem(r.reason).message}`);
    return undefined;
  };
  const n = part('Nodes', nodes);
  const ns = part('Namespaces', namespaces);
  const g = part('Argo CD and Flux objects', gitops);
  return { cluster, ...(n ? { nodes: n } : {}), ...(ns ? { namespaces: ns } : {}), ...(g ? { gitops: g } : {}), problems };
}
