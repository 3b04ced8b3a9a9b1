// Parser for Go's text/template: builds the node tree that the executor walks, with Go's parse-time checks and error texts.
import type { Token, TokenKind } from './lexer';
import { lex } from './lexer';
import { goQuote } from './fmt';
import { unquoteGo, parseGoNumber } from './literals';
import type { GoNumber } from './literals';

/** A parse tree node; `pos` is the source offset used for `name:line:col` error locations. */
export type Node =
  | ListNode
  | TextNode
  | ActionNode
  | PipeNode
  | CommandNode
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | FieldNode
  | ChainNode
  | BoolNode
  | NumberNode
  | StringNode
  | BranchNode
  | TemplateNode
  | BreakNode
  | ContinueNode;

/** A sequence of nodes. */
export interface ListNode { readonly type: 'list'; readonly pos: number; readonly nodes: Node[] }
/** Plain text between actions. */
export interface TextNode { readonly type: 'text'; readonly pos: number; readonly text: string }
/** `{{pipeline}}`: evaluates and prints unless it declares variables. */
export interface ActionNode { readonly type: 'action'; readonly pos: number; readonly line: number; readonly pipe: PipeNode }
/** `$x := cmd | cmd`. */
export interface PipeNode { readonly type: 'pipe'; readonly pos: number; readonly isAssign: boolean; readonly decl: VariableNode[]; readonly cmds: CommandNode[] }
/** One command of a pipeline: the operands separated by spaces. */
export interface CommandNode { readonly type: 'command'; readonly pos: number; readonly args: Node[] }
/** A function name. */
export interface IdentifierNode { readonly type: 'identifier'; readonly pos: number; readonly ident: string }
/** `$x.field.field`. */
export interface VariableNode { readonly type: 'variable'; readonly pos: number; readonly ident: string[] }
/** `.` */
export interface DotNode { readonly type: 'dot'; readonly pos: number }
/** `nil` */
export interface NilNode { readonly type: 'nil'; readonly pos: number }
/** `.a.b` */
export interface FieldNode { readonly type: 'field'; readonly pos: number; readonly ident: string[] }
/** `(pipeline).a.b` */
export interface ChainNode { readonly type: 'chain'; readonly pos: number; readonly node: Node; readonly field: string[] }
/** `true` / `false` */
export interface BoolNode { readonly type: 'bool'; readonly pos: number; readonly value: boolean }
/** A numeric constant, keeping its source text. */
export interface NumberNode { readonly type: 'number'; readonly pos: number; readonly text: string; readonly num: GoNumber }
/** A string constant: `quoted` is the source text, `text` the unquoted value. */
export interface StringNode { readonly type: 'string'; readonly pos: number; readonly quoted: string; readonly text: string }
/** `if`, `range` or `with` with its pipeline, body and else branch. */
export interface BranchNode {
  readonly type: 'if' | 'range' | 'with';
  readonly pos: number;
  readonly line: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | undefined;
}
/** `{{template "name" pipeline}}` */
export interface TemplateNode { readonly type: 'template'; readonly pos: number; readonly line: number; readonly name: string; readonly pipe: PipeNode | undefined }
/** `{{break}}` */
export interface BreakNode { readonly type: 'break'; readonly pos: number; readonly line: number }
/** `{{continue}}` */
export interface ContinueNode { readonly type: 'continue'; readonly pos: number; readonly line: number }

/** A parse failure; `message` is Go's text, e.g. `template: base:1: function "x" not defined`. */
export class GoParseError extends Error {}

/** A parsed template source: its main tree and the templates it defines with define/block. */
export interface ParsedTemplates {
  readonly root: ListNode;
  readonly defines: ReadonlyMap<string, ListNode>;
  readonly text: string;
}

/** Renders a node back to template syntax, as Go's Node.String does (used in error contexts). */
export function nodeString(n: Node): string {
  switch (n.type) {
    case 'list':
      return n.nodes.map(nodeString).join('');
    case 'text':
      return JSON.stringify(n.text);
    case 'action':
      return `{{${nodeString(n.pipe)}}}`;
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) s = n.decl.map(nodeString).join(', ') + (n.isAssign ? ' = ' : ' := ');
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command':
      return n.args.map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'identifier':
      return n.ident;
    case 'variable':
      return n.ident.join('.');
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'field':
      return '.' + n.ident.join('.');
    case 'chain': {
      const inner = n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return inner + n.field.map((f) => '.' + f).join('');
    }
    case 'bool':
      return n.value ? 'true' : 'false';
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'if':
    case 'range':
    case 'with': {
      const e = n.elseList ? `{{else}}${nodeString(n.elseList)}` : '';
      return `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}${e}{{end}}`;
    }
    case 'template':
      return n.pipe ? `{{template ${JSON.stringify(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${JSON.stringify(n.name)}}}`;
    case 'break':
      return '{{break}}';
    case 'continue':
      return '{{continue}}';
  }
}

