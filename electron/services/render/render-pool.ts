// `render --all` on several cores: worker threads (render-worker.ts) render batches of apps and write them; this thread
// hands out the batches as workers finish them (a worker slowed by a loaded machine takes fewer) and reports each app.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { clusterForApp } from '../../../shared/fleet/destination';
import type { RenderRow } from '../../../shared/fleet/render-row';
import { failedRender } from '../../../shared/fleet/render-row';
import { problem } from '../../../shared/problem';
import { dirname } from '../../../shared/repo/paths';
import { hostGitObjects } from '../git-object-reader';
import type { RenderedAppReport, RenderWorkerData, RenderWorkerReply, RenderWorkerRequest, RenderWorkerSetup } from './render-worker-protocol';

/** Apps per batch a worker is sent (~50 ms of work): small enough to share the work out evenly, large enough to cost little to send. */
const BATCH_APPS = 64;
/** Batches a worker holds at a time: the next one is there when it finishes one. */
const BATCHES_AHEAD = 2;

/** What a render in workers did: apps rendered (failed ones included), failed and written. */
export interface PoolSummary {
  readonly rendered: number;
  readonly failed: number;
  readonly written: number;
}

/**
 * How many render workers to start: `FLOTILLA_RENDER_WORKERS` (0, the default: render in the calling thread). Not
 * chosen from the cores yet: measured on two shared cores, two workers cost more CPU than one thread (3 isolates'
 * GC, compiles and caches; git replies crossing threads) and ~45 MB more peak memory (30,000 apps: 213-221 MB against
 * 175 MB, over the 200 MB budget); they won wall time only when the machine was loaded by others (load 5-8: 36-37 s vs
 * 48-49 s), and lost it at load 2.5-4 (40-41 s vs 29-36 s) and at 3,000 apps (median 6.6 s vs 4.5 s).
 */
export function renderWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const forced = env['FLOTILLA_RENDER_WORKERS'];
  return forced !== undefined && /^[0-9]+$/.test(forced.trim()) ? Math.min(Number(forced.trim()), availableParallelism() * 2) : 0;
}

/**
 * The render worker's bundle: `FLOTILLA_RENDER_WORKER` when set, else render-worker.js beside the running bundle
 * (scripts/build.mjs writes dist/render-worker.js beside dist/cli.js). Undefined when there is none (running from the
 * TypeScript sources): the render then stays in the calling thread.
 */
export function renderWorkerScript(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env['FLOTILLA_RENDER_WORKER'];
  if (given) return given;
  const beside = fileURLToPath(new URL('./render-worker.js', import.meta.url));
  return existsSync(beside) ? beside : undefined;
}

/**
 * The apps in batches of about `size`, in order; a batch ends only where the next app's source is in another folder
 * than the last one's (sibling overlays `app/overlays/*` stay together, so their base is built once), unless it has
 * grown to twice `size`.
 */
export function renderBatches(rows: readonly RenderRow[], size: number = BATCH_APPS): RenderRow[][] {
  const folder = (row: RenderRow): string => {
    const s = row.application.spec.source ?? row.application.spec.sources?.[0];
    return s ? `${s.repoURL}\n${dirname(s.path ?? '')}` : '';
  };
  const out: RenderRow[][] = [];
  let batch: RenderRow[] = [];
  for (const row of rows) {
    if (batch.length >= size && (batch.length >= 2 * size || folder(row) !== folder(batch[batch.length - 1]!))) {
      out.push(batch);
      batch = [];
    }
    batch.push(row);
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/** A batch as this thread keeps it until a worker takes it: serialized (a Buffer, off the heap). */
export type SerializedBatch = Uint8Array;

/** The batches serialized for the workers: 30,000 Applications take ~10 MB so, against ~30 MB of this thread's heap as objects. */
export function serializeBatches(batches: readonly (readonly RenderRow[])[]): SerializedBatch[] {
  return batches.map((b) => serialize(b));
}

/**
 * Renders the apps of `batches` (renderBatches, serializeBatches) in `workers` worker threads running `script`, each writing
 * its apps into `setup.outDir`, and calls `onApp` with each app's report as its batch completes (in no fixed order).
 * An app that fails fails alone. A worker that stops (crashes, runs out of memory, cannot start) is reported: each app
 * of the batches it held is reported failed, naming the worker's error, and the other workers take the rest.
 */
export function renderInWorkers(batches: (SerializedBatch | undefined)[], setup: RenderWorkerSetup, workers: number, script: string, onApp: (report: RenderedAppReport) => void): Promise<PoolSummary> {
  if (batches.length === 0) return Promise.resolve({ rendered: 0, failed: 0, written: 0 });
  let next = 0;
  let rendered = 0;
  let failed = 0;
  let written = 0;
  const report = (r: RenderedAppReport): void => {
    rendered++;
    if (failedRender(r)) failed++;
    onApp(r);
  };
  const lostApps = (held: Iterable<SerializedBatch | undefined>, why: string): void => {
    for (const batch of held) {
      for (const row of deserialize(batch!) as RenderRow[]) report({ app: row.name, cluster: clusterForApp(row.application, setup.clusters)?.name, problems: [problem(`not rendered: ${why}`, { app: row.name })] });
    }
  };
  return new Promise((resolve) => {
    let running = 0;
    const finished = (): void => {
      if (--running > 0) return;
      // Every worker stopped: batches none took are reported, never dropped.
      lostApps(batches.slice(next), 'no render worker was left to take it');
      next = batches.length;
      resolve({ rendered, failed, written });
    };
    const start = (index: number): void => {
      const held = new Map<number, SerializedBatch>();
      let over = false;
      // Each worker reads git objects through a git process this thread serves (its event loop is free meanwhile).
      const objects = hostGitObjects(setup.repoRoot);
      const workerData: RenderWorkerData = { ...setup, objects: objects.link };
      const worker = new Worker(script, { workerData, transferList: [objects.link.port], stdout: false, stderr: false });
      running++;
      const send = (): void => {
        while (held.size < BATCHES_AHEAD && next < batches.length) {
          const id = next++;
          const rows = batches[id]!;
          // Sent batches are held only until their apps are reported.
          batches[id] = undefined;
          held.set(id, rows);
          worker.postMessage({ batch: id, rows } satisfies RenderWorkerRequest);
        }
        if (held.size === 0) worker.postMessage({ stop: true } satisfies RenderWorkerRequest);
      };
      const lost = (why: string): void => {
        if (over) return;
        over = true;
        lostApps(held.values(), `render worker ${index + 1} stopped (${why})`);
        held.clear();
        void worker.terminate();
        objects.close();
        finished();
      };
      worker.on('message', (reply: RenderWorkerReply) => {
        if ('fatal' in reply) return lost(reply.fatal);
        held.delete(reply.batch);
        written += reply.written;
        for (const r of reply.reports) report(r);
        send();
      });
      worker.on('error', (err) => lost(err.message));
      worker.on('exit', (code) => {
        if (held.size > 0 || code !== 0) return lost(`exit code ${code}`);
        if (!over) {
          over = true;
          objects.close();
          finished();
        }
      });
      send();
    };
    const n = Math.max(1, Math.min(workers, batches.length));
    // n >= 1: with no worker at all the promise would never settle.
    for (let i = 0; i < n; i++) start(i);
  });
}
