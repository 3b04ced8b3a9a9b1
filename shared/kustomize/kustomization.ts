/** Reading a kustomization file as kustomize does: case-insensitive field names, last duplicate key wins, legacy fields folded in. */
import type { Json, JsonMap } from './yaml';
import { isMapValue, readYaml } from './yaml';
import { decode, DecodeError, KUSTOMIZATION_TYPE } from './kustomization-schema';
import type { JsonPath } from '../yaml/node-position';
import { deepCopy } from './resource';

/** The file names kustomize recognises, in its order. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

const FIELDS = [
  'apiVersion', 'kind', 'metadata', 'openapi', 'namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels',
  'commonAnnotations', 'patchesStrategicMerge', 'patchesJson6902', 'patches', 'images', 'imageTags', 'replacements',
  'replicas', 'vars', 'sortOptions', 'resources', 'components', 'crds', 'bases', 'configMapGenerator', 'secretGenerator',
  'helmGlobals', 'helmCharts', 'helmChartInflationGenerator', 'generatorOptions', 'configurations', 'generators',
  'transformers', 'validators', 'buildMetadata',
] as const;

/** A field of a kustomization. */
export type KustomizationField = (typeof FIELDS)[number];

const BY_LOWER = new Map<string, KustomizationField>(FIELDS.map((f) => [f.toLowerCase(), f]));

/** A kustomization with its fields under their canonical names. */
export interface Kustomization {
  readonly fields: Partial<Record<KustomizationField, Json>>;
  readonly kind: string;
  readonly apiVersion: string;
  /** Where an entry of a field is written: the list item equal to `value` (or the field's key), else nothing known. */
  readonly where: (field: KustomizationField, value?: string) => { line: number; column: number } | undefined;
  /**
   * Where a node under a field is written: `below` is the path inside the field as decoded (list indexes, canonical
   * field names, matched case-insensitively as kustomize does), `part` its key or its value. Undefined when the field
   * is absent; the deepest existing part of a longer path otherwise. Not for fields folded from legacy ones (use where).
   */
  readonly nodeAt: (field: KustomizationField, below?: JsonPath, part?: 'key' | 'value') => { line: number; column: number } | undefined;
}

