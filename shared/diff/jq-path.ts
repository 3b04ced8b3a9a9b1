// The subset of jq path expressions that Argo CD users write in `ignoreDifferences.jqPathExpressions`
// (Argo CD deletes what `del(EXPR)` would delete). Written here rather than pulled from a library because the
// JS jq ports are WebAssembly or Node-only, and shared/ must stay pure; only paths are needed, not a full jq.
//
// Supported: `.`, `.a.b`, `.a."x.y"`, `.["x"]`, `.a[0]`, `.a[-1]`, `.[]`, `.a[]?`, `|`, `,`, parentheses,
// `select(...)`, `==` `!=` `<` `<=` `>` `>=`, `and`, `or`, `not`, `test(re)`, `test(re; flags)`, `startswith`,
// `endswith`, `contains`, `has`, `length`, `ascii_downcase`, `ascii_upcase`, and string/number/true/false/null literals.

import type { PathSeg } from './json-path';
import { isPlainObject } from './json-path';
import { RE2JS } from 're2js';

type Node =
  | { readonly t: 'identity' }
  | { readonly t: 'field'; readonly of: Node; readonly name: string; readonly opt: boolean }
  | { readonly t: 'index'; readonly of: Node; readonly index: Node; readonly opt: boolean }
  | { readonly t: 'iterate'; readonly of: Node; readonly opt: boolean }
  | { readonly t: 'pipe'; readonly a: Node; readonly b: Node }
  | { readonly t: 'comma'; readonly a: Node; readonly b: Node }
  | { readonly t: 'literal'; readonly value: unknown }
  | { readonly t: 'binop'; readonly op: string; readonly a: Node; readonly b: Node }
  | { readonly t: 'call'; readonly name: string; readonly args: readonly Node[] };

interface Out {
  readonly v: unknown;
  readonly p: readonly PathSeg[] | null;
}

interface Token {
  readonly kind: 'punct' | 'ident' | 'string' | 'number' | 'field' | 'end';
  readonly text: string;
  readonly value?: unknown;
  readonly pos: number;
}

/** A jq path expression compiled once and applied to many objects. */
export interface JqPath {
  readonly source: string;
  /** The paths `del(EXPR)` would delete in `obj`. */
  paths(obj: unknown): PathSeg[][];
}

/** The result of compiling a jq path expression: the compiled path, or why it is not one Flotilla understands. */
export type JqCompileResult = { readonly ok: true; readonly path: JqPath } | { readonly ok: false; readonly error: string };

class JqError extends Error {}

/** Compiles a jq path expression (`.spec.template.spec.containers[] | select(.name == "app") | .image`). */
export function compileJqPath(source: string): JqCompileResult {
  try {
    const node = new Parser(source).parseProgram();
    return {
      ok: true,
      path: {
        source,
        paths(obj: unknown): PathSeg[][] {
          const out: PathSeg[][] = [];
          try {
            for (const r of evaluate(node, { v: obj, p: [] })) {
              if (r.p === null) throw new JqError(`jq: ${source}: not a path expression`);
              if (r.p.length > 0) out.push([...r.p]);
            }
          } catch (err) {
            if (err instanceof JqError) return out;
            throw err;
          }
          return out;
        },
      },
    };
  } catch (err) {
    if (err instanceof JqError) return { ok: false, error: err.message };
    throw err;
  }
}

const PUNCT = ['==', '!=', '<=', '>=', '|', ',', '(', ')', '[', ']', '?', '<', '>', ';', '.'];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"') {
      const start = i;
      let s = '';
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\') {
          const e = src[i + 1];
          if (e === undefined) break;
          if (e === 'u') {
            s += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
          i += 2;
          continue;
        }
        s += src[i];
        i++;
      }
      if (src[i] !== '"') throw new JqError(`jq: unterminated string at column ${start + 1}`);
      i++;
      out.push({ kind: 'string', text: src.slice(start, i), value: s, pos: start });
      continue;
    }
    if (c === '.' && /[A-Za-z_]/.test(src[i + 1] ?? '')) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i + 1))!;
      out.push({ kind: 'field', text: m[0], pos: i });
      i += 1 + m[0].length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i))!;
      out.push({ kind: 'number', text: m[0], value: Number(m[0]), pos: i });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ kind: 'ident', text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const p = PUNCT.find((x) => src.startsWith(x, i));
    if (!p) throw new JqError(`jq: unexpected '${c}' at column ${i + 1}`);
    out.push({ kind: 'punct', text: p, pos: i });
    i += p.length;
  }
  out.push({ kind: 'end', text: '', pos: src.length });
  return out;
}

