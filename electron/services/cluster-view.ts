import type { ClusterView } from '../../shared/api/contract';
import type { ClusterInfo } from './cluster/connection';

/** A connection's state as the contract shows it to UIs (no credentials were ever in it). */
export function clusterView(info: ClusterInfo): ClusterView {
  return {
    name: info.cluster,
    context: info.context,
    server: info.server,
    labels: info.labels,
    state: info.state,
    since: info.since,
    ...(info.environment ? { environment: info.environment } : {}),
    ...(info.version ? { version: info.version } : {}),
    ...(info.reason ? { reason: info.reason } : {}),
  };
}
