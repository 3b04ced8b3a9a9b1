import type { HealthCheck } from '../types';
import { arr, conditions, get, health, str } from '../fields';
import { check } from './helpers';

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** An SAP BTP service operator kind: deletion, observed generation, Failed/Succeeded, Ready. */
function sapService(kind: string): HealthCheck {
  return {
    ...check('services.cloud.sap.com', kind, (obj) => {
      if (present(get(obj, 'metadata', 'deletionTimestamp'))) return health('Progressing', 'Resource is being deleted');
      const list = conditions(obj);
      if (!present(get(obj, 'status')) || list.length === 0) return health('Progressing', 'Waiting for status');
      const generation = get(obj, 'metadata', 'generation');
      if (list.some((c) => present(get(c.raw, 'observedGeneration')) && get(c.raw, 'observedGeneration') !== generation)) {
        return health('Progressing', 'Waiting for spec update to be observed');
      }
      const failed = list.find((c) => (c.type === 'Failed' && c.status === 'True') || (c.type === 'Succeeded' && c.status === 'False'));
      if (failed) return health('Degraded', failed.message);
      if (list.some((c) => c.type === 'Ready' && c.status === 'True')) return health('Healthy', 'Ready to use');
      return health('Progressing', 'Waiting for status');
    }),
    handlesDeletion: true,
  };
}

/** Assorted platform kinds: GKE managed certificates, NMState, object bucket claims, 1Password, VictoriaMetrics, Pulumi, SAP BTP. */
export const PLATFORM_MISC_CHECKS: readonly HealthCheck[] = [
  sapService('ServiceBinding'),
  sapService('ServiceInstance'),
  check('networking.gke.io', 'ManagedCertificate', (obj) => {
    const domains = arr(obj, 'status', 'domainStatus').map((d) => str(d, 'status'));
    const certificate = str(obj, 'status', 'certificateStatus');
    if (domains.some((s) => s.startsWith('Failed')) || certificate.startsWith('Failed')) return health('Degraded', 'At least one certificate has failed to be provisioned');
    if (certificate === 'Active' && domains.every((s) => s === 'Active')) return health('Healthy', 'All certificates are active');
    return health('Progressing', 'At least one certificate is still being provisioned');
  }),
  check('nmstate.io', 'NodeNetworkConfigurationPolicy', (obj) => {
    const list = conditions(obj);
    const text = (c: { reason: string; message: string }) => (c.message !== '' ? `${c.reason}: ${c.message}` : c.reason);
    const degraded = list.find((c) => c.type === 'Degraded' && c.status === 'True');
    if (degraded) return health('Degraded', text(degraded));
    const available = list.find((c) => c.type === 'Available' && c.status === 'True');
    if (available) return health('Healthy', text(available));
    const progressing = list.find((c) => c.type === 'Progressing' && c.status === 'True');
    if (progressing) return health('Progressing', text(progressing));
    const ignored = list.find((c) => c.type === 'Ignored' && c.status === 'True');
    if (ignored) return health('Suspended', ignored.reason);
    return health('Progressing', 'Waiting for policy to be applied');
  }),
  check('objectbucket.io', 'ObjectBucketClaim', (obj) => {
    const phase = get(obj, 'status', 'phase');
    if (typeof phase !== 'string') return health('Progressing', 'Waiting for object bucket claim');
    const message = `Object bucket claim phase is ${phase}`;
    if (phase === 'Bound') return health('Healthy', message);
    if (phase === 'Failed') return health('Degraded', message);
    return health('Progressing', message);
  }),
  check('onepassword.com', 'OnePasswordItem', (obj) => {
    const ready = conditions(obj).find((c) => c.type === 'Ready');
    if (ready?.status === 'True') return health('Healthy', ready.message);
    if (ready?.status === 'False') return health('Degraded', ready.message);
    return health('Progressing', 'Waiting for controller to report status');
  }),
  check('operator.victoriametrics.com', '*', (obj) => {
    const s = get(obj, 'status');
    if (!present(s)) return health('Progressing', 'Waiting for the operator to reconcile');
    const observed = get(s, 'observedGeneration');
    if (present(observed) && observed !== get(obj, 'metadata', 'generation')) return health('Progressing', 'Waiting for the operator to reconcile');
    switch (str(s, 'updateStatus')) {
      case 'operational': return health('Healthy', 'All components are operational');
      case 'expanding': return health('Progressing', 'Reconciliation in progress');
      case 'failed': return health('Degraded', str(s, 'reason'));
      case 'paused': return health('Suspended', 'Reconciliation is paused');
      default: return health('Progressing', 'Waiting for the operator to reconcile');
    }
  }),
  check('pulumi.com', 'Stack', (obj) => {
    const observed = get(obj, 'status', 'observedGeneration');
    if (present(observed) && observed !== get(obj, 'metadata', 'generation')) return health('Progressing', 'Waiting for the operator to observe the latest spec change');
    const list = conditions(obj);
    const stalled = list.find((c) => c.type === 'Stalled' && c.status === 'True');
    if (stalled) return health('Degraded', stalled.message);
    const reconciling = list.find((c) => c.type === 'Reconciling' && c.status === 'True');
    if (reconciling) return health('Progressing', reconciling.message);
    const ready = list.find((c) => c.type === 'Ready' && c.status === 'True');
    if (ready) return health('Healthy', ready.message);
    return health('Progressing', 'Waiting for the stack to be processed');
  }),
];