const FUNCTIONS: Readonly<Record<string, readonly number[]>> = {
  select: [1], test: [1, 2], startswith: [1], endswith: [1], contains: [1], has: [1],
  not: [0], length: [0], ascii_downcase: [0], ascii_upcase: [0], empty: [0],
};

class Parser {
  private readonly toks: Token[];
  private i = 0;
  constructor(private readonly src: string) {
    this.toks = tokenize(src);
  }

  parseProgram(): Node {
    if (this.peek().kind === 'end') throw new JqError('jq: empty expression');
    const n = this.parsePipe();
    const t = this.peek();
    if (t.kind !== 'end') throw this.error(t, 'end of expression');
    return n;
  }

  private peek(): Token {
    return this.toks[this.i]!;
  }
  private next(): Token {
    return this.toks[this.i++]!;
  }
  private isPunct(text: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === text;
  }
  private isIdent(text: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text === text;
  }
  private expect(text: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== text) throw this.error(t, `'${text}'`);
  }
  private error(t: Token, expected: string): JqError {
    const got = t.kind === 'end' ? 'end of expression' : `'${t.text}'`;
    return new JqError(`jq: expected ${expected} but found ${got} at column ${t.pos + 1} in ${JSON.stringify(this.src)}`);
  }

  private parsePipe(): Node {
    let a = this.parseComma();
    while (this.isPunct('|')) {
      this.next();
      a = { t: 'pipe', a, b: this.parseComma() };
    }
    return a;
  }
  private parseComma(): Node {
    let a = this.parseOr();
    while (this.isPunct(',')) {
      this.next();
      a = { t: 'comma', a, b: this.parseOr() };
    }
    return a;
  }
  private parseOr(): Node {
    let a = this.parseAnd();
    while (this.isIdent('or')) {
      this.next();
      a = { t: 'binop', op: 'or', a, b: this.parseAnd() };
    }
    return a;
  }
  private parseAnd(): Node {
    let a = this.parseCompare();
    while (this.isIdent('and')) {
      this.next();
      a = { t: 'binop', op: 'and', a, b: this.parseCompare() };
    }
    return a;
  }
  private parseCompare(): Node {
    const a = this.parsePostfix();
    const t = this.peek();
    if (t.kind === 'punct' && ['==', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      this.next();
      return { t: 'binop', op: t.text, a, b: this.parsePostfix() };
    }
    return a;
  }

  private parsePostfix(): Node {
    let n = this.parsePrimary();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'field') {
        this.next();
        n = { t: 'field', of: n, name: t.text, opt: this.optional() };
      } else if (t.kind === 'punct' && t.text === '.' && this.toks[this.i + 1]?.kind === 'string') {
        this.next();
        const s = this.next();
        n = { t: 'field', of: n, name: String(s.value), opt: this.optional() };
      } else if (t.kind === 'punct' && t.text === '.' && this.toks[this.i + 1]?.text === '[') {
        this.next();
      } else if (t.kind === 'punct' && t.text === '[') {
        this.next();
        if (this.isPunct(']')) {
          this.next();
          n = { t: 'iterate', of: n, opt: this.optional() };
        } else {
          const index = this.parsePipe();
          this.expect(']');
          n = { t: 'index', of: n, index, opt: this.optional() };
        }
      } else {
        return n;
      }
    }
  }

  private optional(): boolean {
    if (this.isPunct('?')) {
      this.next();
      return true;
    }
    return false;
  }

  private parsePrimary(): Node {
    const t = this.next();
    if (t.kind === 'field') return { t: 'field', of: { t: 'identity' }, name: t.text, opt: this.optional() };
    if (t.kind === 'punct' && t.text === '.') {
      const nx = this.peek();
      if (nx.kind === 'string') {
        this.next();
        return { t: 'field', of: { t: 'identity' }, name: String(nx.value), opt: this.optional() };
      }
      return { t: 'identity' };
    }
    if (t.kind === 'string' || t.kind === 'number') return { t: 'literal', value: t.value };
    if (t.kind === 'punct' && t.text === '(') {
      const n = this.parsePipe();
      this.expect(')');
      return n;
    }
    if (t.kind === 'ident') {
      if (t.text === 'true') return { t: 'literal', value: true };
      if (t.text === 'false') return { t: 'literal', value: false };
      if (t.text === 'null') return { t: 'literal', value: null };
      const arities = FUNCTIONS[t.text];
      if (!arities) throw new JqError(`jq: function '${t.text}' (column ${t.pos + 1}) is not supported in ignoreDifferences path expressions`);
      const args: Node[] = [];
      if (this.isPunct('(')) {
        this.next();
        args.push(this.parsePipe());
        while (this.isPunct(';')) {
          this.next();
          args.push(this.parsePipe());
        }
        this.expect(')');
      }
      if (!arities.includes(args.length)) throw new JqError(`jq: ${t.text}/${args.length} is not defined (column ${t.pos + 1})`);
      return { t: 'call', name: t.text, args };
    }
    throw this.error(t, 'a path, a literal or a function');
  }
}

