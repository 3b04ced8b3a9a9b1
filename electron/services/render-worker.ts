// A render worker thread (built as dist/render-worker.js): renders its share of a fleet's Applications at one commit
// and writes each to the output folder, posting back only what the caller reports (app, cluster, problems).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { renderApplication } from '../../shared/fleet/render-apps';
import { toProblem } from '../../shared/problem';
import { localGitReader } from './git-reader';
import { GitRepository } from './git-repo';
import { helmRunnerFor } from './helm-runner';
import type { RenderJob, RenderWorkerMessage } from './render-pool';

async function main(job: RenderJob): Promise<void> {
  const post = (m: RenderWorkerMessage): void => parentPort!.postMessage(m);
  const repo = await GitRepository.open(job.root);
  try {
    const git = localGitReader(repo, job.repoURLs);
    const opts = { clusters: job.clusters, loadRestrictor: job.loadRestrictor, helmFor: helmRunnerFor };
    const made = new Set<string>();
    for (const app of job.apps) {
      let r;
      try {
        r = renderApplication(app, git, opts);
      } catch (err) {
        post({ kind: 'app', app: app.metadata.name, cluster: undefined, problems: [toProblem(err, { app: app.metadata.name })], written: false });
        continue;
      }
      const failed = r.problems.some((p) => p.severity === 'error');
      if (!failed) {
        const dir = path.join(job.outDir, r.cluster ?? '_outside-fleet');
        if (!made.has(dir)) {
          mkdirSync(dir, { recursive: true });
          made.add(dir);
        }
        writeFileSync(path.join(dir, `${r.app}.yaml`), r.yaml);
      }
      post({ kind: 'app', app: r.app, cluster: r.cluster, problems: r.problems, written: !failed });
    }
  } finally {
    repo.close();
  }
}

main(workerData as RenderJob).then(
  () => parentPort!.postMessage({ kind: 'done' } satisfies RenderWorkerMessage),
  (err: unknown) => parentPort!.postMessage({ kind: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies RenderWorkerMessage),
);
