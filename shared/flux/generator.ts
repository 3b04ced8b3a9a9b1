import type { Kustomization } from '../kustomize/kustomization';
import { KUSTOMIZATION_FILE_NAMES, parseKustomization } from '../kustomize/kustomization';
import type { Json, JsonMap } from '../kustomize/yaml';
import { isMapValue, readYaml } from '../kustomize/yaml';
import type { DirEntry, FileTree, LinkResolution, TreeOverlay } from '../repo/file-tree';
import { normalizePath } from '../repo/paths';
import type { FluxKustomizationSpec } from './types';

// kustomize-controller's generator (fluxcd/pkg/kustomize `Generator.WriteFile`): where the path has no kustomization
// file, one listing every `.yaml`/`.yml` below it (parse-checked; a folder holding a kustomization is listed whole and
// not descended into); then the Kustomization's `targetNamespace`, `namePrefix`, `nameSuffix`, `patches` (after the
// file's own), `components` (local only; missing ones skipped with `ignoreMissingComponents`) and `images` (merged by
// name) are written into it. The repository is never written: the result is laid over the tree.

/**
 * The kustomization file to build with — its fields (`doc`, as Flux writes them to the file), and the parsed file they
 * were derived from (`original`, for positions) — or the error Flux reports (with the file it is about).
 */
export type GeneratedKustomization =
  | { readonly file: string; readonly doc: JsonMap; readonly created: boolean; readonly original?: Kustomization }
  | { readonly error: string; readonly file?: string; readonly line?: number };

const join = (dir: string, name: string): string => (dir === '' ? name : `${dir}/${name}`);

