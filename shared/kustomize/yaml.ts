/**
 * Reading and writing YAML exactly as kustomize does. kustomize reads resources with yaml.v3 (YAML 1.2 scalars:
 * only true/false are booleans, `yes` is a string) and prints each resource by converting it to JSON and back
 * through yaml.v2, so the output has sorted keys, v2's quoting rules and folds plain scalars at 80 columns.
 * The emitter below reproduces yaml.v2's emitter for the JSON subset kustomize prints.
 */
import { Composer, isAlias, isMap, isScalar, isSeq, LineCounter, Parser } from 'yaml';
import type { Alias, Document, Node as YamlNode } from 'yaml';
import type { Problem } from '../problem';
import { problem } from '../problem';
import { YAML_LIMITS, yamlAliasError, yamlSizeError } from '../yaml/limits';
import type { PositionOf } from '../yaml/node-position';
import { positionsOf } from '../yaml/node-position';
import type { BlockScalars } from './yaml-block';
import { readBlockYaml } from './yaml-block';

/** A JSON-like value as kustomize holds it; integers beyond 2^53 are bigints. */
export type Json = null | boolean | number | bigint | string | Json[] | JsonMap;
/** A YAML mapping. */
export interface JsonMap {
  [key: string]: Json;
}

/** Whether a value is a mapping. */
export function isMapValue(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One document of a YAML stream with where it starts. */
export interface ParsedDoc {
  readonly value: Json;
  readonly line: number;
  /** Where a field is written (kept only when asked for with `positions`). */
  readonly at?: PositionOf;
}

/** Options for reading a YAML stream. */
export interface ReadYamlOptions {
  /** Duplicate keys: 'error' (resources) or 'lastWins' (kustomization files). */
  readonly duplicateKeys: 'error' | 'lastWins';
  /**
   * How plain scalars resolve: 'yaml12' as kyaml/yaml.v3 reads resources (the default), or 'yaml11' as
   * sigs.k8s.io/yaml (yaml.v2) reads kustomization files (`yes`, `on`, `n` are booleans, `012` is octal).
   */
  readonly schema?: 'yaml12' | 'yaml11';
  /** Keep each document's node positions (`ParsedDoc.at`): for small files whose errors point at a field. */
  readonly positions?: boolean;
}

class YamlReadError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Parses a multi-document YAML stream with yaml.v3 semantics; problems carry file, line and column. Plain block YAML
 * (most kustomizations and patches) is read by the fast block reader; the rest, and every text with a problem, by the
 * `yaml` package. Positions of a fast read are found when first asked for, by reading the text with `yaml` then.
 */
export function readYaml(text: string, file: string, options: ReadYamlOptions): { docs: ParsedDoc[]; problems: Problem[] } {
  const fast = readBlockYaml(text, options.schema === 'yaml11' ? SCALARS_V11 : SCALARS_V12);
  if (fast === undefined) return readYamlFully(text, file, options);
  if (!options.positions) return { docs: fast, problems: [] };
  let full: ParsedDoc[] | undefined;
  const docs = fast.map((d, i): ParsedDoc => ({
    ...d,
    at: (path, part) => {
      full ??= readYamlFully(text, file, options).docs;
      return full[i]!.at!(path, part);
    },
  }));
  return { docs, problems: [] };
}

const SCALARS_V12: BlockScalars = { plain: (raw) => resolvePlain(raw, undefined), key: (raw) => keyString(resolvePlain(raw, undefined)), set: setKey };
// A yaml.v2 key that is not a string (a number, a boolean, null) takes keyStringV2's rules and errors: the yaml path.
const SCALARS_V11: BlockScalars = {
  plain: resolvePlainV2,
  key: (raw) => {
    const k = resolvePlainV2(raw);
    return typeof k === 'string' ? k : undefined;
  },
  set: setKey,
};

/** Whether readYaml reads the text with the fast block reader (else with the `yaml` package): for tests and benchmarks. */
export function readsFast(text: string, options: ReadYamlOptions): boolean {
  return readBlockYaml(text, options.schema === 'yaml11' ? SCALARS_V11 : SCALARS_V12) !== undefined;
}

/** readYaml through the `yaml` package alone: any YAML, every problem with its position (the fast reader's reference). */
export function readYamlFully(text: string, file: string, options: ReadYamlOptions): { docs: ParsedDoc[]; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const docs: ParsedDoc[] = [];
  const problems: Problem[] = [];
  const tooBig = yamlSizeError(text);
  if (tooBig) return { docs, problems: [problem(`YAML: ${tooBig}`, { file, line: 1, column: 1 })] };
  // Documents are composed one at a time and dropped once converted: a large stream never holds every document's
  // syntax tree at once (parseAllDocuments does, several hundred bytes per input byte).
  const composer = new Composer({ schema: 'failsafe', uniqueKeys: false, prettyErrors: false, strict: false });
  for (const doc of composer.compose(new Parser(lineCounter.addNewLine).parse(text))) {
    if (doc.errors.length > 0) {
      const err = doc.errors[0]!;
      const pos = lineCounter.linePos(err.pos[0]);
      problems.push(problem(`YAML: ${firstLine(err.message)}`, { file, line: pos.line, column: pos.col }));
      continue;
    }
    if (!doc.contents) continue;
    try {
      const value = convert(doc.contents, doc, options, 0, { aliases: 0, nodes: 0 });
      if (value === null) continue;
      docs.push({ value, line: lineCounter.linePos(doc.contents.range?.[0] ?? 0).line, ...(options.positions ? { at: positionsOf(doc, lineCounter) } : {}) });
    } catch (e) {
      if (e instanceof YamlReadError) {
        const pos = lineCounter.linePos(e.offset);
        problems.push(problem(`YAML: ${e.message}`, { file, line: pos.line, column: pos.col }));
      } else throw e;
    }
  }
  return { docs, problems };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

const STR = 'tag:yaml.org,2002:str';

/** What converting one document has cost so far: aliases resolved and nodes produced (aliases expanded). */
interface Budget {
  aliases: number;
  nodes: number;
}

function convert(node: YamlNode | Alias | null | undefined, doc: Document, options: ReadYamlOptions, depth: number, budget: Budget): Json {
  if (node === null || node === undefined) return null;
  if (depth > 200) throw new YamlReadError('document nests too deeply', node.range?.[0] ?? 0);
  if (++budget.nodes > YAML_LIMITS.maxNodes) throw new YamlReadError(yamlAliasError('nodes'), node.range?.[0] ?? 0);
  if (isAlias(node)) {
    if (++budget.aliases > YAML_LIMITS.maxAliasCount) throw new YamlReadError(yamlAliasError('aliases'), node.range?.[0] ?? 0);
    const target = node.resolve(doc as never);
    if (!target) throw new YamlReadError(`unknown anchor '${node.source}' referenced`, node.range?.[0] ?? 0);
    return convert(target as YamlNode, doc, options, depth + 1, budget);
  }
  if (isScalar(node)) {
    const raw = String(node.value ?? '');
    const tag = node.tag;
    if (node.type === 'PLAIN' || node.type === undefined) {
      if (tag === STR || tag === '!') return raw;
      if (options.schema === 'yaml11' && tag === undefined) return resolvePlainV2(raw);
      return resolvePlain(raw, tag);
    }
    if (tag && tag !== STR && tag !== '!') return resolvePlain(raw, tag);
    return raw;
  }
  if (isSeq(node)) return node.items.map((it) => convert(it as YamlNode, doc, options, depth + 1, budget));
  if (isMap(node)) {
    const out: JsonMap = {};
    const seen = new Set<string>();
    const merges: Json[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const key = keyNode === null ? null : convert(keyNode, doc, options, depth + 1, budget);
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.value === '<<') {
        merges.push(convert(pair.value as YamlNode, doc, options, depth + 1, budget));
        continue;
      }
      const k = options.schema === 'yaml11' ? keyStringV2(keyNode, key) : keyString(key);
      if (seen.has(k) && options.duplicateKeys === 'error') {
        throw new YamlReadError(`mapping key "${k}" already defined`, keyNode?.range?.[0] ?? node.range?.[0] ?? 0);
      }
      seen.add(k);
      setKey(out, k, convert(pair.value as YamlNode, doc, options, depth + 1, budget));
    }
    for (const m of merges) {
      for (const src of Array.isArray(m) ? m : [m]) {
        if (!isMapValue(src)) continue;
        for (const [k, v] of Object.entries(src)) if (!Object.prototype.hasOwnProperty.call(out, k)) setKey(out, k, v);
      }
    }
    return out;
  }
  return null;
}

/** Sets a key on a map, safe for `__proto__`. */
export function setKey(m: JsonMap, k: string, v: Json): void {
  if (k === '__proto__') Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
  else m[k] = v;
}

function keyString(k: Json): string {
  if (k === null) return 'null';
  if (typeof k === 'string') return k;
  if (typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean') return formatNumberOrBool(k);
  return JSON.stringify(k);
}

/**
 * A mapping key as sigs.k8s.io/yaml turns yaml.v2's key into a JSON key (`convertToJSONableObject`): ints in decimal,
 * floats as `strconv.FormatFloat(f, 'g', -1, 32)` (`1e6` → `1e+06`, `.inf` → `.inf`), booleans as `true`/`false`; a
 * null key, a key beyond int64 (yaml.v2 gives uint64) or a collection is an error.
 */
function keyStringV2(keyNode: YamlNode | null, key: Json): string {
  const at = keyNode?.range?.[0] ?? 0;
  if (key === null) throw new YamlReadError('unsupported map key of type: <nil>, key: <nil>', at);
  if (typeof key === 'string') return key;
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (typeof key === 'bigint') {
    if (key > INT64_MAX) throw new YamlReadError(`unsupported map key of type: uint64, key: 0x${key.toString(16)}`, at);
    return key.toString();
  }
  if (typeof key === 'number') {
    const raw = isScalar(keyNode) && keyNode.type === 'PLAIN' ? String(keyNode.value ?? '') : undefined;
    const isInt = raw !== undefined ? parseGoInt(raw.replace(/_/g, '')) !== undefined : Number.isInteger(key);
    return isInt ? formatFloatForJson(key) : formatFloat32G(key);
  }
  throw new YamlReadError(`invalid map key: ${JSON.stringify(key)}`, at);
}

/** Go's `strconv.FormatFloat(f, 'g', -1, 32)` (shortest digits that read back as the same float32), with yaml.v2's inf/nan names. */
export function formatFloat32G(f: number): string {
  const x = Math.fround(f);
  if (Number.isNaN(x)) return '.nan';
  if (!Number.isFinite(x)) return x > 0 ? '.inf' : '-.inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let shortest = x;
  for (let p = 1; p <= 9; p++) {
    const d = Number(x.toPrecision(p));
    if (Math.fround(d) === x) {
      shortest = d;
      break;
    }
  }
  const e = Number(/e([-+]\d+)$/.exec(shortest.toExponential())![1]);
  return e < -4 || e >= 6 ? goExp(shortest) : String(shortest);
}

function formatNumberOrBool(v: number | bigint | boolean): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  return formatFloatForJson(v);
}

const FLOAT_RE = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const TIMESTAMP_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(\.\d*)?(?:[ \t]*(Z|[-+]\d{1,2}(?::\d{2})?))?)?$/;

