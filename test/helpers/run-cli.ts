import { runCli } from '../../electron/cli/main';

/** Runs the CLI in process and captures what it printed and its exit code. */
export async function cli(args: string[], cwd = process.cwd()): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => void (out += t), err: (t) => void (err += t) }, cwd);
  return { code, out, err };
}