/** Whether a component path is local and relative (kustomize's remote-URL prefixes and absolute paths are not). */
export function isLocalRelativePath(path: string): boolean {
  for (const p of ['git::', 'gh:', 'ssh://', 'https://', 'http://', 'git@', 'github.com:', 'github.com/']) {
    if (p.length < path.length && path.slice(0, p.length).toLowerCase() === p) return false;
  }
  return !path.startsWith('/') && !path.toLowerCase().replace(/^file:\/\//, '').startsWith('/');
}

/** The kustomization file of a folder, if it has one (first of kustomize's recognised names). */
export function kustomizationFileIn(tree: FileTree, dir: string): string | undefined {
  for (const n of KUSTOMIZATION_FILE_NAMES) if (tree.kind(join(dir, n)) === 'file') return join(dir, n);
  return undefined;
}

/** Every manifest below `dir` as Flux lists it, or the file that fails to parse as Kubernetes YAML. */
function scanManifests(tree: FileTree, dir: string): { resources: string[] } | { error: string; file: string; line?: number } {
  const resources: string[] = [];
  const visit = (d: string): { error: string; file: string; line?: number } | undefined => {
    for (const e of tree.list(d) ?? []) {
      const p = join(d, e.name);
      if (e.kind === 'dir') {
        if (kustomizationFileIn(tree, p)) resources.push(`./${p.slice(dir === '' ? 0 : dir.length + 1)}`);
        else {
          const err = visit(p);
          if (err) return err;
        }
        continue;
      }
      if (!/\.ya?ml$/.test(e.name)) continue;
      const text = tree.read(p) ?? '';
      const { docs, problems } = readYaml(text, p, { duplicateKeys: 'lastWins' });
      if (problems.length > 0) return { error: `failed to decode Kubernetes YAML from ${p}: MalformedYAMLError: ${problems[0]!.message}`, file: p, ...(problems[0]!.line ? { line: problems[0]!.line } : {}) };
      for (const doc of docs) {
        if (doc.value === null) continue;
        if (!isMapValue(doc.value) || !isMapValue(doc.value['metadata'])) return { error: `failed to decode Kubernetes YAML from ${p}: missing Resource metadata`, file: p, line: doc.line };
      }
      resources.push(`./${p.slice(dir === '' ? 0 : dir.length + 1)}`);
    }
    return undefined;
  };
  const err = visit(dir);
  return err ?? { resources };
}

/** A selector as Flux adapts it to kustomize's (`adaptSelector`): only the fields kustomize knows, empty ones left out. */
function adaptSelector(sel: Json | undefined): JsonMap | undefined {
  if (!isMapValue(sel)) return undefined;
  const out: JsonMap = {};
  for (const k of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector']) {
    const v = sel[k];
    if (typeof v === 'string' && v !== '') out[k] = v;
  }
  return out;
}

/** Generates the kustomization Flux builds at `dir` of `tree` (the artifact) for the Kustomization `spec`. */
export function generateKustomization(tree: FileTree, dir: string, spec: FluxKustomizationSpec): GeneratedKustomization {
  const existing = kustomizationFileIn(tree, dir);
  let fields: JsonMap;
  let file: string;
  let original: Kustomization | undefined;
  if (existing) {
    file = existing;
    const parsed = parseKustomization(tree.read(existing) ?? '', existing);
    if (parsed.error && parsed.error.message !== 'kustomization.yaml is empty') return { error: parsed.error.message, file: existing, ...(parsed.error.line ? { line: parsed.error.line } : {}) };
    original = parsed.k;
    fields = { ...((parsed.k?.fields ?? {}) as JsonMap) };
    delete fields['bases'];
    delete fields['imageTags'];
    delete fields['helmChartInflationGenerator'];
    for (const [k, v] of Object.entries(fields)) if (v === null) delete fields[k];
    const resources = fields['resources'];
    if (!Array.isArray(resources) || resources.length === 0) fields['buildMetadata'] = ['originAnnotations'];
  } else {
    file = join(dir, 'kustomization.yaml');
    const scanned = scanManifests(tree, dir);
    if ('error' in scanned) return scanned;
    fields = scanned.resources.length === 0 ? { namespace: '_placeholder' } : { resources: scanned.resources };
  }
  if (spec.targetNamespace !== undefined) fields['namespace'] = spec.targetNamespace;
  if (spec.namePrefix !== undefined) fields['namePrefix'] = spec.namePrefix;
  if (spec.nameSuffix !== undefined) fields['nameSuffix'] = spec.nameSuffix;
  if (spec.patches.length > 0) {
    const patches = Array.isArray(fields['patches']) ? [...fields['patches']] : [];
    for (const p of spec.patches) {
      const target = adaptSelector(p.target);
      patches.push({ ...(p.patch !== undefined ? { patch: p.patch } : {}), ...(target ? { target } : {}) });
    }
    fields['patches'] = patches;
  }
  const components: Json[] = Array.isArray(fields['components']) ? [...fields['components']] : [];
  for (const c of spec.components) {
    if (!isLocalRelativePath(c)) return { error: `component path '${c}' must be local and relative` };
    const at = normalizePath(join(dir, c));
    if (spec.ignoreMissingComponents && (at === undefined || tree.kind(at) === undefined)) continue;
    components.push(c);
  }
  if (components.length > 0) fields['components'] = components;
  if (spec.images.length > 0) {
    const images = (Array.isArray(fields['images']) ? fields['images'] : []).map((i) => (isMapValue(i) ? { ...i } : i));
    for (const img of spec.images) {
      const at = images.findIndex((i) => isMapValue(i) && i['name'] === img.name);
      if (at >= 0) {
        const cur = images[at] as JsonMap;
        if (img.newName) cur['newName'] = img.newName;
        if (img.newTag || img.digest) {
          if (img.newTag) cur['newTag'] = img.newTag;
          else delete cur['newTag'];
          if (img.digest) cur['digest'] = img.digest;
          else delete cur['digest'];
        }
      } else {
        images.push({ name: img.name, ...(img.newName ? { newName: img.newName } : {}), ...(img.newTag ? { newTag: img.newTag } : {}), ...(img.digest ? { digest: img.digest } : {}) });
      }
    }
    fields['images'] = images;
  }
  for (const k of ['namespace', 'namePrefix', 'nameSuffix']) if (fields[k] === '') delete fields[k];
  return { file, doc: { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...fields }, created: !existing, ...(original ? { original } : {}) };
}

/** A tree with one file added or replaced (the generated kustomization), listed in its folder; its text made when read. */
export class WithFileTree implements FileTree {
  private readonly name: string;
  private readonly dir: string;
  private made: string | undefined;

  constructor(
    private readonly base: FileTree,
    private readonly file: string,
    private readonly content: string | (() => string),
  ) {
    const at = file.lastIndexOf('/');
    this.dir = at < 0 ? '' : file.slice(0, at);
    this.name = file.slice(at + 1);
  }

  private get text(): string {
    if (this.made === undefined) this.made = typeof this.content === 'string' ? this.content : this.content();
    return this.made;
  }

  /**
   * The wrapped tree's commit: the content differs from it only at the generated file and in its folder's listing,
   * and `overlayOf` says so. Caches keyed by the commit honour that: base-cache.ts shares with the wrapped tree only
   * the base builds that read neither path, and KustomizeCache (keyed by folder and commit) does not cache such a
   * tree. Source-controller's exclusions are no difference here: they live in the wrapped tree (one ArtifactFileTree
   * per repository tree and ignore text, so one base-build cache per filter, apart from the unfiltered tree's).
   */
  get revision(): string | undefined {
    return this.base.revision;
  }

  /** The wrapped tree with the generated file and its folder changed. */
  get overlayOf(): TreeOverlay {
    return { tree: this.base, changed: [this.file, this.dir] };
  }

  read(path: string): string | undefined {
    return normalizePath(path) === this.file ? this.text : this.base.read(path);
  }

  readBytes(path: string): Uint8Array | undefined {
    return normalizePath(path) === this.file ? new TextEncoder().encode(this.text) : this.base.readBytes(path);
  }

  list(path: string): readonly DirEntry[] | undefined {
    const entries = this.base.list(path);
    if (normalizePath(path) !== this.dir || !entries || entries.some((e) => e.name === this.name)) return entries;
    return [...entries, { name: this.name, kind: 'file' as const }].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  kind(path: string): 'file' | 'dir' | undefined {
    return normalizePath(path) === this.file ? 'file' : this.base.kind(path);
  }

  readLink(path: string): string | undefined {
    return normalizePath(path) === this.file ? undefined : this.base.readLink?.(path);
  }

  resolveLinks(path: string): LinkResolution | undefined {
    if (normalizePath(path) === this.file) return { path: this.file };
    if (this.base.resolveLinks) return this.base.resolveLinks(path);
    const n = normalizePath(path);
    return n !== undefined && this.base.kind(n) !== undefined ? { path: n } : undefined;
  }
}
