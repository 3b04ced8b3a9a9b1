import type { FleetSpec } from '../model/fleet';
import { defaultFleet, isFleetDoc, parseFleet } from '../model/fleet-file';
import type { Problem } from '../problem';
import { problem } from '../problem';
import { isRecord, parseYamlDocuments } from '../yaml/documents';
import type { FileTree } from './file-tree';
import { walkFiles } from './file-tree';
import { matchesAny } from './glob';
import { basename, dirname } from './paths';

/** The fleet file's fixed location at the repository root. */
export const FLEET_FILE = 'flotilla.yaml';

/** A YAML document found in the repository, with where it came from. */
export interface FoundDoc {
  readonly value: Record<string, unknown>;
  readonly file: string;
  readonly line: number;
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
   * Files (including Helm chart templates, which are never parsed) whose text names kind Application or
   * ApplicationSet: where an app of apps may find its children. Sorted.
   */
  readonly appBearingFiles: readonly string[];
  /** Folders holding a Helm chart (a Chart.yaml), sorted. */
  readonly chartFolders: readonly string[];
  /** Folders whose kustomization reaches outside them (`../`): they may render files from anywhere. */
  readonly outwardKustomizations: readonly string[];
  readonly pipelines: readonly FoundDoc[];
  readonly clusterSecrets: readonly FoundDoc[];
  readonly problems: readonly Problem[];
}

// Files are parsed only when they may hold a document the scan looks for; other manifests are read by the renderer.
const INTERESTING = /\bkind:\s*["']?(ApplicationSet|Application|AppProject|Pipeline|Secret)\b|"kind"\s*:\s*"(ApplicationSet|Application|AppProject|Pipeline|Secret)"/;
const KUSTOMIZATION = /^(kustomization\.ya?ml|Kustomization)$/;
const APP_BEARING = /\bkind:\s*["']?(ApplicationSet|Application)\b|"kind"\s*:\s*"(ApplicationSet|Application)"/;

/** Scans a repository tree for its fleet file, ApplicationSets, pipelines and Argo CD cluster Secrets. */
export function scanRepository(tree: FileTree): RepoScan {
  const problems: Problem[] = [];
  let fleet = defaultFleet();
  const fleetText = tree.read(FLEET_FILE);
  if (fleetText !== undefined) {
    const parsed = parseYamlDocuments(fleetText, FLEET_FILE);
    problems.push(...parsed.problems);
    const doc = parsed.docs.find((d) => isFleetDoc(d.value));
    if (doc) {
      const r = parseFleet(doc.value as Record<string, unknown>, FLEET_FILE, doc.line);
      fleet = r.fleet;
      problems.push(...r.problems);
    } else if (parsed.problems.length === 0) problems.push(problem('expected a document with apiVersion flotilla.dev/v1alpha1 and kind Fleet', { file: FLEET_FILE, line: 1 }));
  }
  const applicationSets: FoundDoc[] = [];
  const applications: FoundDoc[] = [];
  const appProjects: FoundDoc[] = [];
  const pipelines: FoundDoc[] = [];
  const clusterSecrets: FoundDoc[] = [];
  const appBearingFiles: string[] = [];
  const outwardKustomizations: string[] = [];
  const files = walkFiles(tree);
  const chartFolders = files.filter((f) => basename(f) === 'Chart.yaml').map(dirname);
  const charts = new Set(chartFolders);
  for (const file of files) {
    if (file === FLEET_FILE) continue;
    const chart = chartOf(file, charts);
    const isYaml = /\.(ya?ml|json)$/.test(file);
    // Helm chart templates are Go templates, not YAML: never parsed, only noted when they may render Applications.
    if (chart !== undefined && file.startsWith(chart === '' ? 'templates/' : `${chart}/templates/`)) {
      if (/\.(ya?ml|json|tpl)$/.test(file) && APP_BEARING.test(tree.read(file) ?? '')) appBearingFiles.push(file);
      continue;
    }
    if (!isYaml && basename(file) !== 'Kustomization') continue;
    const asAppSet = matchesAny(file, fleet.applicationSets);
    const asPipeline = matchesAny(file, fleet.pipelines);
    const text = tree.read(file);
    if (text === undefined) continue;
    if (APP_BEARING.test(text)) appBearingFiles.push(file);
    if (KUSTOMIZATION.test(basename(file)) && text.includes('../')) outwardKustomizations.push(dirname(file));
    if ((!asAppSet && !asPipeline) || !INTERESTING.test(text)) continue;
    const parsed = parseYamlDocuments(text, file);
    // Inside a chart, a file that is not YAML (values with templates, say) belongs to helm, not to the repository.
    if (chart === undefined) problems.push(...parsed.problems);
    for (const d of parsed.docs) {
      if (!isRecord(d.value)) continue;
      const found = { value: d.value, file, line: d.line };
      const { kind, apiVersion } = d.value;
      const argo = typeof apiVersion === 'string' && apiVersion.startsWith('argoproj.io/');
      if (asAppSet && argo && kind === 'ApplicationSet') applicationSets.push(found);
      else if (asAppSet && argo && kind === 'Application') applications.push(found);
      else if (asAppSet && argo && kind === 'AppProject') appProjects.push(found);
      else if (asPipeline && kind === 'Pipeline' && apiVersion === 'flotilla.dev/v1alpha1') pipelines.push(found);
      else if (kind === 'Secret' && isClusterSecret(d.value)) clusterSecrets.push(found);
    }
  }
  return { fleet, applicationSets, applications, appProjects, pipelines, clusterSecrets, appBearingFiles: appBearingFiles.sort(), chartFolders, outwardKustomizations, problems };
}

/** The innermost chart folder holding a file, if any. */
function chartOf(file: string, charts: ReadonlySet<string>): string | undefined {
  if (charts.size === 0) return undefined;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (charts.has(dir)) return dir;
    if (dir === '') return undefined;
  }
}

function isClusterSecret(v: Record<string, unknown>): boolean {
  const labels = isRecord(v.metadata) && isRecord(v.metadata.labels) ? v.metadata.labels : {};
  return labels['argocd.argoproj.io/secret-type'] === 'cluster';
}
