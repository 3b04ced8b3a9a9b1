import type { Application } from '../model/application';
import type { ClusterSpec } from '../model/fleet';

/** The fleet cluster an Application deploys to: by destination name, else by server URL (trailing slashes ignored). */
export function clusterForApp(app: Application, clusters: readonly ClusterSpec[]): ClusterSpec | undefined {
  const d = app.spec.destination;
  if (d.name) return clusters.find((c) => c.name === d.name);
  if (d.server) return clusters.find((c) => c.server && trimSlash(c.server) === trimSlash(d.server!));
  return undefined;
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}
