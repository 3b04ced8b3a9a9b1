// A cap on repeated problems: one broken clone can raise tens of thousands of the same problem. Show the first few of
// each kind and count the rest, so the one different problem is not buried.

import type { Problem } from './problem';

/** How many problems of one kind are shown before the rest are counted (CLI and UI). */
export const PROBLEMS_PER_KIND = 20;

/** Problems of one kind that were not shown. */
export interface OmittedProblems {
  /** One of them, as an example. */
  readonly example: Problem;
  readonly count: number;
}

/** The problems to show, in their order, and what was left out per kind. */
export interface CappedProblems {
  readonly shown: readonly Problem[];
  readonly omitted: readonly OmittedProblems[];
  /** All problems left out. */
  readonly omittedCount: number;
}

/**
 * The kind of a problem: its severity and message with the particulars (quoted text, numbers, paths) blanked, so
 * "no file a/1.yaml" and "no file b/2.yaml" are one kind.
 */
export function problemKind(p: Problem): string {
  const shape = p.message
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '…')
    .replace(/\b[\w.-]*[/\\][\w./\\-]*/g, '…')
    .replace(/\d+/g, '#');
  return `${p.severity}|${shape}`;
}

/** Keeps the first `perKind` problems of each kind (in order) and counts the others. */
export function capProblems(problems: readonly Problem[], perKind: number = PROBLEMS_PER_KIND): CappedProblems {
  const seen = new Map<string, number>();
  const omitted = new Map<string, { example: Problem; count: number }>();
  const shown: Problem[] = [];
  for (const p of problems) {
    const kind = problemKind(p);
    const n = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, n);
    if (n <= perKind) shown.push(p);
    else {
      const o = omitted.get(kind);
      if (o) o.count++;
      else omitted.set(kind, { example: p, count: 1 });
    }
  }
  const list = [...omitted.values()];
  return { shown, omitted: list, omittedCount: list.reduce((n, o) => n + o.count, 0) };
}

/** "… and 46,244 more like this one: <message>" for each kind left out. */
export function omittedLines(capped: CappedProblems): string[] {
  return capped.omitted.map((o) => `… and ${o.count.toLocaleString('en-US')} more ${o.example.severity === 'error' ? 'error' : 'warning'}(s) like: ${o.example.message}`);
}
