import { compileIgnoreDifferences, matchingRules } from '../../../shared/diff';
import type { KubeObject, ResourceKey } from '../../../shared/model/status';

// Argo CD's sync options: per resource in the `argocd.argoproj.io/sync-options` annotation (comma-separated), and per
// Application in `syncPolicy.syncOptions`. A resource's annotation wins over the Application's option of the same name.

/** The annotation holding a resource's sync options. */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/** The sync options that decide how one resource is dry-run, applied and pruned. */
export interface ResourceSyncOptions {
  /** `Prune=false`: never pruned (reported skipped; the app stays out of sync, as in Argo CD). */
  readonly prune: boolean;
  /** `Delete=false` (or Helm's `helm.sh/resource-policy: keep`): kept when the app's resources are deleted. */
  readonly delete: boolean;
  /** `Replace=true`: replace (PUT, or create) instead of apply. */
  readonly replace: boolean;
  /** `Force=true`: with Replace, delete and create again; with apply, delete and create again when the apply is refused as invalid (an immutable field). */
  readonly force: boolean;
  /** `ServerSideApply=true`: Flotilla always applies server-side; kept for reporting. */
  readonly serverSideApply: boolean;
  /** `Validate=false`: the API server ignores unknown and duplicate fields (`fieldValidation=Ignore`) instead of refusing them. */
  readonly validate: boolean;
  /** `SkipDryRunOnMissingResource=true`: a kind the cluster does not serve yet (its CRD comes later) is not dry-run. */
  readonly skipDryRunOnMissingResource: boolean;
  /** `PruneLast=true`: pruned after every wave is applied and healthy, instead of in its own wave. */
  readonly pruneLast: boolean;
}

/** The Application-level sync options (`syncPolicy.syncOptions`) besides the per-resource ones. */
export interface AppSyncOptions {
  /** `CreateNamespace=true`. */
  readonly createNamespace: boolean;
  /** `PrunePropagationPolicy=foreground|background|orphan` (default foreground, as Argo CD). */
  readonly prunePropagationPolicy: 'Foreground' | 'Background' | 'Orphan';
  /** `ApplyOutOfSyncOnly=true`: resources whose dry run shows no change are not applied. */
  readonly applyOutOfSyncOnly: boolean;
  /** `RespectIgnoreDifferences=true`: fields under the app's ignoreDifferences keep their live values when applied. */
  readonly respectIgnoreDifferences: boolean;
  /** Defaults for every resource, overridden by its own annotation. */
  readonly resource: ResourceSyncOptions;
}

/** `Key=value` pairs of a comma-separated or listed option set, keys as written. */
function pairs(options: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of options.flatMap((o) => o.split(','))) {
    const s = raw.trim();
    const eq = s.indexOf('=');
    if (eq > 0) out.set(s.slice(0, eq).trim(), s.slice(eq + 1).trim());
  }
  return out;
}

/** Reads a boolean option; `fallback` when absent. */
function flag(p: Map<string, string>, key: string, fallback: boolean): boolean {
  const v = p.get(key);
  return v === undefined ? fallback : v.toLowerCase() === 'true';
}

/** The defaults of every per-resource option (Argo CD's). */
const RESOURCE_DEFAULTS: ResourceSyncOptions = {
  prune: true, delete: true, replace: false, force: false, serverSideApply: false, validate: true, skipDryRunOnMissingResource: false, pruneLast: false,
};

/** Per-resource options from a set of `Key=value` pairs over defaults. */
function resourceOptions(p: Map<string, string>, base: ResourceSyncOptions): ResourceSyncOptions {
  return {
    prune: flag(p, 'Prune', base.prune),
    delete: flag(p, 'Delete', base.delete),
    replace: flag(p, 'Replace', base.replace),
    force: flag(p, 'Force', base.force),
    serverSideApply: flag(p, 'ServerSideApply', base.serverSideApply),
    validate: flag(p, 'Validate', base.validate),
    skipDryRunOnMissingResource: flag(p, 'SkipDryRunOnMissingResource', base.skipDryRunOnMissingResource),
    pruneLast: flag(p, 'PruneLast', base.pruneLast),
  };
}

/** The Application's sync options from its `syncPolicy.syncOptions` list. */
export function parseAppSyncOptions(options: readonly string[] = []): AppSyncOptions {
  const p = pairs(options);
  const policy = (p.get('PrunePropagationPolicy') ?? 'foreground').toLowerCase();
  return {
    createNamespace: flag(p, 'CreateNamespace', false),
    prunePropagationPolicy: policy === 'background' ? 'Background' : policy === 'orphan' ? 'Orphan' : 'Foreground',
    applyOutOfSyncOnly: flag(p, 'ApplyOutOfSyncOnly', false),
    respectIgnoreDifferences: flag(p, 'RespectIgnoreDifferences', false),
    resource: resourceOptions(p, RESOURCE_DEFAULTS),
  };
}

/** One resource's sync options: its annotation over the Application's. */
export function resourceSyncOptions(obj: KubeObject | undefined, app: AppSyncOptions): ResourceSyncOptions {
  const annotations = ((obj?.metadata ?? {}) as { annotations?: Record<string, string> }).annotations ?? {};
  const own = resourceOptions(pairs([annotations[SYNC_OPTIONS_ANNOTATION] ?? '']), app.resource);
  // Helm's resource-policy keep is Argo CD's Delete=false.
  return annotations['helm.sh/resource-policy'] === 'keep' ? { ...own, delete: false } : own;
}

/** Reads a JSON pointer's segments from an object; undefined when absent. */
function getAt(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Sets (or, for undefined, removes) the value at a JSON pointer's segments, making objects on the way. */
function setAt(obj: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur: Record<string, unknown> = obj;
  for (const seg of path.slice(0, -1)) {
    const next = cur[seg];
    if (next === null || typeof next !== 'object') {
      if (value === undefined) return;
      cur[seg] = {};
    }
    cur = cur[seg] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last === undefined) return;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}

/**
 * `RespectIgnoreDifferences=true`: the object to apply, with every field under one of the app's ignoreDifferences
 * JSON pointers set to its live value (or left out when the live object has none), so an apply never resets it.
 * jqPathExpressions and managedFieldsManagers are not used here (see README).
 */
export function respectIgnoreDifferences(desired: KubeObject, live: KubeObject | undefined, key: ResourceKey, ignoreDifferences: readonly unknown[]): KubeObject {
  if (!live) return desired;
  const rules = matchingRules(compileIgnoreDifferences(ignoreDifferences).rules, key);
  if (!rules.length) return desired;
  const out = structuredClone(desired) as Record<string, unknown>;
  for (const rule of rules) for (const pointer of rule.pointers) setAt(out, pointer, structuredClone(getAt(live, pointer)));
  return out as KubeObject;
}
