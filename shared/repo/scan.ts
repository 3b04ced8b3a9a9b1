import type { PositionOf } from '../yaml/node-position';
import type { FleetSpec } from '../model/fleet';
import { defaultFleet, isFleetDoc, parseFleet } from '../model/fleet-file';
import type { Problem } from '../problem';
import { problem } from '../problem';
import { isRecord, parseYamlDocuments } from '../yaml/documents';
import type { FileTree } from './file-tree';
import { readMatching, walkFiles } from './file-tree';
import { globRoot, matchesAny } from './glob';
import { dirname } from './paths';

/** The fleet file's fixed location at the repository root. */
export const FLEET_FILE = 'flotilla.yaml';

/** A YAML document found in the repository, with where it came from. */
export interface FoundDoc {
  readonly value: Record<string, unknown>;
  readonly file: string;
  readonly line: number;
  /** Where a field of the document is written (line and column), for problems about that field. */
  readonly at?: PositionOf;
}

/** What a scan of a repository found: the fleet, its Applications, ApplicationSets, AppProjects, pipelines and cluster Secrets, and every problem. */
export interface RepoScan {
  readonly fleet: FleetSpec;
  readonly applicationSets: readonly FoundDoc[];
  /** Plain `argoproj.io` Application documents (each is an app, as Argo CD would deploy it). */
  readonly applications: readonly FoundDoc[];
  /** `argoproj.io` AppProject documents. */
  readonly appProjects: readonly FoundDoc[];
  /**
   * Scanned files (Helm chart templates included, though never parsed) whose text names kind Application or
   * ApplicationSet: where an app of apps may find its children. Sorted.
   */
  readonly appBearingFiles: readonly string[];
  readonly pipelines: readonly FoundDoc[];
  readonly clusterSecrets: readonly FoundDoc[];
  /** Flux documents (`*.toolkit.fluxcd.io`) and the v1 ConfigMaps/Secrets they may read. */
  readonly fluxDocs?: readonly FoundDoc[];
  readonly problems: readonly Problem[];
}