const itemNames: Partial<Record<TokenKind, string>> = { eof: 'EOF' };

/** Go's item.String: EOF, keywords (and `.`/`nil`) in angle brackets, long values cut to 10 characters. */
function describeToken(t: Token): string {
  if (t.kind === 'eof') return 'EOF';
  if (t.kind === 'error') return t.val;
  if (t.kind === 'keyword' || t.kind === 'dot' || t.kind === 'nil') return `<${t.val}>`;
  const chars = [...t.val];
  if (chars.length > 10) return goQuote(chars.slice(0, 10).join('')) + '...';
  return itemNames[t.kind] ?? goQuote(t.val);
}

/** Parses `text` named `name`; `hasFunction` says which identifiers are functions. Throws GoParseError. */
export function parseTemplate(name: string, text: string, hasFunction: (n: string) => boolean): ParsedTemplates {
  const tokens = lex(text);
  let i = 0;
  const defines = new Map<string, ListNode>();
  let vars: string[] = ['$'];
  let rangeDepth = 0;
  let lastLine = 1;

  const fail = (msg: string, line?: number): never => {
    throw new GoParseError(`template: ${name}:${line ?? lastLine}: ${msg}`);
  };
  const next = (): Token => {
    const t = tokens[i] ?? tokens[tokens.length - 1]!;
    if (i < tokens.length) i++;
    lastLine = t.line;
    if (t.kind === 'error') fail(t.val, t.line);
    return t;
  };
  const peek = (): Token => tokens[i] ?? tokens[tokens.length - 1]!;
  const backup = (): void => {
    i--;
  };
  const nextNonSpace = (): Token => {
    let t = next();
    while (t.kind === 'space') t = next();
    return t;
  };
  const peekNonSpace = (): Token => {
    const t = nextNonSpace();
    backup();
    return t;
  };
  const expect = (kind: TokenKind, context: string): Token => {
    const t = nextNonSpace();
    if (t.kind !== kind) unexpected(t, context);
    return t;
  };
  const unexpected = (t: Token, context: string): never => {
    if (t.kind === 'error') return fail(t.val, t.line);
    return fail(`unexpected ${describeToken(t)} in ${context}`, t.line);
  };

  type Stop = { readonly kind: 'end' | 'else'; readonly pos: number; readonly line: number };

  /** Parses items until {{end}} or {{else}}; returns the list and what stopped it (undefined at EOF). */
  const itemList = (context: string | undefined): [ListNode, Stop | undefined] => {
    const list: ListNode = { type: 'list', pos: peekNonSpace().pos, nodes: [] };
    for (;;) {
      const t = peek();
      if (t.kind === 'eof') {
        if (context !== undefined) fail(`unexpected EOF`, t.line);
        return [list, undefined];
      }
      const n = textOrAction();
      if (n && 'stop' in n) {
        if (context === undefined) fail(`unexpected {{${n.stop.kind}}}`, n.stop.line);
        return [list, n.stop];
      }
      if (n) list.nodes.push(n);
    }
  };

  const textOrAction = (): Node | { stop: Stop } | undefined => {
    const t = nextNonSpace();
    switch (t.kind) {
      case 'text':
        return { type: 'text', pos: t.pos, text: t.val };
      case 'leftDelim': {
        const delimLine = t.line;
        const after = peekNonSpace();
        if (after.kind === 'keyword' && after.val === 'define') {
          nextNonSpace();
          parseDefinition(delimLine);
          return undefined;
        }
        return action(delimLine);
      }
      case 'comment':
        return undefined;
      default:
        return unexpected(t, 'input');
    }
  };

  const parseDefinition = (_line: number): void => {
    const context = 'define clause';
    const nameTok = nextNonSpace();
    if (nameTok.kind !== 'string' && nameTok.kind !== 'rawString') unexpected(nameTok, context);
    const defName = unquoteOrFail(nameTok);
    expect('rightDelim', context);
    const saved = vars;
    vars = ['$'];
    const [list, stop] = itemList(context);
    vars = saved;
    if (!stop || stop.kind !== 'end') fail(`unexpected {{else}} in ${context}`);
    addDefine(defName, list);
  };

  const addDefine = (defName: string, list: ListNode): void => {
    const prev = defines.get(defName);
    // As in Go, a later definition replaces an earlier one unless it is empty.
    if (!prev || !isEmptyTree(list)) defines.set(defName, list);
  };

  const action = (line: number): Node | { stop: Stop } => {
    const t = nextNonSpace();
    if (t.kind === 'keyword') {
      switch (t.val) {
        case 'block':
          return blockControl(t, line);
        case 'break':
          return breakOrContinue('break', t, line);
        case 'continue':
          return breakOrContinue('continue', t, line);
        case 'else':
          return elseControl(t);
        case 'end':
          expect('rightDelim', 'end');
          return { stop: { kind: 'end', pos: t.pos, line: t.line } };
        case 'if':
          return branch('if', t, line);
        case 'range':
          return branch('range', t, line);
        case 'template':
          return templateControl(t, line);
        case 'with':
          return branch('with', t, line);
      }
    }
    backup();
    const tok = peek();
    return { type: 'action', pos: tok.pos, line: tok.line, pipe: pipeline('command', 'rightDelim') };
  };

  const breakOrContinue = (kind: 'break' | 'continue', t: Token, line: number): Node => {
    const tok = nextNonSpace();
    if (tok.kind !== 'rightDelim') unexpected(tok, `{{${kind}}}`);
    if (rangeDepth === 0) fail(`{{${kind}}} outside {{range}}`, t.line);
    return { type: kind, pos: t.pos, line };
  };

  const elseControl = (t: Token): { stop: Stop } => {
    const p = peekNonSpace();
    // "{{else if ...}}" and "{{else with ...}}" are sugar for a nested branch; leave the keyword for the caller.
    if (p.kind === 'keyword' && (p.val === 'if' || p.val === 'with')) return { stop: { kind: 'else', pos: t.pos, line: t.line } };
    const tok = expect('rightDelim', 'else');
    return { stop: { kind: 'else', pos: tok.pos, line: t.line } };
  };

  const branch = (kind: 'if' | 'range' | 'with', t: Token, line: number): BranchNode => {
    const saved = vars.length;
    const pipe = pipeline(kind, 'rightDelim');
    if (kind === 'range') rangeDepth++;
    const [list, stop] = itemList(kind);
    if (kind === 'range') rangeDepth--;
    let elseList: ListNode | undefined;
    if (stop?.kind === 'else') {
      const p = peekNonSpace();
      if ((kind === 'if' && p.kind === 'keyword' && p.val === 'if') || (kind === 'with' && p.kind === 'keyword' && p.val === 'with')) {
        // {{else if}} / {{else with}}: parse the rest as a nested branch that consumes the shared {{end}}.
        const kw = nextNonSpace();
        const nested = branch(kind, kw, kw.line);
        elseList = { type: 'list', pos: kw.pos, nodes: [nested] };
      } else {
        const [el, stop2] = itemList(kind);
        if (!stop2 || stop2.kind !== 'end') fail(`expected end; found {{else}}`);
        elseList = el;
      }
    }
    vars.length = saved;
    return { type: kind, pos: pipe.pos, line, pipe, list, elseList };
  };

  const blockControl = (t: Token, line: number): Node => {
    const context = 'block clause';
    const nameTok = nextNonSpace();
    if (nameTok.kind !== 'string' && nameTok.kind !== 'rawString') unexpected(nameTok, context);
    const blockName = unquoteOrFail(nameTok);
    const pipe = pipeline(context, 'rightDelim');
    const saved = vars;
    vars = ['$'];
    const [list, stop] = itemList(context);
    vars = saved;
    if (!stop || stop.kind !== 'end') fail(`unexpected {{else}} in ${context}`);
    addDefine(blockName, list);
    return { type: 'template', pos: nameTok.pos, line, name: blockName, pipe };
  };

  const templateControl = (t: Token, line: number): Node => {
    const context = 'template clause';
    const nameTok = nextNonSpace();
    if (nameTok.kind !== 'string' && nameTok.kind !== 'rawString') unexpected(nameTok, context);
    const tmplName = unquoteOrFail(nameTok);
    let pipe: PipeNode | undefined;
    if (nextNonSpace().kind !== 'rightDelim') {
      backup();
      pipe = pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: nameTok.pos, line, name: tmplName, pipe };
  };

  const unquoteOrFail = (t: Token): string => {
    try {
      return t.kind === 'rawString' ? t.val.slice(1, -1) : unquoteGo(t.val);
    } catch {
      return fail(`invalid syntax`, t.line);
    }
  };

  const pipeline = (context: string, end: 'rightDelim' | 'rightParen'): PipeNode => {
    const first = peekNonSpace();
    const decl: VariableNode[] = [];
    let isAssign = false;
    // Declarations: "$x :=", "$x =", or in range "$i, $v :=".
    decls: {
      const v = peekNonSpace();
      if (v.kind !== 'variable') break decls;
      nextNonSpace();
      const tokenAfter = peek();
      const afterVar = peekNonSpace();
      if (afterVar.kind === 'assign' || afterVar.kind === 'declare') {
        nextNonSpace();
        isAssign = afterVar.kind === 'assign';
        const vn: VariableNode = { type: 'variable', pos: v.pos, ident: [v.val] };
        if (isAssign && !vars.includes(v.val)) fail(`undefined variable "${v.val}"`, v.line);
        decl.push(vn);
        if (!isAssign) vars.push(v.val);
      } else if (afterVar.kind === 'comma' && context === 'range') {
        nextNonSpace();
        decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
        vars.push(v.val);
        const v2 = nextNonSpace();
        if (v2.kind !== 'variable') fail(`range can only initialize variables`, v2.line);
        const op = nextNonSpace();
        if (op.kind === 'comma') fail(`too many declarations in range`, op.line);
        if (op.kind !== 'declare' && op.kind !== 'assign') fail(`expected := or = in range`, op.line);
        isAssign = op.kind === 'assign';
        decl.push({ type: 'variable', pos: v2.pos, ident: [v2.val] });
        vars.push(v2.val);
      } else if (tokenAfter.kind === 'space') {
        // A variable that starts a command: put it back.
        i = tokens.indexOf(v);
      } else {
        i = tokens.indexOf(v);
      }
    }
    const pipe: PipeNode = { type: 'pipe', pos: first.pos, isAssign, decl, cmds: [] };
    for (;;) {
      const t = nextNonSpace();
      if (t.kind === end) {
        checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.kind) {
        case 'bool':
        case 'char':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          backup();
          pipe.cmds.push(command());
          break;
        default:
          unexpected(t, context);
      }
    }
  };

  const checkPipeline = (pipe: PipeNode, context: string): void => {
    if (pipe.cmds.length === 0) fail(`missing value for ${context}`);
    for (let k = 1; k < pipe.cmds.length; k++) {
      const first = pipe.cmds[k]!.args[0]!;
      if (['bool', 'dot', 'nil', 'number', 'string'].includes(first.type)) {
        fail(`non executable command in pipeline stage ${k + 1}`);
      }
    }
  };

  const command = (): CommandNode => {
    const cmd: CommandNode = { type: 'command', pos: peekNonSpace().pos, args: [] };
    for (;;) {
      peekNonSpace();
      const op = operand();
      if (op) cmd.args.push(op);
      const t = next();
      switch (t.kind) {
        case 'space':
          continue;
        case 'rightDelim':
        case 'rightParen':
          backup();
          break;
        case 'pipe':
          break;
        default:
          unexpected(t, 'operand');
      }
      break;
    }
    if (cmd.args.length === 0) fail('empty command');
    return cmd;
  };

  const operand = (): Node | undefined => {
    const node = term();
    if (!node) return undefined;
    if (peek().kind === 'field') {
      const chainPos = peek().pos;
      const fields: string[] = [];
      while (peek().kind === 'field') fields.push(next().val.slice(1));
      switch (node.type) {
        case 'field':
          return { type: 'field', pos: chainPos, ident: [...node.ident, ...fields] };
        case 'variable':
          return { type: 'variable', pos: chainPos, ident: [...node.ident, ...fields] };
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          return fail(`unexpected . after term ${JSON.stringify(nodeString(node))}`);
        default:
          return { type: 'chain', pos: chainPos, node, field: fields };
      }
    }
    return node;
  };

  const term = (): Node | undefined => {
    const t = nextNonSpace();
    switch (t.kind) {
      case 'identifier':
        if (!hasFunction(t.val)) fail(`function ${JSON.stringify(t.val)} not defined`, t.line);
        return { type: 'identifier', pos: t.pos, ident: t.val };
      case 'dot':
        return { type: 'dot', pos: t.pos };
      case 'nil':
        return { type: 'nil', pos: t.pos };
      case 'variable': {
        if (!vars.includes(t.val)) fail(`undefined variable "${t.val}"`, t.line);
        return { type: 'variable', pos: t.pos, ident: [t.val] };
      }
      case 'field':
        return { type: 'field', pos: t.pos, ident: [t.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'char':
      case 'number': {
        let num: GoNumber | undefined;
        try {
          num = parseGoNumber(t.val, t.kind === 'char');
        } catch (e) {
          fail(e instanceof Error ? e.message : String(e), t.line);
        }
        if (!num) fail(t.kind === 'char' ? `malformed character constant: ${t.val}` : `illegal number syntax: ${JSON.stringify(t.val)}`, t.line);
        return { type: 'number', pos: t.pos, text: t.val, num: num! };
      }
      case 'leftParen': {
        const p = pipeline('parenthesized pipeline', 'rightParen');
        return p;
      }
      case 'string':
      case 'rawString':
        return { type: 'string', pos: t.pos, quoted: t.val, text: unquoteOrFail(t) };
    }
    backup();
    return undefined;
  };

  const [root] = itemList(undefined);
  return { root, defines, text };
}

function isEmptyTree(list: ListNode): boolean {
  return list.nodes.every((n) => n.type === 'text' && n.text.trim() === '');
}
