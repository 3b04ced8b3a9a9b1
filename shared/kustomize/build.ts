/**
 * The kustomize build: accumulate resources from a kustomization and everything it reaches, run generators,
 * components and transformers per kustomization, then hash names, fix name references, resolve vars and sort.
 */
import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import { problem } from '../problem';
import type { FileTree } from '../repo/file-tree';
import { linkResolution } from '../repo/file-tree';
import { joinPath, normalizePath } from '../repo/paths';
import type { FieldSpec, TransformerConfig } from './field-specs';
import { cloneConfig, defaultTransformerConfig, mergeConfig, mergeSpecs, readConfig } from './field-specs';
import type { GeneratorOptions } from './generators';
import { generate, GeneratorError, mergeOptions, readGeneratorOptions } from './generators';
import type { Kustomization } from './kustomization';
import type { KustomizationField } from './kustomization';
import { KUSTOMIZATION_FILE_NAMES, mapList, parseKustomization, stringList, stringMap } from './kustomization';

/** The kustomization fields whose entries name files or folders, searched to point an error at its entry. */
const ENTRY_FIELDS: readonly KustomizationField[] = [
  'resources', 'components', 'crds', 'patches', 'patchesStrategicMerge', 'patchesJson6902', 'configurations', 'generators',
  'transformers', 'validators', 'configMapGenerator', 'secretGenerator', 'replacements',
];
import type { JsonPatchOp } from './patch';
import { OpenApiSchema } from './openapi';
import type { BaseBuilds } from './base-cache';
import { baseBuildsOf } from './base-cache';
import { applyJsonPatch, builtinListStrategy, isDeletePatch, PatchError, strategicMerge } from './patch';
import { applyReplacements, readReplacements } from './replacements';
import type { ResId } from './resource';
import { deepCopy, idEquals, idString, parseApiVersion, Resource } from './resource';
import type { Selector } from './select';
import { checkSelector, readSelector, SelectorError, selects } from './select';
import { legacySort } from './sort';
import type { ImageSpec, Var } from './transformers';
import {
  addHashSuffixes,
  addMapEntries,
  addPrefixSuffix,
  bindVar,
  fixNameReferences,
  readObjRef,
  resolveVars,
  setImages,
  setNamespace,
  setReplicas,
  TransformError,
} from './transformers';
import type { Json, JsonMap, ParsedDoc } from './yaml';
import type { JsonPath, SourcePosition } from '../yaml/node-position';
import { emitYaml, isMapValue, readYaml, UnsupportedValueError } from './yaml';

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
class BuildError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

interface Acc {
  resources: Resource[];
  config: TransformerConfig;
  /** Whether `config` is this accumulator's own copy (shared configs are copied before they change). */
  ownConfig: boolean;
  vars: Var[];
}

// The built-in configuration, built once and shared (never mutated: accumulators copy it before merging into it).
const DEFAULT_CONFIG = defaultTransformerConfig();
const EMPTY_CONFIG = emptyConfig();

