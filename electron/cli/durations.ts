import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../../shared/promotion/pipeline';

// One unit for every duration option of the CLI (`--timeout`, `--verify-timeout`): a duration such as `500ms`, `30s`,
// `2m` or `1h30m`; a plain number means seconds on every command.

/** Plain numbers at or above this, on commands that used to read milliseconds, get a note that they are seconds now. */
const LIKELY_MILLISECONDS = 1000;

/**
 * Parses a duration option into milliseconds: `500ms`, `30s`, `2m`, `1h30m`, or a plain number of seconds. Throws
 * (commander prints it with the option's name) on anything else. `warn` hears a note when a plain number is large
 * enough to have been meant as milliseconds.
 */
export function parseDurationOption(value: string, option: string, warn?: (note: string) => void): number {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    const seconds = Number(text);
    if (!(seconds > 0)) throw new InvalidArgumentError(`${option} expects a duration such as 30s, 2m or 500ms, got "${value}"`);
    if (seconds >= LIKELY_MILLISECONDS) warn?.(`${option} ${text} is read as ${text} seconds (plain numbers are seconds on every command); write ${text}ms if you meant milliseconds`);
    return seconds * 1000;
  }
  const ms = parseDuration(text);
  if (ms === undefined || !(ms > 0)) throw new InvalidArgumentError(`${option} expects a duration such as 30s, 2m or 500ms (a plain number is seconds), got "${value}"`);
  return ms;
}

/** The parser commander calls for `--timeout`: milliseconds out, a note on stderr for a likely-milliseconds number. */
export function timeoutArg(option = '--timeout'): (value: string) => number {
  return (value: string) => parseDurationOption(value, option, (note) => void process.stderr.write(`warning: ${note}\n`));
}
