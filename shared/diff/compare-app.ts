// Sync status of an Application on a cluster, as Argo CD computes it: each desired resource is Synced, OutOfSync
// (changed or missing) or Unknown (could not be read); tracked live resources that are not desired are extra
// (OutOfSync: they would be pruned); the app is OutOfSync when any resource is, Unknown when live state could not be read.

import type { Problem } from '../problem';
import type { AppClusterStatus, HealthResult, KubeObject, ResourceKey, ResourceStatus, SyncStatus } from '../model/status';
import { worstHealth } from '../health';
import type { IgnoreRules } from './ignore-differences';
import { compileIgnoreDifferences } from './ignore-differences';
import { isPlainObject } from './json-path';
import { resourceKey } from './normalize';
import type { ResourceDiff } from './resource-diff';
import { diffResource } from './resource-diff';

/** Argo CD's compare-options annotation; `IgnoreExtraneous` keeps an extra resource from making its app OutOfSync. */
export const COMPARE_OPTIONS_ANNOTATION = 'argocd.argoproj.io/compare-options';

/** What `compareApp` needs: the app's desired objects and the live objects found for them on one cluster. */
export interface CompareAppInput {
  readonly app: string;
  readonly cluster: string;
  /** Git commit the desired state was rendered from. */
  readonly revision: string;
  readonly desired: readonly KubeObject[];
  /** Live objects aligned with `desired`; undefined where the object does not exist on the cluster. */
  readonly live: readonly (KubeObject | undefined)[];
  /** Live objects tracked as the app's that are not desired (they would be pruned). */
  readonly extra: readonly KubeObject[];
  /** Raw `ignoreDifferences` entries (app spec and fleet file), or rules compiled once with `compileIgnoreDifferences`. */
  readonly ignoreDifferences?: readonly unknown[] | IgnoreRules;
  /** Health of a live object; when absent, resources carry no health except Missing. */
  readonly assessHealth?: (o: KubeObject) => HealthResult;
  /** Destination namespace for desired objects that name none. */
  readonly namespace?: string;
  /** The live state could not be read at all (cluster unreachable, forbidden, ...): everything is Unknown. */
  readonly error?: string;
  /** Server-side diff: per desired object (aligned with `desired`), the API server's server-side apply dry-run result. */
  readonly serverPredicted?: readonly (KubeObject | undefined)[];
  /** Per desired object (aligned with `desired`): why its live state could not be read. */
  readonly liveErrors?: readonly (string | undefined)[];
  /** Field manager Flotilla applies with; default `flotilla`. */
  readonly fieldManager?: string;
  /** With label-based tracking, the label naming the app (`app.kubernetes.io/instance`); not drift when it names this app. */
  readonly trackingLabel?: string;
  readonly observedAt: string;
}

/** The status of an app on a cluster, and each resource's full comparison (for `flotilla diff` and the diff view). */
export interface AppComparison {
  readonly status: AppClusterStatus;
  /** Aligned with `status.resources`. */
  readonly diffs: readonly (ResourceDiff | undefined)[];
}

/** Compares an app's desired objects with the live ones on a cluster; health per resource from the injected assessor. */
export function compareApp(input: CompareAppInput): AppClusterStatus {
  return compareAppDetailed(input).status;
}

