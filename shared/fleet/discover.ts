import type { AppRow, AppSetSummary } from '../api/contract';
import type { GitReader } from '../appset/engine';
import { toApplication } from '../appset/engine';
import { IN_CLUSTER_SERVER } from '../appset/generators/clusters';
import type { Application, ApplicationSource } from '../model/application';
import type { ClusterSpec } from '../model/fleet';
import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import { formatProblem, problem } from '../problem';
import type { FileTree } from '../repo/file-tree';
import { walkFiles } from '../repo/file-tree';
import { basename, dirname, joinPath, normalizePath } from '../repo/paths';
import type { FoundDoc, RepoScan } from '../repo/scan';
import { APP_BEARING } from '../repo/scan';
import { globRoot } from '../repo/glob';
import { isRecord } from '../yaml/documents';
import { qualifiedAppName } from './app-name';
import type { AppOrigin } from './app-origin';
import { formatOrigin } from './app-origin';
import type { AppProjectSpec, ProjectDestination } from './app-project';
import { parseAppProject, projectIndex, projectOf, projectRefusals, resourceRefusals } from './app-project';
import { discoverFluxApps, isFluxApp } from '../flux/discover-flux';
import { fleetClusters, generateDocs } from './appsets';
import { clusterForApp, isInClusterDestination } from './destination';
import type { RenderOptions } from './render-apps';
import { renderApplication } from './render-apps';
import type { Mutable } from '../mutable';

/** Every app of a repository, the ApplicationSets behind some of them, its AppProjects, and the problems found. */
export interface DiscoveredFleet {
  readonly appsets: readonly AppSetSummary[];
  /** Every app once, by Argo CD name: ApplicationSet apps, plain Applications, then apps rendered by apps. */
  readonly apps: readonly AppRow[];
  /** Problems of files and of the app-of-apps walk (per-app problems are on each row). */
  readonly problems: readonly Problem[];
  /** The repository's AppProjects by name (with Argo CD's allow-all `default` unless the repository declares one). */
  readonly projects: ReadonlyMap<string, AppProjectSpec>;
}

/** How far app-of-apps discovery goes, and how it renders parents (the Node side adds helm). */
export interface DiscoverOptions {
  /** Render options beyond the fleet's clusters and load restrictor (helm and other tools from the Node side). */
  readonly render?: Omit<RenderOptions, 'clusters' | 'loadRestrictor'>;
  /** Levels of apps of apps followed below the repository's own apps (default 10). */
  readonly maxDepth?: number;
  /** Most apps discovered in all (default 20,000). */
  readonly maxApps?: number;
}

/** Every problem of a discovery: the repository's, each ApplicationSet's and each app's. */
export function discoveryProblems(d: { readonly appsets: readonly { readonly problems: readonly Problem[] }[]; readonly apps: readonly AppRow[]; readonly problems: readonly Problem[] }): Problem[] {
  return [...d.problems, ...d.appsets.flatMap((s) => s.problems), ...d.apps.flatMap((a) => a.problems ?? [])];
}

/**
 * Finds every app Argo CD would deploy from a scanned repository: what its ApplicationSets generate, every plain
 * Application document, and (app of apps) the Applications and ApplicationSets those apps render, recursively, each
 * parent rendered once, with cycles and runaway depth reported. Each app is then checked against its AppProject.
 */
