import type { JsonMap } from '../kustomize/yaml';
import { emitYaml, isMapValue, readYaml } from '../kustomize/yaml';
import { parseApiVersion } from '../kustomize/resource';
import { decodeBase64 } from '../appset/cluster-secrets';
import { envsubst, EnvsubstError } from './envsubst';
import type { FluxKustomizationSpec, FluxObjectStore } from './types';

// kustomize-controller's post-build substitution (fluxcd/pkg/kustomize `SubstituteVariables`), per object: skipped for
// objects labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled`; variables from `substituteFrom`
// (in order, later ones win; only in the Kustomization's namespace; optional ones may be absent), then `substitute`
// (wins over all), newlines removed from every value; names must match `^[_[:alpha:]][_[:alpha:][:digit:]]*$`. The
// object is printed as kustomize prints it, substituted as text, and read back as sigs.k8s.io/yaml reads it (YAML 1.1),
// so types follow the substituted text: `"${n}"` with n=3 becomes the number 3.

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

/** Whether a `$` appears in any key or string of a value (what envsubst could act on). */
function hasDollar(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('$');
  if (Array.isArray(v)) return v.some(hasDollar);
  if (isMapValue(v)) return Object.entries(v).some(([k, x]) => k.includes('$') || hasDollar(x));
  return false;
}

/**
 * Substitutes one built object as kustomize-controller does; returns it unchanged when it opted out or there is
 * nothing to substitute, the new object, or the error (in Flux's words, without the "post build failed" prefix).
 */
export function substituteObject(obj: JsonMap, spec: FluxKustomizationSpec, namespace: string, store: FluxObjectStore): { obj: JsonMap } | { error: string } {
  if (optedOut(obj)) return { obj };
  const loaded = loadVariables(spec, namespace, store);
  if ('error' in loaded) return loaded;
  const { vars } = loaded;
  if (vars.size === 0 && !spec.postBuild?.always) return { obj };
  for (const k of vars.keys()) if (!VAR_NAME.test(k)) return { error: `envsubst error: '${k}' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'` };
  // No `$` anywhere: envsubst leaves the text as it is, and kustomize-controller's re-read of what kyaml wrote gives the
  // object back (the emitter quotes every string YAML 1.1 would read as another type), so the round trip is skipped.
  if (!hasDollar(obj)) return { obj };
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
  return { obj: value };
}