/** `compareApp`, keeping each resource's full comparison (masked live and predicted objects, changes, diff). */
export function compareAppDetailed(input: CompareAppInput): AppComparison {
  const compiled = isCompiled(input.ignoreDifferences) ? input.ignoreDifferences : compileIgnoreDifferences(input.ignoreDifferences, { app: input.app });
  const problems: Problem[] = compiled.problems.map((p) => ({ ...p, app: input.app, cluster: input.cluster }));
  const opts = {
    app: input.app,
    rules: compiled.rules,
    ...(input.namespace !== undefined ? { namespace: input.namespace } : {}),
    ...(input.fieldManager !== undefined ? { fieldManager: input.fieldManager } : {}),
    ...(input.trackingLabel !== undefined ? { trackingLabel: input.trackingLabel } : {}),
  };
  const resources: ResourceStatus[] = [];
  const diffs: (ResourceDiff | undefined)[] = [];
  const counted: boolean[] = [];

  input.desired.forEach((desired, i) => {
    // Like Argo CD, hooks (Jobs run around a sync) have no sync status and do not affect the app's.
    if (isHook(desired)) return;
    const readError = input.error ?? input.liveErrors?.[i];
    if (readError !== undefined) {
      resources.push({ ...keyFields(resourceKey(desired, input.namespace ?? '')), sync: 'Unknown' });
      diffs.push(undefined);
      counted.push(true);
      return;
    }
    const live = input.live[i];
    try {
      const serverPredicted = input.serverPredicted?.[i];
      const d = diffResource(desired, live, serverPredicted ? { ...opts, serverPredicted } : opts);
      const health = live ? input.assessHealth?.(live) : { status: 'Missing' as const, message: '' };
      resources.push(toStatus(d, health));
      diffs.push(d);
    } catch (err) {
      const key = resourceKey(desired, input.namespace ?? '');
      problems.push({ severity: 'error', message: `could not compare: ${err instanceof Error ? err.message : String(err)}`, app: input.app, cluster: input.cluster, resource: `${key.group}/${key.kind}/${key.namespace}/${key.name}` });
      resources.push({ ...keyFields(key), sync: 'Unknown' });
      diffs.push(undefined);
    }
    counted.push(true);
  });

  if (input.error === undefined) {
    for (const live of input.extra) {
      if (isHook(live)) continue;
      const d = diffResource(undefined, live, opts);
      const health = input.assessHealth?.(live);
      resources.push(toStatus(d, health));
      diffs.push(d);
      counted.push(!ignoresExtraneous(live));
    }
  }

  const sync: SyncStatus =
    input.error !== undefined ? 'Unknown'
    : resources.some((r, i) => counted[i] && r.sync === 'OutOfSync') ? 'OutOfSync'
    : resources.some((r) => r.sync === 'Unknown') ? 'Unknown'
    : 'Synced';

  // Extra resources are about to be pruned; like Argo CD, their health does not make the app's.
  const healths = resources.filter((r) => !r.extra).map((r) => r.health).filter((h): h is HealthResult => h !== undefined);
  const health: HealthResult =
    input.error !== undefined ? { status: 'Unknown', message: input.error }
    : healths.length > 0 ? worstHealth(healths)
    : input.assessHealth || resources.length === 0 ? { status: 'Healthy', message: '' }
    : { status: 'Unknown', message: 'health was not assessed' };

  const status: AppClusterStatus = {
    app: input.app,
    cluster: input.cluster,
    revision: input.revision,
    sync,
    health,
    resources,
    observedAt: input.observedAt,
    ...(input.error !== undefined ? { error: input.error } : {}),
    ...(problems.length > 0 ? { problems } : {}),
  };
  return { status, diffs };
}

function isCompiled(v: CompareAppInput['ignoreDifferences']): v is IgnoreRules {
  return v !== undefined && !Array.isArray(v);
}

function keyFields(key: ResourceKey): ResourceKey {
  return { group: key.group, ...(key.version !== undefined ? { version: key.version } : {}), kind: key.kind, namespace: key.namespace, name: key.name };
}

function toStatus(d: ResourceDiff, health: HealthResult | undefined): ResourceStatus {
  return {
    ...keyFields(d.key),
    sync: d.sync,
    ...(d.missing ? { missing: true } : {}),
    ...(d.extra ? { extra: true } : {}),
    ...(health ? { health } : {}),
    ...(d.changes.length > 0 ? { changedPaths: d.changes.map((c) => c.path), changes: d.changes } : {}),
    ...(d.diff ? { diff: d.diff } : {}),
  };
}

function annotation(obj: KubeObject, name: string): unknown {
  const ann = isPlainObject(obj.metadata) ? obj.metadata['annotations'] : undefined;
  return isPlainObject(ann) ? ann[name] : undefined;
}

function ignoresExtraneous(obj: KubeObject): boolean {
  const v = annotation(obj, COMPARE_OPTIONS_ANNOTATION);
  return typeof v === 'string' && v.split(',').some((o) => o.trim() === 'IgnoreExtraneous');
}

/** Whether an object is an Argo CD resource hook (or a Helm hook, which Argo CD maps to one). */
export function isHook(obj: KubeObject): boolean {
  const argo = annotation(obj, 'argocd.argoproj.io/hook');
  if (typeof argo === 'string' && argo.trim() !== '') return true;
  const helm = annotation(obj, 'helm.sh/hook');
  return typeof helm === 'string' && helm.trim() !== '' && helm.trim() !== 'crd-install';
}