function truthy(v: unknown): boolean {
  return v !== false && v !== null && v !== undefined;
}

function child(p: readonly PathSeg[] | null, seg: PathSeg): readonly PathSeg[] | null {
  return p === null ? null : [...p, seg];
}

function evaluate(n: Node, input: Out): Out[] {
  switch (n.t) {
    case 'identity':
      return [input];
    case 'literal':
      return [{ v: n.value, p: null }];
    case 'field': {
      const out: Out[] = [];
      for (const o of evaluate(n.of, input)) {
        if (isPlainObject(o.v)) out.push({ v: o.v[n.name] ?? null, p: child(o.p, n.name) });
        else if (o.v === null || o.v === undefined) out.push({ v: null, p: child(o.p, n.name) });
        else if (!n.opt) throw new JqError(`jq: cannot index ${typeName(o.v)} with "${n.name}"`);
      }
      return out;
    }
    case 'index': {
      const out: Out[] = [];
      for (const o of evaluate(n.of, input)) {
        for (const k of evaluate(n.index, input)) {
          if (typeof k.v === 'string') {
            if (isPlainObject(o.v)) out.push({ v: o.v[k.v] ?? null, p: child(o.p, k.v) });
            else if (o.v === null || o.v === undefined) out.push({ v: null, p: child(o.p, k.v) });
            else if (!n.opt) throw new JqError(`jq: cannot index ${typeName(o.v)} with string`);
          } else if (typeof k.v === 'number' && Number.isInteger(k.v)) {
            if (Array.isArray(o.v)) {
              const idx = k.v < 0 ? o.v.length + k.v : k.v;
              if (idx >= 0) out.push({ v: o.v[idx] ?? null, p: child(o.p, idx) });
            } else if (o.v === null || o.v === undefined) out.push({ v: null, p: child(o.p, k.v) });
            else if (!n.opt) throw new JqError(`jq: cannot index ${typeName(o.v)} with number`);
          } else if (!n.opt) throw new JqError(`jq: cannot index with ${typeName(k.v)}`);
        }
      }
      return out;
    }
    case 'iterate': {
      const out: Out[] = [];
      for (const o of evaluate(n.of, input)) {
        if (Array.isArray(o.v)) o.v.forEach((v, i) => out.push({ v, p: child(o.p, i) }));
        else if (isPlainObject(o.v)) for (const k of Object.keys(o.v)) out.push({ v: o.v[k], p: child(o.p, k) });
        else if (!n.opt && o.v !== null && o.v !== undefined) throw new JqError(`jq: cannot iterate over ${typeName(o.v)}`);
      }
      return out;
    }
    case 'pipe':
      return evaluate(n.a, input).flatMap((o) => evaluate(n.b, o));
    case 'comma':
      return [...evaluate(n.a, input), ...evaluate(n.b, input)];
    case 'binop': {
      if (n.op === 'and' || n.op === 'or') {
        const out: Out[] = [];
        for (const a of evaluate(n.a, input)) {
          if (n.op === 'and' && !truthy(a.v)) out.push({ v: false, p: null });
          else if (n.op === 'or' && truthy(a.v)) out.push({ v: true, p: null });
          else for (const b of evaluate(n.b, input)) out.push({ v: truthy(b.v), p: null });
        }
        return out;
      }
      const out: Out[] = [];
      for (const b of evaluate(n.b, input)) for (const a of evaluate(n.a, input)) out.push({ v: compare(n.op, a.v, b.v), p: null });
      return out;
    }
    case 'call':
      return callFunction(n.name, n.args, input);
  }
}

