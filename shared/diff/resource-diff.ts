// Desired against live for one resource: normalise both, drop ignored fields, predict the live object after apply,
// and say whether it is in sync, with a masked unified YAML diff and the changed fields.

import { instanceNameOf } from '../fleet/app-name';
import type { FieldChange, KubeObject, ResourceKey, SyncStatus } from '../model/status';
import type { IgnoreRule } from './ignore-differences';
import { applyIgnoreRules, matchingRules } from './ignore-differences';
import { cloneJson, toJsonPointer } from './json-path';
import { FLOTILLA_FIELD_MANAGER, splitManagedFields } from './managed-fields';
import { dropOwnTrackingId, dropOwnTrackingLabel, normalizeObject, resourceKey } from './normalize';
import { jsonEqual, predictLive, structuralChanges } from './predict';
import { toDiffYaml } from './render';
import { hideSecretData } from './secret';
import { unifiedDiff } from './line-diff';
import { noteMissingDiff } from './missing-diff';

/** How to compare: the app (for its tracking id), the ignore rules, the namespace of namespace-less desired objects. */
export interface DiffOptions {
  readonly app?: string;
  readonly rules?: readonly IgnoreRule[];
  /** Destination namespace, given to desired objects that name none. */
  readonly namespace?: string;
  /** Field manager Flotilla applies with; default `flotilla`. */
  readonly fieldManager?: string;
  /** With label-based tracking, the label that names the app (e.g. `app.kubernetes.io/instance`); ignored when it names this app. */
  readonly trackingLabel?: string;
  /**
   * Server-side diff (Argo CD's `ServerSideDiff=true`): the object the API server returned for a server-side apply
   * dry run of desired. It is then the predicted live object, compared with live as a whole, so server defaults and
   * mutating webhooks are exactly the server's.
   */
  readonly serverPredicted?: KubeObject;
}

/** The comparison of one resource. Everything in it has Secret values masked; its objects may share structure with the inputs (read-only). */
export interface ResourceDiff {
  readonly key: ResourceKey;
  readonly sync: SyncStatus;
  /** Desired but not live. */
  readonly missing?: boolean;
  /** Live but not desired (would be pruned). */
  readonly extra?: boolean;
  /** Changed fields, live against predicted live. */
  readonly changes: readonly FieldChange[];
  /** `===== group/Kind namespace/name ======` then a unified diff of the YAML; empty when in sync. */
  readonly diff: string;
  /** The normalised live object (masked). */
  readonly live?: KubeObject;
  /** The normalised live object after applying desired (masked); the desired object itself when it is not live. */
  readonly predicted?: KubeObject;
}

/** The header `argocd app diff` prints above each resource's diff. */
export function diffHeader(key: ResourceKey): string {
  return `===== ${key.group}/${key.kind} ${key.namespace}/${key.name} ======`;
}

/** Compares one desired object with its live counterpart; either may be absent (missing / extra). */
export function diffResource(desired: KubeObject | undefined, live: KubeObject | undefined, opts: DiffOptions = {}): ResourceDiff {
  const base = desired ?? live;
  if (!base) throw new Error('diffResource needs a desired or a live object');
  const key = resourceKey(base, (live ? resourceKey(live).namespace : '') || (opts.namespace ?? ''));
  const rules = matchingRules(opts.rules ?? [], key);
  // Normalised objects share structure with the inputs; ignore rules delete in place, so they get deep copies.
  const prepare = (o: KubeObject): KubeObject => (rules.length > 0 ? cloneJson(normalizeObject(o)) : normalizeObject(o));
  const d = desired ? prepare(desired) : undefined;
  const l = live ? prepare(live) : undefined;
  const server = live && opts.serverPredicted ? prepare(opts.serverPredicted) : undefined;
  // The tracking mark is ignored when live carries this app's own (then dropped from desired and the server's
  // prediction too); a live object tracked by another app keeps it, so a desired object that claims it shows drift.
  const notLive = [d, server].filter((x): x is KubeObject => x !== undefined);
  // Live objects carry the app's instance name (`<namespace>_<name>` for an app outside the control plane).
  const tracked = opts.app ? instanceNameOf(opts.app) : undefined;
  if (tracked && (!l || dropOwnTrackingId(l, tracked, key))) for (const o of notLive) dropOwnTrackingId(o, tracked, key);
  if (tracked && opts.trackingLabel && (!l || dropOwnTrackingLabel(l, tracked, opts.trackingLabel))) for (const o of notLive) dropOwnTrackingLabel(o, tracked, opts.trackingLabel);
  applyIgnoreRules(rules, d, l, live);
  if (server) applyIgnoreRules(rules, server, undefined, live);

  let predicted: KubeObject | undefined;
  let sync: SyncStatus;
  if (d && l && server) {
    predicted = server;
    sync = jsonEqual(l, predicted) ? 'Synced' : 'OutOfSync';
  } else if (d && l && live) {
    const manager = opts.fieldManager ?? FLOTILLA_FIELD_MANAGER;
    const { mine, others } = splitManagedFields(live, manager);
    predicted = predictLive(l, d, { ...(mine ? { flotilla: mine } : {}), ...(others ? { others } : {}) }) as KubeObject;
    sync = predicted === l || jsonEqual(l, predicted) ? 'Synced' : 'OutOfSync';
  } else {
    predicted = d;
    sync = 'OutOfSync';
  }
  const [maskedPredicted, maskedLive] = hideSecretData(predicted, l);
  const inSync = sync === 'Synced';
  const changes: FieldChange[] = inSync
    ? []
    : structuralChanges(maskedLive, maskedPredicted).map((c) => ({
        path: toJsonPointer(c.path),
        ...('live' in c ? { live: c.live } : {}),
        ...('desired' in c ? { desired: c.desired } : {}),
      }));
  const diff = inSync
    ? ''
    : diffHeader(key) + '\n' + unifiedDiff(toDiffYaml(maskedLive), toDiffYaml(maskedPredicted), { fromLabel: `${key.name}-live.yaml`, toLabel: key.name });
  if (!l && maskedPredicted && diff) noteMissingDiff(key, maskedPredicted, diff);
  return {
    key,
    sync,
    ...(d && !l ? { missing: true } : {}),
    ...(l && !d ? { extra: true } : {}),
    changes,
    diff,
    ...(maskedLive ? { live: maskedLive } : {}),
    ...(maskedPredicted ? { predicted: maskedPredicted } : {}),
  };
}
