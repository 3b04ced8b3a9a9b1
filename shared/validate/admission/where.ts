// Where a policy's field is written: problems about a policy or binding point at the offending field's file, line and
// column when the input can locate fields (`ValidationInput.locate`), else at the object's own source.

import type { Problem } from '../../problem';
import type { SourceLocation } from '../finding';

/** What can locate a field of an object: its source, and a field locator when known. */
export interface Locatable {
  readonly source?: SourceLocation;
  readonly locate?: (path: readonly (string | number)[]) => SourceLocation | undefined;
}

/** `spec.validations[0].expression` as a path: `['spec', 'validations', 0, 'expression']`. */
export function fieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/** The file, line and column of `field` (a dotted path, or a message that starts with one) of a located object. */
export function whereIs(of: Locatable, field?: string): Pick<Problem, 'file' | 'line' | 'column'> {
  const path = field ? /^((?:spec|metadata)(?:\.[A-Za-z]+|\[\d+\])*)/.exec(field)?.[1] : undefined;
  const at = (path && of.locate?.(fieldPath(path))) || of.source;
  return { ...(at?.file ? { file: at.file } : {}), ...(at?.line ? { line: at.line } : {}), ...(at?.column ? { column: at.column } : {}) };
}
