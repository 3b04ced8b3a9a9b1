import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index';
import type { CliContext } from './context';
import { EXIT } from './context';
import type { CliIO } from './output';
import { processIO } from './output';

/** Runs the `flotilla` CLI on argv (without node and script) and resolves to its exit code. */
export async function runCli(args: readonly string[], io: CliIO = processIO, cwd = process.cwd()): Promise<number> {
  let code = 0;
  const ctx: CliContext = { io, cwd, exit: (c) => void (code = Math.max(code, c)) };
  const program = new Command('flotilla')
    .description('Flotilla: GitOps fleet manager — ApplicationSets, rendering, drift and promotions across your clusters')
    .version(process.env.FLOTILLA_VERSION ?? '0.1.0')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  for (const register of COMMANDS) register(program, ctx);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err }).showHelpAfterError();
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with exit code 0; usage errors are errors.
      return err.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    throw err;
  }
  return code;
}

/** The `flotilla` binary's entry point. */
export function main(argv: readonly string[] = process.argv): void {
  runCli(argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = EXIT.error;
    },
  );
}
