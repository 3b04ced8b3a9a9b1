import type { Json, JsonMap } from '../kustomize/yaml';
import { emitYaml, isMapValue, readYaml, setKey } from '../kustomize/yaml';
import { parseApiVersion } from '../kustomize/resource';
import { decodeBase64 } from '../appset/cluster-secrets';
import { envsubst, EnvsubstError } from './envsubst';
import type { FluxKustomizationSpec, FluxObjectStore } from './types';

// kustomize-controller's post-build substitution (fluxcd/pkg/kustomize `SubstituteVariables`), per object: skipped for
// objects labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled`; variables from `substituteFrom`
// (in order, later ones win; only in the Kustomization's namespace; optional ones may be absent), then `substitute`
// (wins over all), newlines removed from every value; names must match `^[_[:alpha:]][_[:alpha:][:digit:]]*$`.
//
// Types after substitution (fluxcd/pkg kustomize/kustomize_varsub.go, pkg/kustomize v1.41.0 with sigs.k8s.io/yaml
// v1.6.0 over go.yaml.in/yaml/v2 v2.4.x, kustomize/kyaml v0.21.1): the object is printed by `res.AsYAML()` (through
// JSON, so quotes in the source are gone: `"${n}"` is printed `${n}`), substituted as text, read by
// `yaml.YAMLToJSON` — YAML 1.1 as yaml.v2 resolves plain scalars (`yes`/`on`/`y` booleans, `017` and `0o17` octal,
// `0x1F`, `1_000`, `1e3` floats, `~` null, timestamps and sexagesimal `1:20` kept as text), keys made JSON keys
// (`convertToJSONableObject`), then `json.Marshal`, which fails on `.inf`/`.nan` — and read back by
// `res.UnmarshalJSON` (encoding/json into interface{}: every number a float64, so integers beyond 2^53 round). The
// yaml.v2 reading is `readYaml(…, { schema: 'yaml11' })`; the JSON step is `jsonRoundTrip` below. The table in
// test/shared/flux/substitute-types.test.ts was produced by scripts/flux-types-probe (those libraries, run).

/** The label/annotation that opts an object out of substitution. */
export const SUBSTITUTE_KEY = 'kustomize.toolkit.fluxcd.io/substitute';

const VAR_NAME = /^[_A-Za-z][_A-Za-z0-9]*$/;

/** kustomize's GVK string for error messages: `ConfigMap.v1.[noGrp]`. */
export function gvkString(obj: JsonMap): string {
  const { group, version } = parseApiVersion(typeof obj['apiVersion'] === 'string' ? obj['apiVersion'] : '');
  return `${String(obj['kind'] ?? '')}.${version}.${group === '' ? '[noGrp]' : group}`;
}

function stringMapOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMapValue(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}


/** The text values of a ConfigMap's `data` or a Secret's `data` (base64-decoded) and `stringData`; an error for bad base64. */
export function dataOf(obj: JsonMap): { values: Record<string, string> } | { error: string } {
  const values: Record<string, string> = {};
  if (obj['kind'] === 'Secret') {
    for (const [k, v] of Object.entries(stringMapOf(obj['data']))) {
      const t = decodeBase64(v);
      if (t === undefined) return { error: `Secret data key '${k}' is not valid base64` };
      values[k] = t;
    }
    Object.assign(values, stringMapOf(obj['stringData']));
  } else Object.assign(values, stringMapOf(obj['data']));
  return { values };
}

/** The variables of a Kustomization's `postBuild`, or the error Flux stops on (missing non-optional source). */
export function loadVariables(spec: FluxKustomizationSpec, namespace: string, store: FluxObjectStore): { vars: Map<string, string> } | { error: string } {
  const vars = new Map<string, string>();
  for (const ref of spec.postBuild?.substituteFrom ?? []) {
    const obj = store.get(ref.kind, namespace, ref.name);
    if (!obj) {
      if (ref.optional) continue;
      return { error: `substitute from '${ref.kind}/${ref.name}' error: ${ref.kind === 'ConfigMap' ? 'configmaps' : 'secrets'} "${ref.name}" not found` };
    }
    const data = dataOf(obj as JsonMap);
    if ('error' in data) return { error: `substitute from '${ref.kind}/${ref.name}' error: ${data.error}` };
    for (const [k, v] of Object.entries(data.values)) vars.set(k, v.replaceAll('\n', ''));
  }
  for (const [k, v] of Object.entries(spec.postBuild?.substitute ?? {})) vars.set(k, v.replaceAll('\n', ''));
  return { vars };
}

/** Whether an object opted out of substitution. */
function optedOut(obj: JsonMap): boolean {
  const m = isMapValue(obj['metadata']) ? obj['metadata'] : {};
  return stringMapOf(m['labels'])[SUBSTITUTE_KEY] === 'disabled' || stringMapOf(m['annotations'])[SUBSTITUTE_KEY] === 'disabled';
}

