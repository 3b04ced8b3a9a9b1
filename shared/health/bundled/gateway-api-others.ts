import type { HealthCheck } from '../types';
import { arr, conditions, get, health, str } from '../fields';
import { gatewayConditions } from './gateway-api-gateway';
import { routeHealth } from './gateway-api-http-route';
import { check } from './helpers';

/** gateway.networking.k8s.io GRPCRoute, GatewayClass and BackendTLSPolicy. */
export const GATEWAY_API_OTHER_CHECKS: readonly HealthCheck[] = [
  check('gateway.networking.k8s.io', 'GRPCRoute', (obj) => routeHealth(obj, 'GRPCRoute')),
  check('gateway.networking.k8s.io', 'GatewayClass', (obj) => {
    const generation = get(obj, 'metadata', 'generation');
    for (const c of conditions(obj)) {
      if (c.type !== 'Accepted') continue;
      const observed = get(c.raw, 'observedGeneration');
      if (generation !== undefined && observed !== undefined && observed !== generation) break;
      if (c.status === 'True') return health('Healthy', c.message);
      if (c.status === 'False') return health('Degraded', c.message);
      return health('Progressing', c.message);
    }
    return health('Progressing', 'Waiting for GatewayClass status');
  }),
  check('gateway.networking.k8s.io', 'BackendTLSPolicy', (obj) => {
    const generation = get(obj, 'metadata', 'generation');
    const ancestors = arr(obj, 'status', 'ancestors');
    let reported = false;
    for (const a of ancestors) {
      const list = conditions(a, 'conditions');
      if (list.length === 0) continue;
      const name = str(a, 'ancestorRef', 'name');
      if (generation !== undefined && list.some((c) => get(c.raw, 'observedGeneration') !== undefined && get(c.raw, 'observedGeneration') !== generation)) {
        return health('Progressing', `Waiting for Ancestor ${name} to update BackendTLSPolicy status`);
      }
      const r = gatewayConditions(list, `Ancestor ${name}: `, 'Policy is still being programmed');
      if (r) return r;
      reported = true;
    }
    return reported ? health('Healthy', 'BackendTLSPolicy is healthy') : health('Progressing', 'Waiting for BackendTLSPolicy status');
  }),
];
