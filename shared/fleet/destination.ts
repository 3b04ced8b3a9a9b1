import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../appset/generators/clusters';
import type { Application } from '../model/application';
import type { ClusterSpec } from '../model/fleet';

/**
 * The fleet cluster an Application deploys to: by destination name, else by server URL (trailing slashes ignored).
 * Argo CD's `in-cluster` (by name or by https://kubernetes.default.svc) is the fleet cluster that says `inCluster: true`.
 */
export function clusterForApp(app: Application, clusters: readonly ClusterSpec[]): ClusterSpec | undefined {
  const d = app.spec.destination;
  if (d.name) return clusters.find((c) => c.name === d.name) ?? (d.name === IN_CLUSTER_NAME ? clusters.find((c) => c.inCluster) : undefined);
  if (d.server) {
    const server = trimSlash(d.server);
    return clusters.find((c) => c.server && trimSlash(c.server) === server) ?? (server === IN_CLUSTER_SERVER ? clusters.find((c) => c.inCluster) : undefined);
  }
  return undefined;
}

/** Whether an Application deploys to Argo CD's own cluster (`in-cluster`), by name or server. */
export function isInClusterDestination(app: Application): boolean {
  const d = app.spec.destination;
  return d.name ? d.name === IN_CLUSTER_NAME : d.server !== undefined && trimSlash(d.server) === IN_CLUSTER_SERVER;
}

/** The text without its trailing slashes (`s.replace(/\/+$/, '')`, as a scan: it runs several times per app). */
function trimSlash(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 47) end--;
  return end === s.length ? s : s.slice(0, end);
}
