import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Command } from 'commander';
import { startHttpBridge } from '../../server/http-bridge';
import { formatProblem } from '../../../shared/problem';
import { createApiHandlers } from '../../services/api-handlers';
import { FleetMetrics } from '../../services/metrics/fleet-metrics';
import { startMetricsServer } from '../../services/metrics/metrics-server';
import { NotifyService } from '../../services/notify/notify-service';
import { defaultDataDir } from '../../services/data-dir';
import { buildIdentity, GridCache } from '../../services/grid-cache';
import { chooseRepo, rendererDir } from '../../services/repo-choice';
import { Session } from '../../services/session';
import type { CliContext } from '../context';
import { action } from '../context';

/** How long a stopping server waits for open work before it exits anyway. */
const STOP_GRACE_MS = 2_000;
/** How long the first notifications evaluation waits for the first page's grid to be sent before it runs anyway. */
const NOTIFY_START_MS = 3_000;

/** `flotilla serve`: the desktop UI in a browser, on loopback, behind a random token. */
export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the Flotilla UI and API to a browser on this machine (loopback only, with a token)')
    .option('--repo <dir>', 'the GitOps repository (default: the current folder if it has flotilla.yaml, else the last one opened, else the bundled example fleet)')
    .option('--port <n>', 'port to listen on (default: a free port)', (v) => parsePort(v), 0)
    .option('--host <addr>', 'address to bind (default 127.0.0.1; anything else exposes your clusters to the network)', '127.0.0.1')
    .option('--open', 'open the URL in the default browser')
    .option('--metrics-port <n>', 'serve Prometheus metrics (Argo CD\'s argocd_app_info, argocd_app_sync_total, and Flotilla\'s) at /metrics on this port', (v) => parsePort(v))
    .option('--metrics-host <addr>', 'address the metrics port binds (default 127.0.0.1)', '127.0.0.1')
    .action(
      action(ctx, async (opts: { repo?: string; port: number; host: string; open?: boolean; metricsPort?: number; metricsHost: string }) => {
        const dataDir = defaultDataDir();
        const repoPath = chooseRepo(dataDir, ctx.cwd, opts.repo);
        const session = new Session({ repoPath, dataDir });
        const fleet = await session.fleet(); // fail fast on a bad --repo
        // The fleet grid as the last run left it, read while the browser loads the page (served only if still true).
        const gridCache = new GridCache({ dir: path.join(dataDir, 'cache'), build: buildIdentity(), log: (line) => ctx.io.err(line) });
        gridCache.preload(fleet.repo.root);
        const metrics = new FleetMetrics(session);
        const api = createApiHandlers(session, { gridCache });
        const status = api['fleet:status'];
        // Notifications in Argo CD's format, when the data folder, the repository or a cluster has argocd-notifications-cm.
        // Each problem is said once per run, not again at every refresh and resync. The first evaluation generates every
        // app: it waits until the first page's grid is sent (or NOTIFY_START_MS), so the page is not served behind it.
        const said = new Set<string>();
        const notify = new NotifyService(session);
        let notifying = false;
        const startNotify = (): void => {
          if (notifying) return;
          notifying = true;
          notify.start((pass) => {
            for (const p of pass.problems) {
              const line = `notifications: ${formatProblem(p)}\n`;
              if (p.severity === 'error' && !said.has(line)) ctx.io.err(line);
              said.add(line);
            }
          });
        };
        const handlers = timedRefresh({ ...api, 'fleet:status': (req) => status(req).finally(() => setTimeout(startNotify, 0)) }, metrics);
        const bridge = await startHttpBridge({ handlers, events: session.events, staticDir: rendererDir(), host: opts.host, port: opts.port });
        const metricsServer = opts.metricsPort !== undefined ? await startMetricsServer(metrics, { host: opts.metricsHost, port: opts.metricsPort }) : undefined;
        const notifyTimer = setTimeout(startNotify, NOTIFY_START_MS);
        ctx.io.out(`Flotilla is serving ${repoPath}\nOpen ${bridge.url}\n${metricsServer ? `Metrics at ${metricsServer.url}\n` : ''}(press Ctrl+C to stop)\n`);
        // The grid is read as the server starts (from the grid cache, or built), so the page's first ask finds it.
        void status({}).catch(() => undefined);
        if (opts.open) openInBrowser(bridge.url);
        await new Promise<void>((resolve) => {
          let stopping = false;
          const stop = (signal: NodeJS.Signals): void => {
            // A second signal ends the process at once.
            if (stopping) process.exit(signal === 'SIGINT' ? 130 : 143);
            stopping = true;
            clearTimeout(notifyTimer);
            notifying = true;
            // An evaluation still running (a refresh waiting on a dead cluster) must not keep a stopped server alive.
            setTimeout(() => process.exit(0), STOP_GRACE_MS).unref();
            void Promise.all([bridge.close(), metricsServer?.close()]).then(() => {
              // A grid built moments ago is kept for the next start.
              gridCache.flush();
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

/** The handler table with every refresh timed into flotilla_refresh_duration_seconds. */
function timedRefresh(handlers: ReturnType<typeof createApiHandlers>, metrics: FleetMetrics): ReturnType<typeof createApiHandlers> {
  const refresh = handlers['fleet:refresh'];
  return {
    ...handlers,
    'fleet:refresh': async (req) => {
      const start = performance.now();
      try {
        return await refresh(req);
      } finally {
        metrics.observeRefresh((performance.now() - start) / 1000, req.app || req.cluster ? 'partial' : 'fleet');
      }
    },
  };
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
