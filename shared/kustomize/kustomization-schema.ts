/**
 * The Kustomization type as kustomize decodes it (Go encoding/json, strict): field names match case-insensitively,
 * unknown fields and wrongly typed values are errors worded as Go's. Validating returns a copy with canonical names.
 */
import type { Json, JsonMap } from './yaml';
import { isMapValue, setKey } from './yaml';
import type { JsonPath } from '../yaml/node-position';

/** A field type: scalar, list, map of strings/bools, a struct, or anything. */
export type FieldType =
  | 'string'
  | 'bool'
  | 'int64'
  | 'any'
  | { readonly list: FieldType }
  | { readonly map: 'string' | 'bool' }
  | { readonly struct: string; readonly fields: Readonly<Record<string, FieldType>> };

const str = 'string' as const;
const strings: FieldType = { list: str };
const stringMapT: FieldType = { map: 'string' };

const fieldSpec: FieldType = { struct: 'FieldSpec', fields: { group: str, version: str, kind: str, path: str, create: 'bool' } };
const selector: FieldType = {
  struct: 'Selector',
  fields: { group: str, version: str, kind: str, name: str, namespace: str, labelSelector: str, annotationSelector: str },
};
const generatorOptions: FieldType = {
  struct: 'GeneratorOptions',
  fields: { labels: stringMapT, annotations: stringMapT, disableNameSuffixHash: 'bool', immutable: 'bool' },
};
const generatorArgs = (name: string, extra: Record<string, FieldType> = {}): FieldType => ({
  struct: name,
  fields: {
    namespace: str, name: str, behavior: str, literals: strings, files: strings, envs: strings, env: str,
    options: generatorOptions, ...extra,
  },
});
const image: FieldType = { struct: 'Image', fields: { name: str, newName: str, tagSuffix: str, newTag: str, digest: str } };
const patch: FieldType = { struct: 'Patch', fields: { path: str, patch: str, target: selector, options: { map: 'bool' } } };

/** kustomize's Kustomization (v5.5) as Go's encoding/json sees it. */
export const KUSTOMIZATION_TYPE: FieldType = {
  struct: 'Kustomization',
  fields: {
    apiVersion: str,
    kind: str,
    metadata: 'any',
    openapi: stringMapT,
    namePrefix: str,
    nameSuffix: str,
    namespace: str,
    commonLabels: stringMapT,
    labels: { list: { struct: 'Label', fields: { pairs: stringMapT, includeSelectors: 'bool', includeTemplates: 'bool', fields: { list: fieldSpec } } } },
    commonAnnotations: stringMapT,
    patchesStrategicMerge: strings,
    patchesJson6902: { list: patch },
    patches: { list: patch },
    images: { list: image },
    imageTags: { list: image },
    replacements: { list: { struct: 'ReplacementField', fields: { path: str, source: 'any', targets: 'any' } } },
    replicas: { list: { struct: 'Replica', fields: { name: str, count: 'int64' } } },
    vars: {
      list: {
        struct: 'Var',
        fields: {
          name: str,
          objref: { struct: 'Target', fields: { group: str, version: str, kind: str, name: str, namespace: str, apiVersion: str } },
          fieldref: { struct: 'FieldSelector', fields: { fieldPath: str } },
        },
      },
    },
    sortOptions: {
      struct: 'SortOptions',
      fields: { order: str, legacySortOptions: { struct: 'LegacySortOptions', fields: { orderFirst: strings, orderLast: strings } } },
    },
    resources: strings,
    components: strings,
    crds: strings,
    bases: strings,
    configMapGenerator: { list: generatorArgs('ConfigMapArgs') },
    secretGenerator: { list: generatorArgs('SecretArgs', { type: str }) },
    helmGlobals: 'any',
    helmCharts: { list: 'any' },
    helmChartInflationGenerator: { list: 'any' },
    generatorOptions,
    configurations: strings,
    generators: strings,
    transformers: strings,
    validators: strings,
    buildMetadata: strings,
  },
};

/** A decoding error, worded as Go's encoding/json, with where in the document it is (the offending key or value). */
export class DecodeError extends Error {
  constructor(
    message: string,
    /** The path of the offending node, with keys as written. */
    readonly at: JsonPath,
    /** Whether the key (an unknown field) or the value (a wrong type) is at fault. */
    readonly part: 'key' | 'value',
  ) {
    super(message);
  }
}

function jsonType(v: Json): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function goType(t: FieldType): string {
  if (typeof t === 'string') return t === 'any' ? 'interface {}' : t;
  if ('list' in t) return `[]${goType(t.list)}`;
  if ('map' in t) return `map[string]${t.map}`;
  return `types.${t.struct}`;
}

// Each struct's field names by their lower case (Go's case-insensitive match), made once per struct type.
const LOWER_NAMES = new WeakMap<object, ReadonlyMap<string, string>>();
function lowerNames(fields: object): ReadonlyMap<string, string> {
  let m = LOWER_NAMES.get(fields);
  if (!m) LOWER_NAMES.set(fields, (m = new Map(Object.keys(fields).map((f) => [f.toLowerCase(), f]))));
  return m;
}

/** Checks `v` against `t` and returns it with canonical field names (Go: exact names win over case-insensitive ones). */
export function decode(v: Json, t: FieldType, structName: string, path: readonly string[], at: JsonPath = []): Json {
  if (v === null) return null;
  const mismatch = (): never => {
    throw new DecodeError(`json: cannot unmarshal ${jsonType(v)} into Go struct field ${structName}.${path.join('.')} of type ${goType(t)}`, at, 'value');
  };
  if (t === 'any') return v;
  if (t === 'string') return typeof v === 'string' ? v : mismatch();
  if (t === 'bool') return typeof v === 'boolean' ? v : mismatch();
  if (t === 'int64') {
    if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return v;
    return mismatch();
  }
  if ('list' in t) {
    if (!Array.isArray(v)) return mismatch();
    return v.map((x, i) => decode(x, t.list, structName, path, [...at, i]));
  }
  if ('map' in t) {
    if (!isMapValue(v)) return mismatch();
    const out: JsonMap = {};
    for (const [k, x] of Object.entries(v)) setKey(out, k, decode(x, t.map, structName, path, [...at, k]));
    return out;
  }
  if (!isMapValue(v)) return mismatch();
  const fields = t.fields;
  const byLower = lowerNames(fields);
  const out: JsonMap = {};
  const exact = new Set<string>();
  for (const [k, x] of Object.entries(v)) {
    const canonical = byLower.get(k.toLowerCase());
    if (!canonical) throw new DecodeError(`json: unknown field "${k}"`, [...at, k], 'key');
    const isExact = canonical === k;
    if (!isExact && exact.has(canonical)) continue;
    if (isExact) exact.add(canonical);
    const decoded = decode(x, fields[canonical]!, t.struct, [...path, canonical], [...at, k]);
    if (decoded !== null || !(canonical in out)) setKey(out, canonical, decoded);
  }
  return out;
}
