import type { SchemaBundle, SchemaNode, SchemaType } from './compact';
import type { Mutable } from '../../mutable';

// OpenAPI v3 (as the Kubernetes module publishes it in api/openapi-spec/v3 and the API server serves it at
// /openapi/v3/<group-version>) to the compact form. Used by scripts/k8s-schemas.mjs for the bundled versions and by
// the Node side for a connected cluster, so both read the spec alike.

const PREFIX = '#/components/schemas/';
const TYPES: ReadonlySet<string> = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

/** Def names without the common `io.k8s.` prefix (shorter refs). */
export function shortDefName(name: string): string {
  return name.replace(/^io\.k8s\./, '');
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One OpenAPI v3 schema node of a built-in type in the compact form (an object with no declared fields holds anything). */
export function compactOpenApi(node: unknown): SchemaNode {
  if (!isObj(node)) return { x: 1 };
  if (typeof node.$ref === 'string') return { $: shortDefName(node.$ref.slice(PREFIX.length)) };
  const allOf = node.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && isObj(allOf[0]) && typeof allOf[0].$ref === 'string' && node.type === undefined) return compactOpenApi(allOf[0]);
  const c: Mutable<SchemaNode> = {};
  if (node['x-kubernetes-preserve-unknown-fields'] === true) c.x = 1;
  const oneOf = node.oneOf;
  if (node['x-kubernetes-int-or-string'] === true) c.t = ['integer', 'string'];
  else if (Array.isArray(oneOf) && node.type === undefined && oneOf.every((o) => isObj(o) && typeof o.type === 'string' && TYPES.has(o.type) && Object.keys(o).length === 1)) c.t = oneOf.map((o) => (o as { type: SchemaType }).type);
  else if (typeof node.type === 'string' && TYPES.has(node.type)) c.t = node.type as SchemaType;
  if (isObj(node.properties)) {
    const p: Record<string, SchemaNode> = {};
    for (const [k, v] of Object.entries(node.properties)) p[k] = compactOpenApi(v);
    c.p = p;
  }
  if (Array.isArray(node.required) && node.required.length > 0) c.r = node.required.filter((r): r is string => typeof r === 'string');
  if (node.items !== undefined) c.i = compactOpenApi(node.items);
  if (isObj(node.additionalProperties)) c.a = compactOpenApi(node.additionalProperties);
  else if (node.additionalProperties === true) c.a = { x: 1 };
  if (Array.isArray(node.enum)) c.e = node.enum;
  if (node.nullable === true) c.n = 1;
  if ((c.t === 'object' || c.t === undefined) && !c.p && !c.a && !c.i) {
    if (c.t === undefined && !c.x && !c.e) return { x: 1 };
    if (c.t === 'object') c.x = 1;
  }
  return c;
}

/** A bundle under construction: add one OpenAPI v3 document (one group-version) at a time. */
export interface BundleBuilder {
  add(spec: unknown): void;
  build(): SchemaBundle;
}

/** Collects the definitions and kinds of OpenAPI v3 documents into one bundle (first definition of a name wins). */
export function bundleBuilder(kubernetesVersion: string, source: string): BundleBuilder {
  const defs: Record<string, SchemaNode> = {};
  const kinds: Record<string, string> = {};
  return {
    add(spec) {
      const schemas = isObj(spec) && isObj(spec.components) && isObj(spec.components.schemas) ? spec.components.schemas : {};
      for (const [name, schema] of Object.entries(schemas)) {
        const id = shortDefName(name);
        defs[id] ??= compactOpenApi(schema);
        const gvks = isObj(schema) && Array.isArray(schema['x-kubernetes-group-version-kind']) ? schema['x-kubernetes-group-version-kind'] : [];
        for (const gvk of gvks) {
          if (!isObj(gvk) || typeof gvk.kind !== 'string' || typeof gvk.version !== 'string') continue;
          // apimachinery's shared types (DeleteOptions, WatchEvent, Status) name every group but are not resources.
          if (name.startsWith('io.k8s.apimachinery.') || !name.endsWith(`.${gvk.kind}`)) continue;
          const group = typeof gvk.group === 'string' ? gvk.group : '';
          kinds[`${group ? `${group}/` : ''}${gvk.version}/${gvk.kind}`] ??= id;
        }
      }
    },
    build() {
      const sorted = <T>(r: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      return { kubernetesVersion, source, kinds: sorted(kinds), defs: sorted(defs) };
    },
  };
}
