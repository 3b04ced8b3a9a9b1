import type { HealthResult } from '../../model/status';
import type { HealthCheck } from '../types';
import { get, health, isObj, str } from '../fields';
import { check } from './helpers';

/** A Gloo resource status (`state` as a name or its enum number). */
function glooStatus(s: unknown): HealthResult | undefined {
  if (!isObj(s)) return undefined;
  const state = get(s, 'state');
  switch (state) {
    case 'Pending': case 0: return health('Suspended', 'The resource has not yet been validated');
    case 'Accepted': case 1: return health('Healthy', 'The resource has been validated');
    case 'Rejected': case 2: case 'Warning': case 3: return health('Degraded', str(s, 'reason'));
    default: return undefined;
  }
}

/** Gloo Edge / Gloo Gateway: the per-namespace `status.statuses` (or the older single `status`) state. */
function assessGloo(obj: unknown): HealthResult {
  const statuses = get(obj, 'status', 'statuses');
  if (isObj(statuses)) {
    for (const s of Object.values(statuses)) {
      const r = glooStatus(s);
      if (r) return r;
    }
  }
  return glooStatus(get(obj, 'status')) ?? health('Progressing', 'Update in progress');
}

const kinds: readonly (readonly [string, string])[] = [
  ['gateway.solo.io', 'Gateway'], ['gateway.solo.io', 'MatchableHttpGateway'], ['gateway.solo.io', 'RouteOption'],
  ['gateway.solo.io', 'RouteTable'], ['gateway.solo.io', 'VirtualHostOption'], ['gateway.solo.io', 'VirtualService'],
  ['gloo.solo.io', 'Proxy'], ['gloo.solo.io', 'Settings'], ['gloo.solo.io', 'Upstream'], ['gloo.solo.io', 'UpstreamGroup'],
];

/** gateway.solo.io and gloo.solo.io kinds: one rule over Gloo's validation states. */
export const GLOO_CHECKS: readonly HealthCheck[] = kinds.map(([g, k]) => check(g, k, assessGloo));