const DOLLAR = 1;
const NOT_JSON = 2;

/**
 * What substitution has to do with a value, in one walk: DOLLAR when a `$` appears in a key or string (envsubst could
 * act on it; the walk stops there), NOT_JSON when a number is one Go's JSON step changes (a bigint, -0, Inf, NaN).
 */
function scan(v: Json): number {
  if (typeof v === 'string') return v.includes('$') ? DOLLAR : 0;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? 0 : NOT_JSON;
  if (typeof v === 'bigint') return NOT_JSON;
  let found = 0;
  if (Array.isArray(v)) {
    for (const x of v) if ((found |= scan(x)) & DOLLAR) return found;
  } else if (isMapValue(v)) {
    for (const k in v) if (k.includes('$') || (found |= scan(v[k]!)) & DOLLAR) return found | DOLLAR;
  }
  return found;
}

/**
 * Substitutes one built object as kustomize-controller does; returns it unchanged when it opted out or there is
 * nothing to substitute, the new object, or the error (in Flux's words, without the "post build failed" prefix).
 */
export function substituteObject(
  obj: JsonMap,
  spec: FluxKustomizationSpec,
  namespace: string,
  store: FluxObjectStore,
  /** The variables, when the caller loads them once for all the objects of a build (`loadVariables`). */
  variables?: () => ReturnType<typeof loadVariables>,
): { obj: JsonMap } | { error: string } {
  if (optedOut(obj)) return { obj };
  const loaded = variables ? variables() : loadVariables(spec, namespace, store);
  if ('error' in loaded) return loaded;
  const { vars } = loaded;
  if (vars.size === 0 && !spec.postBuild?.always) return { obj };
  for (const k of vars.keys()) if (!VAR_NAME.test(k)) return { error: `envsubst error: '${k}' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'` };
  // No `$` anywhere: envsubst leaves the text as it is, and kustomize-controller's re-read of what kyaml wrote gives the
  // object back (the emitter quotes every string YAML 1.1 would read as another type) but for the JSON step, so only
  // that step is taken.
  const found = scan(obj);
  if (!(found & DOLLAR)) {
    if (!(found & NOT_JSON)) return { obj };
    const json = jsonRoundTrip(obj);
    return 'error' in json ? { error: `envsubst error: YAMLToJSON: ${json.error}` } : { obj: json.value as JsonMap };
  }
  let text: string;
  try {
    text = envsubst(emitYaml(obj), (name) => vars.get(name) ?? '');
  } catch (e) {
    if (e instanceof EnvsubstError) return { error: `envsubst error: variable substitution failed: ${e.message}` };
    throw e;
  }
  const { docs, problems } = readYaml(text, '', { duplicateKeys: 'lastWins', schema: 'yaml11' });
  if (problems.length > 0) return { error: `envsubst error: YAMLToJSON: ${problems[0]!.message}${problems[0]!.line ? ` (line ${problems[0]!.line} of the substituted object)` : ''}` };
  const value = docs.length === 1 ? docs[0]!.value : undefined;
  if (!isMapValue(value)) return { error: 'UnmarshalJSON: the substituted object is no longer a single YAML mapping' };
  const json = jsonRoundTrip(value);
  if ('error' in json) return { error: `envsubst error: YAMLToJSON: ${json.error}` };
  return { obj: json.value as JsonMap };
}

/**
 * A value after Go's `json.Marshal` then `json.Unmarshal` into interface{}: numbers become float64 (a bigint rounds,
 * -0 is 0); an infinite or NaN number is the error json.Marshal gives (`json: unsupported value: +Inf`). Parts without
 * such numbers are returned as they are (no copy).
 */
export function jsonRoundTrip(v: Json): { value: Json } | { error: string } {
  try {
    return { value: roundTrip(v) };
  } catch (e) {
    if (e instanceof UnsupportedValue) return { error: e.message };
    throw e;
  }
}

class UnsupportedValue extends Error {}

function roundTrip(v: Json): Json {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new UnsupportedValue(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
    return Object.is(v, -0) ? 0 : v;
  }
  if (Array.isArray(v)) {
    let out: Json[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = roundTrip(v[i]!);
      if (!Object.is(x, v[i])) (out ??= v.slice())[i] = x;
    }
    return out ?? v;
  }
  if (isMapValue(v)) {
    let out: JsonMap | undefined;
    for (const [k, x] of Object.entries(v)) {
      const y = roundTrip(x);
      if (!Object.is(y, x)) setKey((out ??= { ...v }), k, y);
    }
    return out ?? v;
  }
  return v;
}
