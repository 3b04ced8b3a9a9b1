/**
 * Reading and writing YAML exactly as kustomize does. kustomize reads resources with yaml.v3 (YAML 1.2 scalars:
 * only true/false are booleans, `yes` is a string) and prints each resource by converting it to JSON and back
 * through yaml.v2, so the output has sorted keys, v2's quoting rules and folds plain scalars at 80 columns.
 * Printing is in yaml-emit.ts, scalar rules in yaml-scalars.ts; this module re-exports both for its importers.
 */
import { Composer, isAlias, isMap, isScalar, isSeq, LineCounter, Parser } from 'yaml';
import type { Alias, Document, Node as YamlNode } from 'yaml';
import type { Problem } from '../problem';
import { problem } from '../problem';
import { YAML_LIMITS, yamlAliasError, yamlSizeError } from '../yaml/limits';
import type { PositionOf } from '../yaml/node-position';
import { positionsOf } from '../yaml/node-position';
import type { Json, JsonMap } from './json';
import { isMapValue } from './json';
import type { BlockScalars } from './yaml-block';
import { readBlockYaml } from './yaml-block';
import { formatFloat32G, formatFloatForJson, formatNumberOrBool, INT64_MAX, parseGoInt, resolvePlain, resolvePlainV2 } from './yaml-scalars';
export type { Json, JsonMap } from './json';
export { isMapValue } from './json';
export { formatFloat32G, formatFloatForJson, formatNumber } from './yaml-scalars';
export { emitYaml, UnsupportedValueError, v2KeyLess } from './yaml-emit';

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
