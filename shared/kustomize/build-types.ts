/**
 * What the kustomize build's parts share: the public options and result, the build's accumulator and target, where an
 * entry is written, and small helpers over paths, ids and field-spec configurations.
 */
import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import type { JsonPath, SourcePosition } from '../yaml/node-position';
import type { TransformerConfig } from './field-specs';
import { cloneConfig, defaultTransformerConfig, mergeConfig } from './field-specs';
import type { Kustomization } from './kustomization';
import type { ResId } from './resource';
import type { Resource } from './resource';
import type { Var } from './transformers';
import type { Json, JsonMap } from './yaml';
import { isMapValue } from './yaml';

/** Renders a Helm chart for `helmCharts:` (the Node side provides one that runs the helm binary). */
export interface HelmRunner {
  /** Runs `helm template` and returns the manifests it printed, or an error message. */
  template(request: HelmTemplateRequest): { readonly manifests: string } | { readonly error: string };
}

/** One `helmCharts:` entry, with repo-relative paths resolved. */
export interface HelmTemplateRequest {
  readonly chart: string;
  /** Repo-relative folder of a local chart (under the kustomization's chartHome), when it exists. */
  readonly chartPath?: string;
  readonly repo?: string;
  readonly version?: string;
  readonly releaseName: string;
  readonly namespace?: string;
  readonly valuesInline?: Json;
  /** Contents of the values files, in order. */
  readonly valuesFiles: readonly string[];
  readonly includeCRDs: boolean;
  readonly skipTests: boolean;
  readonly apiVersions: readonly string[];
  readonly kubeVersion?: string;
  readonly extraArgs: readonly string[];
}

/** Options of a build (the flags of `kustomize build`). */
export interface KustomizeOptions {
  /** 'rootOnly' (default) refuses files outside the kustomization's folder; 'none' allows them. */
  readonly loadRestrictor?: 'rootOnly' | 'none';
  /** For a folder without a kustomization: include manifests in sub-folders (Argo CD's directory recurse). */
  readonly recurseDirectories?: boolean;
  /** Runs helm for `helmCharts:`; without it such kustomizations fail with "helm is not installed". */
  readonly helm?: HelmRunner;
  /**
   * kustomize's `--enable-helm` (default true, as `flotilla render PATH` and `kubectl kustomize --enable-helm`); false
   * refuses `helmCharts:` with kustomize's own error, as Argo CD's builds without it do.
   */
  readonly enableHelm?: boolean;
  /**
   * Kustomization files given already read (Flux's generated one): used at their paths instead of reading and parsing
   * the file. The tree must still list the file there.
   */
  readonly kustomizations?: ReadonlyMap<string, Kustomization>;
  /**
   * false leaves `yaml` empty: for a caller that changes the objects and prints them itself (Flux adds its owner labels
   * after the build). Values kustomize cannot print (Inf, NaN) are then the caller's to report.
   */
  readonly print?: boolean;
}

/** The result of a build. */
export interface KustomizeResult {
  readonly resources: KubeObject[];
  /** Exactly what `kustomize build` prints. */
  readonly yaml: string;
  /** Empty when the build succeeded. */
  readonly problems: Problem[];
  /** Every file the build read (or looked for), for cache invalidation. */
  readonly files: string[];
}

/** A build failure carrying its Problem. */
export class BuildError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

/** What a kustomization accumulates: its resources, field-spec configuration and vars. */
export interface Acc {
  resources: Resource[];
  config: TransformerConfig;
  /** Whether `config` is this accumulator's own copy (shared configs are copied before they change). */
  ownConfig: boolean;
  vars: Var[];
}

// The built-in configuration, built once and shared (never mutated: accumulators copy it before merging into it).
export const DEFAULT_CONFIG = defaultTransformerConfig();

/** The empty configuration an accumulator starts from (shared, never mutated). */
export const EMPTY_CONFIG = emptyConfig();

/** Merges a configuration into an accumulator's, sharing instead of copying where it can. */
export function mergeAccConfig(acc: Acc, add: TransformerConfig): void {
  if (add === acc.config || add === EMPTY_CONFIG) return;
  if (acc.config === EMPTY_CONFIG) {
    acc.config = add;
    acc.ownConfig = false;
    return;
  }
  if (!acc.ownConfig) {
    acc.config = cloneConfig(acc.config);
    acc.ownConfig = true;
  }
  mergeConfig(acc.config, add);
}

