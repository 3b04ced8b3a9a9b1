import type { HealthResult } from '../../model/status';
import type { Condition } from '../fields';
import { arr, conditions, get, health } from '../fields';
import { check, field } from './helpers';

/** Gateway API's condition rule: ResolvedRefs=False, then Accepted=False are Degraded; Programmed not True is Progressing. */
export function gatewayConditions(list: readonly Condition[], prefix: string, programming: string): HealthResult | undefined {
  for (const type of ['ResolvedRefs', 'Accepted']) {
    const bad = list.find((c) => c.type === type && c.status === 'False');
    if (bad) return health('Degraded', prefix + (field(bad.raw, 'message') ?? `Failed condition: ${type}`));
  }
  const programmed = list.find((c) => c.type === 'Programmed' && c.status !== 'True');
  if (programmed) return health('Progressing', prefix + (field(programmed.raw, 'message') ?? programming));
  return undefined;
}

/** gateway.networking.k8s.io/Gateway: its own conditions, then each listener's. */
export const gatewayHealth = check('gateway.networking.k8s.io', 'Gateway', (obj) => {
  const status = get(obj, 'status');
  if (status === undefined || status === null) return health('Progressing', 'Waiting for Gateway status');
  const hasConds = get(obj, 'status', 'conditions') !== undefined && get(obj, 'status', 'conditions') !== null;
  if (hasConds) {
    const r = gatewayConditions(conditions(obj), '', 'Gateway is still being programmed');
    if (r) return r;
  }
  const listeners = arr(obj, 'status', 'listeners');
  for (const l of listeners) {
    if (get(l, 'conditions') === undefined || get(l, 'conditions') === null) continue;
    const r = gatewayConditions(conditions(l, 'conditions'), 'Listener: ', 'Listener is still being programmed');
    if (r) return r;
  }
  if (hasConds || listeners.length > 0) return health('Healthy', 'Gateway is healthy');
  return health('Progressing', 'Waiting for Gateway status');
});