export function discoverApps(scan: RepoScan, git: GitReader, opts: DiscoverOptions = {}): DiscoveredFleet {
  const clusters = fleetClusters(scan);
  const problems: Problem[] = [];
  const declared: AppProjectSpec[] = [];
  for (const doc of scan.appProjects) {
    const where = { file: doc.file, line: doc.line };
    const r = parseAppProject(doc.value, where);
    problems.push(...r.problems);
    if (!r.project) continue;
    const twin = declared.find((p) => p.name === r.project!.name);
    if (twin) problems.push(problem(`AppProject ${r.project.name} is declared twice (also at ${twin.file}:${twin.line}); the first is used`, where));
    else declared.push(r.project);
  }
  const projects = projectIndex(declared);

  const appsets: AppSetSummary[] = [...generateDocs(scan.applicationSets, clusters, git)];
  const rows = new Map<string, Mutable<AppRow>>();
  const level = new Map<string, number>();
  const add = (row: Mutable<AppRow>, depth: number): void => {
    const twin = rows.get(row.name);
    if (twin) {
      const msg = `Application ${row.name} is defined twice: by ${formatOrigin(twin.origin)} and by ${formatOrigin(row.origin)}; Argo CD keeps one Application per name`;
      twin.problems = [...(twin.problems ?? []), problem(msg, { app: row.name, ...fileOf(twin.origin) })];
      problems.push(problem(msg, { app: row.name, ...fileOf(row.origin) }));
      return;
    }
    rows.set(row.name, row);
    level.set(row.name, depth);
  };
  for (const s of appsets) for (const a of s.apps) add({ ...a }, 0);
  for (const doc of scan.applications) {
    const app = readApplication(doc, problems);
    if (app) add({ name: qualifiedAppName(app.metadata), appset: '', origin: { kind: 'file', file: doc.file, line: doc.line }, application: app }, 0);
  }

  // App of apps: render each app that may hold Applications, once; follow what it renders.
  const maxDepth = opts.maxDepth ?? 10;
  const maxApps = opts.maxApps ?? 20_000;
  const renderOpts: RenderOptions = { ...opts.render, clusters, loadRestrictor: scan.fleet.loadRestrictor, ...(scan.fleet.kustomizeBuildOptions ? { kustomizeBuildOptions: scan.fleet.kustomizeBuildOptions } : {}) };
  const children = new Map<string, string[]>();
  const queue = [...rows.keys()];
  const folders = appBearingFolders(scan.appBearingFiles);
  const scanned = scannedFolders(scan.fleet.applicationSets);
  const inside = folderScanner(git);
  // Folders the scan read entirely already answered; only the others are looked into.
  const lookInside = (s: ApplicationSource, path: string): boolean => !scanned(path) && inside(s, path);
  for (let i = 0; i < queue.length; i++) {
    const parent = rows.get(queue[i]!)!;
    // ApplicationSet apps are checked against the scanned files only (a fleet may have tens of thousands); Applications
    // from files or rendered by apps also by reading their source folders.
    if (!mayRenderApps(parent.application, folders, parent.origin.kind === 'appset' ? undefined : lookInside)) continue;
    const depth = level.get(parent.name)!;
    if (depth >= maxDepth) {
      problems.push(problem(`app of apps deeper than ${maxDepth} levels: the apps that ${parent.name} renders are not followed`, { app: parent.name }));
      continue;
    }
    const rendered = renderApplication(parent.application, git, renderOpts);
    const failed = rendered.problems.find((p) => p.severity === 'error');
    if (failed) {
      problems.push({ ...problem(`the Applications that ${parent.name} may render are unknown: its render failed (${formatProblem(failed)})`, { app: parent.name }), severity: 'warning' });
      continue;
    }
    const kids: string[] = [];
    children.set(parent.name, kids);
    const childSets: FoundDoc[] = [];
    for (const obj of rendered.objects) {
      if (typeof obj.apiVersion !== 'string' || !obj.apiVersion.startsWith('argoproj.io/')) continue;
      const where = { file: `(rendered by app ${parent.name})`, line: 0 };
      if (obj.kind === 'ApplicationSet') childSets.push({ value: obj as Record<string, unknown>, ...where });
      if (obj.kind !== 'Application') continue;
      const app = readApplication({ value: obj as Record<string, unknown>, ...where }, problems, parent.name);
      if (!app) continue;
      const name = qualifiedAppName(app.metadata);
      if (name === parent.name) continue; // an app that manages its own Application (self-managed), not a child
      kids.push(name);
      adopt({ name, appset: '', origin: { kind: 'app', parent: parent.name }, application: app }, depth + 1);
    }
    for (const s of generateDocs(childSets, clusters, git, parent.name)) {
      const known = appsets.find((x) => x.name === s.name && x.parent === undefined);
      if (known) {
        // The parent renders an ApplicationSet the scan already read from a file: the same one, now with its parent.
        appsets[appsets.indexOf(known)] = { ...known, parent: parent.name };
        for (const a of known.apps) {
          const row = rows.get(a.name);
          if (row && row.origin.kind === 'appset') row.origin = { kind: 'app', parent: parent.name, appset: s.name, file: row.origin.file, line: row.origin.line };
          kids.push(a.name);
        }
        continue;
      }
      appsets.push(s);
      for (const a of s.apps) {
        kids.push(a.name);
        adopt({ ...a }, depth + 1);
      }
    }
    if (rows.size >= maxApps) {
      problems.push(problem(`more than ${maxApps} apps: app-of-apps discovery stopped at ${parent.name}`, { app: parent.name }));
      break;
    }
  }
  function adopt(row: Mutable<AppRow>, depth: number): void {
    const twin = rows.get(row.name);
    // The child is also committed as a file (the parent renders that file): one app, rendered by its parent.
    if (twin && twin.origin.kind === 'file' && sameSpec(twin.application, row.application)) {
      twin.origin = { kind: 'app', parent: (row.origin as { parent: string }).parent, file: twin.origin.file, line: twin.origin.line };
      level.set(twin.name, Math.max(level.get(twin.name) ?? 0, depth));
      return;
    }
    if (twin && twin.origin.kind === 'app' && twin.origin.parent === (row.origin as { parent: string }).parent) return;
    if (!twin) queue.push(row.name);
    add(row, depth);
  }
  for (const cycle of findCycles(children)) {
    problems.push(problem(`app of apps cycle: ${cycle.join(' → ')}`, { app: cycle[0]! }));
  }

  // Flux Kustomizations and HelmReleases: apps beside Argo CD's, through the same source seam.
  const flux = discoverFluxApps(scan.fluxDocs ?? [], clusters, git, scan.fleet.repoURLs, opts.render?.helmFor ? { kustomizeHelm: opts.render.helmFor } : undefined);
  problems.push(...flux.problems);
  for (const row of flux.apps) add({ ...row }, 0);

  // Argo CD's refusals: the project, and a destination no fleet cluster stands for.
  const hasInCluster = clusters.some((c) => c.inCluster);
  for (const row of rows.values()) {
    // Argo CD's AppProjects govern Argo CD's Applications; Flux apps answer to Flux (no project).
    const own = [...(row.problems ?? []), ...(isFluxApp(row.application) ? [] : projectRefusals(row.application, row.name, projects, resolvedDestination(row.application, clusters)))];
    if (!hasInCluster && isInClusterDestination(row.application)) {
      own.push({ ...problem(`destination in-cluster (${IN_CLUSTER_SERVER}) is the cluster Argo CD runs in; no fleet cluster says \`inCluster: true\`, so no kubeconfig context matches it`, { app: row.name }), severity: 'warning' });
    }
    if (own.length > 0) row.problems = own;
  }
  return { appsets, apps: [...rows.values()], problems, projects };
}

