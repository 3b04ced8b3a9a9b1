/**
 * Strategic merge patches (with Kubernetes merge keys and `$patch` directives) and JSON 6902 patches, as
 * kustomize applies them.
 */
import { deepCopy, deepEqual } from './resource';
import type { Json, JsonMap } from './yaml';
import { isMapValue } from './yaml';

// Merge keys of Kubernetes list fields, by field name (the same key wherever the field appears).
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  conditions: 'type',
  ownerReferences: 'uid',
  resourceClaims: 'name',
  schedulingGates: 'name',
  secrets: 'name',
  webhooks: 'name',
};
// List fields of built-in types that replace rather than merge.
const REPLACE_LISTS = new Set([
  'args', 'command', 'tolerations', 'envFrom', 'rules', 'subjects', 'items', 'accessModes', 'readinessGates',
  'nodeSelectorTerms', 'matchExpressions', 'values', 'tls', 'hosts', 'paths', 'egress', 'ingress', 'from', 'to',
  'policyTypes', 'verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs', 'sources', 'keys',
]);
const PRIMITIVE_MERGE = new Set(['finalizers']);
const ASSOCIATIVE_KEYS = ['mountPath', 'devicePath', 'ip', 'type', 'topologyKey', 'name', 'containerPort'];

/** Thrown for a patch that cannot apply; the caller turns it into a Problem. */
export class PatchError extends Error {}

/** Whether a strategic merge patch deletes its target (`$patch: delete` at the top). */
export function isDeletePatch(patch: JsonMap): boolean {
  return patch.$patch === 'delete';
}

function mergeKeyFor(field: string, path: readonly string[], dest: Json[], patch: Json[]): string | undefined {
  if (field === 'ports') {
    // Container ports merge on containerPort, Service ports on port.
    const inService = path.length === 2 && path[0] === 'spec';
    const sample = [...dest, ...patch].find(isMapValue);
    if (sample && 'containerPort' in sample) return 'containerPort';
    if (inService || (sample && 'port' in sample)) return 'port';
    return 'containerPort';
  }
  const known = MERGE_KEYS[field];
  if (known) return known;
  if (REPLACE_LISTS.has(field)) return undefined;
  const all = [...dest, ...patch];
  if (all.length === 0 || !all.every(isMapValue)) return undefined;
  for (const k of ASSOCIATIVE_KEYS) {
    if (all.every((e) => isMapValue(e) && (k in e || e.$patch !== undefined))) return k;
  }
  return undefined;
}

/** Applies a strategic merge patch to `target` (returns the merged object; `target` is not modified). */
export function strategicMerge(target: JsonMap, patch: JsonMap): JsonMap {
  return mergeMap(deepCopy(target) as JsonMap, patch, []) ?? {};
}

function mergeMap(dest: JsonMap, patch: JsonMap, path: string[]): JsonMap | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const out = deepCopy(patch) as JsonMap;
    delete out.$patch;
    return stripDirectives(out) as JsonMap;
  }
  const retain = patch.$retainKeys;
  for (const key of Object.keys(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const cur = dest[field];
      const del = patch[key];
      if (Array.isArray(cur) && Array.isArray(del)) dest[field] = cur.filter((x) => !del.some((d) => deepEqual(d, x)));
      continue;
    }
    const pv = patch[key]!;
    if (pv === null) {
      delete dest[key];
      continue;
    }
    const dv = dest[key];
    if (isMapValue(pv)) {
      if (pv.$patch === 'delete') {
        delete dest[key];
        continue;
      }
      if (isMapValue(dv)) {
        const merged = mergeMap(dv, pv, [...path, key]);
        if (merged === undefined) delete dest[key];
        else dest[key] = merged;
      } else {
        const merged = mergeMap({}, pv, [...path, key]);
        if (merged !== undefined) dest[key] = merged;
      }
      continue;
    }
    if (Array.isArray(pv)) {
      dest[key] = mergeList(Array.isArray(dv) ? dv : [], pv, key, [...path, key], Array.isArray(dv));
      continue;
    }
    dest[key] = pv;
  }
  if (Array.isArray(retain)) {
    for (const k of Object.keys(dest)) if (!retain.includes(k)) delete dest[k];
  }
  return dest;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (isMapValue(v)) {
    const out: JsonMap = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === '$patch' || k.startsWith('$setElementOrder/') || k === '$retainKeys') continue;
      out[k] = stripDirectives(x);
    }
    return out;
  }
  return v;
}

