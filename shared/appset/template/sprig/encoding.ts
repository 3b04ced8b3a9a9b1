// Go's encoding/json output (sorted keys, HTML escaping, float formatting) and sigs.k8s.io/yaml round trips for toJson/toYaml/fromYaml.
import { Document, Scalar, parseAllDocuments, stringify, visit } from 'yaml';
import { formatFloat } from '../go/fmt';
import { Int64, isGoObject, isMap, setEntry, sortedKeys } from '../go/values';
import { YAML_TO_JS, yamlLimitMessage, yamlSizeError } from '../../../yaml/limits';

/** Options of Go's JSON encoder that Sprig varies. */
export interface JsonOptions {
  readonly escapeHtml: boolean;
  readonly indent?: string;
}

function quoteJson(s: string, escapeHtml: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = s.charCodeAt(i);
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (code < 0x20) {
      if (c === '\n') out += '\\n';
      else if (c === '\r') out += '\\r';
      else if (c === '\t') out += '\\t';
      else if (c === '\b') out += '\\b';
      else if (c === '\f') out += '\\f';
      else out += '\\u' + code.toString(16).padStart(4, '0');
    } else if (escapeHtml && (c === '<' || c === '>' || c === '&')) out += '\\u' + code.toString(16).padStart(4, '0');
    else if (code === 0x2028 || code === 0x2029) out += '\\u' + code.toString(16);
    else out += c;
  }
  return out + '"';
}

/** A float64 as encoding/json writes it. */
export function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  if (Object.is(f, -0)) return '-0';
  return String(f);
}

/** json.Marshal / MarshalIndent of a template value, with Go's key order and escaping. */
export function goJson(v: unknown, opts: JsonOptions, level = 0): string {
  if (v === undefined || v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return quoteJson(v, opts.escapeHtml);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return jsonFloat(v);
    case 'bigint':
      return v.toString();
  }
  if (v instanceof Int64) return v.v.toString();
  const ind = opts.indent;
  const nl = ind === undefined ? '' : '\n' + ind.repeat(level + 1);
  const close = ind === undefined ? '' : '\n' + ind.repeat(level);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + nl + v.map((e) => goJson(e, opts, level + 1)).join(',' + nl) + close + ']';
  }
  if (isGoObject(v)) {
    const j = (v as { toJSON?: () => unknown }).toJSON;
    return j ? goJson(j.call(v), opts, level) : '{}';
  }
  if (isMap(v)) {
    const keys = sortedKeys(v);
    if (keys.length === 0) return '{}';
    const sep = ind === undefined ? ':' : ': ';
    return '{' + nl + keys.map((k) => quoteJson(k, opts.escapeHtml) + sep + goJson(v[k], opts, level + 1)).join(',' + nl) + close + '}';
  }
  return 'null';
}

/** Turns a template value into plain JSON data (as a Go value survives a json.Marshal/Unmarshal round trip). */
export function toJsonData(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Int64) return Number(v.v);
  if (Array.isArray(v)) return v.map(toJsonData);
  if (isGoObject(v)) {
    const j = (v as { toJSON?: () => unknown }).toJSON;
    return j ? toJsonData(j.call(v)) : {};
  }
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const k of sortedKeys(v)) setEntry(out, k, toJsonData(v[k]));
    return out;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
  return v;
}

/** sigs.k8s.io/yaml Marshal: JSON round trip, then block YAML with sorted keys and unindented sequences (go-yaml v2 style). */
export function goYaml(v: unknown): string {
  const data = toJsonData(v);
  const doc = new Document(data, { sortMapEntries: true, version: '1.1' });
  const numbers: string[] = [];
  visit(doc, {
    Scalar(_key, node) {
      const s = node.value;
      if (typeof s === 'number') {
        // Numbers are written as go-yaml writes what a JSON round trip gives: integers plainly, other floats with %g.
        numbers.push(Number.isInteger(s) && Math.abs(s) < 1e21 ? BigInt(s).toString() : formatFloat(s, 'g', -1).replace('+Inf', '.inf').replace('-Inf', '-.inf').replace('NaN', '.nan'));
        node.value = `${NUM_MARK}${numbers.length - 1}_`;
        return;
      }
      if (typeof s !== 'string') return;
      // go-yaml double-quotes strings that would read back as another type (or that no other style can hold),
      // and single-quotes the other strings that cannot be plain.
      if (s.includes('\n')) {
        if (/[ \t]\n/.test(s) || hasControlChar(s)) node.type = Scalar.QUOTE_DOUBLE;
        return;
      }
      if (resolvesAsNonString(s) || hasControlChar(s)) node.type = Scalar.QUOTE_DOUBLE;
      else if (s.includes("'") && /^["']/.test(stringify(s, { lineWidth: 0 }))) node.type = Scalar.QUOTE_SINGLE;
    },
  });
  const text = doc.toString({ indentSeq: false, lineWidth: 0, minContentWidth: 0, singleQuote: true, doubleQuotedAsJSON: true, nullStr: 'null', simpleKeys: true });
  return foldLongLines(numbers.length ? text.replace(NUM_MARK_RE, (_m, i: string) => numbers[Number(i)]!) : text);
}

const NUM_MARK = 'goyamlnumber7f3a';
const NUM_MARK_RE = /goyamlnumber7f3a(\d+)_/g;

/** Control characters other than newline, which go-yaml only writes in double quotes. */
function hasControlChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a) || c === 0x7f) return true;
  }
  return false;
}

