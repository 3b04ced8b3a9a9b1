// Flux's variable substitution language (fluxcd/pkg/envsubst, a fork of drone/envsubst), ported rule for rule: the
// same scanner (escapes `$$` at top level, `\/` and `\\` inside `${…}`), the same parser (`${v}`, `${#v}`, `${v:-d}`,
// `${v:=d}`, `${v:+a}`, `${v:?m}`, `${v,}`, `${v^^}`, `${v:o:l}`, `${v/a/b}`, `${v#p}`, `${v%s}`, …) and the same
// evaluation, quirks included: every "default" operator returns the value when it is non-empty and its argument
// otherwise (so `${set:+x}` gives the value and `${unset:?msg}` gives "msg" in non-strict mode).

/** Why a template could not be parsed or evaluated (Go's wording, e.g. "bad substitution"). */
export class EnvsubstError extends Error {}

type Node = { readonly t: 'text'; readonly value: string } | { readonly t: 'func'; param: string; name: string; readonly args: Node[] } | { readonly t: 'list'; readonly nodes: Node[] };

const EMPTY: Node = { t: 'text', value: '' };
const EOF = '';

const SCAN_IDENT = 1;
const SCAN_LBRACK = 2;
const SCAN_RBRACK = 4;
const SCAN_ESCAPE = 8;
const ESC_DOLLAR = 1;
const ESC_BACKSLASH = 2;

type Token = 'illegal' | 'eof' | 'ident' | 'lbrack' | 'rbrack';
type Accept = (r: string, i: number) => boolean;

const isLetter = (r: string): boolean => /^\p{L}$/u.test(r);
const isDigit = (r: string): boolean => /^\p{Nd}$/u.test(r);
const acceptRune: Accept = () => true;
const acceptIdent: Accept = (r) => isLetter(r) || isDigit(r) || r === '_';
const acceptColon: Accept = (r) => r === ':';
const acceptOneHash: Accept = (r, i) => r === '#' && i === 1;
const acceptNotClosing: Accept = (r) => r !== '}';
const acceptHashFunc: Accept = (r, i) => r === '#' && i < 3;
const acceptPercentFunc: Accept = (r, i) => r === '%' && i < 3;
const acceptDefaultFunc: Accept = (r, i) => (i === 1 && r === ':') || (i === 2 && (r === '=' || r === '-' || r === '?' || r === '+'));
const acceptReplaceFunc: Accept = (r, i) => (i === 1 && r === '/') || (i === 2 && (r === '/' || r === '#' || r === '%'));
const acceptOneEqual: Accept = (r, i) => i === 1 && r === '=';
const acceptOneColon: Accept = (r, i) => i === 1 && r === ':';
const rejectColonClose: Accept = (r) => r !== ':' && r !== '}';
const acceptSlash: Accept = (r) => r === '/';
const acceptNotSlash: Accept = (r) => r !== '/';
const acceptCasingFunc: Accept = (r, i) => (r === ',' || r === '^') && i < 3;

/** The scanner over code points; `skip` drops the escape character just read, as Go's does. */
class Scanner {
  buf: string[];
  pos = 0;
  start = 0;
  width = 0;
  mode = 0;
  escapeChars = 0;
  accept: Accept = acceptRune;

  constructor(text: string) {
    this.buf = Array.from(text);
  }

  read(): string {
    if (this.pos >= this.buf.length) {
      this.width = 0;
      return EOF;
    }
    this.width = 1;
    return this.buf[this.pos++]!;
  }

  unread(): void {
    this.pos -= this.width;
  }

  skip(): void {
    this.buf.splice(this.pos - 1, 1);
  }

  peek(): string {
    const r = this.read();
    this.unread();
    return r;
  }

  string(): string {
    return this.buf.slice(this.start, this.pos).join('');
  }

  scan(): Token {
    this.start = this.pos;
    const r = this.read();
    if (r === EOF) return 'eof';
    if (this.scanLbrack(r)) return 'lbrack';
    if (this.scanRbrack(r)) return 'rbrack';
    if (this.scanIdent(r)) return 'ident';
    return 'illegal';
  }

  private scanIdent(r: string): boolean {
    if ((this.mode & SCAN_IDENT) === 0) return false;
    if (this.scanEscaped(r)) this.skip();
    else if (!this.accept(r, this.pos - this.start)) return false;
    for (;;) {
      const c = this.read();
      if (c === EOF) {
        this.unread();
        break;
      }
      if (this.scanLbrack(c)) {
        this.unread();
        this.unread();
        break;
      }
      if (this.scanEscaped(c)) {
        this.skip();
        continue;
      }
      if (!this.accept(c, this.pos - this.start)) {
        this.unread();
        break;
      }
    }
    return true;
  }

  private scanLbrack(r: string): boolean {
    if ((this.mode & SCAN_LBRACK) === 0) return false;
    if (r === '$') {
      if (this.read() === '{') return true;
      this.unread();
    }
    return false;
  }

  private scanRbrack(r: string): boolean {
    return (this.mode & SCAN_RBRACK) !== 0 && r === '}';
  }