/** Merges a configuration into an accumulator's, sharing instead of copying where it can. */
function mergeAccConfig(acc: Acc, add: TransformerConfig): void {
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

function ownConfig(acc: Acc): TransformerConfig {
  if (!acc.ownConfig) {
    acc.config = cloneConfig(acc.config);
    acc.ownConfig = true;
  }
  return acc.config;
}

interface Target {
  readonly dir: string;
  readonly file: string;
  readonly k: Kustomization;
}

/** Where a node inside one kustomization entry (a generator, a patch) is written; undefined when not known. */
type Locate = (below: JsonPath, part?: 'key' | 'value') => SourcePosition | undefined;

/** A Locate for entries that come from no kustomization field (plugin configs): nothing is known. */
const NOWHERE: Locate = () => undefined;

function isRemote(p: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.startsWith('git@') || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(p);
}

function isUnder(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(dir + '/');
}

/** The path of `file` relative to the folder `from` (both repo-relative). */
function relativePath(from: string, file: string): string {
  const a = from === '' ? [] : from.split('/');
  const b = file.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

/** The key of an id for lookups ('' and 'default' namespaces are the same, as in kustomize). */
function idKey(id: ResId): string {
  return `${id.group}|${id.version}|${id.kind}|${id.name}|${id.namespace === '' ? 'default' : id.namespace}`;
}

class IdIndex {
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

class Builder {
  /** Files read or looked for (swapped for a fresh set while a cacheable base is built, to record what it read). */
  files = new Set<string>();
  /** Folders entered so far by the base builds being recorded (innermost last), for their cycle checks. */
  private readonly entering: { dir: string; file: string }[][] = [];
  /** Helm runs so far: a base that ran helm is not cached (its output depends on the cluster's capabilities). */
  private helmRuns = 0;
  /** Base builds shared across the builds of this tree's commit (undefined when the tree has no revision). */
  private readonly bases: BaseBuilds | undefined;
  /** Id indexes of accumulators, valid while no transformer has run since (`renames` counts transformer runs). */
  private readonly idIndex = new WeakMap<Acc, IdIndex>();
  private renames = 0;
  private readonly warnings: Problem[] = [];
  /** buildMetadata of the top kustomization (it applies to every kustomization the build reaches). */
  private originAnnotations = false;
  private transformerAnnotations = false;
  private topDir = '';
  /** The custom OpenAPI schema in effect (the outermost kustomization that sets `openapi` wins, as in kustomize). */
  private schemaSet = false;
  private schema: OpenApiSchema | undefined;

  constructor(
    private readonly tree: FileTree,
    private readonly options: KustomizeOptions,
  ) {
    this.bases = baseBuildsOf(tree);
  }

  get problems(): Problem[] {
    return this.warnings;
  }

  fail(message: string, file?: string, extra: Omit<Problem, 'message' | 'severity' | 'file'> = {}): never {
    throw new BuildError(problem(message, { ...(file !== undefined ? { file } : {}), ...extra }));
  }

  /** Fails pointing at the entry `value` of a kustomization field (its line and column), else at the file. */
  failAt(t: Target, field: KustomizationField, value: string | undefined, message: string): never {
    return this.fail(message, t.file, t.k.where(field, value) ?? {});
  }

  /** Fails pointing at an entry written in any path-holding field of the kustomization (resources, patches, crds, …). */
  private failEntry(t: Target, value: string, message: string): never {
    for (const field of ENTRY_FIELDS) {
      const at = t.k.where(field, value);
      if (at) this.fail(message, t.file, at);
    }
    return this.fail(message, t.file);
  }

  kind(path: string): 'file' | 'dir' | undefined {
    this.files.add(path);
    const k = this.tree.kind(path);
    if (k === undefined) this.refuseLink(path);
    return k;
  }

  readText(path: string): string {
    this.files.add(path);
    const t = this.tree.read(path);
    if (t === undefined) {
      this.refuseLink(path);
      this.fail(`no such file: ${path}`, path);
    }
    return t;
  }

  readBytes(path: string): Uint8Array {
    this.files.add(path);
    const b = this.tree.readBytes(path);
    if (b === undefined) {
      this.refuseLink(path);
      this.fail(`no such file: ${path}`, path);
    }
    return b;
  }

  /** Fails with the tree's reason when a path is absent because a symbolic link leads out of the repository. */
  private refuseLink(path: string): void {
    const r = linkResolution(this.tree, path);
    if (r && 'refused' in r) this.fail(r.refused, path);
  }

  /** Resolves a path written in a kustomization (relative to its folder); enforces the load restrictor for files. */
  resolveFile(t: Target, rel: string, what: string, where?: SourcePosition | (() => SourcePosition | undefined)): string {
    // Where the entry is written is looked up only to point an error at it (positions cost a full YAML read).
    const refuse: (message: string) => never = (message) => {
      const at = typeof where === 'function' ? where() : where;
      return at ? this.fail(message, t.file, at) : this.failEntry(t, rel, message);
    };
    if (isRemote(rel)) refuse(`${what} '${rel}' is a remote URL; remote resources are not supported`);
    const p = rel.startsWith('/') ? undefined : joinPath(t.dir, rel);
    if (p === undefined) return refuse(`${what} '${rel}' leaves the repository root`);
    if (this.options.loadRestrictor !== 'none' && !isUnder(p, t.dir)) {
      refuse(`security; file '${p}' is not in or below '${t.dir || '.'}' (load restrictor rootOnly)`);
    }
    // As kustomize does, the restrictor applies to where a file really is once symbolic links are resolved.
    const real = linkResolution(this.tree, p);
    if (real && 'refused' in real) refuse(real.refused);
    if (real && this.options.loadRestrictor !== 'none' && !isUnder(real.path, t.dir)) {
      refuse(`security; file '${real.path}' is not in or below '${t.dir || '.'}' (load restrictor rootOnly; '${p}' is a symbolic link)`);
    }
    return p;
  }

  loadTarget(dir: string): Target | undefined {
    const found: string[] = [];
    for (const name of KUSTOMIZATION_FILE_NAMES) {
      const p = dir === '' ? name : `${dir}/${name}`;
      if (this.kind(p) === 'file') found.push(p);
    }
    if (found.length === 0) return undefined;
    if (found.length > 1) this.fail(`Found multiple kustomization files under: ${dir || '.'}`, found[1]);
    const file = found[0]!;
    const given = this.options.kustomizations?.get(file);
    const { k, error } = given ? { k: given, error: undefined } : parseKustomization(this.readText(file), file);
    if (!k) this.fail(error?.message ?? 'invalid kustomization', file, { ...(error?.line !== undefined ? { line: error.line } : {}), ...(error?.column !== undefined ? { column: error.column } : {}) });
    const oa = k.fields.openapi;
    if (isMapValue(oa) && oa.path !== undefined && oa.version !== undefined) this.fail('builtin version and custom schema provided, cannot use both', file);
    if (isMapValue(oa) && !this.schemaSet) {
      this.schemaSet = true;
      if (typeof oa.path === 'string') {
        const p = joinPath(dir, oa.path);
        if (p === undefined) this.fail(`openapi path '${oa.path}' leaves the repository root`, file);
        const { docs, problems } = readYaml(this.readText(p), p, { duplicateKeys: 'lastWins' });
        if (problems[0]) throw new BuildError(problems[0]);
        this.schema = OpenApiSchema.from(docs[0]?.value);
        if (!this.schema) this.fail(`openapi schema '${oa.path}' has no definitions`, p);
      }
    }
    return { dir, file, k };
  }

  /** Reads resources from a manifest file. */
  loadResourceFile(path: string): Resource[] {
    const text = this.readText(path);
    const { docs, problems } = readManifest(text, path);
    const first = problems[0];
    if (first) throw new BuildError(first);
    const out: Resource[] = [];
    for (const d of docs) {
      const v = d.value;
      if (!isMapValue(v)) this.fail(`expected a YAML mapping (a Kubernetes object), found ${Array.isArray(v) ? 'a list' : 'a scalar'}`, path, { line: d.line });
      for (const obj of expandList(v)) {
        if (typeof obj.kind !== 'string' || obj.kind === '') this.fail(`missing Resource metadata: kind is not set`, path, { line: d.line });
        if (obj.metadata !== undefined && obj.metadata !== null && !isMapValue(obj.metadata)) this.fail('metadata must be a mapping', path, { line: d.line });
        const meta = isMapValue(obj.metadata) ? obj.metadata : {};
        if (typeof meta.name !== 'string' || meta.name === '') this.fail(`missing metadata.name in a ${obj.kind}`, path, { line: d.line });
        normaliseMetadata(obj);
        out.push(new Resource(obj, path));
      }
    }
    return out;
  }

  build(path: string): KustomizeResult {
    const root = normalizePath(path);
    if (root === undefined) this.fail(`path '${path}' leaves the repository root`);
    const kind = this.kind(root);
    if (kind === 'file') this.fail(`'${root}' is a file; expected a folder holding a kustomization`, root);
    if (kind !== 'dir' && root !== '') this.fail(`no such folder: ${root || '.'}`, root);
    const t = this.loadTarget(root);
    if (!t) return this.buildDirectory(root);
    const bm = stringList(t.k.fields.buildMetadata);
    this.originAnnotations = bm.includes('originAnnotations');
    this.transformerAnnotations = bm.includes('transformerAnnotations');
    this.topDir = root;
    const acc = this.accumulateTarget(t, newAcc(), [root]);
    const res = acc.resources;
    addHashSuffixes(res);
    this.wrap(t.file, () => fixNameReferences(res, acc.config.nameReference));
    this.wrap(t.file, () => resolveVars(res, acc.vars, acc.config.varReference));
    for (const r of res) {
      if (r.transformations.length > 0) r.metadata.annotations = { ...r.annotations(), 'alpha.config.kubernetes.io/transformations': r.transformations.join('') };
    }
    for (const r of res) normaliseMetadata(r.obj);
    const kept = res.filter((r) => r.annotations()['config.kubernetes.io/local-config'] !== 'true');
    const ordered = this.order(t, kept);
    return this.result(ordered);
  }

  private order(t: Target, res: Resource[]): Resource[] {
    const so = t.k.fields.sortOptions;
    if (isMapValue(so)) {
      if (so.order === 'fifo') {
        if (so.legacySortOptions !== undefined) this.fail("the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'", t.file);
        return res;
      }
      if (so.order === 'legacy') {
        const lo = so.legacySortOptions;
        if (isMapValue(lo)) return legacySort(res, stringList(lo.orderFirst), stringList(lo.orderLast));
        return legacySort(res);
      }
      this.fail("the field 'sortOptions.order' must be one of [fifo, legacy]", t.file);
    }
    return legacySort(res);
  }

  private result(res: readonly Resource[]): KustomizeResult {
    const objs: KubeObject[] = res.map((r) => r.obj as KubeObject);
    if (this.options.print === false) return { resources: objs, yaml: '', problems: [...this.warnings], files: [...this.files].sort() };
    const yaml = res
      .map((r) => {
        try {
          return emitYaml(r.obj);
        } catch (e) {
          if (e instanceof UnsupportedValueError) this.fail(e.message, r.file, { resource: idString(r.curId()) });
          throw e;
        }
      })
      .join('---\n');
    return { resources: objs, yaml, problems: [...this.warnings], files: [...this.files].sort() };
  }

  /** A folder with no kustomization: every YAML/JSON manifest in it, as Argo CD renders a directory app. */
  private buildDirectory(dir: string): KustomizeResult {
    const out: Resource[] = [];
    const visit = (d: string): void => {
      this.files.add(d);
      for (const e of this.tree.list(d) ?? []) {
        const p = d === '' ? e.name : `${d}/${e.name}`;
        if (e.kind === 'dir') {
          if (this.options.recurseDirectories && !e.name.startsWith('.')) visit(p);
          continue;
        }
        if (!/\.(ya?ml|json)$/i.test(e.name)) continue;
        const text = this.readText(p);
        const { docs, problems } = readYaml(text, p, { duplicateKeys: 'error' });
        const first = problems[0];
        if (first) throw new BuildError(first);
        for (const d2 of docs) {
          if (!isMapValue(d2.value)) continue;
          for (const obj of expandList(d2.value)) {
            if (typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string') continue;
            out.push(new Resource(obj, p));
          }
        }
      }
    };
    visit(dir);
    return this.result(out);
  }

  private wrap<T>(file: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof BuildError) throw e;
      if (e instanceof TransformError || e instanceof PatchError || e instanceof GeneratorError || e instanceof SelectorError) this.fail(e.message, file);
      throw e;
    }
  }

  // ---------------------------------------------------------------------------------------------------------

  private accumulateTarget(t: Target, acc: Acc, chain: readonly string[]): Acc {
    const f = t.k.fields;
    this.accumulateResources(t, acc, stringList(f.resources), chain);
    // Like kustomize: the kustomization's configurations first, then the built-in field specs that they do not
    // already cover (a custom spec for a path and kind shadows the built-in one for that path).
    const configurations = stringList(f.configurations);
    if (configurations.length === 0) mergeAccConfig(acc, DEFAULT_CONFIG);
    else {
      const custom = emptyConfig();
      for (const c of configurations) {
        const p = this.resolveFile(t, c, 'configuration');
        const { docs, problems } = readYaml(this.readText(p), p, { duplicateKeys: 'lastWins', schema: 'yaml11' });
        if (problems[0]) throw new BuildError(problems[0]);
        for (const d of docs) if (isMapValue(d.value)) mergeConfig(custom, readConfig(d.value));
      }
      mergeConfig(custom, DEFAULT_CONFIG);
      mergeAccConfig(acc, custom);
    }
    for (const c of stringList(f.crds)) {
      const p = this.resolveFile(t, c, 'crd');
      this.loadCrdConfig(p, ownConfig(acc));
    }
    this.runGenerators(t, acc);
    for (const c of stringList(f.components)) {
      const p = this.resolveDir(t, c, 'component');
      if (this.kind(p) === 'file') this.failAt(t, 'components', c, `must build at directory: '${p}': component '${c}' must be a folder holding a kustomization of kind Component`);
      const sub = this.loadTarget(p);
      if (!sub) this.failAt(t, 'components', c, `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in component folder '${p}'`);
      if (sub.k.kind !== 'Component') this.fail(`accumulating components: expected kind 'Component' for path '${p}' but got '${sub.k.kind}'`, sub.file);
      this.checkCycle(chain, p, t.file);
      this.accumulateTarget(sub, acc, [...chain, p]);
    }
    this.runTransformers(t, acc);
    for (const v of mapList(f.vars)) {
      const name = typeof v.name === 'string' ? v.name : '';
      const objref = isMapValue(v.objref) ? readObjRef(v.objref) : readObjRef({});
      const fr = isMapValue(v.fieldref) && typeof v.fieldref.fieldPath === 'string' && v.fieldref.fieldPath !== '' ? v.fieldref.fieldPath : 'metadata.name';
      const theVar: Var = { name, objref, fieldpath: fr };
      this.wrap(t.file, () => bindVar(acc.resources, theVar));
      if (acc.vars.some((x) => x.name === name)) this.fail(`var '${name}' already encountered`, t.file);
      acc.vars.push(theVar);
    }
    return acc;
  }

  private resolveDir(t: Target, rel: string, what: string): string {
    if (isRemote(rel)) this.failEntry(t, rel, `${what} '${rel}' is a remote URL; remote bases are not supported`);
    const p = rel.startsWith('/') ? undefined : joinPath(t.dir, rel);
    if (p === undefined) this.failEntry(t, rel, `${what} '${rel}' leaves the repository root`);
    return p;
  }

  private checkCycle(chain: readonly string[], p: string, file: string): void {
    for (const log of this.entering) log.push({ dir: p, file });
    for (const c of chain) {
      if (isUnder(c, p)) this.fail(`cycle detected: candidate root '${p || '.'}' contains visited root '${c || '.'}'`, file);
    }
  }

  private accumulateResources(t: Target, acc: Acc, paths: readonly string[], chain: readonly string[]): void {
    for (const rel of paths) {
      if (isRemote(rel)) this.failAt(t, 'resources', rel, `resource '${rel}' is a remote URL; remote resources are not supported`);
      const p = rel.startsWith('/') ? undefined : joinPath(t.dir, rel);
      if (p === undefined) this.failAt(t, 'resources', rel, `resource '${rel}' leaves the repository root`);
      // A symbolic link out of the repository fails at the entry that names it, not at the link.
      const link = linkResolution(this.tree, p);
      if (link && 'refused' in link) this.failAt(t, 'resources', rel, link.refused);
      const kind = this.kind(p);
      if (kind === 'file') {
        this.resolveFile(t, rel, 'resource');
        for (const r of this.loadResourceFile(p)) {
          r.root = t.dir;
          if (this.originAnnotations) r.metadata.annotations = { ...r.annotations(), 'config.kubernetes.io/origin': `path: ${relativePath(this.topDir, p)}\n` };
          this.append(acc, r, t.file, () => t.k.where('resources', rel));
        }
      } else if (kind === 'dir') {
        this.checkCycle(chain, p, t.file);
        const { acc: subAcc, file: subFile } = this.accumulateBase(t, rel, p, chain);
        for (const r of subAcc.resources) this.append(acc, r, t.file, () => t.k.where('resources', rel));
        mergeAccConfig(acc, subAcc.config);
        for (const v of subAcc.vars) {
          if (acc.vars.some((x) => x.name === v.name)) this.fail(`var '${v.name}' already encountered`, subFile);
          acc.vars.push(v);
        }
      } else {
        this.failAt(t, 'resources', rel, `accumulating resources: '${rel}' does not exist (looked for ${p})`);
      }
    }
  }

  /** Builds the base folder `p` (an entry `rel` of `t`'s resources), or copies its build from the commit's cache. */
  private accumulateBase(t: Target, rel: string, p: string, chain: readonly string[]): { acc: Acc; file: string } {
    const build = (): { acc: Acc; file: string } => {
      const sub = this.loadTarget(p);
      if (!sub) this.failAt(t, 'resources', rel, `accumulating resources: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${p}' (resource '${rel}')`);
      if (sub.k.kind === 'Component') this.failAt(t, 'resources', rel, `expected kind != 'Component' for path '${p}'`);
      return { acc: this.accumulateTarget(sub, newAcc(), [...chain, p]), file: sub.file };
    };
    // A custom schema set by an includer changes how the base's patches merge: such builds are not shared.
    if (!this.bases || this.schemaSet) return build();
    // What else the base's build depends on: the build flags, and where the top kustomization is when buildMetadata
    // writes paths relative to it (origin and transformer annotations).
    const o = this.options;
    const key = [p, o.loadRestrictor ?? 'rootOnly', o.enableHelm === false ? 'nohelm' : 'helm', this.originAnnotations ? 'origin' : '', this.transformerAnnotations ? 'transformers' : '', this.originAnnotations || this.transformerAnnotations ? this.topDir : ''].join('\0');
    const hit = this.bases.get(key);
    if (hit) {
      for (const e of hit.entered) this.checkCycle(chain, e.dir, e.file);
      for (const f of hit.files) this.files.add(f);
      this.warnings.push(...hit.warnings);
      if (hit.schema) {
        this.schemaSet = true;
        this.schema = hit.schema.value;
      }
      this.renames++;
      return { acc: { resources: hit.resources.map((r) => r.clone()), config: hit.config, ownConfig: false, vars: [...hit.vars] }, file: hit.file };
    }
    const outerFiles = this.files;
    const warningsBefore = this.warnings.length;
    const helmBefore = this.helmRuns;
    const entered: { dir: string; file: string }[] = [];
    this.files = new Set();
    this.entering.push(entered);
    const inner = this.files;
    let built: { acc: Acc; file: string };
    try {
      built = build();
    } finally {
      this.entering.pop();
      this.files = outerFiles;
      for (const f of inner) outerFiles.add(f);
    }
    const subAcc = built.acc;
    if (this.helmRuns === helmBefore) {
      this.bases.set(key, {
        resources: subAcc.resources.map((r) => r.clone()),
        config: subAcc.config,
        vars: [...subAcc.vars],
        file: built.file,
        files: [...inner],
        warnings: this.warnings.slice(warningsBefore),
        entered,
        ...(this.schemaSet ? { schema: { value: this.schema } } : {}),
      });
    }
    return built;
  }

  /** Adds a resource, refusing a second one with the same id; `at` finds the entry that brought it in (only on a clash). */
  private append(acc: Acc, r: Resource, file: string, at?: () => SourcePosition | undefined): void {
    // An index of current ids, rebuilt when resources were renamed or removed since it was made.
    let index = this.idIndex.get(acc);
    if (!index || index.size !== acc.resources.length || index.stamp !== this.renames) {
      index = new IdIndex(acc.resources, this.renames);
      this.idIndex.set(acc, index);
    }
    const id = r.curId();
    const key = idKey(id);
    const clash = index.get(key);
    if (clash) this.fail(`may not add resource with an already registered id: ${idString(id)} (from ${r.file}; already added from ${clash.file})`, file, { ...at?.(), resource: idString(id) });
    acc.resources.push(r);
    index.add(key, r);
  }


  /**
   * `crds:` — OpenAPI definitions (kube-openapi's `{ "<type>": { "Schema": ... } }`, or `definitions`) whose
   * properties carry `x-kubernetes-object-ref-kind`: each such field becomes a name reference.
   */
  private loadCrdConfig(path: string, config: TransformerConfig): void {
    const { docs, problems } = readYaml(this.readText(path), path, { duplicateKeys: 'lastWins' });
    if (problems[0]) throw new BuildError(problems[0]);
    for (const d of docs) {
      if (!isMapValue(d.value)) continue;
      const defs = isMapValue(d.value.definitions) ? d.value.definitions : d.value;
      const schemaOf = (name: string): JsonMap | undefined => {
        const def = defs[name];
        if (!isMapValue(def)) return undefined;
        return isMapValue(def.Schema) ? def.Schema : def;
      };
      for (const typeName of Object.keys(defs)) {
        const schema = schemaOf(typeName);
        const props = schema?.properties;
        if (!isMapValue(props) || !('kind' in props) || !('metadata' in props)) continue;
        const kind = typeName.split('.').pop() ?? typeName;
        this.crdWalk(kind, props, '', config, schemaOf, 0);
      }
    }
  }

  private crdWalk(kind: string, props: JsonMap, prefix: string, config: TransformerConfig, schemaOf: (n: string) => JsonMap | undefined, depth: number): void {
    if (depth > 12) return;
    for (const [name, p] of Object.entries(props)) {
      if (!isMapValue(p) || name === 'metadata' || name === 'status') continue;
      const path = prefix ? `${prefix}/${name}` : name;
      const refKind = p['x-kubernetes-object-ref-kind'];
      if (typeof refKind === 'string') {
        const refVersion = typeof p['x-kubernetes-object-ref-api-version'] === 'string' ? (p['x-kubernetes-object-ref-api-version'] as string) : '';
        const { group, version } = parseApiVersion(refVersion);
        mergeConfig(config, {
          nameReference: [{ kind: refKind, ...(group ? { group } : {}), ...(version ? { version } : {}), fieldSpecs: [{ kind, path: `${path}/name` }] }],
        });
        continue;
      }
      let nested = isMapValue(p.properties) ? p.properties : undefined;
      const ref = typeof p.$ref === 'string' ? p.$ref.replace(/^#\/definitions\//, '') : undefined;
      if (!nested && ref) {
        const target = schemaOf(ref);
        if (target && isMapValue(target.properties)) nested = target.properties;
      }
      if (nested) this.crdWalk(kind, nested, path, config, schemaOf, depth + 1);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Generators.

  private runGenerators(t: Target, acc: Acc): void {
    const f = t.k.fields;
    const global = readGeneratorOptions(f.generatorOptions);
    const gens: { r: Resource; locate: Locate }[] = [];
    for (const [field, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
      const list = f[field];
      if (!Array.isArray(list)) continue;
      list.forEach((args, i) => {
        if (!isMapValue(args)) return;
        const locate: Locate = (below, part) => t.k.nodeAt(field, [i, ...below], part);
        const r = this.generateAt(t, kind, args, mergeOptions(readGeneratorOptions(args.options), global), locate);
        gens.push({ r: this.withOrigin(r, t.file, { kind: `${kind}Generator` }), locate });
      });
    }
    for (const { r, locate } of gens) this.absorb(acc, r, t.file, locate);
    if (f.helmCharts !== undefined && mapList(f.helmCharts).length > 0) this.runHelm(t, acc);
    for (const cfg of this.pluginConfigs(t, stringList(f.generators), 'generator')) {
      const kind = typeof cfg.obj.kind === 'string' ? cfg.obj.kind : '';
      if (kind === 'ConfigMapGenerator' || kind === 'SecretGenerator') {
        const meta = isMapValue(cfg.obj.metadata) ? cfg.obj.metadata : {};
        const args: JsonMap = { ...cfg.obj };
        if (typeof args.name !== 'string' && typeof meta.name === 'string') args.name = meta.name;
        if (typeof args.namespace !== 'string' && typeof meta.namespace === 'string') args.namespace = meta.namespace;
        const r = this.generateAt(t, kind === 'ConfigMapGenerator' ? 'ConfigMap' : 'Secret', args, readGeneratorOptions(args.options), NOWHERE);
        this.absorb(acc, this.withOrigin(r, cfg.file, configuredBy(cfg.obj)), t.file, NOWHERE);
      } else if (kind === 'IAMPolicyGenerator') {
        this.absorb(acc, this.withOrigin(this.wrap(cfg.file, () => iamPolicyServiceAccount(cfg.obj, cfg.file)), cfg.file, configuredBy(cfg.obj)), t.file, NOWHERE);
      } else this.fail(`generator '${kind}' is not a built-in generator; plugins are not supported`, cfg.file);
    }
  }

  /**
   * Runs one generator entry; its errors point at the node at fault: the `files`/`envs` entry of a file that is missing
   * or outside the kustomization, the literal or file that repeats a key, the line of an env file that is not KEY=VALUE.
   */
  private generateAt(t: Target, kind: 'ConfigMap' | 'Secret', args: JsonMap, options: GeneratorOptions | undefined, locate: Locate): Resource {
    const name = typeof args.name === 'string' ? args.name : '';
    const reader = (rel: string, below: JsonPath): { bytes: Uint8Array; path: string } => {
      const p = this.resolveFile(t, rel, 'generator file', () => locate(below));
      const k = this.kind(p);
      if (k !== 'file') this.fail(`${kind} generator '${name}': ${k === 'dir' ? `'${rel}' is a folder, not a file` : `file '${rel}' does not exist`} (looked for ${p})`, t.file, locate(below) ?? {});
      return { bytes: this.readBytes(p), path: p };
    };
    try {
      return generate(kind, args, options, reader, t.file);
    } catch (e) {
      if (!(e instanceof GeneratorError)) throw e;
      const at = locate(e.at);
      if (e.source) {
        const entry = at ? ` (${kind} generator '${name}' in ${t.file}:${at.line}:${at.column})` : '';
        this.fail(`${e.message}${entry}`, e.source.file, { line: e.source.line, column: e.source.column });
      }
      return this.fail(e.message, t.file, at ?? {});
    }
  }

  private withOrigin(r: Resource, configuredIn: string, by: { kind: string; name?: string; namespace?: string }): Resource {
    if (!this.originAnnotations) return r;
    let text = `configuredIn: ${relativePath(this.topDir, configuredIn)}\nconfiguredBy:\n  apiVersion: builtin\n  kind: ${by.kind}\n`;
    if (by.name) text += `  name: ${by.name}\n`;
    if (by.namespace) text += `  namespace: ${by.namespace}\n`;
    r.metadata.annotations = { ...r.annotations(), 'config.kubernetes.io/origin': text };
    return r;
  }

  /** Records a transformer run on every resource (`buildMetadata: [transformerAnnotations]`). */
  private recordTransformer(acc: Acc, configuredIn: string, by: { kind: string; name?: string; namespace?: string }): void {
    if (!this.transformerAnnotations) return;
    let text = `- configuredIn: ${relativePath(this.topDir, configuredIn)}\n  configuredBy:\n    apiVersion: builtin\n    kind: ${by.kind}\n`;
    if (by.name) text += `    name: ${by.name}\n`;
    if (by.namespace) text += `    namespace: ${by.namespace}\n`;
    for (const r of acc.resources) r.transformations.push(text);
  }

  /** Adds a generated object, or merges it into / replaces the one it names; errors point at the generator's behavior. */
  private absorb(acc: Acc, r: Resource, file: string, locate: Locate): void {
    this.renames++;
    const id = r.curId();
    // Where the behavior is written: looked up only to point an error at it (positions cost a full YAML read).
    const at = (): SourcePosition | Record<string, never> => locate(['behavior']) ?? {};
    const matches = acc.resources.filter((x) => x.allIds().some((xi) => idEquals(xi, id)));
    if (matches.length === 0) {
      if (r.behavior !== 'create') this.fail(`id ${idString(id)} does not exist; cannot ${r.behavior} (behavior '${r.behavior}' needs a ${r.kind} of that name from a base)`, file, at());
      acc.resources.push(r);
      return;
    }
    if (matches.length > 1) this.fail(`multiple matches for ${idString(id)}; cannot ${r.behavior}`, file, at());
    const old = matches[0]!;
    if (r.behavior === 'create') this.fail(`id ${idString(id)} exists; behavior must be merge or replace`, file, at());
    const m = r.metadata;
    const om = old.metadata;
    const mergedLabels = { ...stringMap(om.labels), ...stringMap(m.labels) };
    const mergedAnn = { ...stringMap(om.annotations), ...stringMap(m.annotations) };
    const oldOrigin = stringMap(om.annotations)['config.kubernetes.io/origin'];
    if (r.behavior === 'merge' && oldOrigin !== undefined) mergedAnn['config.kubernetes.io/origin'] = oldOrigin;
    if (Object.keys(mergedLabels).length > 0) m.labels = mergedLabels;
    else delete m.labels;
    if (Object.keys(mergedAnn).length > 0) m.annotations = mergedAnn;
    else delete m.annotations;
    r.name = old.name;
    if (old.namespace !== '') r.namespace = old.namespace;
    else delete m.namespace;
    if (r.behavior === 'merge') {
      for (const field of ['data', 'binaryData'] as const) {
        const merged: JsonMap = { ...(isMapValue(old.obj[field]) ? (old.obj[field] as JsonMap) : {}), ...(isMapValue(r.obj[field]) ? (r.obj[field] as JsonMap) : {}) };
        if (Object.keys(merged).length > 0) r.obj[field] = merged;
        else if (field === 'binaryData') delete r.obj[field];
      }
    }
    r.needsHash = old.needsHash && r.needsHash;
    r.prevIds = [...old.prevIds];
    r.prefixes = [...old.prefixes];
    r.suffixes = [...old.suffixes];
    r.refVarNames = [...old.refVarNames];
    r.behavior = 'create';
    acc.resources[acc.resources.indexOf(old)] = r;
  }

  private runHelm(t: Target, acc: Acc): void {
    this.helmRuns++;
    if (this.options.enableHelm === false) {
      const first = mapList(t.k.fields.helmCharts)[0]!;
      // kustomize prints the entry back as YAML with its keys sorted.
      this.fail(`trouble configuring builtin HelmChartInflationGenerator with config: \`\n${emitYaml(sortedKeys(first as Json))}\`: must specify --enable-helm`, t.file);
    }
    const helm = this.options.helm;
    if (!helm) this.fail('helm is not installed: helmCharts need a Helm runner (install helm and let Flotilla find it)', t.file);
    const globals = isMapValue(t.k.fields.helmGlobals) ? t.k.fields.helmGlobals : {};
    const chartHome = typeof globals.chartHome === 'string' ? globals.chartHome : 'charts';
    for (const c of mapList(t.k.fields.helmCharts)) {
      const name = typeof c.name === 'string' ? c.name : '';
      if (name === '') this.fail('a helmCharts entry needs a name', t.file);
      const home = joinPath(t.dir, chartHome);
      const local = home === undefined ? undefined : joinPath(home, name);
      const valuesFiles: string[] = [];
      if (typeof c.valuesFile === 'string') valuesFiles.push(this.readText(this.resolveFile(t, c.valuesFile, 'values file')));
      for (const v of stringList(c.additionalValuesFiles)) valuesFiles.push(this.readText(this.resolveFile(t, v, 'values file')));
      const req: HelmTemplateRequest = {
        chart: name,
        ...(local !== undefined && this.kind(local) === 'dir' ? { chartPath: local } : {}),
        ...(typeof c.repo === 'string' ? { repo: c.repo } : {}),
        ...(typeof c.version === 'string' ? { version: c.version } : {}),
        releaseName: typeof c.releaseName === 'string' ? c.releaseName : 'release-name',
        ...(typeof c.namespace === 'string' ? { namespace: c.namespace } : {}),
        ...(c.valuesInline !== undefined ? { valuesInline: c.valuesInline } : {}),
        valuesFiles,
        includeCRDs: c.includeCRDs === true,
        skipTests: c.skipTests === true,
        apiVersions: stringList(c.apiVersions),
        ...(typeof c.kubeVersion === 'string' ? { kubeVersion: c.kubeVersion } : {}),
        extraArgs: stringList(c.extraArgs),
      };
      const out = helm.template(req);
      if ('error' in out) this.fail(`helm template ${name}: ${out.error}`, t.file);
      const { docs, problems } = readYaml(out.manifests, `${t.file} (helm chart ${name})`, { duplicateKeys: 'lastWins' });
      if (problems[0]) throw new BuildError(problems[0]);
      for (const d of docs) if (isMapValue(d.value)) for (const obj of expandList(d.value)) this.append(acc, new Resource(obj, t.file), t.file);
    }
  }

  /** Reads `generators:`/`transformers:` entries: inline YAML, files, or kustomization folders. */
  private pluginConfigs(t: Target, entries: readonly string[], what: string): { obj: JsonMap; file: string }[] {
    const out: { obj: JsonMap; file: string }[] = [];
    for (const e of entries) {
      if (e.includes('\n') || /^\s*(apiVersion|kind)\s*:/.test(e)) {
        const { docs, problems } = readYaml(e, t.file, { duplicateKeys: 'lastWins' });
        if (problems[0]) throw new BuildError({ ...problems[0], file: t.file });
        for (const d of docs) if (isMapValue(d.value)) out.push({ obj: d.value, file: t.file });
        continue;
      }
      const p = this.resolveDir(t, e, what);
      const kind = this.kind(p);
      if (kind === 'file') {
        const fp = this.resolveFile(t, e, what);
        const { docs, problems } = readYaml(this.readText(fp), fp, { duplicateKeys: 'lastWins' });
        if (problems[0]) throw new BuildError(problems[0]);
        for (const d of docs) if (isMapValue(d.value)) out.push({ obj: d.value, file: fp });
      } else if (kind === 'dir') {
        const sub = this.loadTarget(p);
        if (!sub) this.failEntry(t, e, `no kustomization in ${what} folder '${p}'`);
        const subAcc = this.accumulateTarget(sub, newAcc(), [t.dir, p]);
        for (const r of subAcc.resources) out.push({ obj: r.obj, file: sub.file });
      } else this.failEntry(t, e, `${what} '${e}' does not exist`);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Transformers.

  private runTransformers(t: Target, acc: Acc): void {
    this.renames++;
    const f = t.k.fields;
    const tc = acc.config;
    if (f.patchesStrategicMerge !== undefined && f.patchesStrategicMerge !== null) {
      this.patchesStrategicMerge(t, acc, stringList(f.patchesStrategicMerge));
      this.recordTransformer(acc, t.file, { kind: 'PatchStrategicMergeTransformer' });
    }
    for (const [p, locate] of this.entries(t, 'patches')) {
      this.patchTransformer(t, acc, p, locate);
      this.recordTransformer(acc, t.file, { kind: 'PatchTransformer' });
    }
    const ns = typeof f.namespace === 'string' ? f.namespace : '';
    if (ns !== '') {
      this.wrap(t.file, () => setNamespace(acc.resources, ns, tc.nameSpace));
      this.recordTransformer(acc, t.file, { kind: 'NamespaceTransformer' });
    }
    const prefix = typeof f.namePrefix === 'string' ? f.namePrefix : '';
    const suffix = typeof f.nameSuffix === 'string' ? f.nameSuffix : '';
    {
      const specs: FieldSpec[] = [...tc.namePrefix];
      mergeSpecs(specs, tc.nameSuffix);
      addPrefixSuffix(acc.resources, prefix, suffix, specs);
      if (prefix !== '') this.recordTransformer(acc, t.file, { kind: 'PrefixTransformer' });
      if (suffix !== '') this.recordTransformer(acc, t.file, { kind: 'SuffixTransformer' });
    }
    for (const l of mapList(f.labels)) {
      const pairs = stringMap(l.pairs);
      let specs: FieldSpec[] = [];
      for (const s of mapList(l.fields)) if (typeof s.path === 'string') specs.push(fieldSpecFrom(s));
      if (l.includeSelectors === true) mergeSpecs(specs, tc.commonLabels);
      else {
        if (l.includeTemplates === true) mergeSpecs(specs, tc.templateLabels);
        mergeSpecs(specs, [{ path: 'metadata/labels', create: true }]);
      }
      mergeSpecs(specs, tc.labels);
      specs = specs.filter((s, i) => specs.findIndex((x) => x.path === s.path && x.kind === s.kind && x.group === s.group && x.version === s.version) === i);
      addMapEntries(acc.resources, pairs, specs);
      this.recordTransformer(acc, t.file, { kind: 'LabelTransformer' });
    }
    const commonLabels = stringMap(f.commonLabels);
    if (Object.keys(commonLabels).length > 0) {
      addMapEntries(acc.resources, commonLabels, tc.commonLabels);
      this.recordTransformer(acc, t.file, { kind: 'LabelTransformer' });
    }
    const commonAnnotations = stringMap(f.commonAnnotations);
    if (Object.keys(commonAnnotations).length > 0) {
      addMapEntries(acc.resources, commonAnnotations, tc.commonAnnotations);
      this.recordTransformer(acc, t.file, { kind: 'AnnotationsTransformer' });
    }
    for (const [p, locate] of this.entries(t, 'patchesJson6902')) {
      this.json6902(t, acc, p, locate);
      this.recordTransformer(acc, t.file, { kind: 'PatchJson6902Transformer' });
    }
    for (const r of mapList(f.replicas)) {
      const name = typeof r.name === 'string' ? r.name : '';
      const count = r.count ?? 0;
      this.wrap(t.file, () => setReplicas(acc.resources, name, count, tc.replicas));
      this.recordTransformer(acc, t.file, { kind: 'ReplicaCountTransformer' });
    }
    for (const i of mapList(f.images)) {
      const spec = readImage(i);
      if (spec) setImages(acc.resources, [spec], tc.images);
      this.recordTransformer(acc, t.file, { kind: 'ImageTagTransformer' });
    }
    if (f.replacements !== undefined) {
      const reps = this.wrap(t.file, () => readReplacements(f.replacements ?? null, (rel) => {
        const p = this.resolveFile(t, rel, 'replacement file');
        const { docs, problems } = readYaml(this.readText(p), p, { duplicateKeys: 'lastWins' });
        if (problems[0]) throw new BuildError(problems[0]);
        return docs.map((d) => d.value);
      }));
      this.wrap(t.file, () => applyReplacements(acc.resources, reps));
      this.recordTransformer(acc, t.file, { kind: 'ReplacementTransformer' });
    }
    for (const cfg of this.pluginConfigs(t, stringList(f.transformers), 'transformer')) this.builtinTransformer(t, acc, cfg.obj, cfg.file);
  }

  private builtinTransformer(t: Target, acc: Acc, cfg: JsonMap, file: string): void {
    const kind = typeof cfg.kind === 'string' ? cfg.kind : '';
    this.runBuiltinTransformer(t, acc, cfg, file, kind);
    this.recordTransformer(acc, file, configuredBy(cfg));
  }

  private runBuiltinTransformer(t: Target, acc: Acc, cfg: JsonMap, file: string, kind: string): void {
    const specs = (): FieldSpec[] => mapList(cfg.fieldSpecs).filter((s) => typeof s.path === 'string').map(fieldSpecFrom);
    switch (kind) {
      case 'PrefixSuffixTransformer':
      case 'PrefixTransformer':
      case 'SuffixTransformer':
        addPrefixSuffix(acc.resources, typeof cfg.prefix === 'string' ? cfg.prefix : '', typeof cfg.suffix === 'string' ? cfg.suffix : '', specs());
        return;
      case 'NamespaceTransformer': {
        const meta = isMapValue(cfg.metadata) ? cfg.metadata : {};
        const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
        const mode = typeof cfg.setRoleBindingSubjects === 'string' ? cfg.setRoleBindingSubjects : undefined;
        this.wrap(file, () => setNamespace(acc.resources, ns, specs(), { unsetOnly: cfg.unsetOnly === true, ...(mode ? { roleBindingSubjects: mode } : {}) }));
        return;
      }
      case 'LabelTransformer':
        addMapEntries(acc.resources, stringMap(cfg.labels), specs());
        return;
      case 'AnnotationsTransformer':
        addMapEntries(acc.resources, stringMap(cfg.annotations), specs());
        return;
      case 'ImageTagTransformer': {
        const spec = readImage(isMapValue(cfg.imageTag) ? cfg.imageTag : {});
        if (spec) setImages(acc.resources, [spec], specs());
        return;
      }
      case 'ReplicaCountTransformer': {
        const r = isMapValue(cfg.replica) ? cfg.replica : {};
        this.wrap(file, () => setReplicas(acc.resources, typeof r.name === 'string' ? r.name : '', r.count ?? 0, specs()));
        return;
      }
      case 'PatchTransformer':
        this.patchTransformer(t, acc, cfg);
        return;
      case 'PatchStrategicMergeTransformer': {
        const paths = stringList(cfg.paths);
        if (typeof cfg.patches === 'string') paths.push(cfg.patches);
        this.patchesStrategicMerge(t, acc, paths);
        return;
      }
      case 'PatchJson6902Transformer':
        this.json6902(t, acc, { ...cfg, ...(typeof cfg.jsonOp === 'string' ? { patch: cfg.jsonOp } : {}) });
        return;
      case 'ReplacementTransformer': {
        const reps = this.wrap(file, () => readReplacements(cfg.replacements ?? null, (rel) => {
          const p = this.resolveFile(t, rel, 'replacement file');
          const { docs } = readYaml(this.readText(p), p, { duplicateKeys: 'lastWins' });
          return docs.map((d) => d.value);
        }));
        this.wrap(file, () => applyReplacements(acc.resources, reps));
        return;
      }
      case 'SortOrderTransformer':
        this.fail('unable to load builtin SortOrderTransformer.builtin.[noGrp]: sort order can only be set with the sortOptions field of a kustomization', file);
        break;
      default:
        this.fail(`transformer '${kind}' is not a built-in transformer; plugins are not supported`, file);
    }
  }

  /** The map entries of a list field, each with where its nodes are written. */
  private entries(t: Target, field: KustomizationField): [JsonMap, Locate][] {
    const list = t.k.fields[field];
    if (!Array.isArray(list)) return [];
    const out: [JsonMap, Locate][] = [];
    list.forEach((x, i) => {
      if (isMapValue(x)) out.push([x, (below, part) => t.k.nodeAt(field, [i, ...below], part)]);
    });
    return out;
  }

  /** Fails at a node of an entry when its place is known, else at the file. */
  private failNode(message: string, file: string, at: SourcePosition | undefined): never {
    return this.fail(message, file, at ?? {});
  }

  /** Reads a patch's target selector; a pattern that is not a valid regular expression fails at its field. */
  private patchTarget(p: JsonMap, file: string, locate: Locate): Selector | undefined {
    const target = readSelector(p.target);
    if (!target) return undefined;
    try {
      checkSelector(target);
    } catch (e) {
      if (e instanceof SelectorError) this.failNode(e.message, file, locate(['target', e.field]));
      throw e;
    }
    return target;
  }

  /**
   * Fails a strategic merge patch whose own id selects no single resource: at its `metadata.name` when the patch is a
   * file of its own, else at the kustomization entry holding it inline.
   */
  private failPatchId(message: string, doc: ParsedDoc, patchFile: string, kustomizationFile: string, entryAt: SourcePosition | undefined): never {
    if (patchFile !== kustomizationFile) return this.fail(message, patchFile, doc.at ? doc.at(['metadata', 'name'], 'value') : { line: doc.line });
    return this.failNode(message, kustomizationFile, entryAt);
  }

  /** Patch text: inline, or a file (relative to the kustomization). */
  private patchSource(t: Target, p: JsonMap, locate: Locate): { text: string; file: string } {
    const inline = typeof p.patch === 'string' ? p.patch : undefined;
    const path = typeof p.path === 'string' ? p.path : undefined;
    if (inline !== undefined && path !== undefined) this.failNode('patch and path can\'t be set at the same time', t.file, locate(['path'], 'key'));
    if (path !== undefined) {
      const fp = this.resolveFile(t, path, 'patch', () => locate(['path']));
      if (this.kind(fp) !== 'file') {
        const at = locate(['path']);
        if (at) this.fail(`patch file '${path}' does not exist`, t.file, at);
        this.failEntry(t, path, `patch file '${path}' does not exist`);
      }
      return { text: this.readText(fp), file: fp };
    }
    if (inline === undefined) this.failNode('a patch needs patch or path', t.file, locate([]));
    return { text: inline, file: t.file };
  }

  private patchTransformer(t: Target, acc: Acc, p: JsonMap, locate: Locate = NOWHERE): void {
    const target = this.patchTarget(p, t.file, locate);
    const { text, file } = this.patchSource(t, p, locate);
    // Where the patch itself is written (its path, or its inline text), for errors.
    const patchAt = (): SourcePosition | undefined => locate([typeof p.path === 'string' ? 'path' : 'patch']);
    const opts = isMapValue(p.options) ? p.options : {};
    const inline = file === t.file;
    const { docs, problems } = inline ? readInlinePatch(text, file, 'failsafe') : readYaml(text, file, { duplicateKeys: 'lastWins', positions: true });
    if (problems[0]) throw new BuildError(problems[0]);
    const values = docs.map((d) => d.value);
    if (values.length === 1 && Array.isArray(values[0])) {
      if (!target) this.failNode('must specify a target for JSON patch', t.file, patchAt());
      // kustomize converts a JSON patch with sigs.k8s.io/yaml: YAML 1.1 scalars (`yes` is true, `012` is 10).
      const v11 = inline ? readInlinePatch(text, file, 'yaml11') : readYaml(text, file, { duplicateKeys: 'lastWins', schema: 'yaml11' });
      const ops = readOps(v11.docs[0]?.value ?? [], file, (m) => this.fail(m, file));
      this.applyJson6902(acc, target, ops, file, () => this.warnTarget(target, file, t.file, locate));
      return;
    }
    const patchDocs = docs.filter((d) => isMapValue(d.value));
    if (patchDocs.length === 0) this.fail('patch appears to be empty', file);
    for (const d of patchDocs) {
      const patch = d.value as JsonMap;
      if (!target) {
        const pid = patchId(patch);
        const matches = acc.resources.filter((r) => r.allIds().some((id) => idEquals(id, pid)));
        if (matches.length !== 1) {
          const why = matches.length === 0 ? 'no matches' : 'multiple matches';
          this.failPatchId(`no resource matches strategic merge patch "${idString(pid)}": ${why} for Id ${idString(pid)}; failed to find unique target for patch ${idString(pid)}`, d, file, t.file, patchAt());
        }
        this.applySmp(acc, matches[0]!, patch, opts, file, false);
      } else {
        const selected = acc.resources.filter((r) => selects(target, r));
        if (selected.length === 0) this.warnTarget(target, file, t.file, locate);
        for (const r of selected) this.applySmp(acc, r, patch, opts, file, true);
      }
    }
  }

  private warn(message: string, file: string, at?: SourcePosition): void {
    this.warnings.push({ severity: 'warning', message, file, ...at });
  }

  /** Warns that a patch target selects nothing, at the target when its place is known. */
  private warnTarget(target: Selector, patchFile: string, kustomizationFile: string, locate: Locate): void {
    const at = locate(['target']);
    this.warn(`patch target ${describeSelector(target)} matches no resource`, at ? kustomizationFile : patchFile, at);
  }

  private applySmp(acc: Acc, r: Resource, patch: JsonMap, opts: JsonMap, file: string, retarget: boolean): void {
    if (isDeletePatch(patch)) {
      acc.resources.splice(acc.resources.indexOf(r), 1);
      return;
    }
    const { name, namespace, kind } = { name: r.name, namespace: r.namespace, kind: r.kind };
    let pc = patch;
    if (retarget) {
      pc = deepCopy(patch) as JsonMap;
      const meta = isMapValue(pc.metadata) ? pc.metadata : (pc.metadata = {});
      if (opts.allowNameChange !== true) meta.name = name;
      if (namespace !== '') meta.namespace = namespace;
      else delete meta.namespace;
      pc.apiVersion = r.apiVersion;
      if (opts.allowKindChange !== true) pc.kind = kind;
    }
    const lists = this.schema?.listStrategy(r.gvk()) ?? builtinListStrategy(kind);
    const merged = this.wrap(file, () => strategicMerge(r.obj, pc, lists));
    const before = r.curId();
    r.obj = merged;
    if (Object.keys(merged).length === 0) {
      acc.resources.splice(acc.resources.indexOf(r), 1);
      return;
    }
    if (opts.allowKindChange !== true) r.obj.kind = kind;
    if (opts.allowNameChange !== true) r.name = name;
    if (namespace !== '') r.namespace = namespace;
    else if (isMapValue(r.obj.metadata)) delete r.obj.metadata.namespace;
    if (!idEquals(before, r.curId())) r.prevIds.push(before);
  }

  private patchesStrategicMerge(t: Target, acc: Acc, entries: readonly string[]): void {
    if (entries.length === 0) this.failAt(t, 'patchesStrategicMerge', undefined, 'patchesStrategicMerge is empty');
    for (const e of entries) {
      let text: string;
      let file = t.file;
      const p = e.includes('\n') || e.trim().startsWith('{') ? undefined : joinPath(t.dir, e);
      if (p !== undefined && !isRemote(e) && this.kind(p) === 'file') {
        file = this.resolveFile(t, e, 'patch');
        text = this.readText(file);
      } else if (p !== undefined && !/[:\n]/.test(e)) {
        this.failAt(t, 'patchesStrategicMerge', e, `patch file '${e}' does not exist`);
      } else text = e;
      const { docs, problems } = readYaml(text, file, { duplicateKeys: 'lastWins', positions: file !== t.file });
      if (problems[0]) throw new BuildError(problems[0]);
      const patchDocs = docs.filter((d) => isMapValue(d.value));
      if (patchDocs.length === 0) this.fail('patch appears to be empty', file);
      for (const d of patchDocs) {
        const patch = d.value as JsonMap;
        const pid = patchId(patch);
        const matches = acc.resources.filter((r) => r.allIds().some((id) => idEquals(id, pid)));
        const why = matches.length === 0 ? 'no matches' : matches.length > 1 ? 'multiple matches' : undefined;
        if (why) this.failPatchId(`${why} for Id ${idString(pid)}; failed to find unique target for patch ${idString(pid)}`, d, file, t.file, t.k.where('patchesStrategicMerge', e));
        this.applySmp(acc, matches[0]!, patch, {}, file, false);
      }
    }
  }

  private json6902(t: Target, acc: Acc, p: JsonMap, locate: Locate = NOWHERE): void {
    const target = this.patchTarget(p, t.file, locate);
    if (!target) this.failNode('a patchesJson6902 entry needs a target', t.file, locate([]));
    const { text, file } = this.patchSource(t, p, locate);
    const { docs, problems } = readYaml(text, file, { duplicateKeys: 'lastWins', schema: 'yaml11' });
    if (problems[0]) throw new BuildError(problems[0]);
    const v = docs[0]?.value ?? [];
    const ops = readOps(v, file, (m) => this.fail(m, file));
    this.applyJson6902(acc, target, ops, file, () => this.warnTarget(target, file, t.file, locate));
  }

  private applyJson6902(acc: Acc, target: Selector, ops: JsonPatchOp[], file: string, none: () => void): void {
    const selected = acc.resources.filter((r) => selects(target, r));
    if (selected.length === 0) none();
    for (const r of selected) {
      const before = r.curId();
      r.obj = this.wrap(file, () => applyJsonPatch(r.obj, ops));
      if (!idEquals(before, r.curId())) r.prevIds.push(before);
    }
  }
}

/** The built-in IAMPolicyGenerator (GKE workload identity): a ServiceAccount annotated with its Google service account. */
function iamPolicyServiceAccount(cfg: JsonMap, file: string): Resource {
  if (cfg.cloud !== 'gke') throw new GeneratorError(`IAMPolicyGenerator: cloud '${String(cfg.cloud)}' is not supported (only gke)`);
  const ks = isMapValue(cfg.kubernetesService) ? cfg.kubernetesService : {};
  const sa = isMapValue(cfg.serviceAccount) ? cfg.serviceAccount : {};
  const name = typeof ks.name === 'string' ? ks.name : '';
  if (name === '' || typeof sa.name !== 'string' || typeof sa.projectId !== 'string') {
    throw new GeneratorError('IAMPolicyGenerator needs kubernetesService.name, serviceAccount.name and serviceAccount.projectId');
  }
  const meta: JsonMap = { annotations: { 'iam.gke.io/gcp-service-account': `${sa.name}@${sa.projectId}.iam.gserviceaccount.com` }, name };
  if (typeof ks.namespace === 'string' && ks.namespace !== '') meta.namespace = ks.namespace;
  return new Resource({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta }, file);
}

function configuredBy(cfg: JsonMap): { kind: string; name?: string; namespace?: string } {
  const meta = isMapValue(cfg.metadata) ? cfg.metadata : {};
  return {
    kind: typeof cfg.kind === 'string' ? cfg.kind : '',
    ...(typeof meta.name === 'string' ? { name: meta.name } : {}),
    ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
  };
}

function describeSelector(s: Selector): string {
  return Object.entries(s)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}

function readOps(v: Json, _file: string, fail: (m: string) => never): JsonPatchOp[] {
  if (!Array.isArray(v)) fail('a JSON 6902 patch must be a list of operations');
  return v.map((o) => {
    if (!isMapValue(o) || typeof o.op !== 'string' || typeof o.path !== 'string') fail('each JSON 6902 operation needs op and path');
    return { op: o.op, path: o.path, ...(typeof o.from === 'string' ? { from: o.from } : {}), ...('value' in o ? { value: o.value! } : {}) };
  });
}

function patchId(patch: JsonMap): ResId {
  const r = new Resource(patch, '');
  return r.curId();
}

function fieldSpecFrom(s: JsonMap): FieldSpec {
  const out: { -readonly [K in keyof FieldSpec]?: FieldSpec[K] } = { path: s.path as string };
  if (typeof s.group === 'string' && s.group) out.group = s.group;
  if (typeof s.version === 'string' && s.version) out.version = s.version;
  if (typeof s.kind === 'string' && s.kind) out.kind = s.kind;
  if (s.create === true) out.create = true;
  return out as FieldSpec;
}

function readImage(i: JsonMap): ImageSpec | undefined {
  const str = (k: string): string | undefined => {
    const v = i[k];
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'bigint') return String(v);
    return undefined;
  };
  const name = str('name');
  if (!name) return undefined;
  const newName = str('newName');
  const newTag = str('newTag');
  const digest = str('digest');
  return { name, ...(newName ? { newName } : {}), ...(newTag ? { newTag } : {}), ...(digest ? { digest } : {}) };
}

function expandList(obj: JsonMap): JsonMap[] {
  if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
    return obj.items.filter(isMapValue).flatMap(expandList);
  }
  return [obj];
}

// Parsed manifests by path, reused while the text is unchanged (builds of sibling overlays read the same base).
// Bounded by the text it holds, not by entries: `render --all` renders sibling overlays together (a base is reused by
// the next few builds), and a cache of thousands of parsed manifests only held memory (~20 MB per 1,000 apps).
const PARSE_CACHE = new Map<string, { text: string; docs: ParsedDoc[]; problems: Problem[] }>();
const PARSE_CACHE_BYTES = 2 * 1024 * 1024;
let parseCacheBytes = 0;

/** readYaml for resource files, through a small cache; callers get their own copies of the documents. */
function readManifest(text: string, path: string): { docs: ParsedDoc[]; problems: Problem[] } {
  let hit = PARSE_CACHE.get(path);
  if (!hit || hit.text !== text) {
    const parsed = readYaml(text, path, { duplicateKeys: 'error' });
    const old = PARSE_CACHE.get(path);
    if (old) {
      PARSE_CACHE.delete(path);
      parseCacheBytes -= old.text.length;
    }
    hit = { text, docs: parsed.docs, problems: parsed.problems };
    for (const [key, entry] of PARSE_CACHE) {
      if (parseCacheBytes + text.length <= PARSE_CACHE_BYTES) break;
      PARSE_CACHE.delete(key);
      parseCacheBytes -= entry.text.length;
    }
    PARSE_CACHE.set(path, hit);
    parseCacheBytes += text.length;
  }
  return { docs: hit.docs.map((d) => ({ value: deepCopy(d.value), line: d.line })), problems: hit.problems };
}

// Inline patches (`patch: |-` in a kustomization) parsed, by schema and text: a fleet's overlays repeat the same few.
const INLINE_PATCHES = new Map<string, ParsedDoc[]>();
const INLINE_PATCH_BYTES = 256 * 1024;
let inlinePatchBytes = 0;

/** Reads an inline patch's text (no positions), from the cache when the same text parsed cleanly before. */
function readInlinePatch(text: string, file: string, schema: 'failsafe' | 'yaml11'): { docs: ParsedDoc[]; problems: Problem[] } {
  const key = `${schema}\0${text}`;
  let docs = INLINE_PATCHES.get(key);
  if (!docs) {
    const parsed = readYaml(text, file, schema === 'yaml11' ? { duplicateKeys: 'lastWins', schema: 'yaml11' } : { duplicateKeys: 'lastWins' });
    // Problems name the kustomization file: a failing text is read again each time.
    if (parsed.problems.length > 0) return parsed;
    docs = parsed.docs;
    for (const [k] of INLINE_PATCHES) {
      if (inlinePatchBytes + key.length <= INLINE_PATCH_BYTES) break;
      INLINE_PATCHES.delete(k);
      inlinePatchBytes -= k.length;
    }
    INLINE_PATCHES.set(key, docs);
    inlinePatchBytes += key.length;
  }
  return { docs: docs.map((d) => ({ value: deepCopy(d.value), line: d.line })), problems: [] };
}

/** kustomize holds labels and annotations as strings: `happy: true` becomes "true". */
function normaliseMetadata(obj: JsonMap): void {
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

function newAcc(): Acc {
  return { resources: [], config: EMPTY_CONFIG, ownConfig: false, vars: [] };
}

function emptyConfig(): TransformerConfig {
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

/** Builds the kustomization (or plain manifest folder) at `path` like `kustomize build path`. */
export function kustomizeBuild(tree: FileTree, path: string, options: KustomizeOptions = {}): KustomizeResult {
  const b = new Builder(tree, options);
  try {
    return b.build(path);
  } catch (e) {
    const p: Problem =
      e instanceof BuildError
        ? e.problem
        : problem(`kustomize build failed: ${e instanceof Error ? e.message : String(e)}`, { file: path });
    return { resources: [], yaml: '', problems: [p], files: [...b.files].sort() };
  }
}


/** A copy of a JSON value with every map's keys in sorted order (as Go's YAML marshals a map). */
function sortedKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (!isMapValue(v)) return v;
  const out: JsonMap = {};
  for (const k of Object.keys(v).sort()) out[k] = sortedKeys(v[k]!);
  return out;
}
