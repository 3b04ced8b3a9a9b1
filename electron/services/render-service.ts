import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clusterForApp } from '../../shared/fleet/destination';
import type { Application } from '../../shared/model/application';
import { fleetClusters, generateAll } from '../../shared/fleet/overview';
import type { RenderedApp } from '../../shared/fleet/render-apps';
import { renderApplication } from '../../shared/fleet/render-apps';
import { FlotillaError } from '../../shared/problem';
import { scanRepository } from '../../shared/repo/scan';
import type { FleetService } from './fleet-service';
import { localGitReader } from './git-reader';
import { helmRunnerFor } from './helm-runner';
import type { RenderedAppReport } from './render-pool';
import { renderInWorkers, renderWorkerCount } from './render-pool';

/** Which generated Applications to render. */
export interface RenderAppsQuery {
  /** The revision whose ApplicationSets are generated (default HEAD). */
  readonly revision?: string;
  /** Only this Application. */
  readonly app?: string;
  /** Only the Applications that deploy to this fleet cluster. */
  readonly cluster?: string;
}

/** What a render of many Applications did: how many were rendered and how many of those failed. */
export interface RenderAppsSummary {
  readonly rendered: number;
  readonly failed: number;
}

/**
 * Generates the fleet's Applications at a revision and renders the selected ones one at a time, handing each to
 * `onApp` as soon as it is rendered and keeping none: memory stays flat in the number of Applications. One failing
 * Application is reported through its problems and never stops the others. Throws (naming the app or cluster) when
 * the query selects nothing.
 */
export async function renderApps(fleet: FleetService, query: RenderAppsQuery, onApp: (rendered: RenderedApp) => void): Promise<RenderAppsSummary> {
  const { apps, git, opts } = selectApps(fleet, query);
  let failed = 0;
  for (const app of apps) {
    const r = renderApplication(app, git, opts);
    if (r.problems.some((p) => p.severity === 'error')) failed++;
    onApp(r);
  }
  return { rendered: apps.length, failed };
}

/**
 * Renders the selected Applications into `outDir`/<cluster>/<app>.yaml, writing each as soon as it is rendered
 * (Applications outside the fleet go to `_outside-fleet`); an Application that fails to render is not written. Large
 * fleets render in worker threads when the CLI bundle runs (see render-pool.ts), each reporting apps as they go.
 */
export async function renderAppsToDir(fleet: FleetService, query: RenderAppsQuery, outDir: string, onApp: (report: RenderedAppReport) => void = () => {}): Promise<RenderAppsSummary & { readonly written: number }> {
  const { apps, git, opts, scan } = selectApps(fleet, query);
  let written = 0;
  let failed = 0;
  const count = (r: RenderedAppReport): void => {
    if (r.written) written++;
    if (r.problems.some((p) => p.severity === 'error')) failed++;
    onApp(r);
  };
  const workers = renderWorkerCount(apps.length);
  if (workers > 1) {
    await renderInWorkers({ root: fleet.repo.root, repoURLs: scan.fleet.repoURLs, clusters: opts.clusters, loadRestrictor: opts.loadRestrictor, outDir }, apps, workers, count);
    return { rendered: apps.length, failed, written };
  }
  const made = new Set<string>();
  for (let i = 0; i < apps.length; i++) {
    const app = apps[i]!;
    // Let each Application go once it is written: what stays in memory shrinks as the render goes.
    apps[i] = undefined as unknown as Application;
    const r = renderApplication(app, git, opts);
    const ok = !r.problems.some((p) => p.severity === 'error');
    if (ok) {
      const dir = path.join(outDir, r.cluster ?? '_outside-fleet');
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(path.join(dir, `${r.app}.yaml`), r.yaml);
    }
    count({ kind: 'app', app: r.app, cluster: r.cluster, problems: r.problems, written: ok });
  }
  return { rendered: apps.length, failed, written };
}

/** The repository scanned and generated at the query's revision, and the Applications the query selects. */
function selectApps(fleet: FleetService, query: RenderAppsQuery) {
  const revision = query.revision ?? 'HEAD';
  const scan = scanRepository(fleet.repo.treeAt(revision));
  const git = localGitReader(fleet.repo, scan.fleet.repoURLs);
  const clusters = fleetClusters(scan);
  let apps = generateAll(scan, git).appsets.flatMap((s) => s.apps.map((a) => a.application));
  if (query.app !== undefined) {
    apps = apps.filter((a) => a.metadata.name === query.app);
    if (apps.length === 0) throw new FlotillaError({ severity: 'error', message: `no generated Application named ${query.app} at ${revision} (try \`flotilla generate\`)` });
  }
  if (query.cluster !== undefined) {
    const all = apps;
    apps = apps.filter((a) => clusterForApp(a, clusters)?.name === query.cluster);
    if (apps.length === 0) {
      const targets = [...new Set(all.map((a) => clusterForApp(a, clusters)?.name ?? 'a cluster outside the fleet'))].join(', ');
      throw new FlotillaError({ severity: 'error', message: `${query.app ?? 'no Application'} does not deploy to cluster ${query.cluster} (it deploys to: ${targets || 'nothing'})` });
    }
  }
  return { scan, git, apps, opts: { clusters, loadRestrictor: scan.fleet.loadRestrictor, helmFor: helmRunnerFor } };
}
