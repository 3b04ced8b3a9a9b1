/** Resource selectors (patch targets, replacement sources and targets) and kyaml-style field paths. */
import type { Resource } from './resource';
import { isClusterScoped, parseApiVersion } from './resource';
import type { Json, JsonMap } from './yaml';
import { isMapValue } from './yaml';
import { RE2JS } from 're2js';

/** A selector: regexes on group, version, kind, name, namespace, plus label and annotation selectors. */
export interface Selector {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly annotationSelector?: string;
}

/** Reads a selector from YAML (`apiVersion` allowed as well as group/version). */
export function readSelector(v: Json | undefined): Selector | undefined {
  if (!isMapValue(v)) return undefined;
  const s = (k: string): string | undefined => (typeof v[k] === 'string' && v[k] !== '' ? (v[k] as string) : undefined);
  const out: Record<string, string> = {};
  for (const k of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector']) {
    const x = s(k);
    if (x !== undefined) out[k] = x;
  }
  const av = s('apiVersion');
  if (av) {
    const { group, version } = parseApiVersion(av);
    if (group) out.group = group;
    if (version) out.version = version;
  }
  return out;
}

/** A selector field whose pattern is not a valid regular expression (Go's RE2 syntax, as kustomize compiles it). */
export class SelectorError extends Error {
  constructor(
    message: string,
    /** The selector field holding the pattern (`name`, `kind`, …). */
    readonly field: keyof Selector,
  ) {
    super(message);
  }
}

// Patterns that can only match themselves are compared as text; the rest run on RE2 (linear time, Go's syntax), so a
// hostile pattern such as `(a+)+b` cannot stall a build the way a backtracking engine would.
const LITERAL = /^[A-Za-z0-9_\-/:@ ]*$/;
const matcherCache = new Map<string, (s: string) => boolean>();

function anchored(p: string, field: keyof Selector): (s: string) => boolean {
  let m = matcherCache.get(p);
  if (!m) {
    if (LITERAL.test(p)) m = (s) => s === p;
    else {
      let re: RE2JS;
      try {
        re = RE2JS.compile(`^(?:${p})$`);
      } catch (e) {
        throw new SelectorError(`invalid ${field} pattern in a target selector: ${e instanceof Error ? e.message : String(e)}`, field);
      }
      m = (s) => re.matches(s);
    }
    if (matcherCache.size >= 1024) matcherCache.clear();
    matcherCache.set(p, m);
  }
  return m;
}

const PATTERN_FIELDS = ['group', 'version', 'kind', 'name', 'namespace'] as const;

/** Compiles every pattern of a selector; throws a SelectorError naming the first field whose pattern is invalid. */
export function checkSelector(sel: Selector): void {
  for (const f of PATTERN_FIELDS) {
    const p = sel[f];
    if (p !== undefined) anchored(p, f);
  }
}

function effectiveNamespace(kind: string, ns: string): string {
  if (isClusterScoped({ group: '', version: '', kind })) return '';
  return ns === '' ? 'default' : ns;
}

/** Whether a Kubernetes label selector (`a=b,c!=d,e in (x,y),!f`) matches a label map. */
export function matchesLabelSelector(selector: string, labels: Readonly<Record<string, string>>): boolean {
  const terms: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(cur);
      cur = '';
    } else cur += ch;
  }
  terms.push(cur);
  for (const raw of terms) {
    const t = raw.trim();
    if (t === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(t))) {
      const vals = m[3]!.split(',').map((x) => x.trim());
      const has = m[1]! in labels;
      const inSet = has && vals.includes(labels[m[1]!]!);
      if (m[2] === 'in' ? !inSet : inSet) return false;
    } else if ((m = /^(\S+?)\s*!=\s*(\S*)$/.exec(t))) {
      if (labels[m[1]!] === m[2]) return false;
    } else if ((m = /^(\S+?)\s*==?\s*(\S*)$/.exec(t))) {
      if (labels[m[1]!] !== m[2]) return false;
    } else if (t.startsWith('!')) {
      if (t.slice(1).trim() in labels) return false;
    } else if (!(t in labels)) return false;
  }
  return true;
}

