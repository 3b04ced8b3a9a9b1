import type { AppRow } from '../../shared/api/contract';
import { clusterForApp } from '../../shared/fleet/destination';
import { fleetClusters, generateAll } from '../../shared/fleet/overview';
import type { DiscoveredFleet } from '../../shared/fleet/discover';
import type { RenderedApp } from '../../shared/fleet/render-apps';
import { bySourceFolder } from '../../shared/fleet/render-order';
import type { RenderRow } from '../../shared/fleet/render-row';
import { failedRender, renderFleetApp } from '../../shared/fleet/render-row';
import type { ClusterCapabilities } from '../../shared/sources/types';
import { ThreadedAppFileWriter } from './render/writer-thread';
import { renderBatches, renderInWorkers, renderWorkerCount, renderWorkerScript, serializeBatches } from './render/render-pool';
import type { RenderedAppReport, RenderWorkerSetup } from './render/render-worker-protocol';
import { FlotillaError, toProblem } from '../../shared/problem';
import { scanRepository } from '../../shared/repo/scan';
import type { FileTree } from '../../shared/repo/file-tree';
import type { FleetService, HeadDiscovery } from './fleet-service';
import { forgetDiscoveries } from './fleet-service';
import { localGitReader } from './git-reader';
import { helmRunnerFor } from './helm/kustomize-helm-runner';
import { sourceTools } from './sources/source-tools';
import type { ClusterAccess } from './helm/capabilities';
import { readCapabilities } from './helm/capabilities';
import { fleetRenderSettings, renderOptions } from './sources/render-options';
import { sliceYielder } from './event-loop-slices';

/** Which Applications to render (generated, plain, or rendered by apps). */
export interface RenderAppsQuery {
  /** The revision whose ApplicationSets are generated (default HEAD). */
  readonly revision?: string;
  /** Only this Application. */
  readonly app?: string;
  /** Only the Applications that deploy to this fleet cluster. */
  readonly cluster?: string;
  /** Not these Applications (a caller that has rendered them already); applied after `app` and `cluster`, and selecting nothing is no error. */
  readonly exclude?: readonly string[];
  /** 'source': render sibling apps together (by source folder) so shared bases are read and parsed once; default: fleet order. */
  readonly order?: 'fleet' | 'source';
  /**
   * How to reach the target clusters for Helm's `.Capabilities` (their version and API groups, as Argo CD passes
   * them). Without it no cluster is contacted: the fleet file's `kubeVersion`, else helm's defaults.
   */
  readonly clusterAccess?: ClusterAccess;
  /** The fleet as discovered at `revision` already (discoverRevision), reused instead of discovering it again. */
  readonly discovered?: RevisionDiscovery;
}

/**
 * The fleet at one revision: its scan, git reader, clusters, every app, the file tree they were read from, and the
 * revisions its git reader takes as resolved already (HEAD → the commit discovered at HEAD).
 */
export type RevisionDiscovery = Pick<HeadDiscovery, 'scan' | 'git' | 'clusters' | 'fleet'> & { readonly tree: FileTree; readonly resolved: Readonly<Record<string, string>> };

/** What a render of many Applications did: how many were rendered and how many of those failed. */
export interface RenderAppsSummary {
  readonly rendered: number;
  readonly failed: number;
}

/** The Applications a query selects, with what rendering them needs. */
interface SelectedApps {
  readonly discovered: RevisionDiscovery;
  readonly apps: readonly AppRow[];
  readonly caps: Awaited<ReturnType<typeof readCapabilities>>;
}

/** What rendering selected apps reads: of each app only its row (not the generator parameters behind it), and the fleet's settings. */
interface RenderJob {
  readonly discovered: Pick<RevisionDiscovery, 'scan' | 'git' | 'clusters'>;
  readonly projects: DiscoveredFleet['projects'];
  readonly rows: readonly RenderRow[];
  readonly caps: SelectedApps['caps'];
}

/** The render job of selected apps: the rest of their discovery can go once it is made. */
function renderJobOf(selected: SelectedApps): RenderJob {
  const { discovered: { scan, git, clusters, fleet }, apps, caps } = selected;
  return { discovered: { scan, git, clusters }, projects: fleet.projects, rows: apps.map(renderRowOf), caps };
}

