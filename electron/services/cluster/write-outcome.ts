// What one write did to an object: whether a sync's apply (or its dry run) changed anything, told from the object
// read before it and the API server's answer. A difference between the two is the sync's unless another field manager
// owns where it lies (a controller's annotation, a scaler's replicas, written between the read and the apply); a
// difference in a field the sync owns, before or after, is always the sync's.

import type { KubeObject } from '../../../shared/model/status';
import type { FieldSet } from '../../../shared/diff/managed-fields';
import { itemSet, isLeaf, managedFieldSet, ownedPart } from '../../../shared/diff/managed-fields';
import type { PathSeg } from '../../../shared/diff/json-path';
import { isPlainObject } from '../../../shared/diff/json-path';
import { jsonEqual, structuralChanges } from '../../../shared/diff/predict';

/**
 * Whether a write by `manager` left the object as it was read before it (`before`). A real write whose answer keeps
 * the resourceVersion read changed nothing at all; otherwise (and for a dry run, whose answer may keep it whatever it
 * would change) the two are compared leaving out status and what every write moves, and each difference that lies in
 * a field only another manager owns is that manager's. Differences nobody owns (a Secret's `data` from the
 * `stringData` applied, a server default) count as the write's.
 */
export function unchangedByWrite(after: KubeObject, before: KubeObject | undefined, manager: string, opts: { readonly dryRun: boolean }): boolean {
  if (!before) return false;
  const rv = after.metadata?.['resourceVersion'];
  if (!opts.dryRun && typeof rv === 'string' && rv !== '' && rv === before.metadata?.['resourceVersion']) return true;
  const mine = (m: string): boolean => m === manager;
  for (const set of [managedFieldSet(before, mine), managedFieldSet(after, mine)]) {
    if (set && !jsonEqual(ownedPart(set, before), ownedPart(set, after))) return false;
  }
  const others = (m: string): boolean => m !== manager;
  const othersBefore = managedFieldSet(before, others);
  const othersAfter = managedFieldSet(after, others);
  const a = strip(before);
  const b = strip(after);
  return structuralChanges(a, b).every((c) =>
    // A path names an item of the object it is in: the one before for an item removed, else the one after.
    'desired' in c ? ownedAt(othersAfter, b, c.path) || ownedAt(othersBefore, a, c.path) : ownedAt(othersBefore, a, c.path),
  );
}

/** Whether a set owns the element at `path` in `obj` (or a field or item above it whole). */
function ownedAt(set: FieldSet | undefined, obj: unknown, path: readonly PathSeg[]): boolean {
  let s = set;
  let v = obj;
  for (const seg of path) {
    if (!s) return false;
    if (isLeaf(s)) return true;
    if (typeof seg === 'string') {
      s = s.fields.get(seg);
      v = isPlainObject(v) ? v[seg] : undefined;
    } else {
      const item: unknown = Array.isArray(v) ? v[seg] : undefined;
      s = itemSet(s, item, seg);
      v = item;
    }
  }
  return s !== undefined;
}

/** An object without status and the metadata every write moves. */
function strip(obj: KubeObject): KubeObject {
  const { managedFields: _mf, resourceVersion: _rv, generation: _g, ...m } = (obj.metadata ?? {}) as Record<string, unknown>;
  const { status: _s, ...rest } = obj as KubeObject & { status?: unknown };
  return { ...rest, metadata: m };
}
