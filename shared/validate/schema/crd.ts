import type { Problem } from '../../problem';
import { problem } from '../../problem';
import type { SourceLocation } from '../finding';
import type { SchemaNode, SchemaType } from './compact';
import { OBJECT_META } from './compact';
import type { Mutable } from '../../mutable';

// A CustomResourceDefinition's structural schemas (spec.versions[].schema.openAPIV3Schema) in the compact form, with
// the API server's semantics: fields a schema does not declare are pruned, so under strict validation they are
// unknown, unless `x-kubernetes-preserve-unknown-fields`; `metadata` is always ObjectMeta. Value validations
// (pattern, minimum, anyOf/oneOf/allOf/not) are not checked; kubeconform, given the same schemas, checks none either.

/** One served version of a custom resource, compiled from its CRD. */
export interface CrdSchema {
  /** `group/version/Kind`. */
  readonly key: string;
  readonly node: SchemaNode;
  /** The CRD's name (`widgets.example.com`), for findings and problems. */
  readonly crd: string;
}

const TYPES: ReadonlySet<string> = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether an object is a CustomResourceDefinition (apiextensions.k8s.io/v1). */
export function isCrd(obj: Record<string, unknown>): boolean {
  return obj.kind === 'CustomResourceDefinition' && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('apiextensions.k8s.io/');
}

/** The schemas of a CRD's served versions, or Problems naming the CRD (and its file) when a schema is invalid. */
export function crdSchemas(obj: Record<string, unknown>, source?: SourceLocation): { readonly schemas: readonly CrdSchema[]; readonly problems: readonly Problem[] } {
  const meta = isObj(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '(unnamed)';
  const where = { resource: `CustomResourceDefinition ${name}`, ...(source ? { file: source.file, ...(source.line !== undefined ? { line: source.line } : {}) } : {}) };
  const spec = isObj(obj.spec) ? obj.spec : {};
  const names = isObj(spec.names) ? spec.names : {};
  const group = typeof spec.group === 'string' ? spec.group : '';
  const kind = typeof names.kind === 'string' ? names.kind : '';
  const problems: Problem[] = [];
  if (!group || !kind) return { schemas: [], problems: [problem(`CRD ${name} has no spec.group or spec.names.kind; its custom resources cannot be validated`, where)] };
  const schemas: CrdSchema[] = [];
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  for (const [i, v] of versions.entries()) {
    if (!isObj(v) || typeof v.name !== 'string' || v.served === false) continue;
    const raw = isObj(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isObj(raw)) {
      problems.push(problem(`CRD ${name} version ${v.name} has no schema (spec.versions[${i}].schema.openAPIV3Schema)`, where));
      continue;
    }
    const errors: string[] = [];
    const node = structural(raw, `spec.versions[${i}].schema.openAPIV3Schema`, errors);
    if (errors.length > 0) {
      problems.push(problem(`CRD ${name} version ${v.name} has an invalid schema: ${errors.slice(0, 3).join('; ')}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''}`, where));
      continue;
    }
    // The API server owns apiVersion, kind and metadata whatever the schema says of them.
    const root: SchemaNode = { ...node, t: 'object', p: { ...node.p, apiVersion: { t: 'string' }, kind: { t: 'string' }, metadata: { $: OBJECT_META } } };
    schemas.push({ key: `${group}/${v.name}/${kind}`, node: root, crd: name });
  }
  return { schemas, problems };
}

function structural(s: Json, at: string, errors: string[]): SchemaNode {
  const c: Mutable<SchemaNode> = {};
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (preserve) c.x = 1;
  if (s['x-kubernetes-int-or-string'] === true) c.t = ['integer', 'string'];
  else if (s.type !== undefined) {
    if (typeof s.type !== 'string' || !TYPES.has(s.type)) errors.push(`${at}.type: ${JSON.stringify(s.type)} is not a type (object, array, string, integer, number, boolean)`);
    else c.t = s.type as SchemaType;
  }
  if (s.properties !== undefined) {
    if (!isObj(s.properties)) errors.push(`${at}.properties: must be a map of schemas`);
    else {
      const p: Record<string, SchemaNode> = {};
      for (const [k, v] of Object.entries(s.properties)) {
        if (!isObj(v)) errors.push(`${at}.properties.${k}: must be a schema`);
        else p[k] = structural(v, `${at}.properties.${k}`, errors);
      }
      c.p = p;
    }
  }
  if (Array.isArray(s.required)) c.r = s.required.filter((r): r is string => typeof r === 'string');
  if (s.items !== undefined) {
    if (!isObj(s.items)) errors.push(`${at}.items: must be a schema`);
    else c.i = structural(s.items, `${at}.items`, errors);
  }
  if (isObj(s.additionalProperties)) c.a = structural(s.additionalProperties, `${at}.additionalProperties`, errors);
  else if (s.additionalProperties === true) c.a = {};
  if (Array.isArray(s.enum)) c.e = s.enum;
  if (s.nullable === true) c.n = 1;
  if (s['x-kubernetes-embedded-resource'] === true) c.p = { apiVersion: { t: 'string' }, kind: { t: 'string' }, metadata: { t: 'object', x: 1 }, ...c.p };
  // Structural schemas prune what they do not declare: an object with no fields and no map keeps nothing.
  if (c.t === 'object' && !c.p && !c.a && !preserve) c.p = {};
  return c;
}
