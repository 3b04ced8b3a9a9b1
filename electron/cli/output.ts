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
  if (format === 'json') writeJson(io, data);
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

/** List elements stringified together when JSON is streamed (about 40 KB of output for Applications). */
const JSON_BATCH = 64;

/**
 * Writes `JSON.stringify(data, null, 2)` and a newline, byte for byte; a list a batch of elements at a time, so
 * 30,000 Applications (17 MB of JSON) never become one string and its one buffer.
 */
export function writeJson(io: CliIO, data: unknown): void {
  // An element's toJSON is handed its index by JSON.stringify: such a list is written whole, as before.
  if (!Array.isArray(data) || data.length === 0 || data.some((v) => typeof (v as { toJSON?: unknown } | null | undefined)?.toJSON === 'function')) {
    io.out(JSON.stringify(data, null, 2) + '\n');
    return;
  }
  io.out('[\n');
  for (let i = 0; i < data.length; i += JSON_BATCH) {
    // A batch as a list is `[\n  a,\n  b\n]`: its elements laid out as in the whole list, between `[\n` and `\n]`.
    const text = JSON.stringify(data.slice(i, i + JSON_BATCH), null, 2);
    io.out((i === 0 ? '' : ',\n') + text.slice(2, -2));
  }
  io.out('\n]\n');
}
