// YAML paths of promoted values: `spec.replicas`, `replicas[0].count`, `replicas[name=api].count`, and minimal,
// format-preserving edits of YAML text through the yaml package's Document API.

import type { Document, Node as YamlNode, ParsedNode, Scalar } from 'yaml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Problem } from '../problem';
import { problem } from '../problem';
import { YAML_TO_JS, yamlLimitMessage, yamlSizeError } from '../yaml/limits';

/** One step of a YAML path: a mapping key, a list index, or the list item whose `key` field equals `value`. */
export type YamlPathSegment = string | number | { readonly key: string; readonly value: string };

/** A parsed YAML path. */
export type YamlPath = readonly YamlPathSegment[];

/** Parses `a.b[0].c` or `list[name=x].field`; returns an error message when malformed. */
export function parseYamlPath(text: string): YamlPath | string {
  const out: YamlPathSegment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\[([^=\]]+)=([^\]]*)\]|(\.)/gy;
  let expectKey = true;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(text)) !== null) {
    last = re.lastIndex;
    if (m[1] !== undefined) {
      if (!expectKey) return `unexpected "${m[1]}" at ${m.index} of ${text}`;
      out.push(m[1]);
      expectKey = false;
    } else if (m[2] !== undefined) {
      out.push(Number(m[2]));
      expectKey = false;
    } else if (m[3] !== undefined) {
      out.push({ key: m[3].trim(), value: m[4]!.trim() });
      expectKey = false;
    } else {
      if (expectKey) return `empty segment at ${m.index} of ${text}`;
      expectKey = true;
    }
  }
  if (last !== text.length || out.length === 0 || expectKey) return `expected a path such as spec.replicas or images[name=app].newTag, got "${text}"`;
  return out;
}

/** A YAML path written back as text. */
export function formatYamlPath(path: YamlPath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : typeof s === 'string' ? (i ? '.' : '') + s : `[${s.key}=${s.value}]`)).join('');
}

/** Resolves a YAML path to concrete keys and indexes in a document; undefined when a step does not exist. */
export function resolveYamlPath(doc: Document, path: YamlPath): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  let node: unknown = doc.contents;
  for (const seg of path) {
    if (typeof seg === 'string') {
      if (!isMap(node)) return undefined;
      node = node.get(seg, true);
      out.push(seg);
    } else if (typeof seg === 'number') {
      if (!isSeq(node)) return undefined;
      node = node.items[seg];
      out.push(seg);
    } else {
      if (!isSeq(node)) return undefined;
      const i = node.items.findIndex((it) => isMap(it) && String(scalarValue(it.get(seg.key, true))) === seg.value);
      if (i < 0) return undefined;
      node = node.items[i];
      out.push(i);
    }
    if (node === undefined) return undefined;
  }
  return out;
}

function scalarValue(n: unknown): unknown {
  return isScalar(n) ? n.value : undefined;
}

/** One value to write at a (concrete) path of a YAML file. */
export interface YamlSet {
  readonly path: readonly (string | number)[];
  readonly value: YamlScalar;
}

/** A scalar value that moves between stages. */
export type YamlScalar = string | number | boolean | null;

/** What editing a YAML text produced: the new text (unchanged when every value was already there) or problems. */
export interface YamlEditResult {
  readonly text: string;
  readonly changed: boolean;
  readonly problems: readonly Problem[];
}

/** Parses one YAML document for editing; problems carry line and column. */
export function parseForEdit(text: string, file: string): { doc?: Document.Parsed<ParsedNode>; problems: Problem[] } {
  const lc = new LineCounter();
  const tooBig = yamlSizeError(text);
  if (tooBig) return { problems: [problem(`YAML: ${tooBig}`, { file, line: 1, column: 1 })] };
  const doc = parseDocument(text, { lineCounter: lc, version: '1.1', uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const p = lc.linePos(e.pos[0]);
        return problem(`YAML: ${e.message.split('\n')[0]}`, { file, line: p.line, column: p.col });
      }),
    };
  }
  try {
    // Callers read the document as data: check once that its aliases stay within the limit.
    doc.toJS(YAML_TO_JS);
  } catch (e) {
    const p = lc.linePos(doc.contents?.range?.[0] ?? 0);
    return { problems: [problem(`YAML: ${yamlLimitMessage((e as Error).message)}`, { file, line: p.line, column: p.col })] };
  }
  return { doc, problems: [] };
}

