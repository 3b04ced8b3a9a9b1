// A parser for the expr language with github.com/expr-lang/expr's precedences and associativity (its
// parser/operator table), chained comparisons, `not in`-style negation, optional chaining, ternaries and the
// builtin calls with predicates (`all(list, # > 1)`).
import type { ExprNode } from './ast';
import type { Token } from './lexer';
import { ExprSyntaxError, tokenize } from './lexer';

interface Operator {
  readonly precedence: number;
  readonly right: boolean;
}

const UNARY: Readonly<Record<string, number>> = { not: 50, '!': 50, '-': 90, '+': 90 };
const BINARY: Readonly<Record<string, Operator>> = {
  or: { precedence: 10, right: false },
  '||': { precedence: 10, right: false },
  and: { precedence: 15, right: false },
  '&&': { precedence: 15, right: false },
  '==': { precedence: 20, right: false },
  '!=': { precedence: 20, right: false },
  '<': { precedence: 20, right: false },
  '>': { precedence: 20, right: false },
  '>=': { precedence: 20, right: false },
  '<=': { precedence: 20, right: false },
  in: { precedence: 20, right: false },
  matches: { precedence: 20, right: false },
  contains: { precedence: 20, right: false },
  startsWith: { precedence: 20, right: false },
  endsWith: { precedence: 20, right: false },
  '..': { precedence: 25, right: false },
  '+': { precedence: 30, right: false },
  '-': { precedence: 30, right: false },
  '*': { precedence: 60, right: false },
  '/': { precedence: 60, right: false },
  '%': { precedence: 60, right: false },
  '**': { precedence: 100, right: true },
  '^': { precedence: 100, right: true },
  '??': { precedence: 500, right: false },
};
const NEGATABLE = new Set(['contains', 'matches', 'startsWith', 'endsWith', 'in']);
const COMPARISONS = new Set(['<', '>', '<=', '>=']);

/** Builtins whose arguments after the first are predicates (closures over `#`), with their argument counts. */
export const PREDICATES: Readonly<Record<string, { readonly min: number; readonly max: number }>> = {
  all: { min: 2, max: 2 },
  none: { min: 2, max: 2 },
  any: { min: 2, max: 2 },
  one: { min: 2, max: 2 },
  filter: { min: 2, max: 2 },
  map: { min: 2, max: 2 },
  count: { min: 1, max: 2 },
  find: { min: 2, max: 2 },
};

/** The plain builtins Flotilla implements, with their argument counts. */
export const BUILTINS: Readonly<Record<string, { readonly min: number; readonly max: number }>> = {
  len: { min: 1, max: 1 },
  abs: { min: 1, max: 1 },
  int: { min: 1, max: 1 },
  float: { min: 1, max: 1 },
  trim: { min: 1, max: 2 },
  trimPrefix: { min: 2, max: 2 },
  trimSuffix: { min: 2, max: 2 },
  upper: { min: 1, max: 1 },
  lower: { min: 1, max: 1 },
  split: { min: 2, max: 3 },
  replace: { min: 3, max: 3 },
  repeat: { min: 2, max: 2 },
  join: { min: 1, max: 2 },
  indexOf: { min: 2, max: 2 },
  hasPrefix: { min: 2, max: 2 },
  hasSuffix: { min: 2, max: 2 },
  keys: { min: 1, max: 1 },
  values: { min: 1, max: 1 },
  first: { min: 1, max: 1 },
  last: { min: 1, max: 1 },
  duration: { min: 1, max: 1 },
};

