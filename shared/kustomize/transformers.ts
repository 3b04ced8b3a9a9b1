/**
 * kustomize's built-in transformers over a list of resources: namespace, name prefix/suffix, labels,
 * annotations, images, replicas, name-reference fix-up, content hashes, vars and replacements.
 */
import type { FieldSpec, FieldRef, NameBackRef } from './field-specs';
import { splitPath, visitPath } from './field-specs';
import type { Gvk, ResId } from './resource';
import type { Resource } from './resource';
import { gvkSelected, idString, isClusterScoped, nsEquals, parseApiVersion } from './resource';
import { sha256Hex } from '../hash/sha256';
import type { Json, JsonMap } from './yaml';
import { isMapValue } from './yaml';

/** A transformer failure; the build turns it into a Problem naming the kustomization. */
export class TransformError extends Error {}

function applySpecs(r: Resource, specs: readonly FieldSpec[], createKind: 'map' | 'scalar' | undefined, fn: (ref: FieldRef) => void): void {
  const gvk = r.gvk();
  for (const s of specs) {
    if (!gvkSelected(gvk, s)) continue;
    const create = s.create && createKind ? () => (createKind === 'map' ? ({} as JsonMap) : null) : undefined;
    visitPath(r.obj, splitPath(s.path), create, fn);
  }
}

function getRef(ref: FieldRef): Json | undefined {
  return (ref.holder as Record<string | number, Json>)[ref.key];
}
function setRef(ref: FieldRef, v: Json): void {
  (ref.holder as Record<string | number, Json>)[ref.key] = v;
}

// ----------------------------------------------------------------------------------------------------------------

/** The namespace transformer. */
export function setNamespace(resources: readonly Resource[], namespace: string, specs: readonly FieldSpec[], options: { unsetOnly?: boolean; roleBindingSubjects?: string } = {}): void {
  if (namespace === '') return;
  const setField = (ref: FieldRef): void => {
    const cur = getRef(ref);
    if (options.unsetOnly && typeof cur === 'string' && cur !== '') return;
    setRef(ref, namespace);
  };
  for (const r of resources) {
    r.storePreviousId();
    const gvk = r.gvk();
    if (!isClusterScoped(gvk)) {
      if (!(options.unsetOnly && r.namespace !== '')) r.namespace = namespace;
    }
    const isBinding = gvk.kind === 'RoleBinding' || gvk.kind === 'ClusterRoleBinding';
    const rest = specs.filter(
      (s) =>
        s.path !== 'metadata/namespace' &&
        !(isBinding && (s.path === 'subjects' || s.path === 'subjects[]/namespace')) &&
        !(s.kind === 'Namespace' && gvk.group !== ''),
    );
    if (isBinding) {
      const mode = options.roleBindingSubjects ?? 'defaultOnly';
      const subjects = r.obj.subjects;
      if (Array.isArray(subjects) && mode !== 'none') {
        for (const s of subjects) {
          if (!isMapValue(s)) continue;
          const hit = mode === 'allServiceAccounts' ? s.kind === 'ServiceAccount' : s.name === 'default';
          if (hit) s.namespace = namespace;
        }
      }
    }
    applySpecs(r, rest, 'scalar', setField);
  }
}

const PREFIX_SKIP: readonly Partial<Gvk>[] = [{ kind: 'CustomResourceDefinition' }, { group: 'apiregistration.k8s.io', kind: 'APIService' }, { kind: 'Namespace' }];

/** The name prefix/suffix transformer. */
export function addPrefixSuffix(resources: readonly Resource[], prefix: string, suffix: string, specs: readonly FieldSpec[]): void {
  for (const r of resources) {
    const org = r.orgId();
    if (PREFIX_SKIP.some((s) => gvkSelected(org, s))) continue;
    for (const fs of specs) {
      if (!gvkSelected(org, fs)) continue;
      if (fs.path === 'metadata/name') {
        // kustomize records the (possibly empty) prefix and suffix of every kustomization a resource passes.
        r.prefixes.push(prefix);
        r.suffixes.push(suffix);
        if (prefix !== '' || suffix !== '') r.storePreviousId();
      }
      if (prefix === '' && suffix === '') continue;
      visitPath(r.obj, splitPath(fs.path), undefined, (ref) => {
        const v = getRef(ref);
        if (typeof v === 'string') setRef(ref, `${prefix}${v}${suffix}`);
      });
    }
  }
}

