/**
 * The YAML printer: reproduces yaml.v2's emitter for the JSON subset kustomize prints (sorted keys in v2's natural order,
 * v2's quoting rules, plain scalars folded at 80 columns, literal block scalars).
 */
import type { Json, JsonMap } from './json';
import { isMapValue } from './json';
import { BASE60, formatNumber, v2ResolvesToNonString } from './yaml-scalars';

const BEST_WIDTH = 80;

/** yaml.v2's natural key order (digits compare numerically, letters before other characters). */
export function v2KeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10n + BigInt(ar[ai]!.charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10n + BigInt(br[bi]!.charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;
function isLetter(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 128) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return LETTER.test(c);
}
function isDigit(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 128) return code >= 48 && code <= 57;
  return DIGIT.test(c);
}

function sortedKeys(m: JsonMap): string[] {
  const keys = Object.keys(m);
  if (keys.length < 2) return keys;
  return keys.sort((x, y) => (v2KeyLess(x, y) ? -1 : v2KeyLess(y, x) ? 1 : 0));
}

interface ScalarInfo {
  multiline: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

function isPrintableCode(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  );
}
// 0x85 is printable for libyaml as well.
function printable(cp: number): boolean {
  return cp === 0x85 || isPrintableCode(cp);
}
function isBreakCode(cp: number): boolean {
  return cp === 0x0a || cp === 0x0d || cp === 0x85 || cp === 0x2028 || cp === 0x2029;
}

/** Strings of these characters (not starting with '.' or '-') have no indicator, space, break or special character. */
const SAFE_SCALAR = /^[A-Za-z0-9_/][A-Za-z0-9_./-]*$/;

function analyze(value: string): ScalarInfo {
  if (value.length === 0) return { multiline: false, blockPlain: true, singleQuoted: true, block: false };
  // Most names, versions and labels: what the scan below finds for them, without splitting into code points.
  if (SAFE_SCALAR.test(value)) return { multiline: false, blockPlain: true, singleQuoted: true, block: true };
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWs = true;
  let prevSpace = false;
  let prevBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) blockIndicators = true;
  const cps = Array.from(value, (ch) => ch.codePointAt(0)!);
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    const next = cps[i + 1];
    const followedByWs = next === undefined || next === 0x20 || next === 0x09 || isBreakCode(next);
    if (i === 0) {
      switch (c) {
        case 0x23: case 0x2c: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x26: case 0x2a: case 0x21:
        case 0x7c: case 0x3e: case 0x27: case 0x22: case 0x25: case 0x40: case 0x60:
          blockIndicators = true;
          break;
        case 0x3f: case 0x3a:
          if (followedByWs) blockIndicators = true;
          break;
        case 0x2d:
          if (followedByWs) blockIndicators = true;
          break;
      }
    } else {
      if (c === 0x3a && followedByWs) blockIndicators = true;
      if (c === 0x23 && precededByWs) blockIndicators = true;
    }
    if (!printable(c)) special = true;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i === cps.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreakCode(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === cps.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = c === 0x20 || c === 0x09 || isBreakCode(c) || c === 0;
  }
  const info: ScalarInfo = { multiline: lineBreaks, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) info.blockPlain = false;
  if (trailingSpace) info.block = false;
  if (breakSpace) {
    info.blockPlain = false;
    info.singleQuoted = false;
  }
  if (spaceBreak || special) {
    info.blockPlain = false;
    info.singleQuoted = false;
    info.block = false;
  }
  if (lineBreaks) info.blockPlain = false;
  if (blockIndicators) info.blockPlain = false;
  return info;
}

/** The text of a YAML stream, built line by line with yaml.v2's column bookkeeping. */
class Out {
  buf = '';
  column = 0;
  put(s: string): void {
    this.buf += s;
    this.column += s.length;
  }
  /** Writes one code point (counts as one column). */
  putChar(ch: string): void {
    this.buf += ch;
    this.column += 1;
  }
  newline(): void {
    this.buf += '\n';
    this.column = 0;
  }
  indent(n: number): void {
    if (this.column !== 0 || n === 0) {
      if (this.column !== 0) this.newline();
    }
    if (n > 0) this.put(' '.repeat(n));
  }
}

