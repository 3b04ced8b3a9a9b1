import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Application } from '../../shared/model/application';
import type { ClusterSpec } from '../../shared/model/fleet';
import type { Problem } from '../../shared/problem';

/** One worker's share of a render: the commit's repository, the fleet context, its Applications, the output folder. */
export interface RenderJob {
  readonly root: string;
  readonly repoURLs: readonly string[];
  readonly clusters: readonly ClusterSpec[];
  readonly loadRestrictor: 'rootOnly' | 'none';
  readonly apps: readonly Application[];
  readonly outDir: string;
}

/** What a render worker posts: one rendered (and, unless it failed, written) Application, or its end. */
export type RenderWorkerMessage =
  | { readonly kind: 'app'; readonly app: string; readonly cluster: string | undefined; readonly problems: readonly Problem[]; readonly written: boolean }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly message: string };

/** What the caller hears of each Application: its name, cluster and problems (the YAML went to the file). */
export type RenderedAppReport = Extract<RenderWorkerMessage, { kind: 'app' }>;

/** Below this many Applications a render stays on the calling thread (a worker start costs ~50 ms and a tree listing). */
const MIN_APPS_PER_WORKER = 250;

/**
 * How many render workers to use for `apps` Applications: `$FLOTILLA_RENDER_WORKERS` when set, else on four cores or
 * more one per core but one (at most 4) when there are enough apps; 0 (render on the calling thread) when the worker script is not there (tests and the desktop app run the
 * sources, not the CLI bundle).
 */
export function renderWorkerCount(apps: number): number {
  if (!workerScript()) return 0;
  const forced = Number(process.env.FLOTILLA_RENDER_WORKERS);
  if (process.env.FLOTILLA_RENDER_WORKERS !== undefined && Number.isInteger(forced)) return forced > 1 ? Math.min(forced, 16) : 0;
  // Each worker holds its own tree listing and V8 heap: on two cores the gain is small and the memory is not.
  const cores = availableParallelism();
  if (cores < 4) return 0;
  const n = Math.min(cores - 1, 4, Math.floor(apps / MIN_APPS_PER_WORKER));
  return n > 1 ? n : 0;
}

/** dist/render-worker.js beside the CLI bundle, when this code runs from it. */
function workerScript(): string | undefined {
  if (typeof __dirname !== 'string') return undefined;
  const file = path.join(__dirname, 'render-worker.js');
  return existsSync(file) ? file : undefined;
}

/**
 * Renders the Applications in `workers` worker threads (app i goes to worker i mod n, so the shares cost alike); each
 * worker writes its files and reports every app as it goes. Rejects when a worker fails as a whole (not for an app).
 */
export async function renderInWorkers(job: Omit<RenderJob, 'apps'>, apps: readonly Application[], workers: number, onApp: (r: RenderedAppReport) => void): Promise<void> {
  const script = workerScript();
  if (!script) throw new Error('the render worker script is not built (run `npm run build`)');
  const shares: Application[][] = Array.from({ length: workers }, () => []);
  apps.forEach((a, i) => shares[i % workers]!.push(a));
  await Promise.all(
    shares.map(
      (share) =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(script, { workerData: { ...job, apps: share } satisfies RenderJob });
          let finished = false;
          w.on('message', (m: RenderWorkerMessage) => {
            if (m.kind === 'app') onApp(m);
            else if (m.kind === 'done') finished = true;
            else reject(new Error(`render worker failed: ${m.message}`));
          });
          w.on('error', reject);
          w.on('exit', (code) => (finished ? resolve() : reject(new Error(`render worker exited (${code}) before it finished`))));
        }),
    ),
  );
}
