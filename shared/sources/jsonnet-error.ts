import type { Problem } from '../problem';
import { problem } from '../problem';

/**
 * A go-jsonnet error as a Problem: the first `file:line:col` it names (the failing spot, which may be an imported
 * library rather than the evaluated file) and its first lines; `file` when it names none.
 */
export function jsonnetProblem(error: string, file: string, name: string): Problem {
  const text = error.trim();
  const message = `Failed to evaluate jsonnet "${name}": ${text.split('\n').slice(0, 3).join(' ').replace(/\s+/g, ' ')}`;
  const m = /(?:^|\s)([^\s:]+\.(?:jsonnet|libsonnet|json)):(\d+):(\d+)/.exec(text);
  if (!m) return problem(message, { file });
  return problem(message, { file: m[1]!, line: Number(m[2]), column: Number(m[3]) });
}