/**
 * Why Argo CD would refuse to sync an app, as errors: what discovery found (its project refuses its spec, its name is
 * taken) and the rendered objects its project forbids (kinds, namespaces).
 */
export function appRefusals(fleet: Pick<DiscoveredFleet, 'projects'>, row: Pick<AppRow, 'name' | 'application' | 'problems'>, objects: readonly KubeObject[], clusters: readonly ClusterSpec[]): Problem[] {
  const own = (row.problems ?? []).filter((p) => p.severity === 'error');
  const project = isFluxApp(row.application) ? undefined : projectOf(row.application, fleet.projects);
  return project ? [...own, ...resourceRefusals(row.application, row.name, project, objects, resolvedDestination(row.application, clusters))] : own;
}

/** An Application's destination with the server or name Argo CD resolves from the other (the fleet cluster's). */
function resolvedDestination(app: Application, clusters: readonly ClusterSpec[]): ProjectDestination {
  const cluster = clusterForApp(app, clusters);
  const d = app.spec.destination;
  if (!cluster || (d.name && d.server)) return d;
  // Only server, name and namespace are read: a literal of those, not a spread copy, for each of 30,000 apps.
  const name = d.name || cluster.name;
  const server = d.server || (cluster.inCluster ? IN_CLUSTER_SERVER : (cluster.server ?? ''));
  return d.namespace !== undefined ? { name, server, namespace: d.namespace } : { name, server };
}

/** Reads an Application document; a problem with its file and line when it is not one Argo CD would accept. */
function readApplication(doc: FoundDoc, problems: Problem[], parent?: string): Application | undefined {
  const where = parent !== undefined ? { app: parent } : { file: doc.file, line: doc.line };
  const spec = doc.value.spec;
  if (nameOf(doc.value) === '(no name)') {
    problems.push(problem(`Application${parent ? ` rendered by app ${parent}` : ''} has no metadata.name`, where));
    return undefined;
  }
  if (!isRecord(spec)) {
    problems.push(problem(`Application ${nameOf(doc.value)}${parent ? ` rendered by app ${parent}` : ''} has no spec`, where));
    return undefined;
  }
  try {
    const app = toApplication(doc.value, undefined);
    if (!app.spec.source && !app.spec.sources) problems.push(problem(`Application ${app.metadata.name} has no source (spec.source or spec.sources)`, { ...where, app: qualifiedAppName(app.metadata) }));
    return app;
  } catch (err) {
    problems.push(problem(`Application${parent ? ` rendered by app ${parent}` : ''}: ${err instanceof Error ? err.message : String(err)}`, where));
    return undefined;
  }
}

function nameOf(v: Record<string, unknown>): string {
  return isRecord(v.metadata) && typeof v.metadata.name === 'string' ? v.metadata.name : '(no name)';
}

function fileOf(o: AppOrigin): { file?: string; line?: number } {
  return o.file !== undefined ? { file: o.file, ...(o.line ? { line: o.line } : {}) } : {};
}