/** Adds entries to a string map at each field spec (labels, annotations). */
export function addMapEntries(resources: readonly Resource[], entries: Readonly<Record<string, string>>, specs: readonly FieldSpec[]): void {
  const keys = Object.keys(entries);
  if (keys.length === 0) return;
  for (const r of resources) {
    applySpecs(r, specs, 'map', (ref) => {
      let m = getRef(ref);
      if (m === null || m === undefined) {
        m = {};
        setRef(ref, m);
      }
      if (!isMapValue(m)) return;
      for (const k of keys) m[k] = entries[k]!;
    });
  }
}

// ----------------------------------------------------------------------------------------------------------------

/** One `images:` entry. */
export interface ImageSpec {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

/** Splits an image reference into name, tag and digest as kustomize does. */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
  let search = image;
  let slash = image.indexOf('/');
  if (slash > 0) search = image.slice(slash);
  else slash = 0;
  let id = search.indexOf('@');
  let ic = search.indexOf(':');
  if (ic < 0 && id < 0) return { name: image, tag: '', digest: '' };
  if (id >= 0 && (id < ic || ic < 0)) {
    id += slash;
    return { name: image.slice(0, id), tag: '', digest: image.slice(id + 1) };
  }
  if (id >= 0 && ic >= 0) {
    id += slash;
    ic += slash;
    return { name: image.slice(0, ic), tag: image.slice(ic + 1, id), digest: image.slice(id + 1) };
  }
  ic += slash;
  return { name: image.slice(0, ic), tag: image.slice(ic + 1), digest: '' };
}

/** What may follow an image's name for an `images:` entry to apply: kustomize's `^name(@sha256)?(:[a-zA-Z0-9_.{}-]*)?$`. */
const IMAGE_SUFFIX = /^(@sha256)?(:[a-zA-Z0-9_.{}-]*)?$/;

function updateImage(value: string, spec: ImageSpec): string | undefined {
  // The name as a prefix, then one fixed pattern: no regular expression compiled per entry and overlay.
  if (!value.startsWith(spec.name) || !IMAGE_SUFFIX.test(value.slice(spec.name.length))) return undefined;
  let { name, tag, digest } = splitImage(value);
  if (spec.newName) name = spec.newName;
  if (spec.newTag && spec.digest) {
    tag = spec.newTag;
    digest = spec.digest;
  } else if (spec.newTag) {
    tag = spec.newTag;
    digest = '';
  } else if (spec.digest) {
    tag = '';
    digest = spec.digest;
  }
  if (tag) name += `:${tag}`;
  if (digest) name += `@${digest}`;
  return name;
}

/** The image transformer: every `containers`/`initContainers` image, and the image field specs. */
export function setImages(resources: readonly Resource[], images: readonly ImageSpec[], specs: readonly FieldSpec[]): void {
  for (const spec of images) {
    const apply = (holder: JsonMap | Json[], key: string | number): void => {
      const v = (holder as Record<string | number, Json>)[key];
      if (typeof v !== 'string') return;
      const nv = updateImage(v, spec);
      if (nv !== undefined) (holder as Record<string | number, Json>)[key] = nv;
    };
    for (const r of resources) {
      const seen = new Set<JsonMap>();
      const walk = (v: Json): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (isMapValue(v)) {
          for (const [k, x] of Object.entries(v)) {
            if ((k === 'containers' || k === 'initContainers') && Array.isArray(x)) {
              for (const c of x) {
                if (isMapValue(c) && 'image' in c && !seen.has(c)) {
                  seen.add(c);
                  apply(c, 'image');
                }
              }
            }
            walk(x);
          }
        }
      };
      walk(r.obj);
      applySpecs(r, specs, undefined, (ref) => {
        if (isMapValue(ref.holder) && seen.has(ref.holder)) return;
        apply(ref.holder, ref.key);
      });
    }
  }
}