/** Whether a resource matches a selector (names and namespaces match the original or the current id). */
export function selects(sel: Selector, r: Resource): boolean {
  const cur = r.curId();
  const org = r.orgId();
  if (sel.namespace !== undefined) {
    const re = anchored(sel.namespace, 'namespace');
    if (!re(effectiveNamespace(org.kind, org.namespace)) && !re(effectiveNamespace(cur.kind, cur.namespace))) return false;
  }
  if (sel.name !== undefined) {
    const re = anchored(sel.name, 'name');
    if (!re(org.name) && !re(cur.name)) return false;
  }
  if (sel.group !== undefined && !anchored(sel.group, 'group')(cur.group)) return false;
  if (sel.version !== undefined && !anchored(sel.version, 'version')(cur.version)) return false;
  if (sel.kind !== undefined && !anchored(sel.kind, 'kind')(cur.kind)) return false;
  if (sel.labelSelector !== undefined && !matchesLabelSelector(sel.labelSelector, r.labels())) return false;
  if (sel.annotationSelector !== undefined && !matchesLabelSelector(sel.annotationSelector, r.annotations())) return false;
  return true;
}

// ----------------------------------------------------------------------------------------------------------------
// kyaml field paths: `spec.template.spec.containers.[name=app].image`, `metadata.annotations.[a.b/c]`, `*`.

/** Splits a field path on dots outside brackets. */
export function splitFieldPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of path) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '.' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** A place found by a field path. */
export interface PathHit {
  readonly holder: JsonMap | Json[];
  readonly key: string | number;
}

function matchElement(seg: string): { key: string; value: string } | undefined {
  const m = /^\[([^=\]]*)=(.*)\]$/.exec(seg);
  return m ? { key: m[1]!, value: m[2]! } : undefined;
}

function scalarEquals(v: Json | undefined, s: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v === s;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v) === s;
  return false;
}

/** Finds (and with `create`, makes) the fields a path names. Throws on a path that cannot be created. */
export function findFields(obj: JsonMap, segments: readonly string[], create: boolean): PathHit[] {
  const hits: PathHit[] = [];
  const walk = (holder: JsonMap | Json[], key: string | number, i: number): void => {
    if (i === segments.length) {
      hits.push({ holder, key });
      return;
    }
    const node = (holder as Record<string | number, Json>)[key];
    const seg = segments[i]!;
    const elem = matchElement(seg);
    if (Array.isArray(node)) {
      if (seg === '*') {
        for (let j = 0; j < node.length; j++) walk(node, j, i + 1);
        return;
      }
      if (elem) {
        let found = false;
        for (let j = 0; j < node.length; j++) {
          const e = node[j]!;
          if (elem.key === '' ? scalarEquals(e, elem.value) : isMapValue(e) && scalarEquals(e[elem.key], elem.value)) {
            found = true;
            walk(node, j, i + 1);
          }
        }
        if (!found && create && elem.key !== '') {
          const e: JsonMap = { [elem.key]: elem.value };
          node.push(e);
          walk(node, node.length - 1, i + 1);
        }
        return;
      }
      if (/^-?\d+$/.test(seg)) {
        let idx = Number(seg);
        if (idx < 0) idx = node.length + idx;
        if (idx >= 0 && idx < node.length) walk(node, idx, i + 1);
        return;
      }
      return;
    }
    if (isMapValue(node)) {
      if (seg === '*') {
        for (const k of Object.keys(node)) walk(node, k, i + 1);
        return;
      }
      const name = seg.startsWith('[') && seg.endsWith(']') && !elem ? seg.slice(1, -1) : seg;
      if (elem) return;
      if (!(name in node) || node[name] === null) {
        if (!create) return;
        const nextSeg = segments[i + 1];
        node[name] = i + 1 === segments.length ? null : nextSeg !== undefined && matchElement(nextSeg) ? [] : {};
      }
      walk(node, name, i + 1);
      return;
    }
    if ((node === null || node === undefined) && create) {
      const created: JsonMap = {};
      (holder as Record<string | number, Json>)[key] = created;
      walk(holder, key, i);
    }
  };
  walk({ root: obj }, 'root', 0);
  return hits;
}
