// A ConfigMap kept as a file (argocd-notifications-cm, argocd-rbac-cm): its `data` values with where each is written,
// so a problem inside a value (a trigger's condition, a policy.csv line) lands at its file:line:col.
import type { Problem } from '../problem';
import { problem } from '../problem';
import { isRecord, parseYamlDocuments } from './documents';
import type { SourcePosition } from './node-position';

/** Where the ConfigMap's text came from, to place problems. */
export interface ConfigOrigin {
  /** Repository-relative or data-folder path of the file; absent for a ConfigMap read from a cluster. */
  readonly file?: string;
  /** For people: `apps/argocd-notifications-cm.yaml`, `cluster prod`. */
  readonly source: string;
  /** Where each data key's value starts, and the file's lines (to place a position inside a block value). */
  readonly positions?: ReadonlyMap<string, SourcePosition>;
  readonly lines?: readonly string[];
}

/** The `data` of the ConfigMap `name` in a file, with where each value is written; a file without the ConfigMap is a Problem. */
export function readNamedConfigMapFile(text: string, file: string, name: string): { data?: Record<string, string>; origin: ConfigOrigin; problems: Problem[] } {
  const parsed = parseYamlDocuments(text, file);
  const problems = [...parsed.problems];
  const origin: ConfigOrigin = { file, source: file };
  const doc = parsed.docs.find((d) => isRecord(d.value) && d.value.kind === 'ConfigMap' && isRecord(d.value.metadata) && d.value.metadata.name === name);
  if (!doc || !isRecord(doc.value)) {
    problems.push(problem(`no ConfigMap ${name} in this file`, { file, line: 1, column: 1 }));
    return { origin, problems };
  }
  const raw = isRecord(doc.value.data) ? doc.value.data : {};
  const data: Record<string, string> = {};
  const positions = new Map<string, SourcePosition>();
  for (const [k, v] of Object.entries(raw)) {
    const at = doc.at(['data', k], 'value');
    if (typeof v !== 'string') {
      problems.push(problem(`data.${k} must be a string`, { file, ...at }));
      continue;
    }
    data[k] = v;
    positions.set(k, at);
  }
  return { data, origin: { ...origin, positions, lines: text.split('\n') }, problems };
}

/** Places a position inside a data value's YAML (1-based line/column of the inner text) in the file. */
export function innerPosition(origin: ConfigOrigin, key: string, inner: SourcePosition | undefined): Omit<Problem, 'message' | 'severity'> {
  const base = origin.positions?.get(key);
  if (!origin.file) return {};
  if (!base) return { file: origin.file };
  if (!inner) return { file: origin.file, ...base };
  const lines = origin.lines ?? [];
  const headerLine = lines[base.line - 1] ?? '';
  // A block scalar (`key: |`) starts on the next line, indented; a plain or quoted value sits on the key's line.
  const block = /^[|>]/.test(headerLine.slice(base.column - 1).trimStart());
  if (!block) return { file: origin.file, line: base.line + inner.line - 1, column: inner.line === 1 ? base.column + inner.column - 1 : inner.column };
  const first = lines[base.line] ?? '';
  const indent = first.length - first.trimStart().length;
  return { file: origin.file, line: base.line + inner.line, column: indent + inner.column };
}

