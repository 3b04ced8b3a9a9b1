import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../appset/generators/clusters';
import { clusterForApp } from '../fleet/destination';
import { fluxIdentity } from '../flux/owner';
import type { Application } from '../model/application';
import type { ClusterSpec } from '../model/fleet';
import type { ControllerStatus } from './types';

// Which controller object speaks for a Flotilla app on a cluster. A Flux app is its Kustomization or HelmRelease on
// that cluster (same kind, namespace and name). An Argo CD app is the Application of the same name whose destination
// is that cluster — by name or server in the fleet, or Argo CD's in-cluster when the Application lives there.

/** The cluster an Argo CD Application read from `c.cluster` deploys to, by its destination. */
export function argoDestinationCluster(c: ControllerStatus, clusters: readonly ClusterSpec[]): string | undefined {
  const d = c.destination;
  if (!d) return undefined;
  if ((d.name && d.name === IN_CLUSTER_NAME) || (!d.name && d.server?.replace(/\/+$/, '') === IN_CLUSTER_SERVER)) return c.cluster;
  const pseudo = { spec: { destination: d } } as unknown as Application;
  return clusterForApp(pseudo, clusters)?.name;
}

/** The controller status that speaks for `app` on `cluster`, among everything read from the fleet's clusters. */
export function controllerFor(appName: string, app: Application, cluster: string, read: readonly ControllerStatus[], clusters: readonly ClusterSpec[]): ControllerStatus | undefined {
  const flux = fluxIdentity(app);
  if (flux) return read.find((c) => c.controller === 'Flux' && c.cluster === cluster && c.kind === flux.kind && c.namespace === flux.namespace && c.name === flux.name);
  const name = app.metadata?.name ?? appName;
  return read.find((c) => c.controller === 'Argo CD' && c.name === name && argoDestinationCluster(c, clusters) === cluster);
}
