import { existsSync } from 'node:fs';
import { environmentOrder, pipelineStageOrder } from '../../shared/fleet/environment-order';
import path from 'node:path';
import type { AppRow, AppSetPreview, FleetOverview } from '../../shared/api/contract';
import type { ClusterEntry } from '../../shared/fleet/fleet-edit';
import { upsertCluster } from '../../shared/fleet/fleet-edit';
import type { GitReader } from '../../shared/appset/engine';
import type { DiscoveredFleet } from '../../shared/fleet/discover';
import { fleetClusters, generateAll, previewAppSetText } from '../../shared/fleet/overview';
import type { ClusterSpec } from '../../shared/model/fleet';
import { FlotillaError } from '../../shared/problem';
import { normalizePath } from '../../shared/repo/paths';
import type { RepoScan } from '../../shared/repo/scan';
import type { FileTree } from '../../shared/repo/file-tree';
import type { TreeReads } from '../../shared/repo/tree-reads';
import { TreeReadRecorder } from '../../shared/repo/tree-reads';
import type { HelmRunner, HelmTemplateRequest } from '../../shared/kustomize/build-types';
import { FLEET_FILE, scanRepository } from '../../shared/repo/scan';
import { localGitReader, normalizeRepoUrl } from './git-reader';
import { GitRepository } from './git-repo';
import { linkOnPath, readNoFollow, writeNoFollow } from './no-follow';
import { helmRunnerFor } from './helm/kustomize-helm-runner';
import type { NodeSourceTools } from './sources/source-tools';
import { sourceTools } from './sources/source-tools';
import { nextTurn } from './event-loop-slices';

/** The repository at one HEAD with every app discovered: what every command that lists, renders or compares apps starts from. */
export interface HeadDiscovery {
  readonly head: Awaited<ReturnType<GitRepository['head']>>;
  readonly scan: RepoScan;
  readonly git: GitReader;
  readonly clusters: readonly ClusterSpec[];
  readonly fleet: DiscoveredFleet;
  /**
   * The revisions other than HEAD that discovery read of the open repository (a git generator at `main`, a Flux
   * GitRepository's branch) and the commit each named then (null: none). Absent when discovery read anything beyond
   * commits of the open repository: a repoURL only the origin remote names, helm, jsonnet or a remote value file (an
   * app of apps rendered with them). When present, discovery is a function of HEAD's commit and these, and what is
   * built from it may be cached by them across processes (see grid-cache.ts).
   */
  readonly revisions?: Readonly<Record<string, string | null>>;
  /**
   * What discovery read of HEAD's tree (by every reader: the scan, generators, app-of-apps renders), present with
   * `revisions`: a later commit that changes none of it has the same discovery (see tree-reads.ts).
   */
  readonly reads?: TreeReads;
}

/** The latest discovery per repository folder, by HEAD commit (one entry per repository: memory stays bounded). */
const discoveries = new Map<string, { readonly sha: string; readonly discovery: Promise<HeadDiscovery> }>();

/** Forgets every cached discovery: what a new process starts from (benchmarks of a cold `flotilla apps` use it). */
export function forgetDiscoveries(): void {
  discoveries.clear();
}

/**
 * The git reader and render tools as discovery sees them, noting what it read beyond HEAD's commit: each other
 * revision of the open repository, resolved once and read at the commit noted (so what is read is what is noted);
 * `revisions()` is undefined once it read anything else (a repoURL only the origin remote could confirm, or any tool:
 * helm, jsonnet, a remote value file), whose output depends on more than commits.
 */
