import { Composer, isScalar, LineCounter, Parser, visit } from 'yaml';
import type { Problem } from '../problem';
import { problem } from '../problem';
import { YAML_TO_JS, yamlLimitMessage, yamlSizeError } from './limits';

/** One parsed YAML document of a multi-document file, with where it starts. */
export interface YamlDoc {
  readonly value: unknown;
  /** 0-based index of the document in its file. */
  readonly index: number;
  /** 1-based line where the document's content starts. */
  readonly line: number;
}

/** The documents of a YAML stream, and the problems (with file, line and column) of those that did not parse. */
export interface ParsedYaml {
  readonly docs: readonly YamlDoc[];
  readonly problems: readonly Problem[];
}

/**
 * Parses a multi-document YAML (or JSON) file as Kubernetes tools read it (YAML 1.1 scalars, merge keys);
 * a document that fails to parse is reported with its line and column and skipped, the others are kept.
 */
export function parseYamlDocuments(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const docs: YamlDoc[] = [];
  const problems: Problem[] = [];
  const tooBig = yamlSizeError(text);
  if (tooBig) return { docs, problems: [problem(`YAML: ${tooBig}`, { file, line: 1, column: 1 })] };
  // One document at a time: a large stream never holds every document's syntax tree at once.
  const composer = new Composer({ version: '1.1', merge: true, uniqueKeys: false, prettyErrors: false });
  let index = -1;
  for (const doc of composer.compose(new Parser(lineCounter.addNewLine).parse(text))) {
    index++;
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const pos = lineCounter.linePos(err.pos[0]);
        problems.push(problem(`YAML: ${firstLine(err.message)}`, { file, line: pos.line, column: pos.col }));
      }
      continue;
    }
    const start = doc.contents?.range?.[0] ?? 0;
    // The yaml library's YAML 1.1 float rule takes `.`, `+.` or `._` for NaN; YAML 1.1 (and yaml.v2, which Argo CD
    // reads with) holds them strings: `path: .` is the repository root, not null.
    visit(doc, {
      Scalar(_key, node) {
        if (isScalar(node) && node.type === 'PLAIN' && typeof node.value === 'number' && Number.isNaN(node.value) && !/^[-+]?\.(nan|NaN|NAN)$/.test(node.source ?? '')) {
          node.value = node.source ?? '';
        }
      },
    });
    let value: unknown;
    try {
      value = doc.toJS(YAML_TO_JS);
    } catch (err) {
      const pos = lineCounter.linePos(start);
      problems.push(problem(`YAML: ${yamlLimitMessage(err instanceof Error ? err.message : String(err))}`, { file, line: pos.line, column: pos.col }));
      continue;
    }
    if (value === null || value === undefined) continue;
    docs.push({ value, index, line: lineCounter.linePos(start).line });
  }
  return { docs, problems };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

/** Whether a value is a plain object (a YAML mapping). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