/**
 * Whether an app may render Applications: one of its sources' folders holds a scanned file naming kind Application
 * or ApplicationSet, or (with `lookInside`) a file of the folder at the source's revision does, or a file its
 * kustomization pulls from outside (`../`). The cheap test that keeps discovery from rendering every app.
 */
function mayRenderApps(app: Application, folders: ReadonlySet<string>, lookInside: ((s: ApplicationSource, path: string) => boolean) | undefined): boolean {
  const sources: readonly ApplicationSource[] = app.spec.sources ?? (app.spec.source ? [app.spec.source] : []);
  return sources.some((s) => {
    if (s.chart || typeof s.path !== 'string') return false;
    const path = normalizePath(s.path);
    if (path === undefined) return false;
    return folders.has(path) || (lookInside !== undefined && lookInside(s, path));
  });
}

/** Whether the scan read every YAML file under a folder (a recursive glob of the fleet file covers it). */
function scannedFolders(globs: readonly string[]): (folder: string) => boolean {
  const roots = globs.flatMap((g) => {
    const r = globRoot(g);
    if (!('dir' in r)) return [];
    const rest = g.slice(r.dir.length).replace(/^\//, '');
    return /^\*\*\/\*\.(ya?ml|\{[^}]*\})$/.test(rest) || rest === '**' ? [r.dir] : [];
  });
  return (folder) => roots.some((r) => r === '' || folder === r || folder.startsWith(`${r}/`));
}

/** Most files read to decide whether one folder may hold Applications (a root app over a huge repository stops there). */
const LOOK_INSIDE_FILES = 5000;

/** Looks inside source folders (memoised per repository, revision and folder) for files that may hold Applications. */
function folderScanner(git: GitReader): (s: ApplicationSource, path: string) => boolean {
  const trees = new Map<string, FileTree | null>();
  const memo = new Map<FileTree, Map<string, boolean>>();
  const holds = (tree: FileTree, folder: string, depth: number): boolean => {
    let seen = memo.get(tree);
    if (!seen) memo.set(tree, (seen = new Map()));
    const known = seen.get(folder);
    if (known !== undefined) return known;
    seen.set(folder, false); // a kustomization loop ends here
    let found = false;
    const files = walkFiles(tree, folder);
    for (const f of files.slice(0, LOOK_INSIDE_FILES)) {
      if (!/\.(ya?ml|json|tpl)$/i.test(f) && basename(f) !== 'Kustomization') continue;
      const text = tree.read(f) ?? '';
      if (APP_BEARING.test(text)) found = true;
      else if (depth < 4 && /^(kustomization\.ya?ml|Kustomization)$/.test(basename(f))) {
        for (const m of text.matchAll(/(?:^|[\s,[-])["']?(\.\.\/[^\s"',\]#]+)/gm)) {
          const target = joinPath(dirname(f), m[1]!);
          if (target === undefined) continue;
          const kind = tree.kind(target);
          if ((kind === 'file' && APP_BEARING.test(tree.read(target) ?? '')) || (kind === 'dir' && holds(tree, target, depth + 1))) found = true;
          if (found) break;
        }
      }
      if (found) break;
    }
    seen.set(folder, found);
    return found;
  };
  return (s, path) => {
    const key = `${s.repoURL}\n${s.targetRevision ?? 'HEAD'}`;
    let tree = trees.get(key);
    if (tree === undefined) {
      try {
        tree = git.treeAt(s.repoURL, s.targetRevision ?? 'HEAD');
      } catch {
        tree = null; // not a repository Flotilla reads: rendering would say so
      }
      trees.set(key, tree);
    }
    return tree !== null && tree.kind(path) === 'dir' && holds(tree, path, 0);
  };
}

/** Every folder that holds, at any depth, a file naming kind Application or ApplicationSet ('' included). */
function appBearingFolders(files: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    let dir = f;
    do {
      dir = dirname(dir);
      if (out.has(dir)) break;
      out.add(dir);
    } while (dir !== '');
  }
  return out;
}

/** Stable JSON of an Application's spec (keys sorted), to tell the same Application from another. */
function sameSpec(a: Application, b: Application): boolean {
  return stable(a.spec) === stable(b.spec);
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (isRecord(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** Each cycle of the parent → children graph once, as names from the first back to itself. */
function findCycles(children: ReadonlyMap<string, readonly string[]>): string[][] {
  const out: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const c of children.get(n) ?? []) {
      const s = state.get(c);
      if (s === 'open') out.push([...stack.slice(stack.indexOf(c)), c]);
      else if (s === undefined) visit(c);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...children.keys()].sort()) if (!state.has(n)) visit(n);
  return out;
}
