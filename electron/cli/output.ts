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

/** Most characters gathered before one write to stdout when JSON is streamed. */
const JSON_CHUNK = 1 << 16;

/**
 * Writes `JSON.stringify(data, null, 2)` and a newline, byte for byte; a list element by element, in chunks, so
 * 30,000 Applications (17 MB of JSON) never become one string and its one buffer.
 */
export function writeJson(io: CliIO, data: unknown): void {
  // An element's toJSON is handed its index by JSON.stringify: such a list is written whole, as before.
  if (!Array.isArray(data) || data.length === 0 || data.some((v) => typeof (v as { toJSON?: unknown } | null | undefined)?.toJSON === 'function')) {
    io.out(JSON.stringify(data, null, 2) + '\n');
    return;
  }
  let chunk = '[';
  for (let i = 0; i < data.length; i++) {
    // As JSON.stringify lays out an element of a list: one level deeper (no raw newline occurs inside a JSON string).
    const text = JSON.stringify(data[i], null, 2) ?? 'null';
    chunk += (i === 0 ? '\n  ' : ',\n  ') + text.replace(/\n/g, '\n  ');
    if (chunk.length >= JSON_CHUNK) {
      io.out(chunk);
      chunk = '';
    }
  }
  io.out(chunk + '\n]\n');
}
