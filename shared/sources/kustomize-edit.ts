import type { Json, JsonMap } from '../kustomize/yaml';
import { isMapValue } from '../kustomize/yaml';
import type { FileTree } from '../repo/file-tree';
import { joinPath } from '../repo/paths';
import { isRecord } from '../yaml/documents';
import { envsubst } from './build-env';
import type { BuildEnv } from './types';

// What Argo CD's `kustomize.Build` does to the kustomization before `kustomize build` (`util/kustomize/kustomize.go`):
// `kustomize edit set nameprefix|namesuffix|image|replicas`, `edit add label|annotation`, `edit set namespace`, the
// `patches` appended by hand, `edit add component` — in that order, with kustomize's own conflict errors. Each step is
// applied here to the kustomization's fields (as `kustomize edit` reads and rewrites the file).

/** `spec.source.kustomize`, as far as it edits the kustomization. */
export interface KustomizeSourceOptions {
  readonly namePrefix?: string;
  readonly nameSuffix?: string;
  readonly images: readonly string[];
  readonly replicas: readonly { readonly name: string; readonly count: unknown }[];
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly commonAnnotationsEnvsubst: boolean;
  readonly forceCommonLabels: boolean;
  readonly forceCommonAnnotations: boolean;
  readonly labelWithoutSelector: boolean;
  readonly labelIncludeTemplates: boolean;
  readonly namespace?: string;
  readonly patches: readonly Json[];
  readonly components: readonly string[];
  readonly ignoreMissingComponents: boolean;
}