const BEST_WIDTH = 80;

/**
 * go-yaml's emitter breaks a plain or single-quoted scalar at a space once the column has passed 80
 * (so a line may run past 80), continuing two columns right of the key.
 */
function foldLongLines(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let literalIndent = -1;
  for (const line of lines) {
    const lead = line.length - line.trimStart().length;
    if (literalIndent >= 0 && (line.trim() === '' || lead > literalIndent)) {
      out.push(line);
      continue;
    }
    literalIndent = /(?:^|[:-] )[|>][-+]?$/.test(line) ? lead + (/^\s*- /.test(line) ? 2 : 0) : -1;
    if (line.length <= BEST_WIDTH || literalIndent >= 0) {
      out.push(line);
      continue;
    }
    const m = /^(\s*(?:- )*)((?:'(?:[^']|'')*'|[^'"\s][^:]*?|"(?:[^"\\]|\\.)*"):\s)?(.*)$/.exec(line);
    if (!m || m[3]!.startsWith('"')) {
      out.push(line);
      continue;
    }
    const indent = ' '.repeat(m[1]!.length + (m[2] ? 2 : 0));
    let current = line;
    let start = m[1]!.length + (m[2]?.length ?? 0);
    for (;;) {
      let cut = -1;
      for (let i = Math.max(start + 1, BEST_WIDTH + 1); i < current.length - 1; i++) {
        if (current[i] === ' ' && current[i - 1] !== ' ' && current[i + 1] !== ' ') {
          cut = i;
          break;
        }
      }
      if (cut < 0) break;
      out.push(current.slice(0, cut));
      current = indent + current.slice(cut + 1);
      start = indent.length;
    }
    out.push(current);
  }
  return out.join('\n');
}

const YAML11_SPECIAL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|<<|=|)$/;
const YAML11_INT = /^[-+]?(?:0b[01_]+|0o?[0-7_]+|0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const YAML_TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?$/;
const YAML11_FLOAT = /^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** Whether a plain scalar with this text would resolve to a bool, null, int or float under YAML 1.1 (go-yaml v2's resolver). */
function resolvesAsNonString(s: string): boolean {
  return YAML11_SPECIAL.test(s) || YAML11_INT.test(s) || YAML11_FLOAT.test(s) || YAML_TIMESTAMP.test(s);
}

/** The JSON kind name encoding/json uses in "cannot unmarshal X into Go value of type T". */
function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'string';
}

/** Parses YAML as sigs.k8s.io/yaml does (YAML 1.1 scalars, one document) into JSON data; throws Go-like error texts. */
export function parseYamlAsJson(text: string): unknown {
  // Like go-yaml, only the first document of a stream is read.
  const doc = parseAllDocuments(text, { version: '1.1', uniqueKeys: false, merge: true, prettyErrors: false })[0];
  if (!doc || !('errors' in doc)) return null;
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line ?? 1;
    throw new Error(`error converting YAML to JSON: yaml: line ${line}: ${e.message.split('\n')[0]}`);
  }
  const tooBig = yamlSizeError(text);
  if (tooBig) throw new Error(`error converting YAML to JSON: ${tooBig}`);
  let value: unknown;
  try {
    value = doc.toJS(YAML_TO_JS) as unknown;
  } catch (e) {
    throw new Error(`error converting YAML to JSON: ${yamlLimitMessage((e as Error).message)}`, { cause: e });
  }
  return normalizeYaml(value);
}

function normalizeYaml(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'number' && !Number.isFinite(v)) {
    throw new Error(`error converting YAML to JSON: json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
  }
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(normalizeYaml);
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, val] of v) setEntry(out, String(k), normalizeYaml(val));
    return out;
  }
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) setEntry(out, k, normalizeYaml(val));
    return out;
  }
  return v;
}

/** Argo CD's fromYaml: a YAML mapping into map[string]interface{}, with sigs.k8s.io/yaml's error text otherwise. */
export function fromYamlMap(text: string): Record<string, unknown> {
  const v = parseYamlAsJson(text);
  if (v === null) return {};
  if (!isMap(v)) {
    throw new Error(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type map[string]interface {}`);
  }
  return v;
}

/** Argo CD's fromYamlArray: a YAML sequence into []interface{}. */
export function fromYamlList(text: string): unknown[] {
  const v = parseYamlAsJson(text);
  if (v === null) return [];
  if (!Array.isArray(v)) {
    throw new Error(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type []interface {}`);
  }
  return v;
}

/** encoding/json Unmarshal into interface{} (Sprig's fromJson/mustFromJson), with Go-like syntax error texts. */
export function parseGoJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (text.trim() === '' || /end of JSON input|Unterminated string/.test(msg)) throw new Error('unexpected end of JSON input', { cause: e });
    const after = /non-whitespace character after JSON at position (\d+)/.exec(msg);
    if (after) throw new Error(`invalid character '${text[Number(after[1])]}' after top-level value`, { cause: e });
    const tok = /Unexpected token '?(.)'?/.exec(msg);
    const pos = /position (\d+)/.exec(msg);
    const ch = tok ? tok[1] : pos ? text[Number(pos[1])] : text.trim()[0];
    if (ch === undefined) throw new Error('unexpected end of JSON input', { cause: e });
    throw new Error(`invalid character '${ch}' looking for beginning of value`, { cause: e });
  }
}
