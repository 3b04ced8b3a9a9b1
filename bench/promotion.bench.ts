// Planning a promotion of every app of the synthetic fleet (300 apps) from staging to prod: the minimal overlay edits,
// the prod stage rendered with them and diffed per cluster, and the gates. Measured on the repository's git objects.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GitRepository } from '../electron/services/git-repo';
import { fleetClusters, generateAll } from '../shared/fleet/overview';
import { parsePipelineFile } from '../shared/promotion/pipeline';
import type { PromotionPlan } from '../shared/promotion/plan';
import { planPromotion } from '../shared/promotion/plan';
import { scanRepository } from '../shared/repo/scan';
import type { BenchResult } from './types';
import { sample, stats } from './types';
import { writeSyntheticFleet } from './synthetic-fleet';

const APPS = Number(process.env.PROMOTION_BENCH_APPS ?? 300);

/** Runs the promotion planning benchmark. */
export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-promotion-bench-'));
  try {
    writeSyntheticFleet(dir, { apps: APPS, clustersPerEnv: 1 });
    const repo = await GitRepository.open(dir);
    const head = await repo.head();
    const tree = repo.treeAt(head.sha);
    const gates = { now: Date.now(), confirmation: 'flag' as const };

    let plan: PromotionPlan | undefined;
    // CPU time beside wall time: on a shared, loaded machine the wall time includes waiting for a core.
    const cpu: number[] = [];
    // Everything the Node side does between reading the tree and showing the plan: scan, generate, plan, render, diff.
    const full = await sample(5, () => {
      const c0 = process.cpuUsage();
      const scan = scanRepository(tree);
      const { apps } = generateAll(scan, { treeAt: () => tree });
      const pipeline = parsePipelineFile(tree.read('pipeline.yaml')!, 'pipeline.yaml').pipelines[0]!;
      plan = planPromotion({
        pipeline, tree, gates, clusters: fleetClusters(scan), loadRestrictor: scan.fleet.loadRestrictor,
        request: { from: 'staging', to: 'prod', apps: 'all' },
        applications: apps.map((a) => ({ application: a.application, appset: a.appset })),
      });
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    });
    if (!plan || plan.apps.length !== APPS || !plan.ready) throw new Error(`promotion bench: expected a ready plan of ${APPS} apps, got ${plan?.apps.length} (ready ${plan?.ready})`);
    const edits = plan.apps.reduce((n, a) => n + a.edits.length, 0);
    const changes = plan.apps.reduce((n, a) => n + a.clusters.reduce((m, c) => m + c.changes.length, 0), 0);

    const scan = scanRepository(tree);
    const { apps } = generateAll(scan, { treeAt: () => tree });
    const applications = apps.map((a) => ({ application: a.application, appset: a.appset }));
    const pipeline = parsePipelineFile(tree.read('pipeline.yaml')!, 'pipeline.yaml').pipelines[0]!;
    const planOnly = await sample(5, () => planPromotion({ pipeline, tree, gates, clusters: fleetClusters(scan), applications, request: { from: 'staging', to: 'prod', apps: 'all' } }));
    const noRender = await sample(5, () => planPromotion({ pipeline, tree, gates, clusters: fleetClusters(scan), applications, render: false, request: { from: 'staging', to: 'prod', apps: 'all' } }));
    return [
      { name: `promotion plan, ${APPS} apps staging→prod (scan + generate + edits + render + diff)`, ...stats(full, cpu.slice(1)), extra: { edited_files: edits, changed_resources: changes } },
      { name: `planPromotion only (edits + render + diff), ${APPS} apps`, ...stats(planOnly) },
      { name: `planPromotion edits only (no render), ${APPS} apps`, ...stats(noRender) },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
