/**
 * A fast reader for the block YAML that kustomizations, patches and small manifests are written in: block mappings
 * and sequences of plain, quoted and literal (`|`, `|-`) scalars, one-line flow sequences, comments and `---`
 * separators. It gives the same values as the `yaml` package read by `readYaml` (the caller passes the same scalar
 * resolution) and, on anything else — anchors, tags, multi-line plain or quoted scalars, folded scalars, flow maps,
 * duplicate or quoted keys, tabs, CR line ends, odd indentation, any error — it gives up (returns undefined) so that
 * `readYaml` reads the text with the `yaml` package, which then reports problems with their exact positions. Written
 * here rather than taken from a library because it must agree with `yaml` byte for byte or step aside.
 */
import type { Json, JsonMap } from './yaml';

/** How plain scalars and keys resolve: the same functions the `yaml` package path uses. */
export interface BlockScalars {
  /** The value of an untagged plain scalar. */
  readonly plain: (raw: string) => Json;
  /** The map key a plain key scalar becomes, or undefined when only the `yaml` package path may read it. */
  readonly key: (raw: string) => string | undefined;
  /** Sets a key on a map (safe for `__proto__`). */
  readonly set: (m: JsonMap, k: string, v: Json) => void;
}

/** One document read: its value and the 1-based line where its content starts. */
export interface BlockDoc {
  readonly value: Json;
  readonly line: number;
}