  private scanEscaped(r: string): boolean {
    if ((this.mode & SCAN_ESCAPE) === 0) return false;
    if (r === '$' && (this.escapeChars & ESC_DOLLAR) !== 0 && this.peek() === '$') return true;
    if (r === '\\' && (this.escapeChars & ESC_BACKSLASH) !== 0) {
      const p = this.peek();
      return p === '/' || p === '\\';
    }
    return false;
  }
}

/** The parser (fluxcd/pkg/envsubst/parse). */
class Parser {
  constructor(private readonly s: Scanner) {}

  parseAny(): Node {
    const s = this.s;
    s.accept = acceptRune;
    s.mode = SCAN_IDENT | SCAN_LBRACK | SCAN_ESCAPE;
    s.escapeChars = ESC_DOLLAR;
    const tok = s.scan();
    if (tok === 'eof') return EMPTY;
    let left: Node;
    if (tok === 'ident') left = { t: 'text', value: s.string() };
    else if (tok === 'lbrack') left = this.parseFunc();
    else throw new EnvsubstError('bad substitution');
    const right = this.parseAny();
    return right === EMPTY ? left : { t: 'list', nodes: [left, right] };
  }

  private parseFunc(): Node {
    const s = this.s;
    s.escapeChars = ESC_DOLLAR | ESC_BACKSLASH;
    if (s.peek() === '#') return this.parseLenFunc();
    s.accept = acceptIdent;
    s.mode = SCAN_IDENT;
    if (s.scan() !== 'ident') throw new EnvsubstError('unable to parse variable name');
    const name = s.string();
    switch (s.peek()) {
      case ':':
        return this.parseDefaultOrSubstr(name);
      case '=':
        return this.parseDefaultFunc(name);
      case ',':
      case '^':
        return this.parseCasingFunc(name);
      case '/':
        return this.parseReplaceFunc(name);
      case '#':
        return this.parseRemoveFunc(name, acceptHashFunc);
      case '%':
        return this.parseRemoveFunc(name, acceptPercentFunc);
    }
    s.accept = acceptIdent;
    s.mode = SCAN_RBRACK;
    if (s.scan() !== 'rbrack') throw new EnvsubstError('missing closing brace');
    return { t: 'func', param: name, name: '', args: [] };
  }

  private parseParam(accept: Accept, mode: number): Node {
    const s = this.s;
    s.accept = accept;
    s.mode = mode | SCAN_LBRACK;
    const tok = s.scan();
    if (tok === 'lbrack') return this.parseFunc();
    if (tok === 'ident' || tok === 'rbrack') return { t: 'text', value: s.string() };
    throw new EnvsubstError('unable to parse substitution within function');
  }

  private parseDefaultOrSubstr(name: string): Node {
    const s = this.s;
    s.read();
    const r = s.peek();
    s.unread();
    return r === '=' || r === '-' || r === '?' || r === '+' ? this.parseDefaultFunc(name) : this.parseSubstrFunc(name);
  }

  private opName(accept: Accept, error = 'bad substitution'): string {
    const s = this.s;
    s.accept = accept;
    s.mode = SCAN_IDENT;
    if (s.scan() !== 'ident') throw new EnvsubstError(error);
    return s.string();
  }

  private parseSubstrFunc(param: string): Node {
    const s = this.s;
    const node: Node = { t: 'func', param, name: this.opName(acceptOneColon), args: [] };
    node.args.push(this.parseParam(rejectColonClose, SCAN_IDENT));
    s.accept = acceptColon;
    s.mode = SCAN_IDENT | SCAN_RBRACK;
    const tok = s.scan();
    if (tok === 'rbrack') return node;
    if (tok !== 'ident') throw new EnvsubstError('bad substitution');
    node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT));
    this.consumeRbrack();
    return node;
  }

  private parseRemoveFunc(param: string, accept: Accept): Node {
    const node: Node = { t: 'func', param, name: this.opName(accept), args: [] };
    node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT));
    this.consumeRbrack();
    return node;
  }

  private parseReplaceFunc(param: string): Node {
    const s = this.s;
    const node: Node = { t: 'func', param, name: this.opName(acceptReplaceFunc), args: [] };
    node.args.push(this.parseParam(acceptNotSlash, SCAN_IDENT | SCAN_ESCAPE));
    s.accept = acceptSlash;
    s.mode = SCAN_IDENT;
    if (s.scan() !== 'ident') throw new EnvsubstError('bad substitution');
    if (s.peek() === '}') {
      this.consumeRbrack();
      return node;
    }
    node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT | SCAN_ESCAPE));
    this.consumeRbrack();
    return node;
  }

  private parseDefaultFunc(param: string): Node {
    const s = this.s;
    const accept = s.peek() === '=' ? acceptOneEqual : acceptDefaultFunc;
    const node: Node = { t: 'func', param, name: this.opName(accept, 'unable to parse default function'), args: [] };
    for (;;) {
      if (s.peek() === '}') {
        this.consumeRbrack();
        return node;
      }
      node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT));
    }
  }

  private parseCasingFunc(param: string): Node {
    const node: Node = { t: 'func', param, name: this.opName(acceptCasingFunc), args: [] };
    this.consumeRbrack();
    return node;
  }

  private parseLenFunc(): Node {
    const name = this.opName(acceptOneHash);
    const param = this.opName(acceptIdent);
    this.consumeRbrack();
    return { t: 'func', param, name, args: [] };
  }

  private consumeRbrack(): void {
    this.s.mode = SCAN_RBRACK;
    if (this.s.scan() !== 'rbrack') throw new EnvsubstError('bad substitution');
  }
}

