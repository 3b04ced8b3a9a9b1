import type { HealthStatus } from '../../model/status';
import { get, health, str } from '../fields';
import { check, hasConditions } from './helpers';

const PHASES: Readonly<Record<string, HealthStatus>> = {
  'Cluster in healthy state': 'Healthy',
  'Setting up primary': 'Progressing',
  'Creating a new replica': 'Progressing',
  'Upgrading cluster': 'Progressing',
  'Waiting for the instances to become active': 'Progressing',
  'Promoting to primary cluster': 'Progressing',
  'Switchover in progress': 'Degraded',
  'Failing over': 'Degraded',
  'Upgrading Postgres major version': 'Degraded',
  'Cluster upgrade delayed': 'Degraded',
  'Waiting for user action': 'Degraded',
  'Primary instance is being restarted in-place': 'Degraded',
  'Primary instance is being restarted without a switchover': 'Degraded',
  'Cluster cannot execute instance online upgrade due to missing architecture binary': 'Degraded',
  'Online upgrade in progress': 'Degraded',
  'Applying configuration': 'Degraded',
  'Unable to create required cluster objects': 'Suspended',
  'Cluster cannot proceed to reconciliation due to an unknown plugin being required': 'Suspended',
  'Cluster has incomplete or invalid image catalog': 'Suspended',
  'Cluster is unrecoverable and needs manual intervention': 'Suspended',
};

/** postgresql.cnpg.io/Cluster: reconciliation disabled or hibernated is Suspended; otherwise its phase decides. */
export const cnpgClusterHealth = check('postgresql.cnpg.io', 'Cluster', (obj) => {
  if (get(obj, 'metadata', 'annotations', 'cnpg.io/reconciliationLoop') === 'disabled') return health('Suspended', 'Cluster reconciliation is suspended');
  const reason = str(obj, 'status', 'phaseReason');
  if (!hasConditions(obj)) return health('Progressing', reason);
  const hibernation = ((get(obj, 'status', 'conditions') as unknown[]) ?? []).find((c) => str(c, 'type') === 'cnpg.io/hibernation');
  if (hibernation !== undefined) return health(str(hibernation, 'status') === 'True' ? 'Suspended' : 'Degraded', str(hibernation, 'message'));
  const phase = PHASES[str(obj, 'status', 'phase')];
  return health(phase ?? 'Unknown', reason);
});
