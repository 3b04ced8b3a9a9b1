/** `replacements:` — copy a field of one resource into fields of others. */
import type { Resource } from './resource';
import { deepCopy, parseApiVersion } from './resource';
import { findFields, matchesLabelSelector, splitFieldPath } from './select';
import { TransformError } from './transformers';
import type { Json, JsonMap } from './yaml';
import { isMapValue } from './yaml';

interface IdSelector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

interface FieldOptions {
  delimiter?: string;
  index?: number;
  create?: boolean;
}

/** One replacement: a source field and the targets it is copied to. */
export interface Replacement {
  readonly source: IdSelector & { fieldPath: string; options?: FieldOptions };
  readonly targets: readonly {
    readonly select: IdSelector & { labelSelector?: string; annotationSelector?: string };
    readonly reject: readonly IdSelector[];
    readonly fieldPaths: readonly string[];
    readonly options?: FieldOptions;
  }[];
}

function readId(v: Json | undefined): IdSelector {
  if (!isMapValue(v)) return {};
  const out: IdSelector = {};
  for (const k of ['group', 'version', 'kind', 'name', 'namespace'] as const) {
    const x = v[k];
    if (typeof x === 'string' && x !== '') out[k] = x;
  }
  if (typeof v.apiVersion === 'string' && v.apiVersion !== '') {
    const { group, version } = parseApiVersion(v.apiVersion);
    if (group) out.group = group;
    if (version) out.version = version;
  }
  return out;
}

function readOptions(v: Json | undefined): FieldOptions | undefined {
  if (!isMapValue(v)) return undefined;
  return {
    ...(typeof v.delimiter === 'string' ? { delimiter: v.delimiter } : {}),
    ...(typeof v.index === 'number' ? { index: v.index } : {}),
    ...(v.create === true ? { create: true } : {}),
  };
}

function readOne(v: JsonMap): Replacement {
  const src = isMapValue(v.source) ? v.source : undefined;
  if (!src) throw new TransformError('a replacement needs a source');
  const targets = (Array.isArray(v.targets) ? v.targets : []).filter(isMapValue).map((t) => {
    if (!isMapValue(t.select)) throw new TransformError('target must specify resources to select');
    const sel = t.select;
    const fieldPaths = Array.isArray(t.fieldPaths) ? t.fieldPaths.filter((x): x is string => typeof x === 'string') : [];
    const opts = readOptions(t.options);
    return {
      select: {
        ...readId(sel),
        ...(typeof sel.labelSelector === 'string' ? { labelSelector: sel.labelSelector } : {}),
        ...(typeof sel.annotationSelector === 'string' ? { annotationSelector: sel.annotationSelector } : {}),
      },
      reject: (Array.isArray(t.reject) ? t.reject : []).map(readId),
      fieldPaths: fieldPaths.length > 0 ? fieldPaths : ['metadata.name'],
      ...(opts ? { options: opts } : {}),
    };
  });
  const opts = readOptions(src.options);
  return {
    source: { ...readId(src), fieldPath: typeof src.fieldPath === 'string' && src.fieldPath !== '' ? src.fieldPath : 'metadata.name', ...(opts ? { options: opts } : {}) },
    targets,
  };
}

/** Reads the `replacements:` field: inline entries and `path:` files (each a list or a single replacement). */
export function readReplacements(v: Json, load: (path: string) => Json[]): Replacement[] {
  const out: Replacement[] = [];
  for (const e of Array.isArray(v) ? v : []) {
    if (!isMapValue(e)) continue;
    if (typeof e.path === 'string') {
      for (const doc of load(e.path)) {
        for (const x of Array.isArray(doc) ? doc : [doc]) if (isMapValue(x)) out.push(readOne(x));
      }
    } else out.push(readOne(e));
  }
  return out;
}

function idSelected(id: { group: string; version: string; kind: string; name: string; namespace: string }, sel: IdSelector): boolean {
  if (sel.group !== undefined && sel.group !== id.group) return false;
  if (sel.version !== undefined && sel.version !== id.version) return false;
  if (sel.kind !== undefined && sel.kind !== id.kind) return false;
  if (sel.name !== undefined && sel.name !== id.name) return false;
  if (sel.namespace !== undefined && sel.namespace !== id.namespace) return false;
  return true;
}