type Style = 'plain' | 'single' | 'double' | 'literal';

function chooseStyle(s: string, simpleKey: boolean): Style {
  const info = analyze(s);
  let style: Style;
  if (!simpleKey && s.includes('\n')) style = 'literal';
  else style = v2ResolvesToNonString(s) || BASE60.test(s) ? 'double' : 'plain';
  if (simpleKey && info.multiline) style = 'double';
  if (style === 'plain') {
    if (!info.blockPlain) style = 'single';
    if (s.length === 0 && simpleKey) style = 'single';
  }
  if (style === 'single' && !info.singleQuoted) style = 'double';
  if (style === 'literal' && (!info.block || simpleKey)) style = 'double';
  return style;
}

/** Spaces (where a plain scalar may fold) and surrogate pairs (one column for two UTF-16 units). */
const SPACE_OR_SURROGATE = /[ \uD800-\uDFFF]/;

function writePlain(out: Out, s: string, indent: number, allowBreaks: boolean): void {
  // Without spaces nothing folds, and without surrogates each UTF-16 unit is one column: the text as it is.
  if (!SPACE_OR_SURROGATE.test(s)) {
    out.put(s);
    return;
  }
  const chars = Array.from(s);
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === ' ') {
      if (allowBreaks && !spaces && out.column > BEST_WIDTH && chars[i + 1] !== ' ') {
        out.newline();
        out.put(' '.repeat(indent));
      } else out.putChar(ch);
      spaces = true;
    } else {
      out.putChar(ch);
      spaces = false;
    }
  }
}

function writeSingle(out: Out, s: string, indent: number, allowBreaks: boolean): void {
  out.put("'");
  const chars = Array.from(s);
  let spaces = false;
  let breaks = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === ' ') {
      if (allowBreaks && !spaces && out.column > BEST_WIDTH && i > 0 && i < chars.length - 1 && chars[i + 1] !== ' ') {
        out.newline();
        out.put(' '.repeat(indent));
      } else out.putChar(ch);
      spaces = true;
    } else if (isBreakCode(ch.codePointAt(0)!)) {
      // A line separator other than \n: libyaml writes it raw and starts the next line at the indent.
      if (ch === '\n' && !breaks) out.newline();
      out.buf += ch;
      out.column = 0;
      breaks = true;
      spaces = false;
    } else {
      if (breaks) out.put(' '.repeat(indent));
      breaks = false;
      if (ch === "'") out.putChar("'");
      out.putChar(ch);
      spaces = false;
    }
  }
  out.put("'");
}

const ESCAPES: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
  0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

function writeDouble(out: Out, s: string, indent: number, allowBreaks: boolean): void {
  out.put('"');
  const chars = Array.from(s);
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const cp = ch.codePointAt(0)!;
    if (!printable(cp) || cp === 0xfeff || isBreakCode(cp) || cp === 0x22 || cp === 0x5c) {
      out.putChar('\\');
      const esc = ESCAPES[cp];
      if (esc !== undefined) out.putChar(esc);
      else if (cp <= 0xff) out.put('x' + cp.toString(16).toUpperCase().padStart(2, '0'));
      else if (cp <= 0xffff) out.put('u' + cp.toString(16).toUpperCase().padStart(4, '0'));
      else out.put('U' + cp.toString(16).toUpperCase().padStart(8, '0'));
      spaces = false;
    } else if (ch === ' ') {
      if (allowBreaks && !spaces && out.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
        out.newline();
        out.put(' '.repeat(indent));
        if (chars[i + 1] === ' ') out.putChar('\\');
      } else out.putChar(ch);
      spaces = true;
    } else {
      out.putChar(ch);
      spaces = false;
    }
  }
  out.put('"');
}

function writeLiteral(out: Out, s: string, indent: number): void {
  out.put('|');
  if (s.startsWith(' ') || isBreakCode(s.codePointAt(0) ?? 0)) out.put('2');
  const chars = Array.from(s);
  const last = chars[chars.length - 1];
  if (last === undefined || !isBreakCode(last.codePointAt(0)!)) out.put('-');
  else if (chars.length === 1) out.put('+');
  else if (isBreakCode(chars[chars.length - 2]!.codePointAt(0)!)) out.put('+');
  out.newline();
  let breaks = true;
  for (const ch of chars) {
    if (isBreakCode(ch.codePointAt(0)!)) {
      out.newline();
      breaks = true;
    } else {
      if (breaks) out.put(' '.repeat(indent));
      out.putChar(ch);
      breaks = false;
    }
  }
}

