import type { HealthCheck } from '../types';
import { arr, conditions, get, health, str } from '../fields';
import { check } from './helpers';

const present = (v: unknown): boolean => v !== undefined && v !== null;
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** A CSI snapshot kind: readyToUse, or the error it reports. */
function snapshot(kind: string): HealthCheck {
  return check('snapshot.storage.k8s.io', kind, (obj) => {
    if (get(obj, 'status', 'readyToUse') === true) return health('Healthy', 'Ready to use');
    const error = get(obj, 'status', 'error', 'message');
    if (typeof error === 'string') return health('Degraded', error);
    return health('Progressing', 'Waiting for status');
  });
}

/** Storage and stateful-service kinds: CSI snapshots, Trident, Percona, Solr, Pravega ZooKeeper, Spot deployments. */
export const STORAGE_CHECKS: readonly HealthCheck[] = [
  snapshot('VolumeSnapshot'),
  snapshot('VolumeSnapshotContent'),
  check('trident.netapp.io', 'TridentBackendConfig', (obj) => {
    const op = str(obj, 'status', 'lastOperationStatus');
    if (op === 'Failed') return health('Degraded', str(obj, 'status', 'message'));
    if (op === 'Success') return health('Healthy', str(obj, 'status', 'message'));
    return health('Progressing', 'Waiting for backend creation');
  }),
  check('trident.netapp.io', 'TridentOrchestrator', (obj) => {
    const s = str(obj, 'status', 'status');
    if (s === 'Installed') return health('Healthy', str(obj, 'status', 'message'));
    if (s === 'Error') return health('Degraded', str(obj, 'status', 'message'));
    return health('Progressing', 'Waiting for trident installation');
  }),
  check('psmdb.percona.com', 'PerconaServerMongoDB', (obj) => {
    const s = get(obj, 'status');
    const message = `${n(get(s, 'ready'))}/${n(get(s, 'size'))} node(s) are ready`;
    switch (str(s, 'state')) {
      case 'ready': return health('Healthy', message);
      case 'initializing': case 'stopping': return health('Progressing', message);
      case 'paused': return health('Suspended', message);
      case 'error': return health('Degraded', message);
      default: return health('Unknown', message);
    }
  }),
  check('pxc.percona.com', 'PerconaXtraDBCluster', (obj) => {
    const s = get(obj, 'status');
    const nodes = `${n(get(s, 'ready'))}/${n(get(s, 'size'))} node(s) are ready`;
    switch (str(s, 'state')) {
      case 'ready': return health('Healthy', nodes);
      case 'initializing': return health('Progressing', nodes);
      case 'paused': return health('Unknown', 'Cluster is paused');
      case 'stopping': return health('Degraded', `Cluster is stopping (${nodes})`);
      case 'error': return health('Degraded', `Cluster is on error: ${arr(s, 'message').filter((m) => typeof m === 'string').join(', ')}`);
      default: return health('Unknown', 'Cluster status is unknown. Ensure your ArgoCD is current and then check for/file a bug report: https://github.com/argoproj/argo-cd/issues');
    }
  }),
  check('solr.apache.org', 'SolrCloud', (obj) => {
    if (!present(get(obj, 'status'))) return health('Progressing', 'Waiting for solr to exist');
    return get(obj, 'status', 'readyReplicas') === get(obj, 'status', 'replicas') ? health('Healthy', 'Solr is ready') : health('Progressing', 'Not all replicas are ready');
  }),
  check('zookeeper.pravega.io', 'ZookeeperCluster', (obj) => {
    const s = get(obj, 'status');
    if (present(s) && present(get(s, 'readyReplicas')) && get(s, 'readyReplicas') === get(s, 'replicas')) return health('Healthy', 'All ZK Nodes have joined the ensemble');
    return health('Progressing', 'Waiting for ZK Nodes to join the ensemble');
  }),
  check('spot.io', 'SpotDeployment', (obj) => {
    for (const c of conditions(obj)) {
      if (c.type === 'InvalidSpec') return health('Degraded', c.message);
      if (c.type === 'Progressing' && (c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded')) return health('Degraded', c.message);
    }
    if (conditions(obj).some((c) => c.type === 'Available' && c.status === 'True')) return health('Healthy', '');
    return health('Progressing', 'Waiting for SpotDeployment');
  }),
];
