// Executor for parsed Go templates: evaluates pipelines against JSON-like data with Go's semantics and error texts.
import { formatValue, goQuote } from './fmt';
import type { BranchNode, ChainNode, CommandNode, FieldNode, IdentifierNode, ListNode, Node, NumberNode, ParsedTemplates, PipeNode, VariableNode } from './parse';
import { nodeString, parseTemplate } from './parse';
import { Int64, isGoObject, isMap, isTrue, sortedKeys, utf8Length } from './values';
import { TEMPLATE_LIMITS } from '../limits';

/** Go parameter types a template function declares; they drive Go's argument conversion and type errors. */
export type ParamType = 'any' | 'value' | 'string' | 'int' | 'int64' | 'float64' | 'bool' | 'map' | 'list' | 'time';

/** A function callable from templates, with its Go signature. */
export interface GoFunc {
  readonly params: readonly ParamType[];
  /** Element type of a trailing variadic parameter. */
  readonly variadic?: ParamType;
  /** Throwing from `fn` is a function error: Go reports `error calling <name>: <message>`. */
  readonly fn: (...args: never[]) => unknown;
  /** `tpl` needs the executing template (its functions, definitions and options) rather than plain arguments. */
  readonly special?: 'tpl';
}

/** The function map a template is parsed and executed with. */
export type FuncMap = ReadonlyMap<string, GoFunc>;

/** What to do when a map has no entry for a key: print `<no value>` (default), use the zero value, or fail. */
export type MissingKey = 'default' | 'zero' | 'error';

/** An execution failure; `message` is Go's text, e.g. `template: base:1:6: executing "base" at <.x>: map has no entry for key "x"`. */
export class GoExecError extends Error {}

const MISSING: unique symbol = Symbol('missing');
type Final = unknown;

const TYPE_NAMES: Record<ParamType, string> = {
  any: 'interface {}',
  value: 'reflect.Value',
  string: 'string',
  int: 'int',
  int64: 'int64',
  float64: 'float64',
  bool: 'bool',
  map: 'map[string]interface {}',
  list: '[]interface {}',
  time: 'time.Time',
};

class BreakSignal {}
class ContinueSignal {}
const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();
const MAX_DEPTH = 1000;
/**
 * Range iterations one execution may run. Go has no such limit, but a desktop app must not hang on
 * `{{range 1000000000}}` in a repository it was pointed at; real templates stay far below it.
 */
export const MAX_RANGE_ITERATIONS = TEMPLATE_LIMITS.maxRangeIterations;

interface Variable {
  readonly name: string;
  value: unknown;
  /** Whether the value still has Go's static type interface{} (range elements), which error texts name. */
  iface: boolean;
}

/** Executes `name` (the main tree or a defined template) of `tmpl` with `data`; returns the output text. */
export function execute(tmpl: ParsedTemplates, parseName: string, funcs: FuncMap, data: unknown, missingKey: MissingKey): string {
  const s = new State(tmpl, parseName, funcs, data, missingKey);
  s.walk(data, tmpl.root);
  return s.out;
}

class State {
  out = '';
  private vars: Variable[];
  private node: Node | undefined;
  private tmplName: string;
  depth = 0;
  private iterations = 0;
  /** Whether dot is a range element of a []interface{} or map (static type interface{}), as opposed to a concrete value. */
  private dotIface = false;

  constructor(
    private readonly tmpl: ParsedTemplates,
    private readonly parseName: string,
    private readonly funcs: FuncMap,
    private readonly root: unknown,
    private readonly missingKey: MissingKey,
  ) {
    this.vars = [{ name: '$', value: root, iface: false }];
    this.tmplName = parseName;
  }

  private at(n: Node): void {
    this.node = n;
  }

  /** Appends to the output, stopping the execution once it passes the output limit. */
  private write(s: string): void {
    if (this.out.length + s.length > TEMPLATE_LIMITS.maxOutputBytes) {
      this.errorf(`output larger than ${TEMPLATE_LIMITS.maxOutputBytes} characters (TEMPLATE_LIMITS.maxOutputBytes)`);
    }
    this.out += s;
  }

