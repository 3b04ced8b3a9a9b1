import type { HealthResult, KubeObject } from '../model/status';
import { HEALTH_ORDER } from '../model/status';
import { BUILTIN_CHECKS } from './builtin';
import { BUNDLED_CHECKS } from './bundled';
import { HealthRegistry } from './registry';
import { standardConditionsHealth } from './standard-conditions';
import type { AggregatedHealthResult, CustomHealthChecks } from './types';
import { arr, get, groupOf, health, isObj } from './fields';

const builtin = new HealthRegistry(BUILTIN_CHECKS);
const bundled = new HealthRegistry(BUNDLED_CHECKS);

/** Finalizer Argo CD puts on hooks; a hook being deleted keeps its own health. */
const HOOK_FINALIZER = 'argocd.argoproj.io/hook-finalizer';

/** Argo CD's answer for an object being deleted, or undefined when it is not. */
function pendingDeletion(obj: KubeObject): HealthResult | undefined {
  const ts = get(obj, 'metadata', 'deletionTimestamp');
  if (ts === undefined || ts === null) return undefined;
  if (arr(obj, 'metadata', 'finalizers').includes(HOOK_FINALIZER)) return undefined;
  return health('Progressing', 'Pending deletion');
}

/** Argo CD's built-in (gitops-engine) health for an object; undefined when the kind has no check. */
export function builtinHealth(obj: KubeObject): HealthResult | undefined {
  const deleting = pendingDeletion(obj);
  if (deleting) return deleting;
  return builtin.find(groupOf(obj.apiVersion), obj.kind ?? '')?.assess(obj);
}

/**
 * The health from a port of Argo CD's bundled `resource_customizations` check for the object's kind, exactly as the
 * script answers on its own (no deletion handling); undefined when no port exists.
 */
export function bundledHealth(obj: KubeObject): HealthResult | undefined {
  return bundled.find(groupOf(obj.apiVersion), obj.kind ?? '')?.assess(obj);
}

/** Whether Flotilla has a built-in or bundled rule for a group/kind (otherwise only standard conditions apply). */
export function hasHealthRule(group: string, kind: string): boolean {
  return builtin.find(group, kind) !== undefined || bundled.find(group, kind) !== undefined;
}

/** Full assessment: custom checks (injected) first, then built-in, then ports of Argo CD's bundled resource_customizations checks, then standard conditions; a kind with no rule is Healthy unless its standard conditions say otherwise. */
export function assessHealth(obj: KubeObject, options?: { custom?: CustomHealthChecks }): HealthResult {
  if (!isObj(obj)) return health('Unknown', 'not a Kubernetes object');
  const group = groupOf(obj.apiVersion);
  const kind = obj.kind ?? '';
  const port = bundled.find(group, kind);
  const deleting = pendingDeletion(obj);
  if (deleting && !port?.handlesDeletion) return deleting;
  const custom = options?.custom?.check(obj, group, kind);
  if (custom) return custom;
  const result = builtin.find(group, kind)?.assess(obj) ?? port?.assess(obj);
  return result ?? standardConditionsHealth(obj);
}

/**
 * An app's health: its worst resource's, in Argo CD's order (Healthy when there are no resources).
 * A result's `aggregateAs` (a suspended Job counts as Healthy) is what is compared, as in gitops-engine.
 */
export function worstHealth(results: readonly HealthResult[]): HealthResult {
  let worst: HealthResult = health('Healthy');
  let worstRank = 0;
  for (const r of results) {
    const rank = HEALTH_ORDER.indexOf((r as AggregatedHealthResult).aggregateAs ?? r.status);
    if (rank > worstRank) {
      worst = r;
      worstRank = rank;
    }
  }
  return worst;
}
