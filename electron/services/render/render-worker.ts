// A render worker of `render --all` (bundled as dist/render-worker.js): renders the batches of apps the main thread
// sends (render-pool.ts), writes each rendered app into the output folder, and answers each batch with a report per app.
// It reads git objects through a `git cat-file --batch` the main thread serves it, and caches its own bases: sibling overlays come in the
// same batch, so a base is built once per worker.

import { deserialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { RenderedApp } from '../../../shared/fleet/render-apps';
import type { RenderRow } from '../../../shared/fleet/render-row';
import { renderFleetApp } from '../../../shared/fleet/render-row';
import { toProblem } from '../../../shared/problem';
import { localGitReader } from '../git-reader';
import { GitRepository } from '../git-repo';
import { renderOptionsFor } from '../sources/render-options';
import { AppFileWriter } from './app-files';
import type { RenderedAppReport, RenderWorkerData, RenderWorkerReply, RenderWorkerRequest } from './render-worker-protocol';

async function serve(port: NonNullable<typeof parentPort>, setup: RenderWorkerData): Promise<void> {
  const repo = await GitRepository.open(setup.repoRoot, setup.objects);
  const git = localGitReader(repo, setup.repoURLs, setup.resolved);
  const opts = renderOptionsFor(setup.fleet, setup.clusters, (cluster) => (cluster === undefined ? undefined : setup.capabilities[cluster]));
  const writer = new AppFileWriter(setup.outDir);
  port.on('message', (req: RenderWorkerRequest) => {
    if ('stop' in req) {
      repo.close();
      port.close();
      return;
    }
    const reports: RenderedAppReport[] = [];
    let written = 0;
    for (const row of deserialize(req.rows) as RenderRow[]) {
      let rendered: RenderedApp | undefined;
      try {
        rendered = renderFleetApp(row, git, opts, setup.projects);
        if (writer.write(rendered)) written++;
        reports.push({ app: rendered.app, cluster: rendered.cluster, problems: rendered.problems });
      } catch (err) {
        // One app that cannot be rendered or written fails alone: the batch and the worker go on.
        reports.push({ app: row.name, cluster: rendered?.cluster, problems: [...(rendered?.problems ?? []), toProblem(err, { app: row.name })] });
      }
    }
    port.postMessage({ batch: req.batch, reports, written } satisfies RenderWorkerReply);
  });
}

if (parentPort) {
  const port = parentPort;
  serve(port, workerData as RenderWorkerData).catch((err: unknown) => {
    port.postMessage({ fatal: err instanceof Error ? err.message : String(err) } satisfies RenderWorkerReply);
    port.close();
  });
}