const utf8 = new TextEncoder();
const byteLen = (s: string): number => utf8.encode(s).length;

/** Go's path.Match as a RegExp (`*`, `?`, `[…]` with `^` negation, `\` escapes); undefined for a malformed pattern. */
function globRegExp(pattern: string): RegExp | undefined {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      if (i + 1 >= pattern.length) return undefined;
      re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return undefined;
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('^')) body = `^${body.slice(1).replace(/\\/g, '\\\\')}`;
      else body = body.replace(/\\/g, '\\\\');
      re += `[${body}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`, 'su');
  } catch {
    return undefined;
  }
}

function trimShortest(s: string, arg: string): string {
  const re = globRegExp(arg);
  if (!re) return s;
  let shortest = '';
  for (let i = 0; i < s.length; i++) if (re.test(s.slice(0, s.length - i))) shortest = s.slice(0, s.length - i);
  return shortest !== '' ? s.slice(shortest.length) : s;
}

function trimLongest(s: string, arg: string): string {
  const re = globRegExp(arg);
  if (!re) return s;
  for (let i = 0; i < s.length; i++) if (re.test(s.slice(0, s.length - i))) return s.slice(s.length - i);
  return s;
}

const reverse = (s: string): string => Array.from(s).reverse().join('');

function toSubstr(s: string, args: readonly string[]): string {
  if (args.length === 0) return s;
  if (!/^[+-]?\d+$/.test(args[0]!)) return s;
  let pos = Number.parseInt(args[0]!, 10);
  if (pos < 0) pos = Math.max(0, s.length + pos);
  if (args.length === 1) return pos < s.length ? s.slice(pos) : '';
  if (!/^[+-]?\d+$/.test(args[1]!)) return s;
  const length = Number.parseInt(args[1]!, 10);
  if (pos + length >= s.length) return pos < s.length ? s.slice(pos) : '';
  return s.slice(pos, pos + length);
}

function apply(name: string, s: string, args: readonly string[]): string {
  switch (name) {
    case ',':
      return s === '' ? s : Array.from(s)[0]!.toLowerCase() + Array.from(s).slice(1).join('');
    case ',,':
      return s.toLowerCase();
    case '^':
      return s === '' ? s : Array.from(s)[0]!.toUpperCase() + Array.from(s).slice(1).join('');
    case '^^':
      return s.toUpperCase();
    case '#':
      return args.length === 0 ? String(byteLen(s)) : trimShortest(s, args[0]!);
    case '##':
      return args.length ? trimLongest(s, args[0]!) : s;
    case '%':
      return args.length ? reverse(trimShortest(reverse(s), reverse(args[0]!))) : s;
    case '%%':
      return args.length ? reverse(trimLongest(reverse(s), reverse(args[0]!))) : s;
    case ':':
      return toSubstr(s, args);
    case '/#':
      return args.length === 2 && s.startsWith(args[0]!) ? args[1]! + s.slice(args[0]!.length) : s;
    case '/%':
      return args.length === 2 && s.endsWith(args[0]!) ? s.slice(0, s.length - args[0]!.length) + args[1]! : s;
    case '/':
      return args.length === 0 ? s : s.replace(args[0]!, () => args[1] ?? '');
    case '//':
      return args.length === 0 ? s : s.split(args[0]!).join(args[1] ?? '');
    default:
      return s.length === 0 && args.length > 0 ? args.join('') : s;
  }
}

const DEFAULT_OPS = new Set(['-', '+', '=', '?', ':-', ':+', ':=', ':?']);

function evaluate(node: Node, lookup: (name: string) => string | undefined): string {
  if (node.t === 'text') return node.value;
  if (node.t === 'list') return node.nodes.map((n) => evaluate(n, lookup)).join('');
  const args = node.args.map((a) => evaluate(a, lookup));
  const v = lookup(node.param);
  if (v === undefined && !DEFAULT_OPS.has(node.name)) throw new EnvsubstError(`variable not set (strict mode): ${JSON.stringify(node.param)}`);
  return apply(node.name, v ?? '', args);
}

/**
 * Substitutes `${…}` expressions in `text`. `lookup` gives a variable's value, or undefined when it is unset and the
 * substitution is strict (Flux's non-strict mode maps every unset variable to "").
 */
export function envsubst(text: string, lookup: (name: string) => string | undefined): string {
  const tree = new Parser(new Scanner(text)).parseAny();
  return evaluate(tree, lookup);
}
