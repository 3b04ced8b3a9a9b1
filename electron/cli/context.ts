import type { Command } from 'commander';
import { formatProblem, toProblem } from '../../shared/problem';
import type { CliIO, OutputFormat } from './output';
import { parseFormat } from './output';

/** Exit codes: 0 ok, 1 findings (drift, failed checks) or partial coverage, 2 could not run (or could read nothing). */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

/** The exit code coverage alone asks for: 2 when nothing could be compared, 1 when some could not, else 0. */
export function coverageExit(c: { readonly level: 'full' | 'partial' | 'nothing' }): number {
  return c.level === 'nothing' ? EXIT.error : c.level === 'partial' ? EXIT.findings : EXIT.ok;
}

/** What every command gets: where to write, and how to set the exit code. */
export interface CliContext {
  readonly io: CliIO;
  /** The working directory `--repo` defaults to. */
  readonly cwd: string;
  /** Sets the process's exit code (the highest code set wins). */
  exit(code: number): void;
}

/** Adds a command to the program. */
export type CommandRegistrar = (program: Command, ctx: CliContext) => void;

/** Adds `--repo DIR` (default: current directory). */
export function repoOption(cmd: Command): Command {
  return cmd.option('--repo <dir>', 'the GitOps repository (default: the current directory)');
}

/** Adds `-o, --output table|json|yaml`. */
export function outputOption(cmd: Command): Command {
  return cmd.option('-o, --output <format>', 'output format: table, json or yaml', parseFormat, 'table' as OutputFormat);
}

/** Wraps a command's action: its result is the exit code; anything thrown is printed as a Problem (no stack trace) with exit 2. */
export function action<A extends unknown[]>(ctx: CliContext, fn: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      ctx.exit((await fn(...args)) ?? EXIT.ok);
    } catch (err) {
      ctx.io.err(`error: ${formatProblem(toProblem(err))}\n`);
      if (process.env.FLOTILLA_DEBUG && err instanceof Error && err.stack) ctx.io.err(err.stack + '\n');
      ctx.exit(EXIT.error);
    }
  };
}
