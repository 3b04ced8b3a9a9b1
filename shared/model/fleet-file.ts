import type { Problem } from '../problem';
import { problem } from '../problem';
import { isRecord } from '../yaml/documents';
import type { JsonPath, PositionOf } from '../yaml/node-position';
import { formatJsonPath } from '../yaml/node-position';
import { unknownFields } from '../yaml/strict-fields';
import { parseFleetValidation } from '../validate/fleet-settings';
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

/** The fields of a `kind: Fleet` document, its `metadata`, its `spec` and each cluster: anything else is an error. */
export const FLEET_FIELDS = {
  top: ['apiVersion', 'kind', 'metadata', 'spec'],
  metadata: ['name', 'namespace', 'labels', 'annotations'],
  spec: ['repoURL', 'repoURLs', 'applicationSets', 'pipelines', 'clusters', 'tracking', 'loadRestrictor', 'ignoreDifferences', 'health', 'validation'],
  cluster: ['name', 'context', 'server', 'environment', 'labels', 'annotations', 'inCluster', 'fluxPaths', 'kubernetesVersion'],
} as const;

/**
 * Reads a `kind: Fleet` document into a FleetSpec. The schema is strict (an unknown field is an error with a "did you
 * mean"); with `at`, every problem names the line and column of the field at fault, else the document's line.
 */