// Files are parsed only when they may hold a document the scan looks for; other manifests are read by the renderer.
const INTERESTING = /\bkind:\s*["']?(ApplicationSet|Application|AppProject|Pipeline|Secret|ConfigMap)\b|"kind"\s*:\s*"(ApplicationSet|Application|AppProject|Pipeline|Secret|ConfigMap)"|toolkit\.fluxcd\.io\//;

/** Text that may hold an Application or ApplicationSet document (a cheap test before parsing or rendering). */
export const APP_BEARING = /\bkind:\s*["']?(ApplicationSet|Application)\b|"kind"\s*:\s*"(ApplicationSet|Application)"/;

/** The tree's fleet file parsed (the defaults when it has none), with its problems: what a scan starts from. */
export function fleetFileOf(tree: FileTree): { readonly fleet: ReturnType<typeof defaultFleet>; readonly problems: readonly Problem[] } {
  const problems: Problem[] = [];
  let fleet = defaultFleet();
  const fleetText = tree.read(FLEET_FILE);
  if (fleetText !== undefined) {
    const parsed = parseYamlDocuments(fleetText, FLEET_FILE);
    problems.push(...parsed.problems);
    const doc = parsed.docs.find((d) => isFleetDoc(d.value));
    if (doc) {
      const r = parseFleet(doc.value as Record<string, unknown>, FLEET_FILE, doc.line, doc.at);
      fleet = r.fleet;
      problems.push(...r.problems);
    } else if (parsed.problems.length === 0) problems.push(problem('expected a document with apiVersion flotilla.dev/v1alpha1 and kind Fleet', { file: FLEET_FILE, line: 1 }));
  }
  return { fleet, problems };
}

/**
 * Scans a repository tree for its fleet file, Applications, ApplicationSets, AppProjects, pipelines and Argo CD cluster
 * Secrets. Helm chart templates (`templates/` beside a Chart.yaml) are never parsed, and a chart's file that does not
 * parse is helm's business, not a problem of the repository.
 */
export function scanRepository(tree: FileTree): RepoScan {
  const read = fleetFileOf(tree);
  let fleet = read.fleet;
  const problems: Problem[] = [...read.problems];
  const applicationSets: FoundDoc[] = [];
  const applications: FoundDoc[] = [];
  const appProjects: FoundDoc[] = [];
  const pipelines: FoundDoc[] = [];
  const clusterSecrets: FoundDoc[] = [];
  const appBearingFiles: string[] = [];
  const fluxDocs: FoundDoc[] = [];
  let argocdCm: { readonly options: string; readonly from: string } | undefined;
  const chartOf = chartFinder(tree);
  for (const file of candidateFiles(tree, [...fleet.applicationSets, ...fleet.pipelines])) {
    if (file === FLEET_FILE || !/\.(ya?ml|json)$/.test(file)) continue;
    const asAppSet = matchesAny(file, fleet.applicationSets);
    const asPipeline = matchesAny(file, fleet.pipelines);
    if (!asAppSet && !asPipeline) continue;
    // Only a file that may hold a document looked for is read for its content (what else is read is only that it does not).
    const text = readMatching(tree, file, INTERESTING);
    if (text === undefined) continue;
    if (APP_BEARING.test(text)) appBearingFiles.push(file);
    const chart = chartOf(file);
    // Helm chart templates are Go templates, not YAML: noted when they may render Applications, never parsed.
    if (chart !== undefined && file.startsWith(chart === '' ? 'templates/' : `${chart}/templates/`)) continue;
    const parsed = parseYamlDocuments(text, file);
    if (chart === undefined) problems.push(...parsed.problems);
    for (const d of parsed.docs) {
      if (!isRecord(d.value)) continue;
      const found = { value: d.value, file, line: d.line, at: d.at };
      const { kind, apiVersion } = d.value;
      const argo = typeof apiVersion === 'string' && apiVersion.startsWith('argoproj.io/');
      if (asAppSet && argo && kind === 'ApplicationSet') applicationSets.push(found);
      else if (asAppSet && argo && kind === 'Application') applications.push(found);
      else if (asAppSet && argo && kind === 'AppProject') appProjects.push(found);
      else if (asPipeline && kind === 'Pipeline' && apiVersion === 'flotilla.dev/v1alpha1') pipelines.push(found);
      else if (kind === 'Secret' && isClusterSecret(d.value)) clusterSecrets.push(found);
      else if (asAppSet && kind === 'ConfigMap' && isArgoCdCm(d.value)) argocdCm ??= { options: String((d.value['data'] as Record<string, unknown>)['kustomize.buildOptions']), from: `argocd-cm kustomize.buildOptions (${file}:${d.line})` };
      else if (asAppSet && isFluxDoc(d.value)) fluxDocs.push(found);
    }
  }
  // The fleet file's kustomize.buildOptions wins over an argocd-cm committed to the repository.
  if (argocdCm && !fleet.kustomizeBuildOptions) fleet = { ...fleet, kustomizeBuildOptions: argocdCm };
  return { fleet, applicationSets, applications, appProjects, pipelines, clusterSecrets, appBearingFiles, fluxDocs, problems };
}

/** Argo CD's settings ConfigMap (`argocd-cm`) with `kustomize.buildOptions` set. */
function isArgoCdCm(v: Record<string, unknown>): boolean {
  const meta = v['metadata'];
  const data = v['data'];
  return v['apiVersion'] === 'v1' && isRecord(meta) && meta['name'] === 'argocd-cm' && isRecord(data) && typeof data['kustomize.buildOptions'] === 'string';
}

/** The innermost folder holding a Chart.yaml above a file (memoised per folder), or undefined outside any chart. */
function chartFinder(tree: FileTree): (file: string) => string | undefined {
  const memo = new Map<string, string | undefined>();
  const find = (dir: string): string | undefined => {
    if (memo.has(dir)) return memo.get(dir);
    const found = tree.kind(dir === '' ? 'Chart.yaml' : `${dir}/Chart.yaml`) === 'file' ? dir : dir === '' ? undefined : find(dirname(dir));
    memo.set(dir, found);
    return found;
  };
  return (file) => find(dirname(file));
}

/** The files the globs may match, sorted: only the folders under the globs' fixed prefixes are walked. */
function candidateFiles(tree: FileTree, globs: readonly string[]): string[] {
  const roots = globs.map(globRoot);
  if (roots.some((r) => 'dir' in r && r.dir === '')) return walkFiles(tree);
  const out = new Set<string>();
  for (const r of roots) {
    if ('file' in r) {
      if (tree.kind(r.file) === 'file') out.add(r.file);
    } else if (tree.kind(r.dir) === 'dir') for (const f of walkFiles(tree, r.dir)) out.add(f);
  }
  return [...out].sort();
}

/** A Flux object, or a v1 ConfigMap/Secret a Flux object may read. */
function isFluxDoc(v: Record<string, unknown>): boolean {
  if (typeof v.apiVersion === 'string' && v.apiVersion.includes('.toolkit.fluxcd.io/')) return true;
  return v.apiVersion === 'v1' && (v.kind === 'ConfigMap' || v.kind === 'Secret');
}

function isClusterSecret(v: Record<string, unknown>): boolean {
  const labels = isRecord(v.metadata) && isRecord(v.metadata.labels) ? v.metadata.labels : {};
  return labels['argocd.argoproj.io/secret-type'] === 'cluster';
}