/** Resolves a plain scalar as yaml.v3 does when decoding into interface{}. */
function resolvePlain(s: string, tag: string | undefined): Json {
  const short = tag?.startsWith('tag:yaml.org,2002:') ? tag.slice(18) : tag;
  if (short === 'str') return s;
  if (short === 'null') return null;
  if (short === 'bool') return /^(true|True|TRUE)$/.test(s);
  if (short === 'float') {
    const n = parseGoFloat(s);
    if (n !== undefined) return n;
    const i = parseGoInt(s.replace(/_/g, ''));
    return i === undefined ? s : Number(i);
  }
  if (short === 'int') {
    const i = parseGoInt(s.replace(/_/g, ''));
    return i === undefined ? s : i;
  }
  if (short !== undefined && short !== 'timestamp') return s;
  switch (s) {
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case '.nan':
    case '.NaN':
    case '.NAN':
      return Number.NaN;
    case '.inf':
    case '.Inf':
    case '.INF':
    case '+.inf':
    case '+.Inf':
    case '+.INF':
      return Number.POSITIVE_INFINITY;
    case '-.inf':
    case '-.Inf':
    case '-.INF':
      return Number.NEGATIVE_INFINITY;
  }
  const c = s.charCodeAt(0);
  if (c === 46 /* . */) {
    const f = parseGoFloat(s);
    return f === undefined ? s : f;
  }
  if ((c >= 48 && c <= 57) || c === 43 || c === 45) {
    const ts = TIMESTAMP_RE.exec(s);
    if (ts) return timestampToJson(ts);
    const plain = s.replace(/_/g, '');
    const i = parseGoInt(plain);
    if (i !== undefined) return i;
    if (FLOAT_RE.test(plain)) return Number(plain);
    const m = /^(-?)0([bo])([0-7]+)$/.exec(plain);
    if (m) {
      const v = BigInt(`0${m[2]}${m[3]}`) * (m[1] ? -1n : 1n);
      return toIntValue(v);
    }
  }
  return s;
}

