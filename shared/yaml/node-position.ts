// Where a field of a parsed YAML document is written: maps a JSON path (`['spec', 'clusters', 0, 'context']`) to the
// line and column of its key or its value, so a problem about a field points at the offending node, not at the start of
// the document. Built on the yaml package's node ranges and LineCounter.

import type { Document, LineCounter, Node, Pair } from 'yaml';
import { isAlias, isMap, isScalar, isSeq } from 'yaml';

/** A path into a parsed document: mapping keys and sequence indexes. */
export type JsonPath = readonly (string | number)[];

/** A 1-based line and column. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Where a path is written: `key` (default) points at the mapping key that introduces the field, `value` at its value.
 * A path that does not exist points at the deepest part of it that does (a missing field: where its parent is).
 */
export type PositionOf = (path: JsonPath, part?: 'key' | 'value') => SourcePosition;

/** The position function of one parsed document. */
export function positionsOf(doc: Document.Parsed | Document, lc: LineCounter): PositionOf {
  const at = (offset: number | undefined): SourcePosition | undefined => {
    if (offset === undefined) return undefined;
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const root = doc.contents as Node | null;
  const fallback = at(root?.range?.[0]) ?? { line: 1, column: 1 };
  return (path, part = 'key') => {
    let node: unknown = root;
    let best: SourcePosition = fallback;
    for (let i = 0; i < path.length; i++) {
      const step = path[i]!;
      const last = i === path.length - 1;
      if (isAlias(node)) node = node.resolve(doc as Document);
      if (isMap(node)) {
        const pair = (node.items as Pair[]).find((p) => keyText(p.key) === String(step));
        if (!pair) return best;
        const keyPos = at((pair.key as Node | null)?.range?.[0]);
        if (last && part === 'key') return keyPos ?? best;
        best = keyPos ?? best;
        node = pair.value;
        if (last) return at((node as Node | null)?.range?.[0]) ?? best;
      } else if (isSeq(node) && typeof step === 'number') {
        const item = node.items[step] as Node | undefined;
        if (!item) return best;
        best = at(item.range?.[0]) ?? best;
        node = item;
        if (last) return best;
      } else return best;
    }
    return at((node as Node | null)?.range?.[0]) ?? best;
  };
}

/** `spec.clusters[0].context`: a path as people read it. */
export function formatJsonPath(path: JsonPath): string {
  let out = '';
  for (const step of path) out += typeof step === 'number' ? `[${step}]` : out === '' ? step : `.${step}`;
  return out;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}
