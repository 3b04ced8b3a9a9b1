import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import { problem } from '../problem';
import type { Json } from '../kustomize/yaml';
import { emitYaml, isMapValue, readYaml } from '../kustomize/yaml';

// Reading manifest files as Argo CD's repo-server reads them (`getObjsFromYAMLOrJSON`, `splitYAMLOrJSON`) and
// flattening lists as `GenerateManifests` does for every source type.

/** The objects of a file, or the error that makes Argo CD refuse the whole source. */
export type ManifestRead = { readonly objects: readonly KubeObject[] } | { readonly error: Problem };

/** The text of a manifest file as Argo CD's `utfutil` reads it: UTF-16 with a byte-order mark decoded, a UTF-8 BOM dropped. */
export function decodeManifestBytes(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder().decode(bytes.subarray(3));
  return new TextDecoder().decode(bytes);
}

/**
 * The objects of a YAML stream (documents read as sigs.k8s.io/yaml reads them; empty documents dropped). Each document
 * must be a mapping with a `kind`. A stream that fails after some objects is an error; one that fails before any is
 * ignored — unless it looks like a manifest (`apiVersion:`, `kind:` and `metadata:` all appear), then it is an error.
 */
export function readYamlManifests(text: string, file: string, name: string): ManifestRead {
  const { docs, problems } = readYaml(text, file, { duplicateKeys: 'lastWins', schema: 'yaml11' });
  const firstError = problems[0];
  const objects: KubeObject[] = [];
  let failure: Problem | undefined;
  for (const d of docs) {
    if (firstError?.line !== undefined && d.line > firstError.line) break;
    const why = kindError(d.value);
    if (why) {
      failure = problem(`Failed to unmarshal "${name}": ${why}`, { file, line: d.line });
      break;
    }
    objects.push(toObject(d.value));
  }
  if (!failure && firstError) failure = { ...firstError, message: `Failed to unmarshal "${name}": ${firstError.message}` };
  if (!failure) return { objects };
  if (objects.length > 0) return { error: failure };
  if (text.includes('apiVersion:') && text.includes('kind:') && text.includes('metadata:')) return { error: failure };
  return { objects: [] };
}

/** The one object of a `.json` manifest file; anything after it is an error ("Only single objects are allowed in JSON files"). */
export function readJsonManifest(text: string, file: string, name: string): ManifestRead {
  const start = text.search(/\S/);
  if (start < 0) return { error: problem(`Failed to unmarshal "${name}": EOF`, { file }) };
  const end = jsonValueEnd(text, start);
  if (end === undefined) return { error: problem(`Failed to unmarshal "${name}": unexpected EOF`, { file }) };
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end));
  } catch (e) {
    return { error: problem(`Failed to unmarshal "${name}": ${e instanceof Error ? e.message : String(e)}`, { file, ...lineOf(text, start) }) };
  }
  if (!isMapValue(value)) return { error: problem(`Failed to unmarshal "${name}": a JSON manifest must be an object`, { file, ...lineOf(text, start) }) };
  if (/\S/.test(text.slice(end))) return { error: problem(`Found multiple objects in "${name}". Only single objects are allowed in JSON files.`, { file, ...lineOf(text, end + text.slice(end).search(/\S/)) }) };
  return { objects: [value as KubeObject] };
}

/** The objects Jsonnet evaluated to: an array of objects, or one object (each with a `kind`). */
export function readJsonnetOutput(json: string, file: string, name: string): ManifestRead {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    return { error: problem(`Failed to unmarshal generated json "${name}": ${e instanceof Error ? e.message : String(e)}`, { file }) };
  }
  if (Array.isArray(value) && value.every((v) => v === null || !kindError(v as Json))) return { objects: value.filter((v) => v !== null) as KubeObject[] };
  const why = kindError(value as Json);
  if (why) return { error: problem(`Failed to unmarshal generated json "${name}": ${why}`, { file }) };
  return { objects: [value as KubeObject] };
}

/**
 * Flattens lists as `GenerateManifests` does for every source: an object whose `items` is an array becomes its items
 * (each must be an object); a list whose `items` is null (and which has no `spec` or `status`) contributes nothing.
 */
export function flattenLists(objects: readonly KubeObject[]): { readonly objects: readonly KubeObject[]; readonly error?: string } {
  const out: KubeObject[] = [];
  for (const o of objects) {
    const rec = o as Record<string, unknown>;
    const items = rec['items'];
    if (Array.isArray(items)) {
      for (const [i, item] of items.entries()) {
        if (!isMapValue(item)) return { objects: out, error: `${String(rec['kind'])} item ${i} is not an object` };
        out.push(item as KubeObject);
      }
    } else if ('items' in rec && items === null && !('spec' in rec) && !('status' in rec)) {
      continue;
    } else out.push(o);
  }
  return { objects: out };
}

/** Why a decoded document is not an object Kubernetes' unstructured decoder accepts (a mapping with a kind), or undefined. */
function kindError(v: Json): string | undefined {
  if (!isMapValue(v)) return `cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into an object`;
  if (typeof v['kind'] !== 'string' || v['kind'] === '') return `Object 'Kind' is missing in '${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x))}'`;
  return undefined;
}

/** A decoded document as a plain JSON object (integers beyond 2^53 become numbers, as JSON prints them). */
function toObject(v: Json): KubeObject {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x))) as KubeObject;
}

/** Where the first JSON value starting at `start` ends (exclusive), or undefined when the text ends inside it. */
function jsonValueEnd(text: string, start: number): number | undefined {
  const open = text[start];
  if (open !== '{' && open !== '[') {
    if (open === '"') return stringEnd(text, start);
    const m = /^[^\s{}[\],]+/.exec(text.slice(start));
    return start + (m ? m[0].length : 1);
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const e = stringEnd(text, i);
      if (e === undefined) return undefined;
      i = e - 1;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

function stringEnd(text: string, start: number): number | undefined {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return undefined;
}

function lineOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** The objects as one YAML stream (kustomize's printer; an object it cannot print is shown as JSON). */
export function printObjects(objects: readonly KubeObject[]): string {
  return objects
    .map((o) => {
      try {
        return emitYaml(o as Json);
      } catch {
        return `${JSON.stringify(o)}\n`;
      }
    })
    .join('---\n');
}
