import type { HealthCheck } from '../types';
import { conditions, get, health } from '../fields';
import { check, withDeletion } from './helpers';

/** operators.coreos.com/Subscription (OLM): failed catalog, install plan or resolution is Degraded; a pending install plan Progressing. */
const subscription = check('operators.coreos.com', 'Subscription', (obj) => {
  if (get(obj, 'status', 'conditions') === undefined) return health('Progressing', 'An install plan for a subscription is pending installation');
  const state = get(obj, 'status', 'state');
  const installed = typeof get(obj, 'status', 'installedCSV') === 'string';
  let degraded = 0;
  let pending = 0;
  let manualApproval = false;
  let message = '';
  let listed = 0;
  for (const c of conditions(obj)) {
    // An upgrade waiting for manual approval leaves the installed version running: neither listed nor pending.
    if (c.type === 'InstallPlanPending' && c.status === 'True' && c.reason === 'RequiresApproval' && installed) {
      manualApproval = true;
      continue;
    }
    message += `${++listed}: ${c.type} | ${c.status}\n`;
    if (c.type === 'InstallPlanPending' && c.status === 'True') {
      pending++;
    } else if (c.type === 'BundleUnpacking' && c.status === 'True') {
      pending++;
    } else if (c.type === 'InstallPlanMissing' && c.reason !== 'ReferencedInstallPlanNotFound') {
      degraded++;
    } else if ((c.type === 'CatalogSourcesUnhealthy' || c.type === 'InstallPlanFailed' || c.type === 'ResolutionFailed') && c.status === 'True') {
      degraded++;
    }
  }
  if (typeof state === 'string') message += `.status.state is '${state}'${manualApproval && pending === 0 ? ' (manual InstallPlan approval pending; treated as healthy)' : ''}\n`;
  else message += '.status.state not yet known\n';
  if (degraded > 0) return health('Degraded', message);
  if (pending > 0 || typeof state !== 'string') return health('Progressing', message);
  return health('Healthy', message);
});

/** karpenter.sh/NodeClaim: spec reconciled, Disrupting, Ready, then the furthest launch phase reached. */
const nodeClaim = withDeletion('karpenter.sh', 'NodeClaim', (obj) => {
  const generation = get(obj, 'metadata', 'generation');
  const observed = get(obj, 'status', 'observedGeneration');
  if (generation !== undefined && observed !== undefined && generation !== observed) return health('Progressing', 'Waiting for NodeClaim spec to be reconciled');
  const list = conditions(obj);
  const disrupting = list.find((c) => c.type === 'Disrupting' && c.status === 'True');
  if (disrupting) return health('Suspended', disrupting.message);
  const ready = list.find((c) => c.type === 'Ready' && (c.status === 'True' || c.status === 'False'));
  if (ready) return health(ready.status === 'True' ? 'Healthy' : 'Degraded', ready.message);
  const reached = (t: string): boolean => list.some((c) => c.type === t && c.status === 'True');
  if (reached('Initialized')) return health('Progressing', 'Node initialized, waiting for Ready');
  if (reached('Registered')) return health('Progressing', 'Node registered, waiting for initialization');
  if (reached('Launched')) return health('Progressing', 'Node launched, waiting for registration');
  return health('Progressing', 'Waiting for NodeClaim to be launched');
});

/** A Karpenter kind that follows its Ready condition. */
function karpenterReady(group: string, kind: string): HealthCheck {
  return check(group, kind, (obj) => {
    const ready = conditions(obj).find((c) => c.type === 'Ready');
    if (ready?.status === 'True') return health('Healthy', ready.message);
    if (ready?.status === 'False') return health('Degraded', ready.message);
    return health('Progressing', `Waiting for ${kind} to be ready`);
  });
}

const MINIO_DEGRADED = new Set([
  'Statefulset not controlled by operator',
  'Another MinIO Tenant already exists in the namespace',
  'Different versions across MinIO Pools',
  'Tenant credentials are not set properly',
  'Pool Decommissioning Not Allowed',
]);

/** minio.min.io/Tenant: its `status.currentState`. */
const minioTenant = check('minio.min.io', 'Tenant', (obj) => {
  const state = get(obj, 'status', 'currentState');
  if (typeof state !== 'string') return health('Progressing', 'No status info available');
  if (state === 'Initialized') return health('Healthy', state);
  if (MINIO_DEGRADED.has(state)) return health('Degraded', state);
  return health('Progressing', state);
});

/** Operator-managed platform kinds: OLM subscriptions, Karpenter, MinIO. */
export const OPERATOR_CHECKS: readonly HealthCheck[] = [
  subscription,
  nodeClaim,
  karpenterReady('karpenter.sh', 'NodePool'),
  karpenterReady('karpenter.k8s.aws', 'EC2NodeClass'),
  minioTenant,
];
