import type { HealthResult, KubeObject } from '../../model/status';
import { arr, conditions, get, health, str } from '../fields';
import { gatewayConditions } from './gateway-api-gateway';
import { check } from './helpers';

/** Whether a route parent's conditions were written for the route's current generation. */
function parentObserved(obj: KubeObject, parent: unknown): boolean {
  const generation = get(obj, 'metadata', 'generation');
  if (generation === undefined || generation === null) return true;
  return arr(parent, 'conditions').some((c) => get(c, 'observedGeneration') === generation);
}

/** The Gateway API route rule: each current parent's conditions, then Healthy once one current parent reports any. */
export function routeHealth(obj: KubeObject, kindName: string): HealthResult {
  const parents = arr(obj, 'status', 'parents');
  for (const p of parents) {
    if (get(p, 'conditions') === undefined || get(p, 'conditions') === null || !parentObserved(obj, p)) continue;
    const r = gatewayConditions(conditions(p, 'conditions'), `Parent ${str(p, 'parentRef', 'name')}: `, 'Route is still being programmed');
    if (r) return r;
  }
  for (const p of parents) {
    if (arr(p, 'conditions').length > 0 && parentObserved(obj, p)) return health('Healthy', `${kindName} is healthy`);
  }
  return health('Progressing', `Waiting for ${kindName} status`);
}

/** gateway.networking.k8s.io/HTTPRoute: the Gateway API route rule. */
export const httpRouteHealth = check('gateway.networking.k8s.io', 'HTTPRoute', (obj) => routeHealth(obj, 'HTTPRoute'));