/** The accumulator's configuration as its own copy, ready to change. */
export function ownConfig(acc: Acc): TransformerConfig {
  if (!acc.ownConfig) {
    acc.config = cloneConfig(acc.config);
    acc.ownConfig = true;
  }
  return acc.config;
}

/** A loaded kustomization: its folder, file and parsed fields. */
export interface Target {
  readonly dir: string;
  readonly file: string;
  readonly k: Kustomization;
}

/** Where a node inside one kustomization entry (a generator, a patch) is written; undefined when not known. */
export type Locate = (below: JsonPath, part?: 'key' | 'value') => SourcePosition | undefined;

/** A Locate for entries that come from no kustomization field (plugin configs): nothing is known. */
export const NOWHERE: Locate = () => undefined;

/** Whether a path written in a kustomization is a remote URL (git, http, a hosting site). */
export function isRemote(p: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.startsWith('git@') || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(p);
}

/** Whether a repo-relative path is the folder `dir` or below it ('' holds everything). */
export function isUnder(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(dir + '/');
}

/** The path of `file` relative to the folder `from` (both repo-relative). */
export function relativePath(from: string, file: string): string {
  const a = from === '' ? [] : from.split('/');
  const b = file.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

/** The key of an id for lookups ('' and 'default' namespaces are the same, as in kustomize). */
export function idKey(id: ResId): string {
  return `${id.group}|${id.version}|${id.kind}|${id.name}|${id.namespace === '' ? 'default' : id.namespace}`;
}

/** Resources of an accumulator by id key, valid while no transformer has renamed them (`stamp`). */
export class IdIndex {
  private readonly map = new Map<string, Resource>();
  size = 0;
  constructor(
    resources: readonly Resource[],
    readonly stamp: number,
  ) {
    for (const r of resources) this.add(idKey(r.curId()), r);
  }
  get(key: string): Resource | undefined {
    return this.map.get(key);
  }
  add(key: string, r: Resource): void {
    this.map.set(key, r);
    this.size++;
  }
}

/** The kind, name and namespace of a plugin config, for origin and transformer annotations. */
export function configuredBy(cfg: JsonMap): { kind: string; name?: string; namespace?: string } {
  const meta = isMapValue(cfg.metadata) ? cfg.metadata : {};
  return {
    kind: typeof cfg.kind === 'string' ? cfg.kind : '',
    ...(typeof meta.name === 'string' ? { name: meta.name } : {}),
    ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
  };
}

/** A manifest object, or the items of a `List` (recursively), as kustomize reads them. */
export function expandList(obj: JsonMap): JsonMap[] {
  if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
    return obj.items.filter(isMapValue).flatMap(expandList);
  }
  return [obj];
}

/** kustomize holds labels and annotations as strings: `happy: true` becomes "true". */
export function normaliseMetadata(obj: JsonMap): void {
  const meta = obj.metadata;
  if (!isMapValue(meta)) return;
  // kustomize rewrites every resource's annotations on output (its internal ones removed): an empty or null
  // `metadata.annotations` is dropped, while empty labels stay as written.
  const a = meta['annotations'];
  if (a === null || (isMapValue(a) && Object.keys(a).length === 0)) delete meta['annotations'];
  for (const k of ['labels', 'annotations']) {
    const m = meta[k];
    if (!isMapValue(m)) continue;
    for (const [key, v] of Object.entries(m)) {
      if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') m[key] = String(v);
    }
  }
}

/** A fresh, empty accumulator. */
export function newAcc(): Acc {
  return { resources: [], config: EMPTY_CONFIG, ownConfig: false, vars: [] };
}

/** A field-spec configuration with no specs. */
export function emptyConfig(): TransformerConfig {
  return {
    namePrefix: [],
    nameSuffix: [],
    nameSpace: [],
    commonLabels: [],
    templateLabels: [],
    labels: [],
    commonAnnotations: [],
    nameReference: [],
    varReference: [],
    images: [],
    replicas: [],
  };
}
