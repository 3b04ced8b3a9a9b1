import type { HealthCheck } from '../types';
import { arr, conditions, get, health, str } from '../fields';
import { check, withDeletion } from './helpers';

const O = 'policy.open-cluster-management.io';
const WAITING = health('Progressing', 'Waiting for the status to be reported');
const present = (v: unknown): boolean => v !== undefined && v !== null;

/** A Karmada binding: every cluster's aggregated status reported, none unhealthy (or unknown and unapplied). */
function karmadaBinding(kind: string): HealthCheck {
  return check('work.karmada.io', kind, (obj) => {
    const insufficient = health('Progressing', 'Current resource status is insufficient');
    if (!present(get(obj, 'status'))) return insufficient;
    const clusters = arr(obj, 'spec', 'clusters');
    const aggregated = get(obj, 'status', 'aggregatedStatus');
    if (!Array.isArray(aggregated) || aggregated.length === 0) return insufficient;
    // Bindings propagated as dependencies carry no spec.clusters: rely on FullyApplied instead of the count.
    if (clusters.length === 0 ? !conditions(obj).some((c) => c.type === 'FullyApplied' && c.status === 'True') : aggregated.length !== clusters.length) return insufficient;
    for (const s of aggregated) {
      const h = get(s, 'health');
      if (h === 'Unhealthy' || (h === 'Unknown' && get(s, 'applied') !== true)) return health('Degraded', 'Current resource status is unhealthy');
    }
    return health('Healthy', '');
  });
}

/** Open Cluster Management policies and Karmada bindings. */
export const MULTICLUSTER_CHECKS: readonly HealthCheck[] = [
  karmadaBinding('ResourceBinding'),
  karmadaBinding('ClusterResourceBinding'),
  withDeletion(O, 'Policy', (obj) => {
    if (get(obj, 'spec', 'disabled') === true) return health('Healthy', 'Policy is disabled');
    const s = get(obj, 'status');
    if (!present(s)) return WAITING;
    const compliant = get(s, 'compliant');
    if (!present(compliant) && !present(get(s, 'status')) && arr(s, 'placement').length > 0) return health('Healthy', 'No clusters match this policy');
    if (!present(compliant)) return WAITING;
    const status = compliant === 'Compliant' ? 'Healthy' : 'Degraded';
    if (Array.isArray(get(s, 'status'))) {
      const bad = arr(s, 'status').filter((e) => str(e, 'compliant') !== 'Compliant').map((e) => str(e, 'clustername'));
      return health(status, bad.length === 0 ? 'All clusters are compliant' : `NonCompliant clusters: ${bad.join(', ')}`);
    }
    if (Array.isArray(get(s, 'details'))) {
      const bad = arr(s, 'details').filter((e) => str(e, 'compliant') !== 'Compliant').map((e) => str(e, 'templateMeta', 'name'));
      return health(status, bad.length === 0 ? 'All templates are compliant' : `NonCompliant templates: ${bad.join(', ')}`);
    }
    return health(status, '');
  }),
  withDeletion(O, 'ConfigurationPolicy', (obj) => {
    const s = get(obj, 'status');
    if (!present(s) || !present(get(s, 'compliant'))) return WAITING;
    if (get(s, 'lastEvaluatedGeneration') !== get(obj, 'metadata', 'generation')) return health('Progressing', 'Waiting for the status to be updated');
    const status = get(s, 'compliant') === 'Compliant' ? 'Healthy' : 'Degraded';
    const details = get(s, 'compliancyDetails');
    if (!present(details)) return health('Progressing', 'Waiting for compliance');
    const messages: string[] = [];
    for (const d of arr(s, 'compliancyDetails')) {
      for (const c of arr(d, 'conditions')) {
        const type = get(c, 'type');
        const message = get(c, 'message');
        if (typeof type === 'string' && typeof message === 'string') messages.push(`${type} - ${message}`);
      }
    }
    return health(status, messages.join('; '));
  }),
  check(O, 'OperatorPolicy', (obj) => {
    if (get(obj, 'status', 'conditions') === undefined) return WAITING;
    const observed = get(obj, 'status', 'observedGeneration');
    if (present(observed) && observed !== get(obj, 'metadata', 'generation')) return health('Progressing', 'Waiting for the status to be updated');
    const c = conditions(obj).find((x) => x.type === 'Compliant');
    if (c) return health(c.status === 'True' ? 'Healthy' : 'Degraded', c.message);
    return health('Progressing', 'Waiting for the compliance condition');
  }),
  check(O, 'CertificatePolicy', (obj) => {
    const compliant = get(obj, 'status', 'compliant');
    if (!present(compliant)) return WAITING;
    return compliant === 'Compliant'
      ? health('Healthy', 'All certificates found comply with the policy')
      : health('Degraded', 'At least once certificate does not comply with the policy');
  }),
];