/** The replica-count transformer. */
export function setReplicas(resources: readonly Resource[], name: string, count: Json, specs: readonly FieldSpec[]): void {
  let found = false;
  for (const fs of specs) {
    for (const r of resources) {
      if (!gvkSelected(r.gvk(), fs)) continue;
      if (!r.allIds().some((id) => id.name === name)) continue;
      found = true;
      visitPath(r.obj, splitPath(fs.path), fs.create ? () => null : undefined, (ref) => setRef(ref, count));
    }
  }
  if (!found) throw new TransformError(`resource with name ${name} does not match a config with the following GVK [${specs.map((s) => s.kind).join(' ')}]`);
}

// ----------------------------------------------------------------------------------------------------------------
// Name references.

function sameEnding(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  if (n === 0) return a.length === b.length;
  for (let i = 1; i <= n; i++) if (a[a.length - i] !== b[b.length - i]) return false;
  return true;
}

/** Per-build lookups for name references: current ids, and resources by every name they have had. */
interface RefIndex {
  readonly cur: Map<Resource, ResId>;
  readonly byPrevName: Map<string, Resource[]>;
}

function makeRefIndex(all: readonly Resource[]): RefIndex {
  const cur = new Map<Resource, ResId>();
  const byPrevName = new Map<string, Resource[]>();
  for (const r of all) {
    cur.set(r, r.curId());
    const names = new Set(r.prevIds.map((id) => id.name));
    for (const n of names) {
      const l = byPrevName.get(n);
      if (l) l.push(r);
      else byPrevName.set(n, [r]);
    }
  }
  return { cur, byPrevName };
}

/** kustomize's SubsetThatCouldBeReferencedByResource, as a predicate. */
function couldBeReferencedBy(index: RefIndex, referrer: Resource): (t: Resource) => boolean {
  const rid = index.cur.get(referrer) ?? referrer.curId();
  if (isClusterScoped(rid)) return () => true;
  const rbNamespaces = new Set<string>();
  if (referrer.kind === 'RoleBinding' && Array.isArray(referrer.obj.subjects)) {
    for (const s of referrer.obj.subjects) {
      if (isMapValue(s) && s.kind === 'ServiceAccount' && typeof s.namespace === 'string') rbNamespaces.add(s.namespace);
    }
  }
  return (t) => {
    const id = index.cur.get(t) ?? t.curId();
    return isClusterScoped(id) || nsEquals(id.namespace, rid.namespace) || rbNamespaces.has(id.namespace);
  };
}

function selectReferral(
  index: RefIndex,
  referrer: Resource,
  spec: FieldSpec,
  target: NameBackRef,
  oldName: string,
  visible: (r: Resource) => boolean,
  extra: ((r: Resource) => boolean) | undefined,
  identical: (rs: Resource[]) => boolean,
): Resource | undefined {
  let c = (index.byPrevName.get(oldName) ?? []).filter((r) => visible(r) && (!extra || extra(r)));
  c = c.filter((r) => r.prevIds.some((id) => gvkSelected(id, target)));
  if (spec.path.endsWith('roleRef/name')) {
    const rr = referrer.obj.roleRef;
    if (isMapValue(rr) && typeof rr.apiGroup === 'string' && typeof rr.kind === 'string') {
      const g = { group: rr.apiGroup, kind: rr.kind };
      c = c.filter((r) => r.prevIds.some((id) => gvkSelected(id, g)));
    }
  }
  const rid = index.cur.get(referrer) ?? referrer.curId();
  if (!isClusterScoped(rid)) {
    c = c.filter((r) => {
      const id = index.cur.get(r) ?? r.curId();
      return isClusterScoped(id) || id.kind === 'ServiceAccount' || nsEquals(rid.namespace, id.namespace);
    });
  }
  if (c.length === 1) return c[0];
  c = c.filter((r) => sameEnding(r.prefixes, referrer.prefixes) && sameEnding(r.suffixes, referrer.suffixes));
  if (c.length === 1) return c[0];
  if (c.length === 0) return undefined;
  if (identical(c)) return c[0];
  throw new TransformError(`found multiple possible referrals: ${c.map((r) => idString(r.curId())).join(', ')}`);
}

