import { parseAllDocuments } from 'yaml';
import { cloneJson, isPlainObject } from './go-values';
import { YAML_TO_JS, yamlLimitMessage, yamlSizeError } from '../yaml/limits';

/** Parses a rendered templatePatch (YAML or JSON) into a map; throws with the parser's message. */
export function parsePatch(text: string): Record<string, unknown> {
  const tooBig = yamlSizeError(text);
  if (tooBig) throw new Error(`error converting templatePatch YAML to JSON: ${tooBig}`);
  const docs = parseAllDocuments(text, { version: '1.1', merge: true });
  const doc = Array.isArray(docs) ? docs[0] : docs;
  if (!doc) return {};
  const err = doc.errors[0];
  if (err) throw new Error(`error converting templatePatch YAML to JSON: ${err.message.split('\n')[0]}`);
  let v: unknown;
  try {
    v = doc.toJS(YAML_TO_JS);
  } catch (e) {
    throw new Error(`error converting templatePatch YAML to JSON: ${yamlLimitMessage((e as Error).message)}`, { cause: e });
  }
  if (v === null || v === undefined) return {};
  if (!isPlainObject(v)) throw new Error('templatePatch must render to a map (an Application fragment)');
  return v;
}

function mergePatch(target: unknown, patch: unknown, path: string): unknown {
  if (!isPlainObject(patch)) return cloneJson(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    const p = path === '' ? k : `${path}.${k}`;
    if (v === null) delete out[k];
    else if (p === 'metadata.finalizers' && Array.isArray(v) && Array.isArray(out[k])) {
      // ObjectMeta.finalizers is patchStrategy "merge": the union, existing ones first.
      const cur = out[k] as unknown[];
      out[k] = [...cur, ...v.filter((f) => !cur.includes(f))];
    } else out[k] = mergePatch(out[k], v, p);
  }
  return out;
}

/**
 * Applies a rendered templatePatch to a rendered Application as Argo CD's strategic merge does for Application
 * fields: maps merge key by key, `null` deletes, lists are replaced (metadata.finalizers are joined).
 */
export function applyTemplatePatch(app: unknown, patch: Record<string, unknown>): unknown {
  return mergePatch(app, patch, '');
}