function callFunction(name: string, args: readonly Node[], input: Out): Out[] {
  const v = input.v;
  const str = (what: string): string => {
    if (typeof v !== 'string') throw new JqError(`jq: ${typeName(v)} cannot be matched, as it is not a string (${what})`);
    return v;
  };
  const argValues = (i: number): unknown[] => evaluate(args[i]!, input).map((o) => o.v);
  switch (name) {
    case 'select':
      return evaluate(args[0]!, input).filter((o) => truthy(o.v)).map(() => input);
    case 'empty':
      return [];
    case 'not':
      return [{ v: !truthy(v), p: null }];
    case 'length':
      return [{ v: typeof v === 'string' || Array.isArray(v) ? v.length : isPlainObject(v) ? Object.keys(v).length : v === null || v === undefined ? 0 : Math.abs(Number(v)), p: null }];
    case 'ascii_downcase':
      return [{ v: str(name).toLowerCase(), p: null }];
    case 'ascii_upcase':
      return [{ v: str(name).toUpperCase(), p: null }];
    case 'test': {
      const s = str(name);
      const flags = args[1] ? argValues(1).map(String) : [''];
      return argValues(0).flatMap((re) => flags.map((f) => ({ v: toRegExp(re, f).matcher(s).find(), p: null })));
    }
    case 'startswith':
      return argValues(0).map((x) => ({ v: str(name).startsWith(String(x)), p: null }));
    case 'endswith':
      return argValues(0).map((x) => ({ v: str(name).endsWith(String(x)), p: null }));
    case 'contains':
      return argValues(0).map((x) => ({ v: contains(v, x), p: null }));
    case 'has':
      return argValues(0).map((k) => ({
        v: isPlainObject(v) ? Object.prototype.hasOwnProperty.call(v, String(k)) : Array.isArray(v) ? typeof k === 'number' && k >= 0 && k < v.length : false,
        p: null,
      }));
  }
  throw new JqError(`jq: ${name} is not supported`);
}

/**
 * A jq regular expression as gojq (Argo CD's jq) compiles it: Go's RE2 syntax, matched in linear time, so a pattern
 * from the repository (`(a+)+b`) cannot stall a comparison on a long live value. Flags: i (case-insensitive), s and m
 * (dot matches newline), x (whitespace removed).
 */
const REGEX_CACHE = new Map<string, RE2JS>();

function toRegExp(re: unknown, flags: string): RE2JS {
  if (typeof re !== 'string') throw new JqError(`jq: ${typeName(re)} cannot be used as a regular expression`);
  const key = `${flags}\u0000${re}`;
  const hit = REGEX_CACHE.get(key);
  if (hit) return hit;
  const compiled = compileRegExp(re, flags);
  if (REGEX_CACHE.size >= 256) REGEX_CACHE.clear();
  REGEX_CACHE.set(key, compiled);
  return compiled;
}

function compileRegExp(re: string, flags: string): RE2JS {
  let f = 0;
  if (flags.includes('i')) f |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('s') || flags.includes('m')) f |= RE2JS.DOTALL;
  try {
    return RE2JS.compile(flags.includes('x') ? re.replace(/\s+/g, '') : re, f);
  } catch {
    throw new JqError(`jq: ${JSON.stringify(re)} is not a valid regular expression`);
  }
}

function contains(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.includes(b);
  if (Array.isArray(a) && Array.isArray(b)) return b.every((y) => a.some((x) => contains(x, y)));
  if (isPlainObject(a) && isPlainObject(b)) return Object.keys(b).every((k) => k in a && contains(a[k], b[k]));
  return jsonEqual(a, b);
}

function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return jsonEqual(a, b);
    case '!=':
      return !jsonEqual(a, b);
  }
  const c = order(a, b);
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
}

const TYPE_RANK = (v: unknown): number =>
  v === null || v === undefined ? 0 : v === false ? 1 : v === true ? 2 : typeof v === 'number' ? 3 : typeof v === 'string' ? 4 : Array.isArray(v) ? 5 : 6;

function order(a: unknown, b: unknown): number {
  const ra = TYPE_RANK(a);
  const rb = TYPE_RANK(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return jsonEqual(a, b) ? 0 : JSON.stringify(a) < JSON.stringify(b) ? -1 : 1;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (isPlainObject(v)) return 'object';
  return typeof v === 'boolean' ? 'boolean' : typeof v;
}