  /** Throws Go's execution error text for the current node. */
  errorf(msg: string): never {
    const n = this.node;
    if (!n) throw new GoExecError(`template: ${this.tmplName}: ${msg}`);
    const text = this.tmpl.text.slice(0, n.pos);
    const lastNl = text.lastIndexOf('\n');
    const line = 1 + countNl(text);
    const col = utf8Length(text.slice(lastNl + 1));
    throw new GoExecError(`template: ${this.parseName}:${line}:${col}: executing "${this.tmplName}" at <${nodeString(n)}>: ${msg}`);
  }

  private failAt(n: Node, msg: string): never {
    this.at(n);
    return this.errorf(msg);
  }

  private variable(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i]!;
      if (v.name === name) return v;
    }
    return this.errorf(`undefined variable: ${name}`);
  }

  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i]!;
      if (v.name === name) {
        v.value = value;
        v.iface = false;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: unknown, iface: boolean): void {
    const v = this.vars[this.vars.length - n]!;
    v.value = value;
    v.iface = iface;
  }

  walk(dot: unknown, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      case 'if':
      case 'with':
        this.walkIfOrWith(dot, node);
        return;
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'template':
        this.walkTemplate(dot, node);
        return;
      case 'text':
        this.write(node.text);
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(dot: unknown, node: BranchNode): void {
    const mark = this.vars.length;
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (isTrue(val)) {
        if (node.type === 'with') this.walkWithDot(val, false, node.list);
        else this.walk(dot, node.list);
      } else if (node.elseList) {
        this.walk(dot, node.elseList);
      }
    } finally {
      this.vars.length = mark;
    }
  }

  private walkWithDot(dot: unknown, iface: boolean, node: Node): void {
    const saved = this.dotIface;
    this.dotIface = iface;
    try {
      this.walk(dot, node);
    } finally {
      this.dotIface = saved;
    }
  }

  private walkRange(dot: unknown, r: BranchNode): void {
    this.at(r);
    const outer = this.vars.length;
    try {
      let val = this.evalPipeline(dot, r.pipe);
      if (val === null) val = undefined;
      const mark = this.vars.length;
      const decl = r.pipe.decl;
      const elemIface = Array.isArray(val) || isMap(val);
      const oneIteration = (index: unknown, elem: unknown): boolean => {
        if (++this.iterations > MAX_RANGE_ITERATIONS) this.failAt(r, `range: more than ${MAX_RANGE_ITERATIONS} iterations in one execution (TEMPLATE_LIMITS.maxRangeIterations)`);
        if (decl.length > 0) {
          if (r.pipe.isAssign) {
            this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
          } else {
            this.setTopVar(1, elem, elemIface);
          }
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.setTopVar(2, index, false);
        }
        try {
          this.walkWithDot(elem, elemIface, r.list);
        } catch (e) {
          if (e === BREAK) return false;
          if (e !== CONTINUE) throw e;
        } finally {
          this.vars.length = mark;
        }
        return true;
      };
      let ran = false;
      if (Array.isArray(val)) {
        for (let i = 0; i < val.length; i++) {
          ran = true;
          if (!oneIteration(BigInt(i), val[i])) break;
        }
      } else if (isMap(val)) {
        for (const k of sortedKeys(val)) {
          ran = true;
          if (!oneIteration(k, val[k])) break;
        }
      } else if (typeof val === 'bigint' || val instanceof Int64) {
        if (decl.length > 1) this.errorf(`can't use ${formatValue(val)} to iterate over more than one variable`);
        const n = typeof val === 'bigint' ? val : val.v;
        const wrap = (i: bigint): unknown => (typeof val === 'bigint' ? i : new Int64(i));
        for (let i = 0n; i < n; i++) {
          ran = true;
          if (!oneIteration(wrap(i), wrap(i))) break;
        }
      } else if (val !== undefined) {
        this.errorf(`range can't iterate over ${formatValue(val)}`);
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.vars.length = outer;
    }
  }

  private walkTemplate(dot: unknown, t: Extract<Node, { type: 'template' }>): void {
    this.at(t);
    const body = this.tmpl.defines.get(t.name);
    if (!body) this.errorf(`template "${t.name}" not defined`);
    if (this.depth >= MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : undefined;
    const savedVars = this.vars;
    const savedName = this.tmplName;
    this.vars = [{ name: '$', value: newDot, iface: false }];
    this.tmplName = t.name;
    this.depth++;
    try {
      this.walkWithDot(newDot, false, body!);
    } finally {
      this.depth--;
      this.vars = savedVars;
      this.tmplName = savedName;
    }
  }

  private printValue(n: Node, v: unknown): void {
    this.at(n);
    this.write(v === undefined ? '<no value>' : formatValue(v));
  }

  evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // A nil interface{} result becomes "no value", as Go digs into interface{} results.
      if (value === null) value = undefined;
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value);
      else this.vars.push({ name: v.ident[0]!, value, iface: false });
    }
    return value;
  }

  private notAFunction(args: readonly Node[] | undefined, final: Final): void {
    if ((args && args.length > 1) || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args![0]!)}`);
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
    return this.errorf(`can't evaluate command ${JSON.stringify(nodeString(first))}`);
  }

  private idealConstant(n: NumberNode): unknown {
    this.at(n);
    const num = n.num;
    if (num.isFloat && num.floatSyntax) return num.float;
    if (num.isInt) return num.int;
    return this.errorf(`${n.text} overflows int`);
  }

  private evalFieldNode(dot: unknown, field: FieldNode, args: readonly Node[] | undefined, final: Final): unknown {
    this.at(field);
    return this.evalFieldChain(dot, dot, this.dotIface, field, field.ident, args, final);
  }

  private evalChainNode(dot: unknown, chain: ChainNode, args: readonly Node[] | undefined, final: Final): unknown {
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, pipe, false, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: unknown, v: VariableNode, args: readonly Node[] | undefined, final: Final): unknown {
    this.at(v);
    const variable = this.variable(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return variable.value;
    }
    return this.evalFieldChain(dot, variable.value, variable.iface, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: unknown, receiver: unknown, iface: boolean, node: Node, ident: readonly string[], args: readonly Node[] | undefined, final: Final): unknown {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) {
      const fromMap = isMap(receiver);
      receiver = this.evalField(dot, ident[i]!, node, undefined, MISSING, receiver, iface);
      iface = fromMap;
    }
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver, iface);
  }

  private evalField(_dot: unknown, fieldName: string, node: Node, args: readonly Node[] | undefined, final: Final, receiver: unknown, iface: boolean): unknown {
    if (receiver === undefined) {
      if (this.missingKey === 'error') this.errorf(`nil data; no entry for key "${fieldName}"`);
      return undefined;
    }
    const typ = iface || receiver === null ? 'interface {}' : goTypeOf(receiver);
    if (receiver === null) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const hasArgs = (args !== undefined && args.length > 1) || final !== MISSING;
    if (isGoObject(receiver)) {
      const f = receiver.goField(fieldName);
      if (f) {
        if (hasArgs) this.errorf(`wrong number of args for ${fieldName}: want 0 got ${(args?.length ?? 1) - 1 + (final !== MISSING ? 1 : 0)}`);
        return f.value;
      }
      this.errorf(`can't evaluate field ${fieldName} in type ${receiver.goType}`);
    }
    if (isMap(receiver)) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      if (Object.prototype.hasOwnProperty.call(receiver, fieldName)) {
        const v = receiver[fieldName];
        return v === undefined ? null : v;
      }
      switch (this.missingKey) {
        case 'default':
          return undefined;
        case 'zero':
          return null;
        case 'error':
          return this.errorf(`map has no entry for key "${fieldName}"`);
      }
    }
    void node;
    return this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private evalFunction(dot: unknown, node: IdentifierNode, cmd: Node, args: readonly Node[] | undefined, final: Final): unknown {
    this.at(node);
    const name = node.ident;
    const fn = this.funcs.get(name);
    if (!fn) return this.errorf(`"${name}" is not a defined function`);
    return this.evalCall(dot, fn, cmd, name, args, final);
  }

  private evalCall(dot: unknown, fn: GoFunc, node: Node, name: string, argNodes: readonly Node[] | undefined, final: Final): unknown {
    const args = argNodes ? argNodes.slice(1) : [];
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const numFixed = fn.params.length;
    if (fn.variadic !== undefined) {
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
    } else if (numIn !== numFixed) {
      this.errorf(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);
    }
    // Go's and/or short-circuit: they return the first decisive operand unevaluated beyond it.
    if (name === 'and' || name === 'or') {
      let v: unknown;
      for (const a of args) {
        v = this.evalArg(dot, 'value', a);
        if (isTrue(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }
    const argv: unknown[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, fn.params[i]!, args[i]!));
    if (fn.variadic !== undefined) {
      for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.variadic, args[i]!));
    }
    if (final !== MISSING) {
      const t = numIn - 1 < numFixed ? fn.params[numIn - 1]! : fn.variadic!;
      argv.push(this.validateType(final, t));
    }
    try {
      if (fn.special === 'tpl') return this.tpl(argv[0] as string, argv[1]);
      return (fn.fn as (...a: unknown[]) => unknown)(...argv);
    } catch (e) {
      if (e instanceof GoExecError) throw e;
      this.at(node);
      return this.errorf(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Argo CD's tpl: renders a string as a template with the current functions, definitions and options; `<no value>` becomes empty. */
  private tpl(text: string, vals: unknown): string {
    let parsed: ParsedTemplates;
    try {
      parsed = parseTemplate(this.parseName, text, (n) => this.funcs.has(n));
    } catch (e) {
      throw new Error(`cannot parse template ${goQuote(text)}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const defines = new Map(this.tmpl.defines);
    for (const [k, v] of parsed.defines) defines.set(k, v);
    const sub = new State({ root: parsed.root, defines, text }, this.parseName, this.funcs, vals, this.missingKey);
    sub.depth = this.depth + 1;
    if (sub.depth >= MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
    try {
      sub.walk(vals, parsed.root);
    } catch (e) {
      if (!(e instanceof GoExecError)) throw e;
      throw new Error(`error during tpl function execution for ${goQuote(text)}: ${e.message}`, { cause: e });
    }
    return sub.out.replaceAll('<no value>', '');
  }

  private validateType(value: unknown, typ: ParamType | undefined): unknown {
    if (value === undefined) {
      if (typ === undefined || typ === 'value') return undefined;
      if (typ === 'any' || typ === 'map' || typ === 'list') return null;
      return this.errorf(`invalid value; expected ${TYPE_NAMES[typ]}`);
    }
    if (typ === undefined || typ === 'value' || typ === 'any') return value;
    let ok: boolean;
    switch (typ) {
      case 'string':
        ok = typeof value === 'string';
        break;
      case 'int':
        ok = typeof value === 'bigint';
        break;
      case 'int64':
        ok = value instanceof Int64;
        break;
      case 'float64':
        ok = typeof value === 'number';
        break;
      case 'bool':
        ok = typeof value === 'boolean';
        break;
      case 'map':
        ok = isMap(value);
        break;
      case 'list':
        ok = Array.isArray(value);
        break;
      case 'time':
        ok = isGoObject(value) && value.goType === 'time.Time';
        break;
    }
    if (!ok) {
      const got = value === null ? 'interface {}' : goTypeOf(value);
      this.errorf(`wrong type for value; expected ${TYPE_NAMES[typ]}; got ${got}`);
    }
    return value;
  }

  private evalArg(dot: unknown, typ: ParamType | undefined, n: Node): unknown {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === undefined || typ === 'any' || typ === 'map' || typ === 'list') return null;
        if (typ === 'value') return undefined;
        return this.errorf(`cannot assign nil to ${TYPE_NAMES[typ]}`);
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, undefined, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, undefined, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, undefined, MISSING), typ);
    }
    switch (typ) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        return this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'float64':
        if (n.type === 'number' && n.num.isFloat) return n.num.float;
        return this.errorf(`expected float; found ${nodeString(n)}`);
      case 'int':
        if (n.type === 'number' && n.num.isInt) return n.num.int;
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'int64':
        if (n.type === 'number' && n.num.isInt) return new Int64(n.num.int);
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'string':
        if (n.type === 'string') return n.text;
        return this.errorf(`expected string; found ${nodeString(n)}`);
      case undefined:
      case 'any':
      case 'value':
        switch (n.type) {
          case 'bool':
            return n.value;
          case 'number':
            return this.idealConstant(n);
          case 'string':
            return n.text;
        }
    }
    return this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ ? TYPE_NAMES[typ] : 'interface {}'}`);
  }
}

function goTypeOf(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof Int64) return 'int64';
  if (Array.isArray(v)) return '[]interface {}';
  if (isGoObject(v)) return v.goType;
  return 'map[string]interface {}';
}

function countNl(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

/** Re-exported so callers can name the list type in signatures. */
export type { ListNode };
