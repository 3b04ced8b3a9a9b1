import type { SchemaBundle, SchemaNode, SchemaType } from './compact';

// Schemas compiled once into closures: a definition becomes one function, a `$ref` a call through a holder (so
// recursive definitions such as JSONSchemaProps compile), and validation walks the object once with a shared path
// stack. Strict like `kubectl --validate=strict`: a field no schema declares is an error unless the node preserves
// unknown fields. Null stands for "unset", as the API server reads it.

/** What a schema violation is, as a finding id. */
export type SchemaViolation = 'unknown-field' | 'wrong-type' | 'missing-required' | 'bad-enum';

/** Receives each violation with the path of the field (a stack valid only during the call). */
export type ViolationSink = (id: SchemaViolation, path: readonly (string | number)[], message: string) => void;

/** A compiled schema: checks a value at the path on the stack. */
export type CompiledSchema = (value: unknown, path: (string | number)[], sink: ViolationSink) => void;

/** Compiles nodes of one bundle, each definition once. */
export class SchemaCompiler {
  private readonly compiled = new Map<string, { fn: CompiledSchema }>();

  constructor(private readonly bundle: SchemaBundle) {}

  /** The compiled validator of a definition (a missing one accepts anything and is reported by `missingDefs`). */
  def(name: string): CompiledSchema {
    let holder = this.compiled.get(name);
    if (!holder) {
      holder = { fn: ANY };
      this.compiled.set(name, holder);
      const node = this.bundle.defs[name];
      if (node) holder.fn = this.node(node);
    }
    const h = holder;
    return (v, p, s) => h.fn(v, p, s);
  }

  /** Compiles one node. */
  node(node: SchemaNode): CompiledSchema {
    if (node.$ !== undefined) return this.def(node.$);
    const checks: CompiledSchema[] = [];
    const types = node.t === undefined ? undefined : typeof node.t === 'string' ? [node.t] : node.t;
    if (types) checks.push(typeCheck(types));
    if (node.e) checks.push(enumCheck(node.e));
    if (node.p || node.a || node.r || (types?.includes('object') && !node.x)) checks.push(this.objectCheck(node));
    if (node.i) {
      const items = this.node(node.i);
      checks.push((v, p, s) => {
        if (!Array.isArray(v)) return;
        for (let k = 0; k < v.length; k++) {
          p.push(k);
          items(v[k], p, s);
          p.pop();
        }
      });
    }
    if (checks.length === 0) return ANY;
    const one = checks.length === 1 ? checks[0] : undefined;
    return (v, p, s) => {
      if (v === null) return;
      if (one) return one(v, p, s);
      for (const c of checks) c(v, p, s);
    };
  }

  private objectCheck(node: SchemaNode): CompiledSchema {
    const props = new Map<string, CompiledSchema>();
    for (const [k, n] of Object.entries(node.p ?? {})) props.set(k, this.node(n));
    const extra = node.a ? this.node(node.a) : undefined;
    const open = node.x === 1;
    const required = node.r ?? [];
    return (v, p, s) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Date) return;
      const obj = v as Record<string, unknown>;
      for (const r of required) {
        if (!(r in obj)) {
          p.push(r);
          s('missing-required', p, `required field "${r}" is missing`);
          p.pop();
        }
      }
      for (const key in obj) {
        const fn = props.get(key);
        p.push(key);
        if (fn) fn(obj[key], p, s);
        else if (extra) extra(obj[key], p, s);
        else if (!open) s('unknown-field', p, `unknown field "${key}"`);
        p.pop();
      }
    };
  }
}

const ANY: CompiledSchema = () => {};

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeCheck(types: readonly SchemaType[]): CompiledSchema {
  const ok = (v: unknown): boolean => {
    for (const t of types) {
      switch (t) {
        case 'object':
          if (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date)) return true;
          break;
        case 'array':
          if (Array.isArray(v)) return true;
          break;
        case 'integer':
          if (typeof v === 'number' && Number.isInteger(v)) return true;
          break;
        case 'number':
          if (typeof v === 'number') return true;
          break;
        case 'string':
          // A YAML 1.1 timestamp is read as a Date and written back as the same string.
          if (typeof v === 'string' || v instanceof Date) return true;
          break;
        default:
          if (typeof v === t) return true;
      }
    }
    return false;
  };
  const expected = types.join(' or ');
  return (v, p, s) => {
    if (!ok(v)) s('wrong-type', p, `expected ${expected}, got ${jsonType(v)}${typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? ` ${JSON.stringify(v)}` : ''}`);
  };
}

function enumCheck(values: readonly unknown[]): CompiledSchema {
  const set = new Set(values.map((e) => JSON.stringify(e)));
  const list = values.map((e) => JSON.stringify(e)).join(', ');
  return (v, p, s) => {
    if (!set.has(JSON.stringify(v))) s('bad-enum', p, `value ${JSON.stringify(v)} is not one of ${list}`);
  };
}