/** Rewrites references to resources whose names changed (prefix, suffix, hash) — kustomize's FixBackReferences. */
export function fixNameReferences(resources: readonly Resource[], backRefs: readonly NameBackRef[]): void {
  const index = makeRefIndex(resources);
  for (const referrer of resources) {
    const org = referrer.orgId();
    let visible: ((r: Resource) => boolean) | undefined;
    for (const br of backRefs) {
      for (const spec of br.fieldSpecs) {
        if (!gvkSelected(org, spec)) continue;
        visible ??= couldBeReferencedBy(index, referrer);
        const vis = visible;
        const setScalar = (holder: JsonMap | Json[], key: string | number): void => {
          const v = (holder as Record<string | number, Json>)[key];
          if (typeof v !== 'string') return;
          const ref = selectReferral(index, referrer, spec, br, v, vis, undefined, (rs) => rs.every((r) => r.name === rs[0]!.name));
          if (!ref) return;
          ref.refBy.push(referrer.curId());
          if (ref.name !== v) (holder as Record<string | number, Json>)[key] = ref.name;
        };
        const setMapping = (m: JsonMap): void => {
          const oldName = m.name;
          if (typeof oldName !== 'string') return;
          if ('namespace' in m && (m.namespace === null || m.namespace === '')) {
            throw new TransformError(`Invalid Input: namespace is blank for resource "${idString(referrer.curId())}"`);
          }
          let extra: ((r: Resource) => boolean) | undefined;
          if (typeof m.namespace === 'string') {
            // Candidates in that namespace: by original namespace when any has it, else by current namespace.
            const ns = m.namespace;
            const anyByOrg = resources.some((r) => vis(r) && nsEquals(r.orgId().namespace, ns));
            extra = anyByOrg ? (r) => nsEquals(r.orgId().namespace, ns) : (r) => nsEquals(r.namespace, ns);
          }
          const ref = selectReferral(index, referrer, spec, br, oldName, vis, extra, (rs) => rs.every((r) => r.name === rs[0]!.name && r.namespace === rs[0]!.namespace));
          if (!ref) return;
          ref.refBy.push(referrer.curId());
          if (ref.name === oldName && ref.namespace === '') return;
          m.name = ref.name;
          if (ref.namespace !== '') m.namespace = ref.namespace;
        };
        visitPath(referrer.obj, splitPath(spec.path), undefined, (fref) => {
          const v = getRef(fref);
          if (v === null || v === undefined) return;
          if (typeof v === 'string') setScalar(fref.holder, fref.key);
          else if (isMapValue(v)) setMapping(v);
          else if (Array.isArray(v)) {
            for (let i = 0; i < v.length; i++) {
              const e = v[i]!;
              if (typeof e === 'string') setScalar(v, i);
              else if (isMapValue(e)) setMapping(e);
            }
          }
        });
      }
    }
  }
}

// ----------------------------------------------------------------------------------------------------------------
// Content hashes.

function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function goJson(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${goJsonString(k)}:${goJson(v[k]!)}`).join(',')}}`;
}

function encodeHash(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return Array.from(hex.slice(0, 10), (c) => map[c] ?? c).join('');
}

/** kustomize's content hash of a ConfigMap or Secret (the name is not part of it, by a quirk of kustomize). */
export function contentHash(obj: JsonMap): string {
  const field = (k: string): Json => {
    const v = obj[k];
    if (v === undefined || v === null) return '';
    return v;
  };
  let m: JsonMap;
  if (obj.kind === 'ConfigMap') {
    m = { kind: 'ConfigMap', name: '', data: field('data') };
    if (isMapValue(obj.binaryData)) m.binaryData = obj.binaryData;
  } else if (obj.kind === 'Secret') {
    m = { kind: 'Secret', type: field('type'), name: '', data: field('data') };
    if (isMapValue(obj.stringData)) m.stringData = obj.stringData;
  } else m = obj;
  return encodeHash(sha256Hex(new TextEncoder().encode(goJson(m))));
}

/** Appends the content hash to the names of generated resources that want one. */
export function addHashSuffixes(resources: readonly Resource[]): void {
  for (const r of resources) {
    if (!r.needsHash) continue;
    r.storePreviousId();
    r.name = `${r.name}-${contentHash(r.obj)}`;
    r.needsHash = false;
  }
}

// ----------------------------------------------------------------------------------------------------------------
// Vars.

/** One `vars:` entry. */
export interface Var {
  readonly name: string;
  readonly objref: { readonly group: string; readonly version: string; readonly kind: string; readonly name: string; readonly namespace: string };
  readonly fieldpath: string;
}

