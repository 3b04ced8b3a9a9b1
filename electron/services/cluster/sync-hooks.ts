import type { KubeObject } from '../../../shared/model/status';
import type { SyncPhase } from './sync-types';

// Argo CD's resource hooks: `argocd.argoproj.io/hook` (PreSync, Sync, PostSync, SyncFail, PostDelete, Skip) and Helm's
// `helm.sh/hook` mapped as Argo CD maps them; `hook-delete-policy` from either. A hook is not a desired state: it is
// created anew in its phase, waited for until it completes (Healthy) or fails (Degraded), and deleted by its policy.

/** Argo CD's hook annotation. */
export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
/** Argo CD's hook delete policy annotation. */
export const HOOK_DELETE_POLICY_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';

/** When a hook is deleted. */
export type HookDeletePolicy = 'HookSucceeded' | 'HookFailed' | 'BeforeHookCreation';

/** What the hook annotations say about an object. */
export interface HookInfo {
  /** The phases it runs in; empty for a hook that is never applied (Skip, or a Helm hook Argo CD does not support). */
  readonly phases: readonly SyncPhase[];
  readonly deletePolicies: readonly HookDeletePolicy[];
  /** Helm's `helm.sh/hook-weight`, Argo CD's wave for Helm hooks without a sync-wave. */
  readonly helmWeight?: number;
}

/** Helm hook types and the Argo CD phase each maps to (undefined: not supported, the object is not applied). */
const HELM_HOOKS: Readonly<Record<string, SyncPhase | undefined>> = {
  'pre-install': 'PreSync', 'pre-upgrade': 'PreSync', 'post-install': 'PostSync', 'post-upgrade': 'PostSync', 'post-delete': 'PostDelete',
  'pre-delete': undefined, 'pre-rollback': undefined, 'post-rollback': undefined, test: undefined, 'test-success': undefined, 'test-failure': undefined,
};

const ARGO_PHASES: readonly SyncPhase[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'PostDelete'];

const HELM_DELETE_POLICIES: Readonly<Record<string, HookDeletePolicy>> = {
  'hook-succeeded': 'HookSucceeded', 'hook-failed': 'HookFailed', 'before-hook-creation': 'BeforeHookCreation',
};

/** Comma-separated values, trimmed, without empties. */
function list(v: string | undefined): string[] {
  return (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * The hook annotations of an object, or undefined when it is a plain resource. Argo CD's annotation wins over Helm's;
 * Helm's `crd-install` is a plain resource. Without a delete policy a hook gets BeforeHookCreation, as in Argo CD.
 */
export function hookInfo(obj: KubeObject): HookInfo | undefined {
  const a = ((obj.metadata ?? {}) as { annotations?: Record<string, string> }).annotations ?? {};
  const argo = list(a[HOOK_ANNOTATION]);
  const helm = list(a['helm.sh/hook']).filter((h) => h !== 'crd-install');
  if (!argo.length && !helm.length) return undefined;
  const phases = argo.length
    ? argo.filter((p): p is SyncPhase => (ARGO_PHASES as readonly string[]).includes(p))
    : [...new Set(helm.map((h) => HELM_HOOKS[h]).filter((p): p is SyncPhase => p !== undefined))];
  const argoPolicies = list(a[HOOK_DELETE_POLICY_ANNOTATION]).filter((p): p is HookDeletePolicy => p === 'HookSucceeded' || p === 'HookFailed' || p === 'BeforeHookCreation');
  const helmPolicies = list(a['helm.sh/hook-delete-policy']).map((p) => HELM_DELETE_POLICIES[p]).filter((p): p is HookDeletePolicy => p !== undefined);
  const policies = argoPolicies.length ? argoPolicies : helmPolicies;
  const weight = Number(a['helm.sh/hook-weight']);
  return {
    phases,
    deletePolicies: policies.length ? policies : ['BeforeHookCreation'],
    ...(a['helm.sh/hook-weight'] !== undefined && Number.isInteger(weight) ? { helmWeight: weight } : {}),
  };
}

/** Whether a finished hook is to be deleted by its policies. */
export function deleteAfter(info: HookInfo, succeeded: boolean): boolean {
  return info.deletePolicies.includes(succeeded ? 'HookSucceeded' : 'HookFailed');
}