function writeString(out: Out, s: string, indent: number, simpleKey: boolean): void {
  const style = chooseStyle(s, simpleKey);
  const allowBreaks = !simpleKey;
  switch (style) {
    case 'plain':
      writePlain(out, s, indent, allowBreaks);
      break;
    case 'single':
      writeSingle(out, s, indent, allowBreaks);
      break;
    case 'double':
      writeDouble(out, s, indent, allowBreaks);
      break;
    case 'literal':
      writeLiteral(out, s, indent);
      break;
  }
}

function writeScalar(out: Out, v: Json, indent: number): void {
  if (v === null) out.put('null');
  else if (typeof v === 'boolean') out.put(v ? 'true' : 'false');
  else if (typeof v === 'number' && !Number.isFinite(v)) throw new UnsupportedValueError(v);
  else if (typeof v === 'number' || typeof v === 'bigint') out.put(formatNumber(v));
  else if (typeof v === 'string') writeString(out, v, indent, false);
}

function isEmptyCollection(v: Json): boolean {
  return (Array.isArray(v) && v.length === 0) || (isMapValue(v) && Object.keys(v).length === 0);
}

function writeMap(out: Out, m: JsonMap, indent: number, inlineFirst: boolean): void {
  let first = true;
  for (const k of sortedKeys(m)) {
    if (!(first && inlineFirst)) out.indent(indent);
    first = false;
    const v = m[k]!;
    if (k.includes('\n')) {
      // yaml.v2 writes a multi-line key as a complex key.
      out.put('? ');
      writeLiteral(out, k, indent + 2);
      out.indent(indent);
      out.put(':');
    } else {
      writeString(out, k, indent, true);
      out.put(':');
    }
    writeValueAfterIndicator(out, v, indent, true);
  }
}

function writeValueAfterIndicator(out: Out, v: Json, indent: number, inMapping: boolean): void {
  if (Array.isArray(v) && v.length > 0) {
    writeSeq(out, v, inMapping ? indent : indent + 2, false);
  } else if (isMapValue(v) && Object.keys(v).length > 0) {
    writeMap(out, v, indent + 2, false);
  } else if (isEmptyCollection(v)) {
    out.put(Array.isArray(v) ? ' []' : ' {}');
  } else {
    out.put(' ');
    writeScalar(out, v, indent + 2);
  }
}

function writeSeq(out: Out, items: Json[], indent: number, inlineFirst: boolean): void {
  let first = true;
  for (const item of items) {
    if (!(first && inlineFirst)) out.indent(indent);
    first = false;
    out.put('-');
    if (Array.isArray(item) && item.length > 0) {
      out.put(' ');
      writeSeq(out, item, indent + 2, true);
    } else if (isMapValue(item) && Object.keys(item).length > 0) {
      out.put(' ');
      writeMap(out, item, indent + 2, true);
    } else if (isEmptyCollection(item)) {
      out.put(Array.isArray(item) ? ' []' : ' {}');
    } else {
      out.put(' ');
      writeScalar(out, item, indent + 2);
    }
  }
}

/** A value kustomize cannot print (it converts resources to JSON, which has no Inf or NaN). */
export class UnsupportedValueError extends Error {
  constructor(readonly value: number) {
    super(`json: unsupported value: ${Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf'}`);
  }
}

/** Serialises one document as yaml.v2 does after kustomize's JSON round trip (no `---`, ends with a newline). */
export function emitYaml(v: Json): string {
  const out = new Out();
  if (Array.isArray(v) && v.length > 0) writeSeq(out, v, 0, true);
  else if (isMapValue(v) && Object.keys(v).length > 0) writeMap(out, v, 0, true);
  else if (isEmptyCollection(v)) out.put(Array.isArray(v) ? '[]' : '{}');
  else writeScalar(out, v, 0);
  if (out.column !== 0) out.newline();
  return out.buf;
}
