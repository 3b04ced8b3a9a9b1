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
const PRIMITIVE_MERGE = new Set(['finalizers']);

/** Thrown for a patch that cannot apply; the caller turns it into a Problem. */
export class PatchError extends Error {}

/** Whether a strategic merge patch deletes its target (`$patch: delete` at the top). */
export function isDeletePatch(patch: JsonMap): boolean {
  return patch.$patch === 'delete';
}

/** How a list field merges: by a key, as a set of scalars, or replaced. */
export type ListStrategy = { readonly mergeKey: string } | 'primitive' | 'replace';

/** Decides how the list at a path (map keys from the object root) merges. */
export type ListStrategyFn = (path: readonly string[], dest: readonly Json[], patch: readonly Json[]) => ListStrategy;

// Built-in Kubernetes kinds: their list fields merge by the Kubernetes patch merge keys.
const BUILTIN_KINDS = new Set([
  'Pod', 'PodTemplate', 'ReplicationController', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob',
  'Service', 'Endpoints', 'EndpointSlice', 'ConfigMap', 'Secret', 'ServiceAccount', 'Namespace', 'Node', 'PersistentVolume',
  'PersistentVolumeClaim', 'StorageClass', 'ResourceQuota', 'LimitRange', 'Ingress', 'IngressClass', 'NetworkPolicy',
  'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService',
  'PriorityClass', 'RuntimeClass', 'Lease', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'PodSecurityPolicy', 'Event',
]);

/** The list strategy of built-in kinds (unknown kinds replace their lists, as kustomize does without a schema). */
export function builtinListStrategy(kind: string): ListStrategyFn {
  if (!BUILTIN_KINDS.has(kind)) return () => 'replace';
  return (path, dest, patch) => {
    const field = path[path.length - 1] ?? '';
    if (PRIMITIVE_MERGE.has(field)) return 'primitive';
    if (field === 'ports') {
      // Container ports merge on containerPort, Service ports on port.
      const sample = [...dest, ...patch].find(isMapValue);
      if (sample && 'containerPort' in sample) return { mergeKey: 'containerPort' };
      if (kind === 'Service' || (sample && 'port' in sample)) return { mergeKey: 'port' };
      return { mergeKey: 'containerPort' };
    }
    const known = MERGE_KEYS[field];
    return known ? { mergeKey: known } : associativeKey(dest, patch);
  };
}

const ASSOCIATIVE_KEYS = ['mountPath', 'devicePath', 'ip', 'type', 'topologyKey', 'name', 'containerPort'];

/**
 * kyaml's fallback for a list of a known kind whose schema names no merge key: when every element has one of the
 * usual key fields, the list merges on it; otherwise it is replaced.
 */
export function associativeKey(dest: readonly Json[], patch: readonly Json[]): ListStrategy {
  const all = [...dest, ...patch];
  if (all.length === 0 || !all.every(isMapValue)) return 'replace';
  for (const k of ASSOCIATIVE_KEYS) {
    if (all.every((e) => isMapValue(e) && (k in e || e.$patch !== undefined))) return { mergeKey: k };
  }
  return 'replace';
}

/** Applies a strategic merge patch to `target` (returns the merged object; `target` is not modified). */
export function strategicMerge(target: JsonMap, patch: JsonMap, lists: ListStrategyFn = builtinListStrategy(typeof target.kind === 'string' ? target.kind : '')): JsonMap {
  return mergeMap(deepCopy(target) as JsonMap, patch, [], lists) ?? {};
}

function mergeMap(dest: JsonMap, patch: JsonMap, path: string[], lists: ListStrategyFn): JsonMap | undefined {
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
        const merged = mergeMap(dv, pv, [...path, key], lists);
        if (merged === undefined) delete dest[key];
        else dest[key] = merged;
      } else {
        const merged = mergeMap({}, pv, [...path, key], lists);
        if (merged !== undefined) dest[key] = merged;
      }
      continue;
    }
    if (Array.isArray(pv)) {
      dest[key] = mergeList(Array.isArray(dv) ? dv : [], pv, [...path, key], Array.isArray(dv), lists);
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

function mergeList(dest: Json[], patch: Json[], path: string[], destExists: boolean, lists: ListStrategyFn): Json[] {
  const replaceDirective = patch.find((e) => isMapValue(e) && e.$patch === 'replace' && Object.keys(e).length === 1);
  if (replaceDirective) return patch.filter((e) => e !== replaceDirective).map(stripDirectives);
  if (!destExists) return patch.filter((e) => !(isMapValue(e) && e.$patch === 'delete')).map(stripDirectives);
  const strategy = lists(path, dest, patch);
  if (strategy === 'primitive' && patch.every((e) => !isMapValue(e) && !Array.isArray(e))) {
    const out = [...dest];
    for (const e of patch) if (!out.some((x) => deepEqual(x, e))) out.push(e);
    return out;
  }
  if (strategy === 'replace' || strategy === 'primitive') return patch.map(stripDirectives);
  const key = strategy.mergeKey;
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
      out[prior] = mergeMap(out[prior] as JsonMap, pe, path, lists) ?? {};
      continue;
    }
    if (idx >= 0) {
      const merged = mergeMap(deepCopy(dest[idx]!) as JsonMap, pe, path, lists);
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
