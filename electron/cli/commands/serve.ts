import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { startHttpBridge } from '../../server/http-bridge';
import { createApiHandlers } from '../../services/api-handlers';
import { defaultDataDir } from '../../services/data-dir';
import { chooseRepo, rendererDir } from '../../services/repo-choice';
import { Session } from '../../services/session';
import type { CliContext } from '../context';
import { action } from '../context';

/** How long a stopping server waits for open work before it exits anyway. */
const STOP_GRACE_MS = 2_000;

/** `flotilla serve`: the desktop UI in a browser, on loopback, behind a random token. */
export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the Flotilla UI and API to a browser on this machine (loopback only, with a token)')
    .option('--repo <dir>', 'the GitOps repository (default: the current folder if it has flotilla.yaml, else the last one opened, else the bundled example fleet)')
    .option('--port <n>', 'port to listen on (default: a free port)', (v) => parsePort(v), 0)
    .option('--host <addr>', 'address to bind (default 127.0.0.1; anything else exposes your clusters to the network)', '127.0.0.1')
    .option('--open', 'open the URL in the default browser')
    .action(
      action(ctx, async (opts: { repo?: string; port: number; host: string; open?: boolean }) => {
        const dataDir = defaultDataDir();
        const repoPath = chooseRepo(dataDir, ctx.cwd, opts.repo);
        const session = new Session({ repoPath, dataDir });
        await session.fleet(); // fail fast on a bad --repo
        const bridge = await startHttpBridge({ handlers: createApiHandlers(session), events: session.events, staticDir: rendererDir(), host: opts.host, port: opts.port });
        ctx.io.out(`Flotilla is serving ${repoPath}\nOpen ${bridge.url}\n(press Ctrl+C to stop)\n`);
        if (opts.open) openInBrowser(bridge.url);
        await new Promise<void>((resolve) => {
          let stopping = false;
          const stop = (signal: NodeJS.Signals): void => {
            // A second signal ends the process at once.
            if (stopping) process.exit(signal === 'SIGINT' ? 130 : 143);
            stopping = true;
            // An evaluation still running (a refresh waiting on a dead cluster) must not keep a stopped server alive.
            setTimeout(() => process.exit(0), STOP_GRACE_MS).unref();
            void bridge.close().then(() => {
              session.close();
              resolve();
            });
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      }),
    );
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port must be a number from 0 to 65535, got "${v}"`);
  return n;
}

function openInBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}