/** Reads a dotted field path (`spec.containers[0].image`) from an object. */
export function getFieldValue(obj: JsonMap, fieldPath: string): Json | undefined {
  const parts: (string | number)[] = [];
  for (const seg of fieldPath.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(seg);
    if (!m) {
      parts.push(seg);
      continue;
    }
    if (m[1]) parts.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) parts.push(Number(idx[1]));
  }
  let cur: Json | undefined = obj;
  for (const p of parts) {
    if (typeof p === 'number') cur = Array.isArray(cur) ? cur[p] : undefined;
    else cur = isMapValue(cur) ? cur[p] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Expands `$(VAR)` in a string as Kubernetes does (`$$` escapes); a lone reference keeps the value's type. */
export function expandVars(s: string, lookup: (name: string) => Json | undefined): Json {
  const whole = /^\$\(([^)]*)\)$/.exec(s);
  if (whole) {
    const v = lookup(whole[1]!);
    if (v !== undefined) return v;
    return s;
  }
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '$' || i + 1 >= s.length) {
      out += ch;
      continue;
    }
    const next = s[i + 1]!;
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const end = s.indexOf(')', i + 2);
      if (end < 0) {
        out += s.slice(i);
        break;
      }
      const name = s.slice(i + 2, end);
      const v = lookup(name);
      out += v === undefined ? `$(${name})` : typeof v === 'string' ? v : scalarText(v);
      i = end;
    } else out += ch;
  }
  return out;
}

function scalarText(v: Json): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Resolves vars and substitutes `$(VAR)` at the var-reference field specs. */
export function resolveVars(resources: readonly Resource[], vars: readonly Var[], specs: readonly FieldSpec[]): void {
  if (vars.length === 0) return;
  const values = new Map<string, Json>();
  for (const v of vars) {
    const src = resources.find((r) => r.refVarNames.includes(v.name));
    if (!src) throw new TransformError(`var '${v.name}' cannot be mapped to a field in the set of known resources`);
    const value = getFieldValue(src.obj, v.fieldpath);
    if (value === undefined) throw new TransformError(`field specified in var '${v.name}' (${v.fieldpath}) not found in corresponding resource`);
    values.set(v.name, value);
  }
  const lookup = (n: string): Json | undefined => values.get(n);
  for (const r of resources) {
    applySpecs(r, specs, undefined, (ref) => {
      const v = getRef(ref);
      const sub = (holder: JsonMap | Json[], key: string | number, x: Json): void => {
        if (typeof x === 'string') (holder as Record<string | number, Json>)[key] = expandVars(x, lookup);
      };
      if (typeof v === 'string') sub(ref.holder, ref.key, v);
      else if (Array.isArray(v)) v.forEach((x, i) => sub(v, i, x));
      else if (isMapValue(v)) for (const [k, x] of Object.entries(v)) sub(v, k, x);
    });
  }
}

/** Finds the resource a var points at and remembers the var on it (kustomize's MergeVars). */
export function bindVar(resources: readonly Resource[], v: Var): void {
  const want: ResId = { group: v.objref.group, version: v.objref.version, kind: v.objref.kind, name: v.objref.name, namespace: v.objref.namespace };
  const strictNs = want.namespace !== '' || isClusterScoped(want);
  const matched = resources.filter((r) =>
    r.allIds().some(
      (id) =>
        id.kind === want.kind &&
        id.name === want.name &&
        (want.group === '' || id.group === want.group) &&
        (want.version === '' || id.version === want.version) &&
        (!strictNs || nsEquals(id.namespace, want.namespace)),
    ),
  );
  if (matched.length > 1) throw new TransformError(`found ${matched.length} resId matches for var ${v.name} (unable to disambiguate)`);
  if (matched.length === 1) matched[0]!.refVarNames.push(v.name);
}

/** Parses an objref (apiVersion or group/version). */
export function readObjRef(o: JsonMap): Var['objref'] {
  const str = (k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : '');
  let group = str('group');
  let version = str('version');
  if (str('apiVersion')) ({ group, version } = parseApiVersion(str('apiVersion')));
  return { group, version, kind: str('kind'), name: str('name'), namespace: str('namespace') };
}

