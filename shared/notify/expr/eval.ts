// Compiles an expr-language expression once into JavaScript closures and runs it over an environment, with the
// semantics of github.com/expr-lang/expr as Argo CD's notifications controller uses it (expr.Compile without an
// environment, expr.Run over `app`, `time`, `strings`, …). Written here rather than adopted: no JavaScript port
// follows expr's Go semantics (int vs float64, nil fetches, time.Time methods), which conditions depend on.
import { goRegexp } from '../../appset/template/sprig/regex';
import type { ExprNode } from './ast';
import { callBuiltin, callPredicate, inOperator } from './builtins';
import { check } from './checker';
import { ExprSyntaxError } from './lexer';
import { BUILTINS, parseExpr, PREDICATES } from './parser';
import { durationMethod, timeMethod } from './time';
import { arithmetic, compare, equal, ExprDuration, ExprFunc, ExprRuntimeError, ExprTime, isMap, typeName, type ExprValue } from './values';

interface Scope {
  readonly env: { readonly [name: string]: ExprValue };
  readonly pointers: ExprValue[];
}

type Fn = (scope: Scope) => ExprValue;

/** Thrown by an optional member on nil; the enclosing chain turns it into nil. */
class ShortCircuit {}
const SHORT = new ShortCircuit();

/** A compile error with the 1-based line and column inside the expression text. */
export class ExprCompileError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} (${line}:${column})`);
    this.name = 'ExprCompileError';
  }
}

/** A compiled expression, ready to run many times. */
export interface CompiledExpr {
  readonly source: string;
  run(env: { readonly [name: string]: ExprValue }): ExprValue;
}

function asBool(v: ExprValue, what: string): boolean {
  if (typeof v !== 'boolean') throw new ExprRuntimeError(`interface conversion: interface {} is ${typeName(v)}, not bool (${what})`);
  return v;
}

function toIndex(i: ExprValue): number {
  if (typeof i === 'bigint') return Number(i);
  if (typeof i === 'number') return Math.trunc(i);
  throw new ExprRuntimeError(`invalid operation: int(${typeName(i)})`);
}

/** expr's runtime.Fetch: a map key, an array index (negative from the end), or a method of a time value. */
export function fetch(from: ExprValue, key: ExprValue): ExprValue {
  if (from === null) throw new ExprRuntimeError(`cannot fetch ${String(key)} from <nil>`);
  if (typeof key === 'string') {
    const method = from instanceof ExprTime ? timeMethod(from, key) : from instanceof ExprDuration ? durationMethod(from, key) : undefined;
    if (method) return method;
  }
  if (Array.isArray(from)) {
    const arr = from as readonly ExprValue[];
    let i = toIndex(key);
    if (i < 0) i += arr.length;
    if (i < 0 || i >= arr.length) throw new ExprRuntimeError(`index out of range: ${i} (array length is ${arr.length})`);
    return arr[i]!;
  }
  if (isMap(from)) {
    const k = key === null ? '' : key;
    if (typeof k !== 'string') throw new ExprRuntimeError(`cannot fetch ${String(key)} from ${typeName(from)}`);
    return Object.hasOwn(from, k) ? from[k]! : null;
  }
  throw new ExprRuntimeError(`cannot fetch ${String(key)} from ${typeName(from)}`);
}

function stringOp(op: string, l: ExprValue, r: ExprValue): boolean {
  if (typeof l !== 'string' || typeof r !== 'string') throw new ExprRuntimeError(`invalid operation: ${typeName(l)} ${op} ${typeName(r)}`);
  switch (op) {
    case 'contains':
      return l.includes(r);
    case 'startsWith':
      return l.startsWith(r);
    case 'endsWith':
      return l.endsWith(r);
    default: {
      let re;
      try {
        re = goRegexp(r);
      } catch (e) {
        throw new ExprRuntimeError(e instanceof Error ? e.message : String(e));
      }
      return re.matcher(l).find();
    }
  }
}

/** A boolean literal, for expr's optimizer folds (`x and true` is `x`, `x and false` is `false`). */
function boolLiteral(node: ExprNode): boolean | undefined {
  return node.type === 'literal' && typeof node.value === 'boolean' ? node.value : undefined;
}

function binary(node: ExprNode & { type: 'binary' }): Fn {
  if (node.op === 'and' || node.op === '&&' || node.op === 'or' || node.op === '||') {
    const and = node.op === 'and' || node.op === '&&';
    const a = boolLiteral(node.left);
    const b = boolLiteral(node.right);
    if (a === and) return compileNode(node.right);
    if (b === and) return compileNode(node.left);
    if (a === !and || b === !and) return () => !and;
  }
  const l = compileNode(node.left);
  const r = compileNode(node.right);
  switch (node.op) {
    case 'and':
    case '&&':
      return (s) => (asBool(l(s), node.op) ? r(s) : false);
    case 'or':
    case '||':
      return (s) => (asBool(l(s), node.op) ? true : r(s));
    case '==':
      return (s) => equal(l(s), r(s));
    case '!=':
      return (s) => !equal(l(s), r(s));
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const op = node.op;
      return (s) => compare(op, l(s), r(s));
    }
    case 'in':
      return (s) => inOperator(l(s), r(s));
    case 'matches':
    case 'contains':
    case 'startsWith':
    case 'endsWith': {
      const op = node.op;
      return (s) => stringOp(op, l(s), r(s));
    }
    case '??':
      return (s) => {
        const v = l(s);
        return v === null ? r(s) : v;
      };
    case '..':
      return (s) => {
        const a = l(s);
        const b = r(s);
        if (typeof a !== 'bigint' || typeof b !== 'bigint') throw new ExprRuntimeError(`invalid operation: ${typeName(a)} .. ${typeName(b)}`);
        const out: bigint[] = [];
        for (let i = a; i <= b; i++) out.push(i);
        return out;
      };
    default: {
      const op = node.op;
      return (s) => arithmetic(op, l(s), r(s));
    }
  }
}

function member(node: ExprNode & { type: 'member' }): Fn {
  const base = compileNode(node.node);
  const prop = node.property;
  if (prop.type === 'literal' && typeof prop.value === 'string') {
    const key = prop.value;
    if (node.optional)
      return (s) => {
        const b = base(s);
        if (b === null) throw SHORT;
        return fetch(b, key);
      };
    return (s) => fetch(base(s), key);
  }
  const p = compileNode(prop);
  return (s) => {
    const b = base(s);
    if (b === null && node.optional) throw SHORT;
    return fetch(b, p(s));
  };
}

function builtin(node: ExprNode & { type: 'builtin' }): Fn {
  const spec = PREDICATES[node.name] ?? BUILTINS[node.name];
  if (!spec || node.args.length < spec.min || node.args.length > spec.max) {
    throw new ExprSyntaxError(`invalid number of arguments for ${node.name} (expected ${spec?.min ?? 0}, got ${node.args.length})`, node.offset);
  }
  if (PREDICATES[node.name]) {
    const items = compileNode(node.args[0]!);
    const predNode = node.args[1];
    const body = predNode ? compileNode(predNode.type === 'closure' ? predNode.body : predNode) : undefined;
    const name = node.name;
    return (s) =>
      callPredicate(
        name,
        items(s),
        body
          ? (item) => {
              s.pointers.push(item);
              try {
                return body(s);
              } finally {
                s.pointers.pop();
              }
            }
          : undefined,
      );
  }
  const args = node.args.map(compileNode);
  const name = node.name;
  return (s) => callBuiltin(name, args.map((a) => a(s)));
}

function compileNode(node: ExprNode): Fn {
  switch (node.type) {
    case 'literal': {
      const v = node.value;
      return () => v;
    }
    case 'ident': {
      const name = node.name;
      return (s) => (Object.hasOwn(s.env, name) ? s.env[name]! : null);
    }
    case 'pointer': {
      const name = node.name;
      return (s) => {
        const cur = s.pointers.at(-1);
        if (cur === undefined) throw new ExprRuntimeError('# used outside a predicate');
        return name === '' ? cur : fetch(cur, name);
      };
    }
    case 'unary': {
      const inner = compileNode(node.node);
      const op = node.op;
      return (s) => {
        const v = inner(s);
        if (op === '!' || op === 'not') return !asBool(v, op);
        if (typeof v === 'bigint') return op === '-' ? BigInt.asIntN(64, -v) : v;
        if (typeof v === 'number') return op === '-' ? -v : v;
        throw new ExprRuntimeError(`invalid operation: ${op}${typeName(v)}`);
      };
    }
    case 'binary':
      return binary(node);
    case 'member':
      return member(node);
    case 'call': {
      const callee = compileNode(node.callee);
      const args = node.args.map(compileNode);
      return (s) => {
        const f = callee(s);
        if (!(f instanceof ExprFunc)) throw new ExprRuntimeError(`${typeName(f)} is not a function`);
        return f.call(args.map((a) => a(s)));
      };
    }
    case 'builtin':
      return builtin(node);
    case 'closure':
      return compileNode(node.body);
    case 'chain': {
      const inner = compileNode(node.node);
      return (s) => {
        try {
          return inner(s);
        } catch (e) {
          if (e === SHORT) return null;
          throw e;
        }
      };
    }
    case 'conditional': {
      const c = compileNode(node.cond);
      const a = compileNode(node.then);
      const b = compileNode(node.else);
      return (s) => (asBool(c(s), '?:') ? a(s) : b(s));
    }
    case 'array': {
      const items = node.items.map(compileNode);
      return (s) => items.map((i) => i(s));
    }
    case 'map': {
      const pairs = node.pairs.map((p) => ({ k: compileNode(p.key), v: compileNode(p.value) }));
      return (s) => {
        const out: Record<string, ExprValue> = {};
        for (const p of pairs) {
          const k = p.k(s);
          if (typeof k !== 'string') throw new ExprRuntimeError(`map key must be a string, got ${typeName(k)}`);
          out[k] = p.v(s);
        }
        return out;
      };
    }
  }
}

function lineColumn(src: string, offset: number): { line: number; column: number } {
  const before = src.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** Compiles an expression as expr.Compile does without an environment; throws ExprCompileError with its position. */
export function compileExpr(source: string): CompiledExpr {
  let fn: Fn;
  try {
    const tree = parseExpr(source);
    check(tree);
    checkRegexLiterals(tree);
    fn = compileNode(tree);
  } catch (e) {
    if (e instanceof ExprSyntaxError) {
      const { line, column } = lineColumn(source, e.offset);
      throw new ExprCompileError(e.message, line, column);
    }
    throw e;
  }
  return {
    source,
    run(env) {
      return fn({ env, pointers: [] });
    },
  };
}

function checkRegexLiterals(node: ExprNode): void {
  if (node.type === 'binary' && node.op === 'matches' && node.right.type === 'literal' && typeof node.right.value === 'string') {
    try {
      goRegexp(node.right.value);
    } catch (e) {
      throw new ExprSyntaxError(e instanceof Error ? e.message : String(e), node.offset);
    }
  }
  for (const child of children(node)) checkRegexLiterals(child);
}

function children(node: ExprNode): readonly ExprNode[] {
  switch (node.type) {
    case 'unary':
    case 'chain':
      return [node.node];
    case 'binary':
      return [node.left, node.right];
    case 'member':
      return [node.node, node.property];
    case 'call':
      return [node.callee, ...node.args];
    case 'builtin':
      return node.args;
    case 'closure':
      return [node.body];
    case 'conditional':
      return [node.cond, node.then, node.else];
    case 'array':
      return node.items;
    case 'map':
      return node.pairs.flatMap((p) => [p.key, p.value]);
    default:
      return [];
  }
}
