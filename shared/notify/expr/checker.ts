// The compile-time type check expr.Compile runs without an environment: every name is of unknown type, so only
// literals, operators and builtins have known types, and an operator on two known, incompatible types (`'a' + 1`,
// `nil and true`, `1 in {a: 1}`) is a compile error, as in expr's checker.
import type { ExprNode } from './ast';
import { ExprSyntaxError } from './lexer';
import { PREDICATES } from './parser';

/** The static type of a node as expr's checker knows it without an environment. */
type Nature = 'unknown' | 'nil' | 'bool' | 'int' | 'float' | 'string' | 'array' | 'map';

const BOOL_RESULT = new Set(['all', 'none', 'any', 'one', 'hasPrefix', 'hasSuffix']);
const STRING_RESULT = new Set(['trim', 'trimPrefix', 'trimSuffix', 'upper', 'lower', 'replace', 'repeat', 'join']);
const INT_RESULT = new Set(['len', 'count', 'int', 'indexOf']);
const ARRAY_RESULT = new Set(['split', 'filter', 'map', 'keys', 'values']);

/** Builtins whose first two arguments are strings (Go funcs of string parameters). */
const STRING_ARGS = new Set(['upper', 'lower', 'trim', 'trimPrefix', 'trimSuffix', 'split', 'replace', 'hasPrefix', 'hasSuffix', 'indexOf']);

const isNum = (n: Nature): boolean => n === 'int' || n === 'float';
const unknown = (n: Nature): boolean => n === 'unknown';

function maybe(l: Nature, r: Nature, ok: (n: Nature) => boolean): boolean {
  return (unknown(l) && unknown(r)) || (unknown(l) && ok(r)) || (unknown(r) && ok(l));
}

function comparable(l: Nature, r: Nature): boolean {
  return unknown(l) || unknown(r) || l === 'nil' || r === 'nil' || (isNum(l) && isNum(r)) || l === r;
}

function fail(node: ExprNode, message: string): never {
  throw new ExprSyntaxError(message, node.offset);
}

function binary(node: ExprNode & { type: 'binary' }, l: Nature, r: Nature): Nature {
  const bad = (): never => fail(node, `invalid operation: ${node.op} (mismatched types ${l} and ${r})`);
  switch (node.op) {
    case '==':
    case '!=':
      return comparable(l, r) ? 'bool' : bad();
    case 'or':
    case '||':
    case 'and':
    case '&&':
      return (l === 'bool' && r === 'bool') || maybe(l, r, (n) => n === 'bool') ? 'bool' : bad();
    case '<':
    case '>':
    case '<=':
    case '>=':
      return (isNum(l) && isNum(r)) || (l === 'string' && r === 'string') || maybe(l, r, (n) => isNum(n) || n === 'string') ? 'bool' : bad();
    case '-':
    case '*':
      if (isNum(l) && isNum(r)) return l === 'float' || r === 'float' ? 'float' : 'int';
      return maybe(l, r, isNum) ? 'unknown' : bad();
    case '+':
      if (isNum(l) && isNum(r)) return l === 'float' || r === 'float' ? 'float' : 'int';
      if (l === 'string' && r === 'string') return 'string';
      return maybe(l, r, (n) => isNum(n) || n === 'string') ? 'unknown' : bad();
    case '/':
    case '**':
    case '^':
      return (isNum(l) && isNum(r)) || maybe(l, r, isNum) ? 'float' : bad();
    case '%':
      return (l === 'int' && r === 'int') || maybe(l, r, (n) => n === 'int') ? 'int' : bad();
    case 'in':
      if (r === 'map') return unknown(l) || l === 'string' ? 'bool' : fail(node, `cannot use ${l} as type string in map key`);
      if (r === 'array' || unknown(r)) return 'bool';
      if (unknown(l) && r === 'string') return 'bool';
      return bad();
    case 'matches':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return (l === 'string' && r === 'string') || maybe(l, r, (n) => n === 'string') ? 'bool' : bad();
    case '..':
      return (l === 'int' && r === 'int') || maybe(l, r, (n) => n === 'int') ? 'array' : bad();
    case '??':
      if (l === 'nil') return r;
      if (r === 'nil') return l;
      return l === r ? l : 'unknown';
    default:
      return fail(node, `unknown operator (${node.op})`);
  }
}

/** Checks a tree as expr.Compile does without an environment; throws ExprSyntaxError at the offending node. */
export function check(node: ExprNode): Nature {
  switch (node.type) {
    case 'literal': {
      const v = node.value;
      if (v === null) return 'nil';
      return typeof v === 'boolean' ? 'bool' : typeof v === 'bigint' ? 'int' : typeof v === 'number' ? 'float' : 'string';
    }
    case 'ident':
    case 'pointer':
      return 'unknown';
    case 'unary': {
      const n = check(node.node);
      if (node.op === '!' || node.op === 'not') return n === 'bool' || unknown(n) ? 'bool' : fail(node, `invalid operation: ${node.op} (mismatched type ${n})`);
      return isNum(n) ? n : unknown(n) ? 'unknown' : fail(node, `invalid operation: ${node.op} (mismatched type ${n})`);
    }
    case 'binary':
      return binary(node, check(node.left), check(node.right));
    case 'member': {
      const base = check(node.node);
      check(node.property);
      if (base === 'nil') fail(node, 'type nil has no field');
      return 'unknown';
    }
    case 'call':
      check(node.callee);
      for (const a of node.args) check(a);
      return 'unknown';
    case 'builtin': {
      const natures = node.args.map(check);
      const first = natures[0];
      if (node.name === 'len' && first !== undefined && !['array', 'map', 'string', 'unknown'].includes(first)) fail(node, `invalid argument for len (type ${first})`);
      if (STRING_ARGS.has(node.name)) {
        natures.forEach((n, i) => {
          if (i < 2 && n !== 'string' && !unknown(n)) fail(node.args[i]!, `cannot use ${n} as argument (type string) to call ${node.name}`);
        });
      }
      if (PREDICATES[node.name] && first !== undefined && first !== 'array' && !unknown(first)) fail(node, `builtin ${node.name} takes only array (got ${first})`);
      if (BOOL_RESULT.has(node.name)) return 'bool';
      if (STRING_RESULT.has(node.name)) return 'string';
      if (INT_RESULT.has(node.name)) return 'int';
      if (ARRAY_RESULT.has(node.name)) return 'array';
      return node.name === 'float' ? 'float' : 'unknown';
    }
    case 'closure':
      return check(node.body);
    case 'chain':
      return check(node.node);
    case 'conditional': {
      const c = check(node.cond);
      if (c !== 'bool' && !unknown(c)) fail(node, `non-bool expression (type ${c}) used as condition`);
      const a = check(node.then);
      const b = check(node.else);
      return a === b ? a : 'unknown';
    }
    case 'array':
      for (const i of node.items) check(i);
      return 'array';
    case 'map':
      for (const p of node.pairs) {
        check(p.key);
        check(p.value);
      }
      return 'map';
  }
}
