import type { HealthCheck } from '../types';
import { arr, conditions, get, health, str } from '../fields';
import { check, withDeletion } from './helpers';

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** Contour's Valid condition, ignoring one written for an older generation. */
function contourValid(obj: unknown): { status: string; message: string } | undefined {
  const valid = conditions(obj).find((c) => c.type === 'Valid');
  if (!valid) return undefined;
  const observed = get(valid.raw, 'observedGeneration');
  if (present(observed) && observed !== get(obj, 'metadata', 'generation')) return undefined;
  return { status: valid.status, message: valid.message };
}

/** Ingress, DNS and gateway-policy kinds: Contour, Airlock Microgateway, proclaim; and AWX AnsibleJob. */
export const NETWORKING_CHECKS: readonly HealthCheck[] = [
  check('projectcontour.io', 'HTTPProxy', (obj) => {
    const waiting = health('Progressing', 'Waiting for status');
    if (!present(get(obj, 'status'))) return waiting;
    const valid = contourValid(obj);
    if (valid?.status === 'True') return health('Healthy', valid.message);
    if (valid?.status === 'False') {
      // A parent that includes other proxies reports their errors as its own; Argo CD does not judge it.
      if (arr(obj, 'spec', 'includes').length > 0) return health('Healthy', 'HTTPProxy inclusions cannot be health checked');
      return health('Degraded', valid.message);
    }
    if (get(obj, 'status', 'conditions') === undefined && str(obj, 'status', 'currentStatus') === 'NotReconciled') return health('Progressing', str(obj, 'status', 'description'));
    return waiting;
  }),
  check('projectcontour.io', 'ExtensionService', (obj) => {
    const valid = contourValid(obj);
    if (valid?.status === 'True') return health('Healthy', valid.message);
    if (valid?.status === 'False') return health('Degraded', valid.message);
    return health('Progressing', 'Waiting for status');
  }),
  withDeletion('microgateway.airlock.com', '*', (obj) => {
    const kind = obj.kind ?? 'Policy';
    if (!kind.endsWith('Policy')) return health('Healthy', `${kind} is healthy`);
    let result = health('Progressing', `Waiting for ${kind} status`);
    const ancestors = get(obj, 'status', 'ancestors');
    if (!Array.isArray(ancestors)) return result;
    const generation = get(obj, 'metadata', 'generation');
    if (present(generation)) {
      for (const a of ancestors) {
        for (const c of arr(a, 'conditions')) {
          if (get(c, 'observedGeneration') !== generation) return health('Progressing', `Waiting for Ancestor ${str(a, 'ancestorRef', 'name')} to update ${kind} status`);
        }
      }
    }
    for (const a of ancestors) {
      const name = str(a, 'ancestorRef', 'name');
      let accepted = false;
      for (const c of arr(a, 'conditions')) {
        const type = str(c, 'type');
        const ok = str(c, 'status') === 'True';
        if (type === 'Accepted') {
          accepted = true;
          if (!ok) return health('Degraded', `Ancestor ${name}: ${str(c, 'message')}`);
          result = health('Healthy', `${kind} is healthy`);
        }
        if (type === 'ResolvedRefs' && !ok) return health('Degraded', `Ancestor ${name}: ${str(c, 'message')}`);
      }
      if (!accepted) result = health('Degraded', `Ancestor ${name}: ${kind} is not accepted`);
    }
    return result;
  }),
  check('proclaim.dogmatiq.io', 'DNSSDServiceInstance', (obj) => {
    const find = (t: string) => conditions(obj).find((c) => c.type === t);
    const adopted = find('Adopted');
    const advertised = find('Advertised');
    const discovered = find('Discoverable');
    if (adopted?.status === 'False') return health('Degraded', adopted.message);
    if (advertised?.reason === 'AdvertiseError' || advertised?.reason === 'UnadvertiseError') return health('Degraded', advertised.message);
    if (discovered?.reason === 'DiscoveryError') return health('Unknown', discovered.message);
    if (discovered?.status === 'True') return health('Healthy', discovered.message);
    return health('Progressing', discovered?.message ?? '');
  }),
  check('tower.ansible.com', 'AnsibleJob', (obj) => {
    const result = get(obj, 'status', 'ansibleJobResult');
    const status = str(result, 'status');
    if (!present(result) || status === '') return health('Progressing', 'Waiting for AnsibleJob');
    const message = `${status} job - ${str(result, 'url')}`;
    if (status === 'successful') return health('Healthy', message);
    if (status === 'failed' || status === 'error' || status === 'canceled') return health('Degraded', message);
    return health('Progressing', message);
  }),
];