function describe(sel: IdSelector): string {
  return `${sel.kind ?? '~K'}.${sel.version ?? '~V'}.${sel.group ?? '~G'}/${sel.name ?? ''}.${sel.namespace ?? '~X'}`;
}

function scalarText(v: Json): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return '';
}

function isScalar(v: Json | undefined): boolean {
  return v === null || (typeof v !== 'object' && v !== undefined);
}

/** Keeps the target scalar's type when only the text is copied (kyaml copies the value, not the tag). */
function retype(text: string, like: Json | undefined): Json {
  if (typeof like === 'number' || typeof like === 'bigint') {
    const n = Number(text);
    if (text.trim() !== '' && !Number.isNaN(n)) return n;
    return text;
  }
  if (typeof like === 'boolean') {
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  return text;
}

/** Applies replacements in order. */
export function applyReplacements(resources: readonly Resource[], reps: readonly Replacement[]): void {
  for (const rep of reps) {
    const sources = resources.filter((r) => r.allIds().some((id) => idSelected(id, rep.source)));
    if (sources.length > 1) throw new TransformError(`multiple matches for selector ${describe(rep.source)}`);
    const src = sources[0];
    if (!src) throw new TransformError(`nothing selected by ${describe(rep.source)}`);
    const hit = findFields(src.obj, splitFieldPath(rep.source.fieldPath), false)[0];
    let value = hit ? (hit.holder as Record<string | number, Json>)[hit.key] : undefined;
    if (value === undefined || value === null || (typeof value === 'string' && value === '') || (isMapValue(value) && Object.keys(value).length === 0)) {
      throw new TransformError(`fieldPath \`${rep.source.fieldPath}\` is missing for replacement source ${describe(rep.source)}`);
    }
    const so = rep.source.options;
    if (so?.delimiter) {
      if (!isScalar(value)) throw new TransformError('delimiter option can only be used with scalar nodes');
      const parts = scalarText(value).split(so.delimiter);
      const idx = so.index ?? 0;
      if (idx < 0 || idx >= parts.length) throw new TransformError(`options.index ${idx} is out of bounds for value ${scalarText(value)}`);
      value = parts[idx]!;
    }
    for (const t of rep.targets) {
      for (const r of resources) {
        if (t.select.labelSelector !== undefined || t.select.annotationSelector !== undefined) {
          if (t.select.labelSelector !== undefined && !matchesLabelSelector(t.select.labelSelector, r.labels())) continue;
          if (t.select.annotationSelector !== undefined && !matchesLabelSelector(t.select.annotationSelector, r.annotations())) continue;
        }
        const ids = r.allIds();
        if (!ids.some((id) => idSelected(id, t.select))) continue;
        if (t.reject.some((rj) => ids.some((id) => idSelected(id, rj)))) continue;
        for (const fp of t.fieldPaths) {
          const create = t.options?.create === true;
          const hits = findFields(r.obj, splitFieldPath(fp), create);
          if (hits.length === 0) {
            throw new TransformError(create ? `unable to find or create field "${fp}" in replacement target` : `unable to find field "${fp}" in replacement target`);
          }
          for (const h of hits) {
            const holder = h.holder as Record<string | number, Json>;
            const cur = holder[h.key];
            let v: Json = deepCopy(value);
            if (t.options?.delimiter) {
              if (!isScalar(cur)) throw new TransformError('delimiter option can only be used with scalar nodes');
              const tv = scalarText(cur ?? null).split(t.options.delimiter);
              const idx = t.options.index ?? 0;
              const sv = scalarText(v);
              if (idx < 0) tv.unshift(sv);
              else if (idx >= tv.length) tv.push(sv);
              else tv[idx] = sv;
              v = tv.join(t.options.delimiter);
            }
            if (isScalar(cur) && cur !== null && isScalar(v)) holder[h.key] = retype(scalarText(v), cur);
            else holder[h.key] = v;
          }
        }
      }
    }
  }
}
