import type { SchemaBundle, SchemaNode } from './compact';

// A kind's compact schema as a standalone JSON Schema (draft 4) file, as kubeconform reads from its schema location:
// strict (`additionalProperties: false` where the compact node is closed), null accepted everywhere (as the compact
// validator reads null as unset), referenced definitions carried in the file's own `definitions`. This is how the
// oracle test and the benchmark hand kubeconform the very schemas Flotilla validates with.

type JsonSchema = Record<string, unknown>;

/** The standalone JSON Schema of a root node (a kind's definition or a CRD version) of a bundle. */
export function toJsonSchema(root: SchemaNode, bundle: SchemaBundle): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const pending: string[] = [];
  const convert = (n: SchemaNode): JsonSchema => {
    if (n.$ !== undefined) {
      if (!(n.$ in definitions)) {
        definitions[n.$] = {};
        pending.push(n.$);
      }
      return { $ref: `#/definitions/${n.$}` };
    }
    const s: JsonSchema = {};
    if (n.t !== undefined) s.type = [...(typeof n.t === 'string' ? [n.t] : n.t), 'null'];
    if (n.p) s.properties = Object.fromEntries(Object.entries(n.p).map(([k, v]) => [k, convert(v)]));
    if (n.r) s.required = [...n.r];
    if (n.i) s.items = convert(n.i);
    if (n.a) s.additionalProperties = convert(n.a);
    else if (n.p && n.x !== 1) s.additionalProperties = false;
    if (n.e) s.enum = [...n.e, null];
    return s;
  };
  const top = convert(root);
  while (pending.length > 0) {
    const name = pending.pop()!;
    const def = bundle.defs[name];
    definitions[name] = def ? convert(def) : {};
  }
  return { $schema: 'http://json-schema.org/draft-04/schema#', ...top, definitions };
}
