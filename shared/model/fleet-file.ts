import type { Problem } from '../problem';
import { problem } from '../problem';
import { isRecord } from '../yaml/documents';
import type { ClusterSpec, FleetSpec } from './fleet';
import { FLOTILLA_API_VERSION } from './fleet';

/** Default globs when the fleet file names none: every YAML or JSON file. */
export const DEFAULT_MANIFEST_GLOBS: readonly string[] = ['**/*.yaml', '**/*.yml', '**/*.json'];

/** The fleet used when a repository has no fleet file: no clusters, every YAML file scanned. */
export function defaultFleet(): FleetSpec {
  return { name: 'fleet', applicationSets: DEFAULT_MANIFEST_GLOBS, pipelines: DEFAULT_MANIFEST_GLOBS, clusters: [], repoURLs: [], tracking: 'annotation', loadRestrictor: 'rootOnly' };
}

/** Whether a parsed YAML document is a Flotilla fleet file (`kind: Fleet`). */
export function isFleetDoc(v: unknown): v is Record<string, unknown> {
  return isRecord(v) && v.kind === 'Fleet' && v.apiVersion === FLOTILLA_API_VERSION;
}

/** Reads a `kind: Fleet` document into a FleetSpec; problems name the file, line and field. */
export function parseFleet(doc: Record<string, unknown>, file: string, line: number): { fleet: FleetSpec; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = (msg: string): void => void problems.push(problem(msg, { file, line }));
  const meta = isRecord(doc.metadata) ? doc.metadata : {};
  const spec = isRecord(doc.spec) ? doc.spec : {};
  if (!isRecord(doc.spec)) at('fleet file: expected a `spec` mapping');
  const strings = (v: unknown, field: string, dflt: readonly string[]): readonly string[] => {
    if (v === undefined) return dflt;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    if (typeof v === 'string') return [v];
    at(`fleet file: spec.${field} must be a list of strings`);
    return dflt;
  };
  const clusters: ClusterSpec[] = [];
  const rawClusters = spec.clusters ?? [];
  if (!Array.isArray(rawClusters)) at('fleet file: spec.clusters must be a list');
  else
    rawClusters.forEach((c, i) => {
      if (!isRecord(c) || typeof c.name !== 'string' || c.name === '') {
        at(`fleet file: spec.clusters[${i}] needs a string \`name\``);
        return;
      }
      if (clusters.some((x) => x.name === c.name)) {
        at(`fleet file: cluster name "${c.name}" is declared twice`);
        return;
      }
      const labels = stringMap(c.labels, `spec.clusters[${i}].labels`, at);
      if (c.inCluster !== undefined && typeof c.inCluster !== 'boolean') at(`fleet file: spec.clusters[${i}].inCluster must be true or false`);
      const inCluster = c.inCluster === true;
      const other = inCluster ? clusters.find((x) => x.inCluster) : undefined;
      if (other) at(`fleet file: spec.clusters[${i}] (${c.name}) says inCluster: true, but ${other.name} already is Argo CD's in-cluster; only one cluster can be`);
      const environment = typeof c.environment === 'string' ? c.environment : undefined;
      clusters.push({
        name: c.name,
        ...(typeof c.context === 'string' ? { context: c.context } : {}),
        ...(typeof c.server === 'string' ? { server: c.server } : {}),
        ...(environment ? { environment } : {}),
        ...(inCluster && !other ? { inCluster: true } : {}),
        // The environment is also a label, so ApplicationSet selectors and templates can use it.
        labels: environment ? { environment, ...labels } : labels,
        annotations: stringMap(c.annotations, `spec.clusters[${i}].annotations`, at),
        source: { file, line },
      });
    });
  const tracking = spec.tracking === 'label' ? 'label' : 'annotation';
  if (spec.tracking !== undefined && spec.tracking !== 'label' && spec.tracking !== 'annotation') at('fleet file: spec.tracking must be `annotation` or `label`');
  const fleet: FleetSpec = {
    name: typeof meta.name === 'string' ? meta.name : 'fleet',
    applicationSets: strings(spec.applicationSets, 'applicationSets', DEFAULT_MANIFEST_GLOBS),
    pipelines: strings(spec.pipelines, 'pipelines', DEFAULT_MANIFEST_GLOBS),
    clusters,
    repoURLs: strings(spec.repoURLs ?? spec.repoURL, 'repoURLs', []),
    tracking,
    loadRestrictor: spec.loadRestrictor === 'none' ? 'none' : 'rootOnly',
    file,
  };
  return { fleet, problems };
}

function stringMap(v: unknown, field: string, at: (m: string) => void): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) {
    at(`fleet file: ${field} must be a mapping of strings`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x : JSON.stringify(x);
  return out;
}