/** Why a kustomization could not be read. */
export interface KustomizationError {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

// Parsed kustomizations by path, reused while the text is unchanged: sibling overlays build the same base, and
// `render --all` builds it once per overlay. Each caller gets its own copy of the fields. Bounded by the text it
// holds: an entry keeps its YAML document for positions (~20× the text), and sibling overlays are built together, so
// a few dozen entries serve them (thousands held ~60 MB at 1,000 apps and gained nothing; with 512 KiB of text it held
// 4.4 MB on the synthetic fleet at 30,000 Applications, with no hit at 3,000: each overlay and base is read once).
const PARSED = new Map<string, { readonly text: string; readonly result: { k?: Kustomization; error?: KustomizationError } }>();
const PARSED_BYTES = 64 * 1024;
let parsedBytes = 0;

/** Parses kustomization text; returns the kustomization or an error. */
export function parseKustomization(text: string, file: string): { k?: Kustomization; error?: KustomizationError } {
  let hit = PARSED.get(file);
  if (!hit || hit.text !== text) {
    const old = PARSED.get(file);
    if (old) {
      PARSED.delete(file);
      parsedBytes -= old.text.length;
    }
    hit = { text, result: parseKustomizationText(text, file) };
    for (const [key, entry] of PARSED) {
      if (parsedBytes + text.length <= PARSED_BYTES) break;
      PARSED.delete(key);
      parsedBytes -= entry.text.length;
    }
    PARSED.set(file, hit);
    parsedBytes += text.length;
  }
  const { k, error } = hit.result;
  return k ? { k: { ...k, fields: deepCopy(k.fields as Json) as Kustomization['fields'] } } : { ...(error ? { error } : {}) };
}

function parseKustomizationText(text: string, file: string): { k?: Kustomization; error?: KustomizationError } {
  const { docs, problems } = readYaml(text, file, { duplicateKeys: 'lastWins', schema: 'yaml11', positions: true });
  const p = problems[0];
  if (p) return { error: { message: p.message, ...(p.line !== undefined ? { line: p.line } : {}), ...(p.column !== undefined ? { column: p.column } : {}) } };
  if (docs.length > 1) return { error: { message: 'a kustomization file must hold one YAML document' } };
  const doc = docs[0]?.value ?? {};
  const at = docs[0]?.at;
  const pos = (p: JsonPath, part: 'key' | 'value'): { line: number; column: number } | undefined => (at ? at(p, part) : undefined);
  if (!isMapValue(doc)) return { error: { message: 'a kustomization must be a YAML mapping' } };
  return fromDocument(doc, pos);
}

/**
 * A kustomization from fields already in memory (one generated from a file, as Flux's generator does): checked as the
 * same fields written to a file and read back would be, without printing and parsing them. Fields other than
 * `changed` must be as parseKustomization decoded them (decoding them again gives them back); the `changed` ones are
 * decoded. Positions are those of `writtenAs` (the file the fields came from), else unknown.
 */
export function kustomizationFromFields(doc: JsonMap, changed: readonly KustomizationField[], writtenAs?: Kustomization): { k?: Kustomization; error?: KustomizationError } {
  const r = fromDocument(doc, () => undefined, changed);
  return r.k && writtenAs ? { k: { ...r.k, where: writtenAs.where, nodeAt: writtenAs.nodeAt } } : r;
}

function fromDocument(doc: JsonMap, pos: (p: JsonPath, part: 'key' | 'value') => { line: number; column: number } | undefined, only?: readonly KustomizationField[]): { k?: Kustomization; error?: KustomizationError } {
  let decoded: Json;
  try {
    if (only === undefined) decoded = decode(doc, KUSTOMIZATION_TYPE, 'Kustomization', []);
    else {
      const part = Object.fromEntries(only.filter((f) => doc[f] !== undefined).map((f) => [f, doc[f]!]));
      decoded = { ...doc, ...(decode(part, KUSTOMIZATION_TYPE, 'Kustomization', []) as JsonMap) };
    }
  } catch (e) {
    if (e instanceof DecodeError) return { error: { message: `invalid Kustomization: ${e.message}`, ...pos(e.at, e.part) } };
    throw e;
  }
  const fields: Partial<Record<KustomizationField, Json>> = {};
  for (const [key, value] of Object.entries(decoded as JsonMap)) {
    if (BY_LOWER.has(key.toLowerCase())) fields[key as KustomizationField] = value;
  }
  const kind = typeof fields.kind === 'string' && fields.kind !== '' ? fields.kind : 'Kustomization';
  const apiVersion = typeof fields.apiVersion === 'string' ? fields.apiVersion : '';
  const keyOf = (field: KustomizationField): string | undefined => Object.keys(doc).find((key) => key === field) ?? Object.keys(doc).find((key) => key.toLowerCase() === field.toLowerCase());
  const fieldPos = (field: KustomizationField): { line: number; column: number } | undefined => {
    const key = keyOf(field);
    return key === undefined ? undefined : pos([key], 'value');
  };
  if (kind !== 'Kustomization' && kind !== 'Component') return { error: { message: `kind '${kind}' is not Kustomization or Component`, ...fieldPos('kind') } };
  if (kind === 'Component' && apiVersion !== '' && apiVersion !== 'kustomize.config.k8s.io/v1alpha1') {
    return { error: { message: `apiVersion for Component should be kustomize.config.k8s.io/v1alpha1`, ...fieldPos('apiVersion') } };
  }
  const where = (field: KustomizationField, value?: string): { line: number; column: number } | undefined => {
    // Legacy fields were folded into their successors: look where the entry is written.
    const sources: KustomizationField[] = field === 'resources' ? ['resources', 'bases'] : field === 'images' ? ['images', 'imageTags'] : [field];
    for (const f of sources) {
      const key = keyOf(f);
      if (key === undefined) continue;
      if (value === undefined) return pos([key], 'key');
      const list = doc[key];
      if (!Array.isArray(list)) continue;
      const i = list.findIndex((x) => x === value || (isMapValue(x) && Object.values(x).includes(value)));
      if (i >= 0) return pos([key, i], 'value');
    }
    return undefined;
  };
  const nodeAt = (field: KustomizationField, below: JsonPath = [], part: 'key' | 'value' = 'value'): { line: number; column: number } | undefined => {
    const key = keyOf(field);
    if (key === undefined) return undefined;
    // The path as written: each canonical field name mapped to the key that spells it in the file.
    const raw: (string | number)[] = [key];
    let node: Json | undefined = doc[key];
    for (const step of below) {
      if (typeof step === 'number') {
        raw.push(step);
        node = Array.isArray(node) ? node[step] : undefined;
        continue;
      }
      const written = isMapValue(node) ? (Object.keys(node).find((k) => k === step) ?? Object.keys(node).find((k) => k.toLowerCase() === step.toLowerCase())) : undefined;
      raw.push(written ?? step);
      node = isMapValue(node) && written !== undefined ? node[written] : undefined;
    }
    return pos(raw, part);
  };
  // FixKustomization: legacy fields.
  if (Array.isArray(fields.bases)) fields.resources = [...(Array.isArray(fields.resources) ? fields.resources : []), ...fields.bases];
  if (Array.isArray(fields.imageTags)) fields.images = [...(Array.isArray(fields.images) ? fields.images : []), ...fields.imageTags];
  if (fields.helmChartInflationGenerator !== undefined && fields.helmCharts === undefined) fields.helmCharts = fields.helmChartInflationGenerator;
  const meaningful = Object.keys(fields).filter((f) => f !== 'apiVersion' && f !== 'kind' && fields[f as KustomizationField] !== null);
  if (meaningful.length === 0) return { error: { message: 'kustomization.yaml is empty' } };
  return { k: { fields, kind, apiVersion, where, nodeAt } };
}

/** A field as a list of strings (non-strings dropped). */
export function stringList(v: Json | undefined): string[] {
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is string => typeof x === 'string');
}

/** A field as a string map (values stringified as kustomize's map[string]string does). */
export function stringMap(v: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isMapValue(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    if (x === null) out[k] = '';
    else if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean') out[k] = String(x);
  }
  return out;
}

/** A field as a list of maps. */
export function mapList(v: Json | undefined): JsonMap[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isMapValue);
}