function watchedInputs(repo: GitRepository, git: GitReader, repoURLs: readonly string[], head: string, tools: NodeSourceTools, recorder: TreeReadRecorder): { git: GitReader; helmFor: typeof helmRunnerFor; tools: NodeSourceTools; revisions: () => Readonly<Record<string, string | null>> | undefined } {
  let pure = true;
  const revisions: Record<string, string | null> = {};
  const urls = new Set([...repoURLs, repo.root].filter(Boolean).map(normalizeRepoUrl));
  /** Whether a revision (as asked for, or as read) is HEAD's commit. */
  const atHead = (revision: string): boolean => revision === '' || revision === 'HEAD' || revision === head;
  /** The revision to read: HEAD's as it is, another as the commit it names now (noted). */
  const read = (repoURL: string, revision: string): string => {
    if (!urls.has(normalizeRepoUrl(repoURL))) pure = false;
    if (atHead(revision)) return revision;
    if (!Object.prototype.hasOwnProperty.call(revisions, revision)) revisions[revision] = repo.resolve(revision) ?? null;
    return revisions[revision] ?? revision;
  };
  const impure = <A extends unknown[], R>(fn: (...a: A) => R) => (...a: A): R => {
    pure = false;
    return fn(...a);
  };
  // A runner is made for every kustomization; only running helm reads beyond the commit.
  const runner = (make: (tree: FileTree) => HelmRunner | undefined) => (tree: FileTree): HelmRunner | undefined => {
    const r = make(tree);
    return r && { template: impure((req: HelmTemplateRequest) => r.template(req)) };
  };
  const watchedGit: GitReader = {
    get localURL() {
      // The fleet file's first repoURL, else the origin remote's (not part of any commit).
      if (repoURLs.length === 0) pure = false;
      return git.localURL;
    },
    // HEAD's commit, however named, is read through the recorder (other commits are keyed by `revisions`).
    treeAt: (repoURL, revision) => {
      const tree = git.treeAt(repoURL, read(repoURL, revision));
      return tree.revision === head ? recorder.wrap(tree) : tree;
    },
    ...(git.directoriesAt
      ? {
          directoriesAt: (repoURL: string, revision: string) => {
            const at = read(repoURL, revision);
            if (atHead(at)) recorder.readEveryFolder();
            return git.directoriesAt!(repoURL, at);
          },
        }
      : {}),
  };
  return {
    git: watchedGit,
    helmFor: runner(helmRunnerFor),
    tools: {
      ...(tools.helm ? { helm: { template: impure((req: Parameters<NonNullable<NodeSourceTools['helm']>['template']>[0]) => tools.helm!.template(req)) } } : {}),
      ...(tools.jsonnet ? { jsonnet: { evaluate: impure((req: Parameters<NonNullable<NodeSourceTools['jsonnet']>['evaluate']>[0]) => tools.jsonnet!.evaluate(req)) } } : {}),
      ...(tools.remoteValueFile ? { remoteValueFile: impure(tools.remoteValueFile) } : {}),
      ...(tools.kustomizeHelm ? { kustomizeHelm: runner(tools.kustomizeHelm) } : {}),
    },
    revisions: () => (pure ? { ...revisions } : undefined),
  };
}

/** The open GitOps repository and what the engine derives from it at HEAD. */
export class FleetService {

  private constructor(readonly repo: GitRepository) {}

  /** Opens the repository at `dir` (errors name the path). */
  static async open(dir: string): Promise<FleetService> {
    return new FleetService(await GitRepository.open(dir));
  }

  /**
   * The repository scanned at HEAD (fleet file, ApplicationSets, pipelines, cluster Secrets); `sha`: HEAD's commit when
   * already resolved; `recorder`: notes what the scan reads of HEAD's tree.
   */
  async scanHead(sha?: string, recorder?: TreeReadRecorder): Promise<{ head: Awaited<ReturnType<GitRepository['head']>>; scan: RepoScan }> {
    // The tree is read next: its reader starts beside the git commands that name HEAD.
    this.repo.warmObjects();
    const head = await this.repo.head(sha);
    const tree = this.repo.treeAt(head.sha);
    return { head, scan: scanRepository(recorder ? recorder.wrap(tree) : tree) };
  }

  /**
   * Every app at HEAD (ApplicationSets, plain Applications, apps of apps) with the scan, git reader and clusters it
   * came from. Discovery (which renders app-of-apps parents) is a pure function of the commit: reused until HEAD moves.
   * `resolved`: HEAD's commit as the caller has just resolved it (no second `git rev-parse`).
   */
  async discovery(resolved?: string): Promise<HeadDiscovery> {
    const sha = resolved ?? this.repo.resolve('HEAD');
    // Shared by every FleetService of the same repository (a refresh opens its own): parents render once per commit.
    const cached = discoveries.get(this.repo.root);
    if (sha && cached?.sha === sha) return cached.discovery;
    const discovery = this.discover(sha);
    if (sha) discoveries.set(this.repo.root, { sha, discovery });
    discovery.catch(() => {
      if (discoveries.get(this.repo.root)?.discovery === discovery) discoveries.delete(this.repo.root);
    });
    return discovery;
  }

  /** Discovers the apps at HEAD; `sha`: HEAD's commit as discovery() resolved it (taken for HEAD throughout, no second rev-parse). */
  private async discover(sha: string | undefined): Promise<HeadDiscovery> {
    // Every read of HEAD's tree, by whichever reader (the scan, generators, app-of-apps renders), goes through the recorder.
    const recorder = new TreeReadRecorder();
    const { head, scan } = await this.scanHead(sha, recorder);
    // Scanning and generating each hold the event loop for a while (hundreds of ms at 10,000 apps): a server answers
    // what waited meanwhile (the page's own files) between them.
    await nextTurn();
    // Git generators that read HEAD read the commit scanned, without resolving HEAD again.
    const git = localGitReader(this.repo, scan.fleet.repoURLs, { HEAD: head.sha });
    const watched = watchedInputs(this.repo, git, scan.fleet.repoURLs, head.sha, sourceTools(), recorder);
    const fleet = generateAll(scan, watched.git, { render: { helmFor: watched.helmFor, tools: watched.tools } });
    const revisions = watched.revisions();
    await nextTurn();
    return { head, scan, git, clusters: fleetClusters(scan), fleet, ...(revisions ? { revisions, reads: recorder.reads() } : {}) };
  }