function mergeList(dest: Json[], patch: Json[], field: string, path: string[], destExists: boolean): Json[] {
  const replaceDirective = patch.find((e) => isMapValue(e) && e.$patch === 'replace' && Object.keys(e).length === 1);
  if (replaceDirective) return patch.filter((e) => e !== replaceDirective).map(stripDirectives);
  if (!destExists) return patch.filter((e) => !(isMapValue(e) && e.$patch === 'delete')).map(stripDirectives);
  if (PRIMITIVE_MERGE.has(field) && patch.every((e) => !isMapValue(e) && !Array.isArray(e))) {
    const out = [...dest];
    for (const e of patch) if (!out.some((x) => deepEqual(x, e))) out.push(e);
    return out;
  }
  const key = mergeKeyFor(field, path, dest, patch);
  if (!key) return patch.map(stripDirectives);
  // kyaml merges associative lists with "prepend": the patch's elements in patch order (merged with the list's
  // element of the same key), then the list's elements the patch does not mention, in list order.
  const out: Json[] = [];
  const used = new Set<number>();
  const sameKey = (e: Json, kv: Json | undefined): boolean => isMapValue(e) && kv !== undefined && deepEqual(e[key] ?? null, kv);
  for (const pe of patch) {
    if (!isMapValue(pe)) continue;
    const kv = pe[key];
    const idx = dest.findIndex((e, i) => !used.has(i) && sameKey(e, kv));
    if (idx >= 0) used.add(idx);
    if (pe.$patch === 'delete') continue;
    const prior = out.findIndex((e) => sameKey(e, kv));
    if (prior >= 0) {
      out[prior] = mergeMap(out[prior] as JsonMap, pe, path) ?? {};
      continue;
    }
    if (idx >= 0) {
      const merged = mergeMap(deepCopy(dest[idx]!) as JsonMap, pe, path);
      if (merged !== undefined) out.push(merged);
    } else out.push(stripDirectives(pe));
  }
  dest.forEach((e, i) => {
    if (!used.has(i)) out.push(deepCopy(e));
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

/** One JSON 6902 operation. */
export interface JsonPatchOp {
  readonly op: string;
  readonly path: string;
  readonly from?: string;
  readonly value?: Json;
}

function parsePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw new PatchError(`invalid JSON pointer '${p}'`);
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function resolveParent(doc: Json, tokens: string[], op: string, fullPath: string): { parent: JsonMap | Json[]; key: string } {
  let cur: Json = doc;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    if (Array.isArray(cur)) {
      const idx = Number(t);
      if (!/^\d+$/.test(t) || idx >= cur.length) throw new PatchError(`${op} operation does not apply: doc is missing path: "${fullPath}"`);
      cur = cur[idx]!;
    } else if (isMapValue(cur)) {
      if (!(t in cur)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${fullPath}"`);
      cur = cur[t]!;
    } else throw new PatchError(`${op} operation does not apply: doc is missing path: "${fullPath}"`);
  }
  if (!Array.isArray(cur) && !isMapValue(cur)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${fullPath}"`);
  return { parent: cur, key: tokens[tokens.length - 1]! };
}

function getAt(doc: Json, p: string, op: string): Json {
  const tokens = parsePointer(p);
  if (tokens.length === 0) return doc;
  const { parent, key } = resolveParent(doc, tokens, op, p);
  if (Array.isArray(parent)) {
    const idx = Number(key);
    if (!/^\d+$/.test(key) || idx >= parent.length) throw new PatchError(`${op} operation does not apply: doc is missing path: "${p}"`);
    return parent[idx]!;
  }
  if (!(key in parent)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${p}"`);
  return parent[key]!;
}

function addAt(doc: Json, p: string, value: Json, op: string): Json {
  const tokens = parsePointer(p);
  if (tokens.length === 0) return value;
  const { parent, key } = resolveParent(doc, tokens, op, p);
  if (Array.isArray(parent)) {
    if (key === '-') parent.push(value);
    else {
      const idx = Number(key);
      if (!/^\d+$/.test(key) || idx > parent.length) throw new PatchError(`${op} operation does not apply: doc is missing path: "${p}"`);
      parent.splice(idx, 0, value);
    }
  } else parent[key] = value;
  return doc;
}

function removeAt(doc: Json, p: string, op: string): Json {
  const tokens = parsePointer(p);
  const { parent, key } = resolveParent(doc, tokens, op, p);
  if (Array.isArray(parent)) {
    const idx = Number(key);
    if (!/^\d+$/.test(key) || idx >= parent.length) throw new PatchError(`${op} operation does not apply: doc is missing path: "${p}"`);
    parent.splice(idx, 1);
  } else {
    if (!(key in parent)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${p}"`);
    delete parent[key];
  }
  return doc;
}

/** Applies JSON 6902 operations in order (returns the new document; `doc` is copied first). */
export function applyJsonPatch(doc: JsonMap, ops: readonly JsonPatchOp[]): JsonMap {
  let cur: Json = deepCopy(doc);
  for (const o of ops) {
    switch (o.op) {
      case 'add':
        cur = addAt(cur, o.path, deepCopy(o.value ?? null), 'add');
        break;
      case 'remove':
        cur = removeAt(cur, o.path, 'remove');
        break;
      case 'replace':
        getAt(cur, o.path, 'replace');
        if (parsePointer(o.path).length === 0) cur = deepCopy(o.value ?? null);
        else {
          const { parent, key } = resolveParent(cur, parsePointer(o.path), 'replace', o.path);
          if (Array.isArray(parent)) parent[Number(key)] = deepCopy(o.value ?? null);
          else parent[key] = deepCopy(o.value ?? null);
        }
        break;
      case 'move': {
        const v = getAt(cur, o.from ?? '', 'move');
        cur = removeAt(cur, o.from ?? '', 'move');
        cur = addAt(cur, o.path, v, 'move');
        break;
      }
      case 'copy':
        cur = addAt(cur, o.path, deepCopy(getAt(cur, o.from ?? '', 'copy')), 'copy');
        break;
      case 'test':
        if (!deepEqual(getAt(cur, o.path, 'test'), o.value ?? null)) throw new PatchError(`testing value ${o.path} failed`);
        break;
      default:
        throw new PatchError(`unexpected JSON patch operation '${o.op}'`);
    }
  }
  if (!isMapValue(cur)) throw new PatchError('JSON patch must leave an object');
  return cur;
}
