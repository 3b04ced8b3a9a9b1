import { stringify } from 'yaml';
import type { Problem } from '../../shared/problem';
import { formatProblem } from '../../shared/problem';
import { capProblems, omittedLines } from '../../shared/problem-cap';

/** The output formats of data commands (`-o`). */
export type OutputFormat = 'table' | 'json' | 'yaml';

/** Where the CLI writes: injectable so tests run commands in process. */
export interface CliIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** The process's stdout and stderr. */
export const processIO: CliIO = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

/** Parses `-o`; throws with the accepted values on anything else. */
export function parseFormat(value: string): OutputFormat {
  if (value === 'table' || value === 'json' || value === 'yaml') return value;
  throw new Error(`unknown output format "${value}": expected table, json or yaml`);
}

/** Formats rows as an aligned plain-text table with upper-case headers. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers.map((h) => h.toUpperCase())), ...rows.map(line)].join('\n') + '\n';
}

/** Writes data in the chosen format: `table` uses the given table, json/yaml the data itself. */
export function printData(io: CliIO, format: OutputFormat, data: unknown, table: () => string): void {
  if (format === 'json') io.out(JSON.stringify(data, null, 2) + '\n');
  else if (format === 'yaml') io.out(stringify(data, { lineWidth: 0 }));
  else io.out(table());
}

/**
 * Writes problems to stderr, one a line (`error: file:line:col: message`), the first 20 of each kind and then
 * "… and N more like: …", so one broken clone's 46,000 identical problems do not bury the one that differs.
 */
export function printProblems(io: CliIO, problems: readonly Problem[]): void {
  const capped = capProblems(problems);
  for (const p of capped.shown) io.err(`${p.severity}: ${formatProblem(p)}\n`);
  for (const line of omittedLines(capped)) io.err(`${line}\n`);
}
