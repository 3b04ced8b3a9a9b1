// The live object as it would be after applying the desired one ("predicted live", as Argo CD calls it), and the
// structural differences between two objects. Only what desired sets is compared: a field present live but absent
// from desired is kept (it is not drift), unless Flotilla's own field manager set it and no other manager shares it
// (server-side apply would then remove it, so it is drift). Lists with a merge key (containers by name, ports by
// port, ...) are matched item by item; other lists of objects are matched by index when their lengths agree.

import type { PathSeg } from './json-path';
import { isPlainObject } from './json-path';
import type { FieldSet } from './managed-fields';
import { isLeaf, itemSet } from './managed-fields';
import { QUANTITY_KEYS, QUANTITY_PARENTS, sameQuantity } from './quantity';

/** Field ownership that decides whether an unset field is drift: Flotilla's fields and everybody else's. */
export interface Ownership {
  readonly flotilla?: FieldSet;
  readonly others?: FieldSet;
}

/** Merge keys of well-known lists (strategic merge patch `patchMergeKey`), by the list's field name. */
const MERGE_KEYS: Readonly<Record<string, readonly string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  hostAliases: ['ip'],
  ports: ['containerPort', 'port'],
  conditions: ['type'],
};

/** How list items are told apart: a function giving each item's key. */
type ItemKey = (item: unknown) => string;

/** Ports are told apart by number and protocol (TCP when unset), as server-side apply does. */
const PROTOCOL_DEFAULT = 'TCP';

function mergeKeyOf(field: string, desired: readonly unknown[], live: readonly unknown[]): ItemKey | undefined {
  const all = (k: string): boolean =>
    desired.every((x) => isPlainObject(x) && x[k] !== undefined && x[k] !== null) && live.every((x) => isPlainObject(x) && x[k] !== undefined && x[k] !== null);
  for (const k of MERGE_KEYS[field] ?? []) {
    if (!all(k)) continue;
    if (field === 'ports') return (x) => `${String((x as Record<string, unknown>)[k])}/${String((x as Record<string, unknown>)['protocol'] ?? PROTOCOL_DEFAULT)}`;
    return (x) => String((x as Record<string, unknown>)[k]);
  }
  if (desired.length > 0 && all('name')) return (x) => String((x as Record<string, unknown>)['name']);
  return undefined;
}

/** The live object after applying desired onto it; `undefined` fields are absent. */
export function predictLive(live: Record<string, unknown>, desired: Record<string, unknown>, own: Ownership): Record<string, unknown> {
  const out = mergeMap(live, desired, own.flotilla, own.others, '');
  // The API server answers in the version it was asked for; a version skew between desired and live is not drift.
  if (
    out !== live && typeof live['apiVersion'] === 'string' && typeof desired['apiVersion'] === 'string' &&
    groupOf(live['apiVersion']) === groupOf(desired['apiVersion'])
  ) {
    out['apiVersion'] = live['apiVersion'];
    if (Object.keys(out).length === Object.keys(live).length && Object.keys(out).every((k) => out[k] === live[k])) return live;
  }
  return out;
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

// The merge shares structure: a value that applying would not change is returned as the very live value, so an
// object in sync comes back as its live object (and the sync check is a reference comparison).

function mergeMap(live: Record<string, unknown>, desired: Record<string, unknown>, f: FieldSet | undefined, o: FieldSet | undefined, parentKey: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let changed = false;
  for (const k of Object.keys(live)) {
    const d = desired[k];
    const v = d === undefined || d === null ? prune(live[k], f?.fields.get(k), o?.fields.get(k)) : merge(live[k], d, f?.fields.get(k), o?.fields.get(k), k, parentKey);
    if (v !== live[k]) changed = true;
    if (v !== undefined) out[k] = v;
  }
  for (const k of Object.keys(desired)) {
    if (k in live) continue;
    const d = desired[k];
    if (d === undefined || d === null) continue;
    const v = merge(undefined, d, undefined, undefined, k, parentKey);
    if (v !== undefined) {
      out[k] = v;
      changed = true;
    }
  }
  return changed ? out : live;
}

/** `live` itself when `next` holds exactly its items, else `next`. */
function sameItems(live: readonly unknown[], next: unknown[]): readonly unknown[] {
  return next.length === live.length && next.every((x, i) => x === live[i]) ? live : next;
}

function merge(live: unknown, desired: unknown, f: FieldSet | undefined, o: FieldSet | undefined, key: string, parentKey: string): unknown {
  if (isPlainObject(desired)) {
    if (isPlainObject(live)) return mergeMap(live, desired, f, o, key);
    // An empty map where live has nothing is the same as not setting it (Kubernetes omits empty maps).
    if (live === undefined && Object.keys(desired).length === 0) return undefined;
    return clean(desired);
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) return live === undefined && desired.length === 0 ? undefined : clean(desired);
    const mk = mergeKeyOf(key, desired, live);
    if (mk !== undefined) return mergeKeyedList(live, desired, mk, f, o, key);
    if (live.length === desired.length && desired.every(isPlainObject) && live.every(isPlainObject)) {
      return sameItems(live, desired.map((d, i) => mergeMap(live[i] as Record<string, unknown>, d, itemSet(f, live[i], i), itemSet(o, live[i], i), key)));
    }
    return clean(desired);
  }
  if (live !== undefined && sameScalar(live, desired, key, parentKey)) return live;
  return desired;
}

