import type { HealthCheck } from '../types';
import { conditions, get, health, isObj } from '../fields';
import { check, readyCondition, withDeletion } from './helpers';

/** A ClickHouse operator installation: `status.status` Completed, InProgress or a failure. */
function clickhouse(group: string, kind: string, product: string): HealthCheck {
  return check(group, kind, (obj) => {
    const s = get(obj, 'status', 'status');
    if (typeof s !== 'string') return health('Progressing', `${product} status not yet available`);
    if (s === 'Completed') return health('Healthy', `${product} installation completed successfully`);
    if (s === 'InProgress') return health('Progressing', `${product} installation in progress`);
    return health('Degraded', `${product} status: ${s}`);
  });
}

/** Database, storage and messaging operators: Zalando Postgres, ClickHouse, Rook Ceph and Cassandra, Camel K, Argo Events, the old cert-manager group. */
export const DATABASE_CHECKS: readonly HealthCheck[] = [
  check('acid.zalan.do', 'postgresql', (obj) => {
    const s = get(obj, 'status', 'PostgresClusterStatus');
    if (typeof s !== 'string') return health('Progressing', 'Waiting for postgres cluster status...');
    if (s === 'Running') return health('Healthy', s);
    if (s.endsWith('Failed')) return health('Degraded', s);
    return health('Progressing', s);
  }),
  clickhouse('clickhouse.altinity.com', 'ClickHouseInstallation', 'ClickHouse'),
  clickhouse('clickhouse-keeper.altinity.com', 'ClickHouseKeeperInstallation', 'ClickHouseKeeper'),
  check('ceph.rook.io', 'CephCluster', (obj) => {
    let status: 'Progressing' | 'Healthy' | 'Degraded' = 'Progressing';
    const parts: string[] = [];
    const s = get(obj, 'status');
    if (!isObj(s)) return health('Progressing', 'Waiting for status to be reported');
    const cephHealth = get(s, 'ceph', 'health');
    if (typeof cephHealth === 'string') {
      const details = get(s, 'ceph', 'details');
      const messages = isObj(details) ? Object.keys(details).sort().map((k) => get(details, k, 'message')).filter((m): m is string => typeof m === 'string') : [];
      if (cephHealth === 'HEALTH_ERR' || cephHealth === 'HEALTH_WARN') status = 'Degraded';
      else if (cephHealth === 'HEALTH_OK') status = 'Healthy';
      parts.push(`Ceph health is ${cephHealth}${messages.length > 0 ? ` (${messages.join('; ')})` : ''}`);
    }
    const state = get(s, 'state');
    if (typeof state === 'string' && (status === 'Healthy' || typeof cephHealth !== 'string')) {
      if (status === 'Healthy') parts.push(`Ceph cluster state is ${state}`);
      status = state === 'Created' || state === 'Connected' ? (status === 'Healthy' ? 'Healthy' : 'Progressing') : state === 'Error' ? 'Degraded' : 'Progressing';
    }
    const message = get(s, 'message');
    if (typeof message === 'string' && message !== '') parts.push(message);
    return health(status, parts.join(' - '));
  }),
  check('ceph.rook.io', 'CephObjectStore', (obj) => {
    const phase = get(obj, 'status', 'phase');
    if (typeof phase !== 'string') return health('Progressing', 'Waiting for status to be reported');
    if (phase === 'Ready') {
      const endpoint = get(obj, 'status', 'info', 'endpoint');
      return health('Healthy', `Ceph object store phase is Ready${typeof endpoint === 'string' ? ` - endpoint: ${endpoint}` : ''}`);
    }
    return health(phase === 'Failure' ? 'Degraded' : 'Progressing', `Ceph object store phase is ${phase}`);
  }),
  check('cassandra.rook.io', 'Cluster', (obj) => {
    const racks = get(obj, 'status', 'racks');
    if (!isObj(racks)) return health('Progressing', 'Waiting for Cassandra Cluster');
    const allReady = Object.values(racks).every((r) => get(r, 'members') === undefined || get(r, 'readyMembers') === undefined || get(r, 'members') === get(r, 'readyMembers'));
    return allReady ? health('Healthy', '') : health('Progressing', 'Waiting for Cassandra Cluster');
  }),
  withDeletion('camel.apache.org', 'Integration', (obj) => readyCondition(obj, health('Progressing', 'Waiting for Integration'))),
  check('argoproj.io', 'EventBus', (obj) => {
    const deployed = conditions(obj).find((c) => c.type === 'Deployed');
    if (deployed?.status === 'True') return health('Healthy', deployed.message);
    if (deployed?.status === 'False') return health('Degraded', deployed.message);
    return health('Progressing', 'Waiting for EventBus to be deployed');
  }),
  check('certmanager.k8s.io', 'Certificate', (obj) => readyCondition(obj, health('Progressing', 'Waiting for certificate'))),
  check('certmanager.k8s.io', 'Issuer', (obj) => readyCondition(obj, health('Progressing', 'Initializing issuer'))),
];
