import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../appset/generators/clusters';
import { clusterForApp } from '../fleet/destination';
import type { Application } from '../model/application';
import type { ClusterSpec } from '../model/fleet';
import type { ControllerStatus } from './types';

// Which controller object speaks for a Flotilla app on a cluster. A Flux app is its Kustomization or HelmRelease on
// that cluster (same kind, namespace and name). An Argo CD app is the Application of the same name whose destination
// is that cluster — by name or server in the fleet, or Argo CD's in-cluster when the Application lives there.

/** The Flux kind and object an app stands for, when it is a Flux app (set by Flux discovery). */
export function fluxIdentity(app: Application): { readonly kind: 'Kustomization' | 'HelmRelease'; readonly namespace: string; readonly name: string } | undefined {
  const flux = app.spec.source?.['flux'] as { kind?: unknown; object?: { metadata?: { name?: unknown; namespace?: unknown } } } | undefined;
  if (!flux || (flux.kind !== 'Kustomization' && flux.kind !== 'HelmRelease')) return undefined;
  const m = flux.object?.metadata ?? {};
  const name = typeof m.name === 'string' ? m.name : '';
  const namespace = typeof m.namespace === 'string' && m.namespace !== '' ? m.namespace : 'default';
  return { kind: flux.kind, namespace, name };
}

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
