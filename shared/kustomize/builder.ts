/**
 * The kustomize build's core: the Builder holds one build's state, reads files through the load restrictor, loads
 * kustomizations and manifests, and runs the top-level pipeline (accumulate, hash, name references, vars, sort, print).
 */
import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import { problem } from '../problem';
import type { FileTree } from '../repo/file-tree';
import { linkResolution } from '../repo/file-tree';
import { joinPath, normalizePath } from '../repo/paths';
import type { SourcePosition } from '../yaml/node-position';
import type { BaseBuilds } from './base-cache';
import { baseBuildsOf } from './base-cache';
import { accumulateTarget } from './build-accumulate';
import type { Acc, IdIndex, KustomizeOptions, KustomizeResult, Locate, Target } from './build-types';
import { BuildError, expandList, isRemote, isUnder, newAcc, normaliseMetadata, relativePath } from './build-types';
import { GeneratorError } from './generators';
import type { KustomizationField } from './kustomization';
import { KUSTOMIZATION_FILE_NAMES, parseKustomization, stringList } from './kustomization';
import { readManifest } from './manifest-cache';
import { OpenApiSchema } from './openapi';
import { PatchError } from './patch';
import { idString, Resource } from './resource';
import { SelectorError } from './select';
import { legacySort } from './sort';
import { addHashSuffixes, fixNameReferences, resolveVars, TransformError } from './transformers';
import type { JsonMap } from './yaml';
import { emitYaml, isMapValue, readYaml, UnsupportedValueError } from './yaml';

/** The kustomization fields whose entries name files or folders, searched to point an error at its entry. */
const ENTRY_FIELDS: readonly KustomizationField[] = [
  'resources', 'components', 'crds', 'patches', 'patchesStrategicMerge', 'patchesJson6902', 'configurations', 'generators',
  'transformers', 'validators', 'configMapGenerator', 'secretGenerator', 'replacements',
];

/** One build: its state (files read, warnings, base builds, schema, buildMetadata) and its core steps. */
export class Builder {
  /** Files read or looked for (swapped for a fresh set while a cacheable base is built, to record what it read). */
  files = new Set<string>();
  /** Folders entered so far by the base builds being recorded (innermost last), for their cycle checks. */
  readonly entering: { dir: string; file: string }[][] = [];
  /** Helm runs so far: a base that ran helm is not cached (its output depends on the cluster's capabilities). */
  helmRuns = 0;
  /** Base builds shared across the builds of this tree's commit (undefined when the tree has no revision). */
  readonly bases: BaseBuilds | undefined;
  /** Id indexes of accumulators, valid while no transformer has run since (`renames` counts transformer runs). */
  readonly idIndex = new WeakMap<Acc, IdIndex>();
  renames = 0;
  readonly warnings: Problem[] = [];
  /** buildMetadata of the top kustomization (it applies to every kustomization the build reaches). */
  originAnnotations = false;
  transformerAnnotations = false;
  topDir = '';
  /** The custom OpenAPI schema in effect (the outermost kustomization that sets `openapi` wins, as in kustomize). */
  schemaSet = false;
  schema: OpenApiSchema | undefined;

  constructor(
    readonly tree: FileTree,
    readonly options: KustomizeOptions,
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
  failEntry(t: Target, value: string, message: string): never {
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
  refuseLink(path: string): void {
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
    const acc = accumulateTarget(this, t, newAcc(), [root]);
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

  order(t: Target, res: Resource[]): Resource[] {
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

  result(res: readonly Resource[]): KustomizeResult {
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
  buildDirectory(dir: string): KustomizeResult {
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

  wrap<T>(file: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof BuildError) throw e;
      if (e instanceof TransformError || e instanceof PatchError || e instanceof GeneratorError || e instanceof SelectorError) this.fail(e.message, file);
      throw e;
    }
  }

  withOrigin(r: Resource, configuredIn: string, by: { kind: string; name?: string; namespace?: string }): Resource {
    if (!this.originAnnotations) return r;
    let text = `configuredIn: ${relativePath(this.topDir, configuredIn)}\nconfiguredBy:\n  apiVersion: builtin\n  kind: ${by.kind}\n`;
    if (by.name) text += `  name: ${by.name}\n`;
    if (by.namespace) text += `  namespace: ${by.namespace}\n`;
    r.metadata.annotations = { ...r.annotations(), 'config.kubernetes.io/origin': text };
    return r;
  }

  /** Records a transformer run on every resource (`buildMetadata: [transformerAnnotations]`). */
  recordTransformer(acc: Acc, configuredIn: string, by: { kind: string; name?: string; namespace?: string }): void {
    if (!this.transformerAnnotations) return;
    let text = `- configuredIn: ${relativePath(this.topDir, configuredIn)}\n  configuredBy:\n    apiVersion: builtin\n    kind: ${by.kind}\n`;
    if (by.name) text += `    name: ${by.name}\n`;
    if (by.namespace) text += `    namespace: ${by.namespace}\n`;
    for (const r of acc.resources) r.transformations.push(text);
  }

  /** The map entries of a list field, each with where its nodes are written. */
  entries(t: Target, field: KustomizationField): [JsonMap, Locate][] {
    const list = t.k.fields[field];
    if (!Array.isArray(list)) return [];
    const out: [JsonMap, Locate][] = [];
    list.forEach((x, i) => {
      if (isMapValue(x)) out.push([x, (below, part) => t.k.nodeAt(field, [i, ...below], part)]);
    });
    return out;
  }

  /** Fails at a node of an entry when its place is known, else at the file. */
  failNode(message: string, file: string, at: SourcePosition | undefined): never {
    return this.fail(message, file, at ?? {});
  }

  warn(message: string, file: string, at?: SourcePosition): void {
    this.warnings.push({ severity: 'warning', message, file, ...at });
  }
}