/** Resolves a plain scalar as yaml.v2 does when decoding into interface{} (timestamps stay strings). */
function resolvePlainV2(s: string): Json {
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (V2_TRUE.has(s)) return true;
  if (V2_FALSE.has(s)) return false;
  const c = s[0]!;
  if (c === '.') {
    if (/^\.(inf|Inf|INF)$/.test(s)) return Number.POSITIVE_INFINITY;
    if (/^\.(nan|NaN|NAN)$/.test(s)) return Number.NaN;
    return parseDotFloat(s) ?? s;
  }
  if ('+-0123456789'.includes(c)) {
    if (/^[-+]\.(inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    if (/^\d{4}-/.test(s) && V2_TS.test(s)) return s;
    const plain = s.replace(/_/g, '');
    const i = parseGoInt(plain);
    if (i !== undefined) return i;
    // strconv.ParseFloat fails on overflow (`1e400`): yaml.v2 then keeps the text.
    if (FLOAT_RE.test(plain) && Number.isFinite(Number(plain))) return Number(plain);
    const m = /^(-?)0b([01]+)$/.exec(plain);
    if (m) return toIntValue(BigInt(`0b${m[2]}`) * (m[1] ? -1n : 1n));
  }
  return s;
}

const V2_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const V2_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

function timestampToJson(m: RegExpExecArray): string {
  const pad = (x: string | undefined, n: number) => (x ?? '0').padStart(n, '0');
  const date = `${m[1]}-${pad(m[2], 2)}-${pad(m[3], 2)}`;
  if (m[4] === undefined) return `${date}T00:00:00Z`;
  let frac = m[7] ?? '';
  frac = frac.replace(/0+$/, '');
  if (frac === '.') frac = '';
  let zone = m[8] ?? 'Z';
  if (zone !== 'Z') {
    const zm = /^([-+])(\d{1,2})(?::(\d{2}))?$/.exec(zone)!;
    zone = zm[2] === '0' && (zm[3] ?? '00') === '00' ? 'Z' : `${zm[1]}${pad(zm[2], 2)}:${zm[3] ?? '00'}`;
  }
  return `${date}T${pad(m[4], 2)}:${m[5]}:${m[6]}${frac}${zone}`;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function toIntValue(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** strconv.ParseInt/ParseUint(s, 0, 64): decimal, 0x, 0o, 0b, leading-0 octal, optional sign. */
function parseGoInt(s: string): number | bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2]!;
  let v: bigint;
  if (/^0[xXoObB]/.test(body)) v = BigInt(body.toLowerCase());
  else if (body.length > 1 && body.startsWith('0')) v = BigInt(`0o${body.slice(1)}`);
  else v = BigInt(body);
  if (m[1] === '-') v = -v;
  if (v < INT64_MIN || v > UINT64_MAX) return undefined;
  return toIntValue(v);
}

function parseGoFloat(s: string): number | undefined {
  if (/^[-+]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[-+]?nan$/i.test(s)) return Number.NaN;
  if (!/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return undefined;
  return Number(s);
}

// ---------------------------------------------------------------------------------------------------------------
// Number formatting: Go encoding/json for floats, then yaml.v2's re-reading and strconv 'g' printing.

/** Formats a float the way Go's encoding/json does. */
export function formatFloatForJson(f: number): string {
  if (Number.isInteger(f) && Math.abs(f) < 1e21) return Object.is(f, -0) ? '0' : BigInt(f).toString();
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go: 'e' format, exponent at least 2 digits.
    return goExp(f);
  }
  return String(f);
}

function goExp(f: number): string {
  const s = f.toExponential(); // shortest digits, e.g. 1.5e-7
  const m = /^(-?[\d.]+)e([-+])(\d+)$/.exec(s)!;
  return `${m[1]}e${m[2]}${m[3]!.padStart(2, '0')}`;
}

/** Formats a number exactly as it appears in kustomize's output (JSON round trip, then yaml.v2). */
export function formatNumber(v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  if (Number.isNaN(v)) return '.nan';
  if (v === Number.POSITIVE_INFINITY) return '.inf';
  if (v === Number.NEGATIVE_INFINITY) return '-.inf';
  if (Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 64) return Object.is(v, -0) ? '0' : BigInt(v).toString();
  // strconv.FormatFloat(f, 'g', -1, 64)
  const m = /^-?\d(?:\.\d+)?e([-+]\d+)$/.exec(v.toExponential())!;
  const exp = Number(m[1]);
  if (exp < -4 || exp >= 6) return goExp(v);
  return String(v);
}

// ---------------------------------------------------------------------------------------------------------------
// yaml.v2 scalar resolution: does a plain scalar read back as something other than a string?

const V2_MAP = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const V2_TS = /^\d{4}-\d{1,2}-\d{1,2}(?:[Tt ]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d{1,9})?(?:Z|[-+]\d{2}:\d{2})?)?$/;

function v2ResolvesToNonString(s: string): boolean {
  if (s === '') return true;
  const c = s[0]!;
  const hint = '+-0123456789'.includes(c) ? 'D' : 'yYnNtTfFoO~'.includes(c) ? 'M' : c === '.' ? '.' : '';
  if (hint === '') return false;
  if (V2_MAP.has(s)) return true;
  if (hint === '.') return parseDotFloat(s) !== undefined;
  if (hint === 'D') {
    if (/^\d{4}-/.test(s) && V2_TS.test(s)) return true;
    const plain = s.replace(/_/g, '');
    if (parseGoInt(plain) !== undefined) return true;
    if (FLOAT_RE.test(plain) && Number.isFinite(Number(plain))) return true;
    if (/^-?0b[01]+$/.test(plain)) return true;
  }
  return false;
}

/**
 * strconv.ParseFloat of a plain scalar starting with '.' (yaml.v2 calls it without removing underscores; Go accepts one
 * between digits), or undefined where Go fails: bad syntax or out of range.
 */
function parseDotFloat(s: string): number | undefined {
  if (!/^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/.test(s)) return undefined;
  const f = Number(s.replace(/_/g, ''));
  return Number.isFinite(f) ? f : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The emitter.

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
