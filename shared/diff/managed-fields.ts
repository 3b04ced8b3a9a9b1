// Server-side apply field ownership (`metadata.managedFields[].fieldsV1`), read so that the diff can tell which
// fields a manager set: fields Flotilla applied and no longer desires are drift, and fields owned by the managers an
// `ignoreDifferences.managedFieldsManagers` entry names are not compared.

import type { PathSeg } from './json-path';
import { isPlainObject } from './json-path';

/** The field manager name Flotilla applies with (server-side apply `fieldManager`). */
export const FLOTILLA_FIELD_MANAGER = 'flotilla';

/** A fieldsV1 set as a tree: map fields by name, list items by key, by value or by index. */
export interface FieldSet {
  /** `.`: the element itself (a list item or map) is owned, not only some of its fields. */
  self: boolean;
  readonly fields: Map<string, FieldSet>;
  readonly keys: { readonly key: Readonly<Record<string, unknown>>; readonly set: FieldSet }[];
  readonly values: { readonly value: unknown; readonly set: FieldSet }[];
  readonly indices: Map<number, FieldSet>;
}

function emptySet(): FieldSet {
  return { self: false, fields: new Map(), keys: [], values: [], indices: new Map() };
}

/** Whether a set owns nothing beneath it (so it stands for a whole leaf field). */
export function isLeaf(s: FieldSet): boolean {
  return s.fields.size === 0 && s.keys.length === 0 && s.values.length === 0 && s.indices.size === 0;
}

/** Adds one fieldsV1 object (`{"f:spec": {"f:replicas": {}}}`) to a set. */
function addFieldsV1(into: FieldSet, raw: unknown): void {
  if (!isPlainObject(raw)) return;
  for (const [k, v] of Object.entries(raw)) {
    if (k === '.') {
      into.self = true;
      continue;
    }
    const kind = k.slice(0, 2);
    const rest = k.slice(2);
    if (kind === 'f:') {
      let s = into.fields.get(rest);
      if (!s) into.fields.set(rest, (s = emptySet()));
      addFieldsV1(s, v);
    } else if (kind === 'k:') {
      const key = parseJson(rest);
      if (!isPlainObject(key)) continue;
      let entry = into.keys.find((e) => sameKey(e.key, key));
      if (!entry) into.keys.push((entry = { key, set: emptySet() }));
      addFieldsV1(entry.set, v);
    } else if (kind === 'v:') {
      const value = parseJson(rest);
      let entry = into.values.find((e) => looseEqual(e.value, value));
      if (!entry) into.values.push((entry = { value, set: emptySet() }));
      addFieldsV1(entry.set, v);
    } else if (kind === 'i:') {
      const idx = Number(rest);
      if (!Number.isInteger(idx)) continue;
      let s = into.indices.get(idx);
      if (!s) into.indices.set(idx, (s = emptySet()));
      addFieldsV1(s, v);
    }
  }
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

function looseEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' && typeof b !== 'object') return String(a) === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameKey(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => looseEqual(a[k], b[k]));
}

/** The fields the selected managers own in a live object, merged into one set; undefined when they own none. */
export function managedFieldSet(live: unknown, select: (manager: string) => boolean): FieldSet | undefined {
  const mf = isPlainObject(live) && isPlainObject(live['metadata']) ? live['metadata']['managedFields'] : undefined;
  if (!Array.isArray(mf)) return undefined;
  let out: FieldSet | undefined;
  for (const entry of mf) {
    if (!isPlainObject(entry) || typeof entry['manager'] !== 'string' || !select(entry['manager'])) continue;
    if (entry['fieldsType'] !== undefined && entry['fieldsType'] !== 'FieldsV1') continue;
    addFieldsV1((out ??= emptySet()), entry['fieldsV1']);
  }
  return out;
}

/** The fields one manager owns and the fields every other manager owns, read in one pass over managedFields. */
export function splitManagedFields(live: unknown, manager: string): { readonly mine?: FieldSet; readonly others?: FieldSet } {
  const mf = isPlainObject(live) && isPlainObject(live['metadata']) ? live['metadata']['managedFields'] : undefined;
  if (!Array.isArray(mf)) return {};
  let mine: FieldSet | undefined;
  let others: FieldSet | undefined;
  for (const entry of mf) {
    if (!isPlainObject(entry) || typeof entry['manager'] !== 'string') continue;
    if (entry['fieldsType'] !== undefined && entry['fieldsType'] !== 'FieldsV1') continue;
    if (entry['manager'] === manager) addFieldsV1((mine ??= emptySet()), entry['fieldsV1']);
    else addFieldsV1((others ??= emptySet()), entry['fieldsV1']);
  }
  // Others' fields matter only where they overlap Flotilla's; without Flotilla's there is nothing to compare.
  return mine ? { mine, ...(others ? { others } : {}) } : {};
}

/** The owned set of one element of a list, found by key fields, by value or by index. */
export function itemSet(list: FieldSet | undefined, item: unknown, index: number): FieldSet | undefined {
  if (!list) return undefined;
  if (isPlainObject(item)) {
    for (const e of list.keys) {
      if (Object.keys(e.key).every((k) => looseEqual(item[k], e.key[k]))) return e.set;
    }
  } else {
    for (const e of list.values) if (looseEqual(e.value, item)) return e.set;
  }
  return list.indices.get(index);
}

/** The concrete paths in `obj` of the leaves (and whole list items) a set owns: what to delete to ignore them. */
export function ownedPaths(set: FieldSet, obj: unknown): PathSeg[][] {
  const out: PathSeg[][] = [];
  walk(set, obj, [], out);
  return out;
}

function walk(set: FieldSet, value: unknown, path: PathSeg[], out: PathSeg[][]): void {
  if (isLeaf(set)) {
    if (path.length > 0) out.push(path);
    return;
  }
  if (isPlainObject(value)) {
    for (const [name, s] of set.fields) if (name in value) walk(s, value[name], [...path, name], out);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const s = itemSet(set, item, i);
      if (!s) return;
      if (s.self) out.push([...path, i]);
      else walk(s, item, [...path, i], out);
    });
  }
}

/**
 * The part of a value a set owns: a map's owned fields (in the value's order), a list's owned items (each whole when
 * the set names only the item, else its owned part), a leaf whole. What two states of an object are compared on to
 * tell whether one manager's write changed anything of its own.
 */
export function ownedPart(set: FieldSet, value: unknown): unknown {
  if (isLeaf(set)) return value;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(value)) {
      const s = set.fields.get(name);
      if (s) out[name] = ownedPart(s, value[name]);
    }
    return out;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((item, i) => {
      const s = itemSet(set, item, i);
      if (s) out.push(ownedPart(s, item));
    });
    return out;
  }
  return value;
}
