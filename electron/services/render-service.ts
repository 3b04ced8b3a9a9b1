import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppRow } from '../../shared/api/contract';
import { clusterForApp } from '../../shared/fleet/destination';
import { appRefusals } from '../../shared/fleet/discover';
import { fleetClusters, generateAll } from '../../shared/fleet/overview';
import type { RenderedApp } from '../../shared/fleet/render-apps';
import { bySourceFolder } from '../../shared/fleet/render-order';
import { renderApplication } from '../../shared/fleet/render-apps';
import { FlotillaError } from '../../shared/problem';
import { scanRepository } from '../../shared/repo/scan';
import type { FileTree } from '../../shared/repo/file-tree';
import type { FleetService, HeadDiscovery } from './fleet-service';
import { localGitReader } from './git-reader';
import { helmRunnerFor } from './helm/kustomize-helm-runner';
import { sourceTools } from './sources/source-tools';
import type { ClusterAccess } from './helm/capabilities';
import { readCapabilities } from './helm/capabilities';
import { renderOptions } from './sources/render-options';
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

/** The fleet at one revision: its scan, git reader, clusters, every app, and the file tree they were read from. */
export type RevisionDiscovery = Pick<HeadDiscovery, 'scan' | 'git' | 'clusters' | 'fleet'> & { readonly tree: FileTree };

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
  const revision = query.revision ?? 'HEAD';
  const { scan, git, clusters, fleet: found } = query.discovered ?? await discoverRevision(fleet, query.revision);
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
  try {
    const opts = renderOptions(scan, clusters, caps.lookup);
    let failed = 0;
    // A fleet of 30,000 Applications renders for minutes: in slices, so a server answers other calls meanwhile.
    const slice = sliceYielder();
    for (const row of query.order === 'source' ? bySourceFolder(apps) : apps) {
      await slice();
      const rendered = renderApplication(row.application, git, opts);
      // What the app's AppProject forbids is refused, as Argo CD refuses to sync it: reported, and the app counts as failed.
      const refused = rendered.problems.some((p) => p.severity === 'error') ? [] : appRefusals(found, row, rendered.objects, clusters);
      const r: RenderedApp = { ...rendered, app: row.name, problems: [...rendered.problems, ...refused] };
      if (r.problems.some((p) => p.severity === 'error')) failed++;
      onApp(r);
    }
    return { rendered: apps.length, failed };
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
    return { ...head, tree: fleet.repo.treeAt(head.head.sha) };
  }
  const tree = fleet.repo.treeAt(revision);
  const scan = scanRepository(tree);
  const git = localGitReader(fleet.repo, scan.fleet.repoURLs);
  return { scan, git, tree, clusters: fleetClusters(scan), fleet: generateAll(scan, git, { render: { helmFor: helmRunnerFor, tools: sourceTools() } }) };
}

/**
 * Renders the selected Applications into `outDir`/<cluster>/<app>.yaml, writing each as soon as it is rendered
 * (Applications outside the fleet go to `_outside-fleet`). An Application that fails to render is not written.
 */
export async function renderAppsToDir(fleet: FleetService, query: RenderAppsQuery, outDir: string, onApp: (rendered: RenderedApp) => void = () => {}): Promise<RenderAppsSummary & { readonly written: number }> {
  const made = new Set<string>();
  let written = 0;
  // Written files have no order: render sibling overlays together, while their bases are cached.
  const summary = await renderApps(fleet, { order: 'source', ...query }, (r) => {
    onApp(r);
    if (r.problems.some((p) => p.severity === 'error')) return;
    const dir = path.join(outDir, r.cluster ?? '_outside-fleet');
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(path.join(dir, `${r.app.replace(/\//g, '_')}.yaml`), r.yaml);
    written++;
  });
  return { ...summary, written };
}