/** What a render reads of a discovered app: its name, Application and problems. */
function renderRowOf(a: AppRow): RenderRow {
  return a.problems ? { name: a.name, application: a.application, problems: a.problems } : { name: a.name, application: a.application };
}

/** The Applications `query` selects at its revision, and their target clusters' capabilities (close `caps` after). */
async function selectApps(fleet: FleetService, query: RenderAppsQuery): Promise<SelectedApps> {
  const revision = query.revision ?? 'HEAD';
  const discovered = query.discovered ?? (await discoverRevision(fleet, query.revision));
  const { clusters, fleet: found } = discovered;
  let apps: readonly AppRow[] = found.apps;
  if (query.app !== undefined) {
    apps = apps.filter((a) => a.name === query.app);
    if (apps.length === 0) throw new FlotillaError({ severity: 'error', message: `no Application named ${query.app} at ${revision} (try \`flotilla apps\`)` });
  }
  if (query.cluster !== undefined) {
    const all = apps;
    apps = apps.filter((a) => clusterForApp(a.application, clusters)?.name === query.cluster);
    if (apps.length === 0) {
      const targets = [...new Set(all.map((a) => clusterForApp(a.application, clusters)?.name ?? 'a cluster outside the fleet'))].join(', ');
      throw new FlotillaError({ severity: 'error', message: `${query.app ?? 'no Application'} does not deploy to cluster ${query.cluster} (it deploys to: ${targets || 'nothing'})` });
    }
  }
  if (query.exclude !== undefined && query.exclude.length > 0) {
    const skip = new Set(query.exclude);
    apps = apps.filter((a) => !skip.has(a.name));
  }
  const targets = new Set(apps.map((a) => clusterForApp(a.application, clusters)?.name));
  const caps = await readCapabilities(query.clusterAccess ?? { offline: 'no cluster contacted' }, clusters.filter((c) => targets.has(c.name)));
  return { discovered, apps: query.order === 'source' ? bySourceFolder(apps) : apps, caps };
}

/**
 * Generates the fleet's Applications at a revision and renders the selected ones one at a time, handing each to
 * `onApp` as soon as it is rendered and keeping none: memory stays flat in the number of Applications. One failing
 * Application is reported through its problems and never stops the others. Throws (naming the app or cluster) when
 * the query selects nothing.
 */
export async function renderApps(fleet: FleetService, query: RenderAppsQuery, onApp: (rendered: RenderedApp) => void): Promise<RenderAppsSummary> {
  return renderSelected(renderJobOf(await selectApps(fleet, query)), (r) => {
    onApp(r);
    return failedRender(r);
  });
}

/**
 * Renders the selected apps one at a time, handing each to `each` (true: it failed) and keeping none. A fleet of
 * 30,000 Applications renders for minutes: in slices, so a server answers other calls meanwhile.
 */
async function renderSelected(job: RenderJob, each: (rendered: RenderedApp) => boolean | Promise<boolean>): Promise<RenderAppsSummary> {
  const { discovered: { scan, git, clusters }, projects, rows, caps } = job;
  try {
    const opts = renderOptions(scan, clusters, caps.lookup);
    let failed = 0;
    const slice = sliceYielder();
    for (const row of rows) {
      await slice();
      if (await each(renderFleetApp(row, git, opts, projects))) failed++;
    }
    return { rendered: rows.length, failed };
  } finally {
    caps.close();
  }
}

/**
 * The repository at a revision (default HEAD) with every app discovered there. At HEAD the discovery is shared (cached
 * by commit); another revision is scanned and discovered for this call: a caller that renders it more than once passes
 * the result on as `RenderAppsQuery.discovered`.
 */
export async function discoverRevision(fleet: FleetService, revision?: string): Promise<RevisionDiscovery> {
  if (revision === undefined) {
    const head = await fleet.discovery();
    return { ...head, tree: fleet.repo.treeAt(head.head.sha), resolved: { HEAD: head.head.sha } };
  }
  const tree = fleet.repo.treeAt(revision);
  const scan = scanRepository(tree);
  const git = localGitReader(fleet.repo, scan.fleet.repoURLs);
  return { scan, git, tree, resolved: {}, clusters: fleetClusters(scan), fleet: generateAll(scan, git, { render: { helmFor: helmRunnerFor, tools: sourceTools() } }) };
}

