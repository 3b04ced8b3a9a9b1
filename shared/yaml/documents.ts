import { LineCounter, parseAllDocuments } from 'yaml';
import type { Problem } from '../problem';
import type { PositionOf } from './node-position';
import { positionsOf } from './node-position';
import { problem } from '../problem';

/** One parsed YAML document of a multi-document file, with where it starts. */
export interface YamlDoc {
  readonly value: unknown;
  /** 0-based index of the document in its file. */
  readonly index: number;
  /** 1-based line where the document's content starts. */
  readonly line: number;
  /** Where a field of the document is written (line and column of its key or value). */
  readonly at: PositionOf;
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
  const all = parseAllDocuments(text, { lineCounter, version: '1.1', merge: true, uniqueKeys: false, prettyErrors: false });
  const list = Array.isArray(all) ? all : [all];
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const pos = lineCounter.linePos(err.pos[0]);
        problems.push(problem(`YAML: ${firstLine(err.message)}`, { file, line: pos.line, column: pos.col }));
      }
      return;
    }
    const start = doc.contents?.range?.[0] ?? 0;
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return;
    docs.push({ value, index, line: lineCounter.linePos(start).line, at: positionsOf(doc, lineCounter) });
  });
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