function mergeKeyedList(live: readonly unknown[], desired: readonly unknown[], mk: ItemKey, f: FieldSet | undefined, o: FieldSet | undefined, key: string): readonly unknown[] {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const d of desired) byKey.set(mk(d), d as Record<string, unknown>);
  const used = new Set<string>();
  const out: unknown[] = [];
  live.forEach((item, i) => {
    const k = mk(item);
    const d = byKey.get(k);
    if (d && !used.has(k)) {
      used.add(k);
      out.push(mergeMap(item as Record<string, unknown>, d, itemSet(f, item, i), itemSet(o, item, i), key));
      return;
    }
    const v = pruneItem(item, itemSet(f, item, i), itemSet(o, item, i));
    if (v !== undefined) out.push(v);
  });
  for (const d of desired) {
    const k = mk(d);
    if (!used.has(k)) {
      used.add(k);
      out.push(clean(d));
    }
  }
  return sameItems(live, out);
}

/** A live value that desired does not set: kept, except what only Flotilla owned (applying would remove it). */
function prune(live: unknown, f: FieldSet | undefined, o: FieldSet | undefined): unknown {
  if (live === undefined || !f) return live;
  if (isLeaf(f)) return o ? live : undefined;
  if (isPlainObject(live)) {
    const out: Record<string, unknown> = {};
    let changed = false;
    for (const k of Object.keys(live)) {
      const v = prune(live[k], f.fields.get(k), o?.fields.get(k));
      if (v !== live[k]) changed = true;
      if (v !== undefined) out[k] = v;
    }
    if (!changed) return live;
    if (Object.keys(out).length === 0 && Object.keys(live).length > 0 && !o) return undefined;
    return out;
  }
  if (Array.isArray(live)) {
    const out: unknown[] = [];
    live.forEach((item, i) => {
      const v = pruneItem(item, itemSet(f, item, i), itemSet(o, item, i));
      if (v !== undefined) out.push(v);
    });
    return sameItems(live, out);
  }
  return live;
}

function pruneItem(item: unknown, f: FieldSet | undefined, o: FieldSet | undefined): unknown {
  if (!f) return item;
  if (f.self && !o) return undefined;
  return prune(item, f, o);
}

/** Desired data without nulls (null means "not set" in an applied manifest). */
function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(clean);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) if (v[k] !== null && v[k] !== undefined) out[k] = clean(v[k]);
    return out;
  }
  return v;
}

function sameScalar(live: unknown, desired: unknown, key: string, parentKey: string): boolean {
  if (live === desired) return true;
  if (QUANTITY_KEYS.has(key) || QUANTITY_PARENTS.has(parentKey)) return sameQuantity(live, desired);
  return false;
}

/** One changed field: its JSON pointer and its values live and desired (after apply); absent when unset. */
export interface RawChange {
  readonly path: readonly PathSeg[];
  readonly live?: unknown;
  readonly desired?: unknown;
}

/** Whether two JSON values are deeply equal (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!(k in b) || !jsonEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** The leaf-level differences between two values, in document order; keyed lists (containers by name, ...) are aligned by key. */
export function structuralChanges(live: unknown, desired: unknown, path: PathSeg[] = [], out: RawChange[] = [], key = ''): RawChange[] {
  if (jsonEqual(live, desired)) return out;
  if (isPlainObject(live) && isPlainObject(desired)) {
    for (const k of Object.keys(live)) structuralChanges(live[k], desired[k], [...path, k], out, k);
    for (const k of Object.keys(desired)) if (!(k in live)) structuralChanges(undefined, desired[k], [...path, k], out, k);
    return out;
  }
  if (Array.isArray(live) && Array.isArray(desired)) {
    const mk = live.length !== desired.length ? mergeKeyOf(key, desired, live) : undefined;
    if (mk !== undefined) {
      // Items matched by key; an item only live is reported at its live index, one only desired at its desired index.
      const liveIndex = new Map(live.map((x, i) => [mk(x), i]));
      const desiredKeys = new Set(desired.map(mk));
      live.forEach((x, i) => {
        if (!desiredKeys.has(mk(x))) out.push({ path: [...path, i], live: x });
      });
      desired.forEach((x, i) => {
        const li = liveIndex.get(mk(x));
        if (li === undefined) out.push({ path: [...path, i], desired: x });
        else structuralChanges(live[li], x, [...path, i], out, key);
      });
      return out;
    }
    const n = Math.max(live.length, desired.length);
    for (let i = 0; i < n; i++) structuralChanges(live[i], desired[i], [...path, i], out, key);
    return out;
  }
  out.push({ path, ...(live !== undefined ? { live } : {}), ...(desired !== undefined ? { desired } : {}) });
  return out;
}