/** Texts longer than this go to the `yaml` package (its node and alias budgets then apply as usual). */
const MAX_TEXT = 256 * 1024;
const MAX_DEPTH = 100;
// Characters the fast path never reads: CR, tabs, BOM, controls, NEL and the Unicode line separators.
// eslint-disable-next-line no-control-regex
const REFUSED = /[\x00-\x08\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;

class GiveUp {}
const GIVE_UP = new GiveUp();

/** Reads `text` when it is plain block YAML; undefined when the `yaml` package must read it. */
export function readBlockYaml(text: string, scalars: BlockScalars): BlockDoc[] | undefined {
  if (text.length > MAX_TEXT || REFUSED.test(text)) return undefined;
  try {
    return new BlockReader(text, scalars).documents();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

function giveUp(): never {
  throw GIVE_UP;
}

const SPACE = 32;
const HASH = 35;
const DASH = 45;

class BlockReader {
  private readonly lines: string[];
  private li = 0;
  private depth = 0;

  constructor(
    text: string,
    private readonly s: BlockScalars,
  ) {
    this.lines = text.split('\n');
  }

  documents(): BlockDoc[] {
    const docs: BlockDoc[] = [];
    const lines = this.lines;
    for (;;) {
      this.skip();
      if (this.li >= lines.length) break;
      const line = lines[this.li]!;
      if (this.indent(this.li) < 0) {
        if (!/^--- *$/.test(line)) giveUp(); // `...`, `--- value`, `--- |`
        this.li++;
        continue;
      }
      if (line.charCodeAt(0) === 37 /* % */) giveUp();
      const start = this.li;
      const col = this.indent(start);
      const value = this.node(col, -1);
      this.skip();
      if (this.li < lines.length && this.indent(this.li) >= 0) giveUp();
      if (value !== null) docs.push({ value, line: start + 1 });
    }
    return docs;
  }

  /** Leading spaces of a line; -1 for a document marker (`---`, `...` at column 0), which ends every block. */
  private indent(i: number): number {
    const line = this.lines[i]!;
    let n = 0;
    while (line.charCodeAt(n) === SPACE) n++;
    if (n === 0 && (line.startsWith('---') || line.startsWith('...')) && (line.length === 3 || line.charCodeAt(3) === SPACE)) return -1;
    return n;
  }

  /** Moves past blank and comment-only lines. */
  private skip(): void {
    const lines = this.lines;
    while (this.li < lines.length) {
      const line = lines[this.li]!;
      let n = 0;
      while (line.charCodeAt(n) === SPACE) n++;
      if (n < line.length && line.charCodeAt(n) !== HASH) return;
      this.li++;
    }
  }

  /** The node whose content starts on the current line at `col`, inside a block owned by column `owner`. */
  private node(col: number, owner: number): Json {
    if (++this.depth > MAX_DEPTH) giveUp();
    const line = this.lines[this.li]!;
    const content = col === 0 ? line : line.slice(col);
    let v: Json;
    if (isDash(content)) {
      if (col !== this.indent(this.li)) giveUp(); // `- - a`
      v = this.seq(col);
    } else if (keyEnd(content) >= 0) v = this.map(col);
    else {
      const c = content.charCodeAt(0);
      if (c === 124 /* | */ || c === 62 /* > */) giveUp();
      v = this.inline(content, owner);
    }
    this.depth--;
    return v;
  }

  /** A block sequence whose dashes are at column `col`; starts on the current line. */
  private seq(col: number): Json[] {
    const out: Json[] = [];
    const lines = this.lines;
    for (let first = true; ; first = false) {
      if (!first) {
        this.skip();
        if (this.li >= lines.length) break;
        const ind = this.indent(this.li);
        if (ind > col) giveUp();
        if (ind < col || !isDash(lines[this.li]!.slice(col))) break;
      }
      const line = lines[this.li]!;
      let c = col + 1;
      while (line.charCodeAt(c) === SPACE) c++;
      if (c >= line.length || line.charCodeAt(c) === HASH) {
        this.li++;
        this.skip();
        out.push(this.li < lines.length && this.indent(this.li) > col ? this.node(this.indent(this.li), col) : null);
        continue;
      }
      const content = line.slice(c);
      if (isDash(content)) giveUp();
      out.push(keyEnd(content) >= 0 ? this.nested(() => this.map(c)) : this.inline(content, col));
    }
    return out;
  }

  /** A block mapping whose keys are at column `col`; its first key is on the current line at `col`. */
  private map(col: number): JsonMap {
    const out: JsonMap = {};
    const lines = this.lines;
    for (let first = true; ; first = false) {
      if (!first) {
        this.skip();
        if (this.li >= lines.length) break;
        const ind = this.indent(this.li);
        if (ind > col) giveUp();
        if (ind < col) break;
      }
      const line = lines[this.li]!;
      const content = col === 0 ? line : line.slice(col);
      const end = keyEnd(content);
      if (end < 0) giveUp();
      const raw = content.slice(0, end);
      const c0 = raw.charCodeAt(0);
      if (raw.length === 0 || raw.length > 1000 || raw.charCodeAt(raw.length - 1) === SPACE || isIndicator(c0) || (c0 === DASH && raw.charCodeAt(1) === SPACE) || raw === '<<') giveUp();
      const key = this.s.key(raw);
      if (key === undefined) giveUp();
      if (Object.prototype.hasOwnProperty.call(out, key)) giveUp();
      let r = end + 1;
      while (content.charCodeAt(r) === SPACE) r++;
      let value: Json;
      if (r >= content.length || content.charCodeAt(r) === HASH) {
        this.li++;
        this.skip();
        if (this.li >= lines.length) value = null;
        else {
          const ind = this.indent(this.li);
          if (ind > col) value = this.node(ind, col);
          else if (ind === col && isDash(lines[this.li]!.slice(col))) value = this.nested(() => this.seq(col));
          else value = null;
        }
      } else value = this.inline(content.slice(r), col);
      this.s.set(out, key, value);
    }
    return out;
  }

  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) giveUp();
    const v = f();
    this.depth--;
    return v;
  }

  /** A scalar or one-line flow sequence written on the current line (a literal block scalar reads the lines below it). */
  private inline(text: string, owner: number): Json {
    const c = text.charCodeAt(0);
    let v: Json;
    if (c === 34 /* " */) v = this.rest(text, doubleQuoted(text, 0));
    else if (c === 39 /* ' */) v = this.rest(text, singleQuoted(text, 0));
    else if (c === 91 /* [ */) v = this.rest(text, this.flowSeq(text));
    else if (c === 123 /* { */) {
      const m = /^\{ *\}/.exec(text);
      if (!m) giveUp();
      v = this.rest(text, [{}, m[0].length]);
    } else if (c === 124 /* | */) return this.literal(text, owner);
    else if (isIndicator(c) || ((c === DASH || c === 63 || c === 58) && (text.length === 1 || text.charCodeAt(1) === SPACE))) giveUp();
    else {
      let end = text.indexOf(' #');
      if (end < 0) end = text.length;
      while (end > 0 && text.charCodeAt(end - 1) === SPACE) end--;
      const raw = text.slice(0, end);
      if (raw.includes(': ') || raw.endsWith(':')) giveUp();
      v = this.s.plain(raw);
    }
    this.li++;
    return v;
  }

  /** The value read from `text` when all that follows it is spaces and a comment. */
  private rest(text: string, [v, end]: [Json, number]): Json {
    let i = end;
    while (text.charCodeAt(i) === SPACE) i++;
    if (i < text.length && !(i > end && text.charCodeAt(i) === HASH)) giveUp();
    return v;
  }

  /** `[a, "b", 'c']` on one line: scalars only. */
  private flowSeq(text: string): [Json[], number] {
    const out: Json[] = [];
    let i = 1;
    while (text.charCodeAt(i) === SPACE) i++;
    if (text.charCodeAt(i) === 93 /* ] */) return [out, i + 1];
    for (;;) {
      const c = text.charCodeAt(i);
      let item: [Json, number];
      if (c === 34) item = doubleQuoted(text, i);
      else if (c === 39) item = singleQuoted(text, i);
      else {
        let j = i;
        while (j < text.length && !',[]{}:#"\''.includes(text[j]!)) j++;
        let e = j;
        while (e > i && text.charCodeAt(e - 1) === SPACE) e--;
        if (e === i || isIndicator(c) || c === DASH || c === 63) giveUp();
        item = [this.s.plain(text.slice(i, e)), j];
      }
      out.push(item[0]);
      i = item[1];
      while (text.charCodeAt(i) === SPACE) i++;
      const sep = text.charCodeAt(i);
      if (sep === 93) return [out, i + 1];
      if (sep !== 44 /* , */) giveUp();
      i++;
      while (text.charCodeAt(i) === SPACE) i++;
      if (text.charCodeAt(i) === 93 || i >= text.length) giveUp();
    }
  }

  /** A literal block scalar (`|` or `|-`) whose header is `header`; its lines follow, indented past `owner`. */
  private literal(header: string, owner: number): string {
    const m = /^\|(-?)(?: +#.*| *)$/.exec(header);
    if (!m || owner < 0) giveUp();
    const lines = this.lines;
    const parts: string[] = [];
    let n = -1;
    let j = this.li + 1;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      let ind = 0;
      while (l.charCodeAt(ind) === SPACE) ind++;
      if (ind === l.length) {
        if (n < 0 || l.length > n) giveUp(); // leading blank lines, or blank lines holding spaces of content
        parts.push('');
        continue;
      }
      if (n < 0) {
        if (ind <= owner) giveUp(); // an empty block scalar
        n = ind;
      }
      if (ind < n) break;
      parts.push(l.slice(n));
    }
    if (j === lines.length && lines[j - 1] !== '') giveUp(); // no line break after the last line
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    if (parts.length === 0) giveUp();
    this.li = j;
    const body = parts.join('\n');
    return m[1] === '-' ? body : body + '\n';
  }
}

/** Whether block content starts a sequence entry (`-` then a space or the end). */
function isDash(content: string): boolean {
  return content.charCodeAt(0) === DASH && (content.length === 1 || content.charCodeAt(1) === SPACE);
}

/** Where an implicit key of plain content ends (its `:`), or -1 when the content is not `key:` or `key: value`. */
function keyEnd(s: string): number {
  const hash = s.indexOf(' #');
  for (let i = s.indexOf(':'); i >= 0; i = s.indexOf(':', i + 1)) {
    if (hash >= 0 && hash < i) return -1;
    if (i + 1 === s.length || s.charCodeAt(i + 1) === SPACE) {
      const c = s.charCodeAt(0);
      // A quoted or flow key, or a key with properties: the `yaml` package reads it.
      if (c === 34 || c === 39 || c === 91 || c === 123 || c === 38 || c === 42 || c === 33 || c === 63) giveUp();
      return i;
    }
  }
  return -1;
}

/** YAML's indicator characters that cannot start a plain scalar (`-`, `?`, `:` are handled by the caller). */
function isIndicator(c: number): boolean {
  switch (c) {
    case 44: // ,
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
    case 35: // #
    case 38: // &
    case 42: // *
    case 33: // !
    case 124: // |
    case 62: // >
    case 39: // '
    case 34: // "
    case 37: // %
    case 64: // @
    case 96: // `
      return true;
    default:
      return false;
  }
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', ' ': ' ' };

/** A one-line double-quoted scalar starting at `i`: its value and the index after the closing quote. */
function doubleQuoted(text: string, i: number): [string, number] {
  let out = '';
  let from = i + 1;
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) return [out + text.slice(from, j), j + 1];
    if (c === 92 /* \ */) {
      const e = ESCAPES[text[j + 1] ?? ''];
      if (e === undefined) giveUp();
      out += text.slice(from, j) + e;
      j++;
      from = j + 1;
    }
  }
  return giveUp(); // continues on the next line
}

/** A one-line single-quoted scalar starting at `i`: its value and the index after the closing quote. */
function singleQuoted(text: string, i: number): [string, number] {
  let out = '';
  let from = i + 1;
  for (let j = from; j < text.length; j++) {
    if (text.charCodeAt(j) !== 39) continue;
    if (text.charCodeAt(j + 1) === 39) {
      out += text.slice(from, j + 1);
      j++;
      from = j + 1;
      continue;
    }
    return [out + text.slice(from, j), j + 1];
  }
  return giveUp();
}