/** Reads `spec.source.kustomize` (absent fields take Argo CD's defaults). */
export function kustomizeSourceOptions(raw: unknown): KustomizeSourceOptions {
  const k = isRecord(raw) ? raw : {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const strMap = (v: unknown): Record<string, string> =>
    Object.fromEntries(Object.entries(isRecord(v) ? v : {}).map(([key, val]) => [key, val === null || val === undefined ? '' : String(val)]));
  const namePrefix = str(k['namePrefix']);
  const nameSuffix = str(k['nameSuffix']);
  const namespace = str(k['namespace']);
  return {
    ...(namePrefix !== undefined ? { namePrefix } : {}),
    ...(nameSuffix !== undefined ? { nameSuffix } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    images: (Array.isArray(k['images']) ? k['images'] : []).map(String),
    replicas: (Array.isArray(k['replicas']) ? k['replicas'] : []).filter(isRecord).map((r) => ({ name: String(r['name'] ?? ''), count: r['count'] })),
    commonLabels: strMap(k['commonLabels']),
    commonAnnotations: strMap(k['commonAnnotations']),
    commonAnnotationsEnvsubst: k['commonAnnotationsEnvsubst'] === true,
    forceCommonLabels: k['forceCommonLabels'] === true,
    forceCommonAnnotations: k['forceCommonAnnotations'] === true,
    labelWithoutSelector: k['labelWithoutSelector'] === true,
    labelIncludeTemplates: k['labelIncludeTemplates'] === true,
    patches: Array.isArray(k['patches']) ? (k['patches'] as Json[]) : [],
    components: (Array.isArray(k['components']) ? k['components'] : []).map(String),
    ignoreMissingComponents: k['ignoreMissingComponents'] === true,
  };
}

/** Whether any option runs a `kustomize edit` (or the patches rewrite). */
export function editsKustomization(o: KustomizeSourceOptions): boolean {
  return (
    o.namePrefix !== undefined || o.nameSuffix !== undefined || o.images.length > 0 || o.replicas.length > 0 || Object.keys(o.commonLabels).length > 0 ||
    Object.keys(o.commonAnnotations).length > 0 || o.namespace !== undefined || o.patches.length > 0 || o.components.length > 0
  );
}

/** The kustomization's fields after Argo CD's edits, or the error the failing `kustomize edit` printed. */
export type EditResult = { readonly fields: JsonMap } | { readonly error: string };

/** Applies the source's kustomize options to the kustomization's fields, in Argo CD's order. */
export function editKustomization(fields: JsonMap, o: KustomizeSourceOptions, env: BuildEnv, ctx: { readonly tree: FileTree; readonly path: string }): EditResult {
  const m: JsonMap = { ...fields };
  if (o.namePrefix !== undefined) m['namePrefix'] = o.namePrefix;
  if (o.nameSuffix !== undefined) m['nameSuffix'] = o.nameSuffix;
  if (o.images.length > 0) {
    const args = o.images.map((i) => envsubst(env, i));
    const r = setImages(m, args);
    if (r) return { error: `\`kustomize edit set image ${args.join(' ')}\` failed: ${r}` };
  }
  if (o.replicas.length > 0) {
    for (const r of o.replicas) {
      const count = replicaCount(r.count);
      if (typeof count === 'string') return { error: count };
    }
    setReplicas(m, o.replicas.map((r) => ({ name: r.name, count: replicaCount(r.count) as number })));
  }
  if (Object.keys(o.commonLabels).length > 0) {
    const labels = Object.fromEntries(Object.entries(o.commonLabels).map(([k, v]) => [k, envsubst(env, v)]));
    const r = addMetadata(m, 'label', labels, o.forceCommonLabels, o.labelWithoutSelector, o.labelIncludeTemplates);
    if (r) return { error: `\`kustomize edit add label ${editArgs(labels)}\` failed: ${r}` };
  }
  if (Object.keys(o.commonAnnotations).length > 0) {
    const annotations = o.commonAnnotationsEnvsubst ? Object.fromEntries(Object.entries(o.commonAnnotations).map(([k, v]) => [k, envsubst(env, v)])) : { ...o.commonAnnotations };
    const r = addMetadata(m, 'annotation', annotations, o.forceCommonAnnotations, false, false);
    if (r) return { error: `\`kustomize edit add annotation ${editArgs(annotations)}\` failed: ${r}` };
  }
  if (o.namespace !== undefined) m['namespace'] = o.namespace;
  if (o.patches.length > 0) {
    const existing = m['patches'];
    if (existing !== undefined && existing !== null && !Array.isArray(existing)) return { error: `expected 'patches' field in kustomization.yaml to be a list` };
    m['patches'] = [...(Array.isArray(existing) ? existing : []), ...o.patches.map(typedPatch)];
  }
  if (o.components.length > 0) {
    const found: string[] = [];
    for (const c of o.components) {
      const target = joinPath(ctx.path, c);
      const exists = target !== undefined && ctx.tree.kind(target) !== undefined;
      if (exists) found.push(c);
      else if (!o.ignoreMissingComponents) {
        return { error: `\`kustomize edit add component ${o.components.join(' ')}\` failed: ${c} has no match: must build at directory: not a valid directory: ${target ?? c} does not exist` };
      }
    }
    const list = Array.isArray(m['components']) ? [...(m['components'] as Json[])] : [];
    for (const c of found) if (!list.includes(c)) list.push(c);
    if (found.length > 0) m['components'] = list;
  }
  return { fields: m };
}

/** `k:v` arguments as Argo CD passes them to `kustomize edit add`. */
function editArgs(m: Readonly<Record<string, string>>): string {
  return Object.entries(m).map(([k, v]) => `${k}:${v}`).join(' ');
}

/** kustomize `edit add label|annotation`: keys already present are an error unless forced; `--without-selector` adds a `labels` entry. */
function addMetadata(m: JsonMap, kind: 'label' | 'annotation', values: Readonly<Record<string, string>>, force: boolean, withoutSelector: boolean, includeTemplates: boolean): string | undefined {
  if (kind === 'label' && !withoutSelector && includeTemplates) return '--without-selector flag must be specified for --include-templates to work';
  // kustomize reads each `k:v` argument back: the key is up to the first colon, a quoted value loses its quotes.
  const parsed: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    const arg = `${k}:${v}`;
    const c = arg.indexOf(':');
    if (c === 0) return `invalid ${kind}: '${arg}' (need k:v pair where v may be quoted)`;
    const value = arg.slice(c + 1);
    parsed[arg.slice(0, c)] = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  if (kind === 'label' && withoutSelector) {
    const labels = Array.isArray(m['labels']) ? [...(m['labels'] as Json[])] : [];
    labels.push({ pairs: parsed, ...(includeTemplates ? { includeTemplates: true } : {}) });
    m['labels'] = labels;
    return undefined;
  }
  const field = kind === 'label' ? 'commonLabels' : 'commonAnnotations';
  const current: JsonMap = isMapValue(m[field]) ? { ...(m[field] as JsonMap) } : {};
  for (const [k, v] of Object.entries(parsed)) {
    if (Object.prototype.hasOwnProperty.call(current, k) && !force) return `${kind} ${k} already in kustomization file`;
    current[k] = v;
  }
  m[field] = current;
  return undefined;
}

/** kustomize `edit set image`: arguments replace images of the same name (`*` keeps a part), the list sorted by name. */
function setImages(m: JsonMap, args: readonly string[]): string | undefined {
  const byName = new Map<string, JsonMap>();
  for (const arg of args) {
    const img = parseImageArg(arg);
    if (!img) return 'invalid format of image, use one of: <image>=<newimage>:<newtag>, <image>=<newimage>@<digest>, <image>:<newtag>, <image>@<digest>, …';
    byName.set(String(img['name']), img);
  }
  for (const existing of Array.isArray(m['images']) ? (m['images'] as Json[]) : []) {
    if (!isMapValue(existing)) continue;
    const name = String(existing['name'] ?? '');
    const arg = byName.get(name);
    if (!arg) {
      byName.set(name, existing);
      continue;
    }
    const merged: JsonMap = { ...arg };
    for (const f of ['newName', 'newTag', 'digest'] as const) if (merged[f] === '*') setOrDrop(merged, f, existing[f]);
    byName.set(name, merged);
  }
  const images = [...byName.values()].map((img) => {
    const out: JsonMap = { ...img };
    for (const f of ['newName', 'newTag', 'digest'] as const) if (out[f] === '*') delete out[f];
    return out;
  });
  images.sort((a, b) => (String(a['name']) < String(b['name']) ? -1 : String(a['name']) > String(b['name']) ? 1 : 0));
  m['images'] = images;
  return undefined;
}

function setOrDrop(m: JsonMap, f: string, v: Json | undefined): void {
  if (typeof v === 'string' && v !== '') m[f] = v;
  else delete m[f];
}

/** kustomize's image argument: `[<name>=]<image>[:<tag>][@<digest>]`; undefined when it names no change. */
function parseImageArg(arg: string): JsonMap | undefined {
  const eq = arg.indexOf('=');
  const key = eq < 0 ? '' : arg.slice(0, eq);
  const value = eq < 0 ? arg : arg.slice(eq + 1);
  const { name, tag, digest } = splitImage(value);
  if (name === arg) return undefined;
  const out: JsonMap = key === '' ? { name } : { name: key, newName: name };
  if (tag !== '') out['newTag'] = tag;
  if (digest !== '') out['digest'] = digest;
  return out;
}

/** kustomize's `image.Split`: name, tag and digest of an image reference (a registry port is not a tag). */
function splitImage(image: string): { name: string; tag: string; digest: string } {
  const slash = image.indexOf('/');
  const offset = slash > 0 ? slash : 0;
  const search = image.slice(offset);
  let id = search.indexOf('@');
  let ic = search.indexOf(':');
  if (ic < 0 && id < 0) return { name: image, tag: '', digest: '' };
  if (id >= 0 && (id < ic || ic < 0)) {
    id += offset;
    return { name: image.slice(0, id), tag: '', digest: image.slice(id + 1) };
  }
  if (id >= 0 && ic >= 0) {
    id += offset;
    ic += offset;
    return { name: image.slice(0, ic), tag: image.slice(ic + 1, id), digest: image.slice(id + 1) };
  }
  ic += offset;
  return { name: image.slice(0, ic), tag: image.slice(ic + 1), digest: '' };
}

/** kustomize `edit set replicas`: replaces entries of the same name, keeps the others, sorted by name. */
function setReplicas(m: JsonMap, replicas: readonly { name: string; count: number }[]): void {
  const byName = new Map<string, Json>();
  for (const r of replicas) byName.set(r.name, { name: r.name, count: r.count });
  for (const existing of Array.isArray(m['replicas']) ? (m['replicas'] as Json[]) : []) {
    if (isMapValue(existing) && !byName.has(String(existing['name'] ?? ''))) byName.set(String(existing['name'] ?? ''), existing);
  }
  m['replicas'] = [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** A replica count as Argo CD reads it (an integer, or a string holding one); a string describes the error. */
function replicaCount(v: unknown): number | string {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^[+-]?\d+$/.test(v)) return Number.parseInt(v, 10);
  return `expected integer value for count. Received: ${String(v)}`;
}

/** An Application's kustomize patch as Argo CD writes it into the kustomization (`path`, `patch`, `target`, `options`). */
function typedPatch(p: Json): Json {
  if (!isMapValue(p)) return p;
  const out: JsonMap = {};
  for (const f of ['path', 'patch'] as const) if (typeof p[f] === 'string' && p[f] !== '') out[f] = p[f];
  if (isMapValue(p['target'])) {
    const t: JsonMap = {};
    for (const f of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
      const v = (p['target'] as JsonMap)[f];
      if (typeof v === 'string' && v !== '') t[f] = v;
    }
    if (Object.keys(t).length > 0) out['target'] = t;
  }
  if (isMapValue(p['options']) && Object.keys(p['options']).length > 0) out['options'] = p['options'];
  return out;
}