/**
 * Renders the selected Applications into `outDir`/<cluster>/<app>.yaml, writing each as soon as it is rendered
 * (Applications outside the fleet go to `_outside-fleet`); `onApp` gets each one's problems. An Application that fails
 * to render is not written. It renders in worker threads when asked (`workers`, else FLOTILLA_RENDER_WORKERS: see
 * renderWorkerCount), else in this thread: the files written are the same. `oneShot`: the caller ends when this does (the CLI), so
 * the discovery is not kept for later calls: its memory goes while the workers render.
 */
export async function renderAppsToDir(
  fleet: FleetService,
  query: RenderAppsQuery,
  outDir: string,
  onApp: (report: RenderedAppReport) => void = () => {},
  options: { readonly workers?: number; readonly oneShot?: boolean } = {},
): Promise<RenderAppsSummary & { readonly written: number }> {
  // Written files have no order: render sibling overlays together, while their bases are cached.
  const selected = await selectApps(fleet, { order: 'source', ...query });
  const workers = options.workers ?? renderWorkerCount();
  const script = workers > 0 ? renderWorkerScript() : undefined;
  if (script === undefined) return renderHere(hereJob(selected, options.oneShot), outDir, onApp);
  // Built in a function of its own, so that no frame waiting on the workers holds the discovery.
  const job = workerJob(fleet.repo.root, selected, outDir);
  // The workers read git objects through git processes this thread serves: its own reader stops now.
  fleet.repo.close();
  if (options.oneShot) forgetDiscoveries();
  return renderInWorkers(job.batches, job.setup, workers, script, onApp);
}

/** The setup and the batches (serialized: off this thread's heap) of a render in workers; closes the capabilities' clients. */
function workerJob(repoRoot: string, selected: SelectedApps, outDir: string): { setup: RenderWorkerSetup; batches: ReturnType<typeof serializeBatches> } {
  const { discovered, apps, caps } = selected;
  const { scan, clusters, fleet: found } = discovered;
  const capabilities: Record<string, ClusterCapabilities> = {};
  try {
    for (const c of clusters) {
      const known = caps.lookup(c.name);
      if (known) capabilities[c.name] = known;
    }
  } finally {
    caps.close();
  }
  const setup: RenderWorkerSetup = { repoRoot, repoURLs: scan.fleet.repoURLs, resolved: discovered.resolved, fleet: fleetRenderSettings(scan.fleet), clusters, capabilities, projects: found.projects, outDir };
  // Only what a worker reads of each app is sent (not the generator parameters behind it).
  return { setup, batches: serializeBatches(renderBatches(apps.map(renderRowOf))) };
}

/** The render job of renderAppsToDir in this thread; a one-shot caller's discovery is forgotten, its heap freed for the render. */
function hereJob(selected: SelectedApps, oneShot: boolean | undefined): RenderJob {
  const job = renderJobOf(selected);
  if (oneShot) forgetDiscoveries();
  return job;
}

/** renderAppsToDir in the calling thread, in slices (a server answers other calls meanwhile). */
async function renderHere(job: RenderJob, outDir: string, onApp: (report: RenderedAppReport) => void): Promise<RenderAppsSummary & { readonly written: number }> {
  // Files are written by a thread of their own while the next apps render.
  const writer = new ThreadedAppFileWriter(outDir);
  let written = 0;
  // An app whose file cannot be written fails alone, named with why.
  const writeFailed = (app: string, cluster: string | undefined, err: unknown): void => onApp({ app, cluster, problems: [toProblem(err, { app })] });
  const rendering = renderSelected(job, async (r) => {
    onApp(r);
    try {
      if (!(await writer.send(r))) return true;
      written++;
      return false;
    } catch (err) {
      writeFailed(r.app, r.cluster, err);
      return true;
    }
  });
  // The writer thread ends with the render, also when the render throws.
  const summary = await rendering.catch(async (err: unknown) => {
    await writer.drain();
    throw err;
  });
  // Files the writer thread could not write: those apps fail too.
  const unwritten = await writer.drain();
  for (const f of unwritten) writeFailed(f.app, f.cluster, f.error);
  return { ...summary, failed: summary.failed + unwritten.length, written: written - unwritten.length };
}