  /** The repository at HEAD (or of the discovery given): its fleet, ApplicationSets and every app, and every problem found. */
  async overview(of?: HeadDiscovery): Promise<FleetOverview> {
    const { head, scan, fleet } = of ?? (await this.discovery());
    const environments = environmentOrder(pipelineStageOrder(scan.pipelines.map((p) => p.value)), scan.fleet.clusters.flatMap((c) => (c.environment ? [c.environment] : [])));
    // Each app once: an ApplicationSet names its apps, whose rows are in `apps`.
    const appsets = fleet.appsets.map(({ apps, ...s }) => ({ ...s, appNames: apps.map((a) => a.name) }));
    return { repo: { path: this.repo.root, head, fleet: scan.fleet }, appsets, apps: fleet.apps, problems: fleet.problems, environments };
  }

  /** The app named `name` at HEAD (Argo CD's name, `namespace/name` outside the control plane), or a FlotillaError listing the known ones. */
  async app(name: string): Promise<{ readonly discovery: HeadDiscovery; readonly row: AppRow }> {
    const discovery = await this.discovery();
    const row = discovery.fleet.apps.find((a) => a.name === name);
    if (row) return { discovery, row };
    const known = discovery.fleet.apps.map((a) => a.name).sort();
    throw new FlotillaError({ severity: 'error', message: `no Application named ${name} in ${this.repo.root} at ${discovery.head.short} (known: ${known.slice(0, 20).join(', ') || 'none'}${known.length > 20 ? `, … ${known.length - 20} more` : ''}; see \`flotilla apps\`)`, app: name });
  }

  /** What edited ApplicationSet text would generate against HEAD's clusters and git; writes nothing. */
  async previewAppSet(file: string, text: string): Promise<AppSetPreview> {
    const { scan } = await this.scanHead();
    return previewAppSetText(this.relative(file), text, scan, localGitReader(this.repo, scan.fleet.repoURLs));
  }

  /** A file's text for editing: the working tree's copy, else HEAD's. */
  async source(file: string): Promise<{ file: string; text: string }> {
    const rel = this.relative(file);
    const abs = path.join(this.repo.root, rel);
    this.refuseLinks(rel, 'read');
    if (existsSync(abs)) return { file: rel, text: readNoFollow(abs) };
    const text = this.repo.treeAt('HEAD').read(rel);
    if (text === undefined) throw new FlotillaError({ severity: 'error', message: `no such file in the repository: ${rel}`, file: rel });
    return { file: rel, text };
  }

  /** Saves an ApplicationSet file in the working tree (no commit); only YAML or JSON files inside the repository. */
  async save(file: string, text: string): Promise<{ file: string }> {
    const rel = this.relative(file);
    if (!/\.(ya?ml|json)$/.test(rel)) throw new FlotillaError({ severity: 'error', message: `only YAML or JSON files can be saved here, not ${rel}`, file: rel });
    this.refuseLinks(rel, 'write');
    writeNoFollow(path.join(this.repo.root, rel), text);
    return { file: rel };
  }

  /** Adds or relabels a cluster in the working tree's fleet file (no commit). */
  async saveCluster(entry: ClusterEntry): Promise<{ file: string }> {
    const abs = path.join(this.repo.root, FLEET_FILE);
    this.refuseLinks(FLEET_FILE, 'write');
    const text = existsSync(abs) ? readNoFollow(abs) : undefined;
    writeNoFollow(abs, upsertCluster(text, entry));
    return { file: FLEET_FILE };
  }

  /** Refuses a path of the working tree when any of its components is a symbolic link: the UI never reads or writes through a link. */
  private refuseLinks(rel: string, what: 'read' | 'write'): void {
    const link = linkOnPath(this.repo.root, rel);
    if (link !== undefined) {
      throw new FlotillaError({ severity: 'error', message: `refusing to ${what} ${rel}: ${link === rel ? 'it' : link} is a symbolic link (Flotilla never ${what === 'read' ? 'reads' : 'writes'} through a link in the working tree)`, file: rel });
    }
  }

  private relative(file: string): string {
    const rel = normalizePath(file.replace(/\\/g, '/'));
    if (rel === undefined || rel === '' || rel.startsWith('.git/') || rel === '.git') {
      throw new FlotillaError({ severity: 'error', message: `path must be a file inside the repository: ${file}`, file });
    }
    return rel;
  }
}