/** The 1-based line of a node in a text. */
export function lineOf(text: string, node: YamlNode | undefined): number | undefined {
  const start = node?.range?.[0];
  if (start === undefined) return undefined;
  let line = 1;
  for (let i = 0; i < start && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Sets string values in a YAML document with the least change to its text. An existing scalar keeps its quoting
 * style and only its own characters are replaced, so comments, key order and layout stay byte for byte. A value at a
 * path that does not exist yet is added with `setIn`, then the document is printed with `toString` — only when the
 * file prints back unchanged through the Document API, so nothing else moves; otherwise it is a problem to fix by hand.
 */
export function editYaml(text: string, file: string, sets: readonly YamlSet[], parsedDoc?: Document.Parsed<ParsedNode>): YamlEditResult {
  // A document the caller parsed from `text` may be passed to save parsing it again; it is edited in place.
  const parsed = parsedDoc ? { doc: parsedDoc, problems: [] } : parseForEdit(text, file);
  if (!parsed.doc) return { text, changed: false, problems: parsed.problems };
  const doc = parsed.doc;
  const splices: { start: number; end: number; text: string }[] = [];
  let structural = false;
  for (const s of sets) {
    const node = doc.getIn(s.path, true) as YamlNode | undefined;
    if (isScalar(node)) {
      if (node.value === s.value) continue;
      const range = node.range;
      const rendered = renderScalar(node, s.value);
      node.value = s.value;
      if (rendered !== undefined && range) splices.push({ start: range[0], end: range[1], text: rendered });
      else structural = true;
    } else if (node === undefined) {
      doc.setIn(s.path, s.value);
      structural = true;
    } else {
      return { text, changed: false, problems: [problem(`${formatYamlPath(s.path)} is a ${isMap(node) ? 'mapping' : 'list'}, expected a value`, { file, line: lineOf(text, node) ?? 1 })] };
    }
  }
  if (!structural) {
    if (splices.length === 0) return { text, changed: false, problems: [] };
    let out = text;
    for (const sp of splices.sort((a, b) => b.start - a.start)) out = out.slice(0, sp.start) + sp.text + out.slice(sp.end);
    return { text: out, changed: out !== text, problems: [] };
  }
  const pristine = parseForEdit(text, file).doc;
  if (!pristine || pristine.toString() !== text) {
    return {
      text,
      changed: false,
      problems: [problem(`adding ${sets.map((s) => formatYamlPath(s.path)).join(', ')} would reformat this file; add the field by hand once, later promotions then edit it in place`, { file, line: 1 })],
    };
  }
  const out = doc.toString();
  return { text: out, changed: out !== text, problems: [] };
}

// Plain scalars that certainly read back as strings: image tags, names, digests (no indicators, no ': ' or ' #').
const SAFE_PLAIN = /^[A-Za-z0-9][A-Za-z0-9._/@+-]*$/;
// Those that YAML 1.1 or 1.2 may read as numbers, booleans, nulls or timestamps: left to the parser to decide.
const LOOKS_TYPED = /^([-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN)$/;

/** The new value written in the old scalar's style; undefined when the style cannot hold it (block scalars). */
function renderScalar(node: Scalar, value: YamlScalar): string | undefined {
  if (typeof value !== 'string') return node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL' ? undefined : String(value);
  switch (node.type) {
    case 'QUOTE_DOUBLE':
      return JSON.stringify(value);
    case 'QUOTE_SINGLE':
      return `'${value.replace(/'/g, "''")}'`;
    case 'PLAIN':
    case undefined: {
      if (SAFE_PLAIN.test(value) && !LOOKS_TYPED.test(value)) return value;
      // Plain only when it reads back as the same string (not a number, boolean, null, or broken syntax).
      const probe = parseDocument(`k: ${value}\n`, { version: '1.1' });
      const back = probe.errors.length === 0 && isMap(probe.contents) ? probe.get('k') : undefined;
      return back === value && !value.includes('\n') ? value : JSON.stringify(value);
    }
    default:
      return undefined;
  }
}