export function parseFleet(doc: Record<string, unknown>, file: string, line: number, at?: PositionOf): { fleet: FleetSpec; problems: Problem[] } {
  const problems: Problem[] = [];
  const bad = (path: JsonPath, msg: string, part: 'key' | 'value' = 'value'): void => {
    const pos = at ? at(path, part) : { line };
    problems.push(problem(`fleet file: ${formatJsonPath(path)}: ${msg}`, { file, ...pos }));
  };
  const strict = (value: unknown, path: JsonPath, known: readonly string[]): void => {
    if (!isRecord(value)) return;
    for (const u of unknownFields(value, known)) bad([...path, u.key], u.message, 'key');
  };
  strict(doc, [], FLEET_FIELDS.top);
  strict(doc.metadata, ['metadata'], FLEET_FIELDS.metadata);
  const meta = isRecord(doc.metadata) ? doc.metadata : {};
  const spec = isRecord(doc.spec) ? doc.spec : {};
  if (!isRecord(doc.spec)) bad(['spec'], 'expected a mapping');
  strict(doc.spec, ['spec'], FLEET_FIELDS.spec);
  const strings = (v: unknown, field: string, dflt: readonly string[]): readonly string[] => {
    if (v === undefined) return dflt;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    if (typeof v === 'string') return [v];
    bad(['spec', field], 'must be a list of strings');
    return dflt;
  };
  const optionalString = (v: unknown, path: JsonPath): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' && v !== '') return v;
    bad(path, `expected a non-empty string, got ${JSON.stringify(v)}`);
    return undefined;
  };
  const clusters: ClusterSpec[] = [];
  const rawClusters = spec.clusters ?? [];
  if (!Array.isArray(rawClusters)) bad(['spec', 'clusters'], 'must be a list');
  else
    rawClusters.forEach((c, i) => {
      const path = ['spec', 'clusters', i];
      if (!isRecord(c) || typeof c.name !== 'string' || c.name === '') {
        bad(isRecord(c) ? [...path, 'name'] : path, 'needs a string `name`');
        return;
      }
      strict(c, path, FLEET_FIELDS.cluster);
      if (clusters.some((x) => x.name === c.name)) {
        bad([...path, 'name'], `cluster name "${c.name}" is declared twice`);
        return;
      }
      const labels = stringMap(c.labels, [...path, 'labels'], bad);
      const context = optionalString(c.context, [...path, 'context']);
      const server = optionalString(c.server, [...path, 'server']);
      const environment = optionalString(c.environment, [...path, 'environment']);
      const kubernetesVersion = optionalString(c.kubernetesVersion, [...path, 'kubernetesVersion']);
      if (kubernetesVersion && !/^v?\d+\.\d+(\.\d+)?$/.test(kubernetesVersion)) bad([...path, 'kubernetesVersion'], `expected a Kubernetes version such as 1.32, got ${JSON.stringify(kubernetesVersion)}`);
      if (c.inCluster !== undefined && typeof c.inCluster !== 'boolean') bad([...path, 'inCluster'], 'must be true or false');
      const inCluster = c.inCluster === true;
      const fluxPaths = fluxFolders(c.fluxPaths, [...path, 'fluxPaths'], bad);
      const other = inCluster ? clusters.find((x) => x.inCluster) : undefined;
      if (other) bad([...path, 'inCluster'], `${c.name} says true, but ${other.name} already is Argo CD's in-cluster; only one cluster can be`);
      const where = at ? at(path, 'value') : { line };
      clusters.push({
        name: c.name,
        ...(context ? { context } : {}),
        ...(server ? { server } : {}),
        ...(environment ? { environment } : {}),
        ...(kubernetesVersion ? { kubernetesVersion } : {}),
        ...(inCluster && !other ? { inCluster: true } : {}),
        ...(fluxPaths.length > 0 ? { fluxPaths } : {}),
        // The environment is also a label, so ApplicationSet selectors and templates can use it.
        labels: environment ? { environment, ...labels } : labels,
        annotations: stringMap(c.annotations, [...path, 'annotations'], bad),
        source: { file, line: where.line },
      });
    });
  const tracking = spec.tracking === 'label' ? 'label' : 'annotation';
  if (spec.tracking !== undefined && spec.tracking !== 'label' && spec.tracking !== 'annotation') bad(['spec', 'tracking'], `must be \`annotation\` or \`label\`, got ${JSON.stringify(spec.tracking)}`);
  if (spec.loadRestrictor !== undefined && spec.loadRestrictor !== 'rootOnly' && spec.loadRestrictor !== 'none') bad(['spec', 'loadRestrictor'], `must be \`rootOnly\` or \`none\`, got ${JSON.stringify(spec.loadRestrictor)}`);
  const validation = parseFleetValidation(spec.validation, bad);
  const fleet: FleetSpec = {
    name: typeof meta.name === 'string' ? meta.name : 'fleet',
    applicationSets: strings(spec.applicationSets, 'applicationSets', DEFAULT_MANIFEST_GLOBS),
    pipelines: strings(spec.pipelines, 'pipelines', DEFAULT_MANIFEST_GLOBS),
    clusters,
    repoURLs: strings(spec.repoURLs ?? spec.repoURL, spec.repoURLs !== undefined ? 'repoURLs' : 'repoURL', []),
    tracking,
    loadRestrictor: spec.loadRestrictor === 'none' ? 'none' : 'rootOnly',
    file,
    ...(validation ? { validation } : {}),
  };
  return { fleet, problems };
}

/** `fluxPaths`: repo-relative folders (no leading `/`, no `..`), normalised without `./` and trailing `/`. */
function fluxFolders(v: unknown, path: JsonPath, bad: (path: JsonPath, m: string) => void): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    bad(path, 'must be a list of repository folders');
    return [];
  }
  const out: string[] = [];
  v.forEach((x, i) => {
    const folder = typeof x === 'string' ? x.replace(/^\.\//, '').replace(/\/+$/, '') : '';
    if (typeof x !== 'string' || folder === '' || x.startsWith('/') || folder.split('/').includes('..')) bad([...path, i], `expected a repository folder such as clusters/staging, got ${JSON.stringify(x)}`);
    else out.push(folder);
  });
  return out;
}

function stringMap(v: unknown, path: JsonPath, bad: (path: JsonPath, m: string) => void): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) {
    bad(path, 'must be a mapping of strings');
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x : JSON.stringify(x);
  return out;
}