/** expr's builtins that Flotilla does not implement: using one is a compile error naming it. */
const UNSUPPORTED = new Set([
  'string', 'splitAfter', 'lastIndexOf', 'max', 'min', 'sum', 'mean', 'median', 'toJSON', 'fromJSON', 'toBase64', 'fromBase64',
  'now', 'date', 'timezone', 'get', 'toPairs', 'fromPairs', 'sort', 'sortBy', 'reverse', 'uniq', 'concat', 'flatten', 'type',
  'findIndex', 'findLast', 'findLastIndex', 'groupBy', 'reduce', 'bitand', 'bitor', 'bitxor', 'bitnand', 'bitnot', 'bitshl', 'bitshr', 'bitushr',
]);

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private get current(): Token {
    return this.tokens[this.pos]!;
  }

  private is(kind: Token['kind'], text?: string): boolean {
    return this.current.kind === kind && (text === undefined || this.current.text === text);
  }

  private next(): Token {
    const t = this.current;
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private fail(message: string, t: Token = this.current): never {
    throw new ExprSyntaxError(message, t.offset);
  }

  private unexpected(t: Token = this.current): never {
    return this.fail(t.kind === 'eof' ? 'unexpected end of expression' : `unexpected token ${t.kind === 'operator' ? 'Operator' : t.kind === 'bracket' ? 'Bracket' : t.kind === 'ident' ? 'Identifier' : t.kind === 'string' ? 'String' : 'Number'}(${JSON.stringify(t.text)})`, t);
  }

  private expect(kind: Token['kind'], text: string): void {
    if (!this.is(kind, text)) this.unexpected();
    this.next();
  }

  parseAll(): ExprNode {
    const node = this.expression(0);
    if (!this.is('eof')) this.unexpected();
    return node;
  }

  expression(precedence: number): ExprNode {
    let left = this.primary();
    let prev = '';
    for (;;) {
      let opToken = this.current;
      if (opToken.kind !== 'operator') break;
      let negate = false;
      if (opToken.text === 'not') {
        const after = this.tokens[this.pos + 1];
        if (!after || after.kind !== 'operator' || !NEGATABLE.has(after.text)) this.unexpected(after);
        if (BINARY[after.text]!.precedence < precedence) break;
        this.next();
        opToken = this.current;
        negate = true;
      }
      const op = BINARY[opToken.text];
      if (!op || op.precedence < precedence) break;
      this.next();
      if (prev === '??' && opToken.text !== '??') this.fail(`Operator (${opToken.text}) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.`, opToken);
      if (COMPARISONS.has(opToken.text)) left = this.comparison(left, opToken, op.precedence);
      else {
        const right = this.expression(op.right ? op.precedence : op.precedence + 1);
        left = { type: 'binary', op: opToken.text, left, right, offset: opToken.offset };
        if (negate) left = { type: 'unary', op: 'not', node: left, offset: opToken.offset };
      }
      prev = opToken.text;
    }
    if (precedence === 0) left = this.conditional(left);
    return left;
  }

  private comparison(left: ExprNode, token: Token, precedence: number): ExprNode {
    let root: ExprNode | undefined;
    for (;;) {
      const right = this.expression(precedence + 1);
      const cmp: ExprNode = { type: 'binary', op: token.text, left, right, offset: token.offset };
      root = root ? { type: 'binary', op: '&&', left: root, right: cmp, offset: token.offset } : cmp;
      left = right;
      token = this.current;
      if (!(token.kind === 'operator' && COMPARISONS.has(token.text))) break;
      this.next();
    }
    return root;
  }

  private conditional(node: ExprNode): ExprNode {
    while (this.is('operator', '?')) {
      const q = this.next();
      let then: ExprNode;
      if (this.is('operator', ':')) {
        this.next();
        then = node;
      } else {
        then = this.expression(0);
        this.expect('operator', ':');
      }
      const otherwise = this.expression(0);
      node = { type: 'conditional', cond: node, then, else: otherwise, offset: q.offset };
    }
    return node;
  }

  private primary(): ExprNode {
    const t = this.current;
    if (t.kind === 'operator' && UNARY[t.text] !== undefined) {
      this.next();
      const node = this.expression(UNARY[t.text]!);
      return this.postfix({ type: 'unary', op: t.text, node, offset: t.offset });
    }
    if (this.is('bracket', '(')) {
      this.next();
      const e = this.expression(0);
      this.expect('bracket', ')');
      return this.postfix(e);
    }
    if (this.depth > 0 && t.kind === 'operator' && (t.text === '#' || t.text === '.')) {
      let name = '';
      if (t.text === '#') {
        this.next();
        if (this.is('ident')) name = this.next().text;
      }
      return this.postfix({ type: 'pointer', name, offset: t.offset });
    }
    return this.secondary();
  }

  private secondary(): ExprNode {
    const t = this.current;
    let node: ExprNode;
    switch (t.kind) {
      case 'ident':
        this.next();
        if (t.text === 'true' || t.text === 'false') return { type: 'literal', value: t.text === 'true', offset: t.offset };
        if (t.text === 'nil') return { type: 'literal', value: null, offset: t.offset };
        node = this.is('bracket', '(') ? this.call(t) : { type: 'ident', name: t.text, offset: t.offset };
        break;
      case 'number':
      case 'string':
        this.next();
        return this.postfix({ type: 'literal', value: t.value as string | number | bigint, offset: t.offset });
      default:
        if (this.is('bracket', '[')) node = this.array();
        else if (this.is('bracket', '{')) node = this.map();
        else this.unexpected();
    }
    return this.postfix(node);
  }

  private call(name: Token): ExprNode {
    const pred = PREDICATES[name.text];
    if (pred) {
      this.expect('bracket', '(');
      const args: ExprNode[] = [];
      for (let i = 0; i < pred.max; i++) {
        if (i >= pred.min && this.is('bracket', ')')) break;
        if (this.is('bracket', ')')) this.fail(`expected at least ${pred.min} arguments`);
        if (i > 0) this.expect('operator', ',');
        args.push(i === 0 ? this.expression(0) : this.predicate());
      }
      if (this.is('operator', ',')) this.next();
      this.expect('bracket', ')');
      return { type: 'builtin', name: name.text, args, offset: name.offset };
    }
    const args = this.arguments();
    if (BUILTINS[name.text]) return { type: 'builtin', name: name.text, args, offset: name.offset };
    if (UNSUPPORTED.has(name.text)) this.fail(`the builtin ${name.text}() is not supported by Flotilla's expr evaluator`, name);
    return { type: 'call', callee: { type: 'ident', name: name.text, offset: name.offset }, args, offset: name.offset };
  }

  private arguments(): ExprNode[] {
    this.expect('bracket', '(');
    const args: ExprNode[] = [];
    while (!this.is('bracket', ')')) {
      if (args.length > 0) {
        this.expect('operator', ',');
        if (this.is('bracket', ')')) break;
      }
      args.push(this.expression(0));
    }
    this.expect('bracket', ')');
    return args;
  }

  private predicate(): ExprNode {
    const start = this.current;
    const braces = this.is('bracket', '{');
    if (braces) this.next();
    this.depth++;
    const body = this.expression(0);
    this.depth--;
    if (braces) this.expect('bracket', '}');
    return { type: 'closure', body, offset: start.offset };
  }

  private array(): ExprNode {
    const start = this.next();
    const items: ExprNode[] = [];
    while (!this.is('bracket', ']')) {
      if (items.length > 0) {
        this.expect('operator', ',');
        if (this.is('bracket', ']')) break;
      }
      items.push(this.expression(0));
    }
    this.expect('bracket', ']');
    return { type: 'array', items, offset: start.offset };
  }

  private map(): ExprNode {
    const start = this.next();
    const pairs: { key: ExprNode; value: ExprNode }[] = [];
    while (!this.is('bracket', '}')) {
      if (pairs.length > 0) {
        this.expect('operator', ',');
        if (this.is('bracket', '}')) break;
      }
      const k = this.current;
      let key: ExprNode;
      if (k.kind === 'number' || k.kind === 'string' || k.kind === 'ident') {
        this.next();
        key = { type: 'literal', value: k.kind === 'string' ? (k.value as string) : k.text, offset: k.offset };
      } else if (this.is('bracket', '(')) key = this.expression(0);
      else this.fail(`a map key must be a quoted string, a number, a identifier, or an expression enclosed in parentheses`);
      this.expect('operator', ':');
      pairs.push({ key, value: this.expression(0) });
    }
    this.expect('bracket', '}');
    return { type: 'map', pairs, offset: start.offset };
  }

  private postfix(node: ExprNode): ExprNode {
    for (;;) {
      const t = this.current;
      if (t.kind === 'operator' && (t.text === '.' || t.text === '?.')) {
        const optional = t.text === '?.';
        this.next();
        if (optional && this.is('bracket', '[')) {
          node = this.index(node, true);
          continue;
        }
        const prop = this.next();
        if (prop.kind !== 'ident' && !(prop.kind === 'operator' && /^[A-Za-z_]\w*$/.test(prop.text))) this.fail('expected name', prop);
        const inChain = node.type === 'chain';
        const base = node.type === 'chain' ? node.node : node;
        let member: ExprNode = { type: 'member', node: base, property: { type: 'literal', value: prop.text, offset: prop.offset }, optional, offset: prop.offset };
        if (this.is('bracket', '(')) member = { type: 'call', callee: member, args: this.arguments(), offset: prop.offset };
        node = inChain || optional ? { type: 'chain', node: member, offset: prop.offset } : member;
      } else if (t.kind === 'bracket' && t.text === '[') {
        node = this.index(node, false);
      } else break;
    }
    return node;
  }

  private index(node: ExprNode, optional: boolean): ExprNode {
    const open = this.next();
    if (this.is('operator', ':')) this.fail('slices are not supported by Flotilla\'s expr evaluator', open);
    const property = this.expression(0);
    if (this.is('operator', ':')) this.fail('slices are not supported by Flotilla\'s expr evaluator', open);
    this.expect('bracket', ']');
    const member: ExprNode = { type: 'member', node, property, optional, offset: open.offset };
    return optional ? { type: 'chain', node: member, offset: open.offset } : member;
  }
}

/** Parses an expression; throws ExprSyntaxError with the offset of the offending token. */
export function parseExpr(src: string): ExprNode {
  return new Parser(tokenize(src)).parseAll();
}
