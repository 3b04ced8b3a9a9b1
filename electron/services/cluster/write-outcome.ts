// What one write did to an object: whether a sync's apply (or its dry run) changed anything, told from the object
// read before it and the API server's answer. Only the fields the writing manager owns before or after count: another
// writer's change in between (a controller's annotation, a scaler's replicas) is not the sync's.

import type { KubeObject } from '../../../shared/model/status';
import { managedFieldSet, ownedPart } from '../../../shared/diff/managed-fields';
import { jsonEqual } from '../../../shared/diff/predict';

/**
 * Whether a write by `manager` left the object as it was read before it (`before`), in every field that manager owns
 * before or after the write. A real write whose answer keeps the resourceVersion read changed nothing at all. A dry
 * run's answer may keep it whatever it would change, so it is compared field by field. Without managed fields on
 * either side, the whole objects are compared (leaving out status and what every write moves).
 */
export function unchangedByWrite(after: KubeObject, before: KubeObject | undefined, manager: string, opts: { readonly dryRun: boolean }): boolean {
  if (!before) return false;
  const rv = after.metadata?.['resourceVersion'];
  if (!opts.dryRun && typeof rv === 'string' && rv !== '' && rv === before.metadata?.['resourceVersion']) return true;
  const mine = (m: string): boolean => m === manager;
  const sets = [managedFieldSet(before, mine), managedFieldSet(after, mine)].filter((s) => s !== undefined);
  if (sets.length === 0) return stableJson(strip(after)) === stableJson(strip(before));
  return sets.every((s) => jsonEqual(ownedPart(s, before), ownedPart(s, after)));
}

/** An object without status and the metadata every write moves. */
function strip(obj: KubeObject): KubeObject {
  const { managedFields: _mf, resourceVersion: _rv, generation: _g, ...m } = (obj.metadata ?? {}) as Record<string, unknown>;
  const { status: _s, ...rest } = obj as KubeObject & { status?: unknown };
  return { ...rest, metadata: m };
}

/** JSON with sorted keys, for comparing objects. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
