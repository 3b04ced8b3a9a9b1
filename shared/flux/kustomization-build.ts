import type { HelmRunner } from '../kustomize';
import { kustomizeBuild } from '../kustomize';
import { kustomizationFromFields } from '../kustomize/kustomization';
import type { JsonMap } from '../kustomize/yaml';
import { emitYaml, isMapValue, UnsupportedValueError } from '../kustomize/yaml';
import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import { problem } from '../problem';
import type { FileTree } from '../repo/file-tree';
import { generateKustomization, WithFileTree } from './generator';
import { ownerLabels, withMetadata } from './metadata';
import { gvkString, loadVariables, substituteObject } from './substitute';
import type { FluxKustomizationSpec, FluxObjectStore } from './types';
import { decodeKustomization, KUSTOMIZE_GROUP } from './types';

// A Flux Kustomization rendered as kustomize-controller builds and applies it (`reconcile` → `generate` → `build`):
// the path joined securely inside the artifact, the kustomization generated or edited (generator.ts), `kustomize build`
// with no load restriction inside the artifact, post-build substitution per object, `List`s expanded, then the owner
// labels and `commonMetadata`. Every failure is a Problem naming the Kustomization (file and line where it is known).

/** The fields Flux's generator sets in a kustomization file it edits. */
const FLUX_FIELDS = ['namespace', 'namePrefix', 'nameSuffix', 'patches', 'components', 'images', 'buildMetadata'] as const;
/** The fields of a kustomization file it creates. */
const GENERATED_FIELDS = [...FLUX_FIELDS, 'resources', 'apiVersion', 'kind'] as const;

/** Where the Kustomization (or HelmRelease) is declared, for Problems. */
export interface FluxWhere {
  readonly app?: string;
  readonly file?: string;
  readonly line?: number;
  readonly cluster?: string;
}

/** Everything one Kustomization render needs. */
export interface FluxKustomizationInput {
  /** The Kustomization object as declared. */
  readonly object: JsonMap;
  /** The source artifact (a GitRepository's files after source-controller's exclusions). */
  readonly artifact: FileTree;
  /** The ConfigMaps and Secrets `substituteFrom` reads. */
  readonly store: FluxObjectStore;
  readonly where: FluxWhere;
  /** For kustomize `helmCharts:` inside the path. */
  readonly helm?: HelmRunner;
}

/** What a Flux object rendered to. */
export interface FluxRenderResult {
  readonly objects: readonly KubeObject[];
  readonly yaml: string;
  readonly problems: readonly Problem[];
  /** In a person's words: "Flux Kustomization at ./apps/staging with targetNamespace web; …". */
  readonly description: string;
  /** Artifact files the build read (for cache invalidation). */
  readonly files: readonly string[];
}

/** `securejoin.SecureJoin(root, path)`: `..` never climbs above the root; the repo-relative result. */
export function secureJoin(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

/** "Flux Kustomization at ./apps with targetNamespace web; namePrefix p-; …". */
export function describeKustomization(spec: FluxKustomizationSpec): string {
  const opts = [
    spec.targetNamespace !== undefined ? `targetNamespace ${spec.targetNamespace}` : '',
    spec.namePrefix !== undefined ? `namePrefix ${spec.namePrefix}` : '',
    spec.nameSuffix !== undefined ? `nameSuffix ${spec.nameSuffix}` : '',
    spec.images.length ? `images ${spec.images.map((i) => `${i.name}${i.newName ? `=${i.newName}` : ''}${i.newTag ? `:${i.newTag}` : ''}${i.digest ? `@${i.digest}` : ''}`).join(', ')}` : '',
    spec.patches.length ? `${spec.patches.length} patch${spec.patches.length === 1 ? '' : 'es'}` : '',
    spec.components.length ? `components ${spec.components.join(', ')}` : '',
    spec.postBuild ? `postBuild substitution (${Object.keys(spec.postBuild.substitute).length} inline, ${spec.postBuild.substituteFrom.length} from objects)` : '',
  ].filter(Boolean);
  return `Flux Kustomization at ./${secureJoin(spec.path)}${opts.length ? ` with ${opts.join('; ')}` : ''}`;
}

/** Renders a Flux Kustomization as kustomize-controller would apply it. */
export function renderFluxKustomization(input: FluxKustomizationInput): FluxRenderResult {
  const where = { ...input.where };
  const fail = (message: string, at: { file?: string; line?: number } = {}, description = 'Flux Kustomization', files: readonly string[] = []): FluxRenderResult => ({
    objects: [],
    yaml: '',
    problems: [problem(message, { ...where, ...at })],
    description,
    files,
  });
  const decoded = decodeKustomization(input.object);
  if ('error' in decoded) return fail(decoded.error);
  const { spec, name, namespace } = decoded;
  const description = describeKustomization(spec);
  const dir = secureJoin(spec.path);
  if (input.artifact.kind(dir) === undefined) return fail(`kustomization path not found: stat <root>/${dir}: no such file or directory (spec.path ${JSON.stringify(spec.path)})`, {}, description);
  const generated = generateKustomization(input.artifact, dir, spec);
  if ('error' in generated) return fail(generated.error, generated.file !== undefined ? { file: generated.file, ...(generated.line ? { line: generated.line } : {}) } : {}, description);
  // The generated fields go to the build as they are: printing them and parsing the text back (as Flux writes and
  // kustomize reads the file) gives the same kustomization. A kustomization they do not make is left to the build to
  // read from the text, for kustomize's own error.
  const made = kustomizationFromFields(generated.doc, generated.created ? [...GENERATED_FIELDS] : FLUX_FIELDS, generated.original);
  const tree = new WithFileTree(input.artifact, generated.file, () => emitYaml(generated.doc));
  const built = kustomizeBuild(tree, dir, {
    loadRestrictor: 'none',
    print: false,
    ...(made.k ? { kustomizations: new Map([[generated.file, made.k]]) } : {}),
    ...(input.helm ? { helm: input.helm } : {}),
  });
  const files = built.files;
  const buildErrors = built.problems.filter((p) => p.severity === 'error');
  if (buildErrors.length > 0) {
    // A Problem located in the generated kustomization is the Kustomization's own: point at the Flux object.
    const problems = built.problems.map((p) => {
      const own = generated.created && p.file === generated.file;
      const message = p.message.startsWith('kustomize build failed') ? p.message : `kustomize build failed: ${p.message}`;
      return own || p.file === undefined ? { ...p, ...where, message } : { ...p, message, ...(where.app ? { app: where.app } : {}), ...(where.cluster ? { cluster: where.cluster } : {}) };
    });
    return { objects: [], yaml: '', problems, description, files };
  }
  const out: JsonMap[] = [];
  // Loaded once, when the first object that does not opt out needs them (an error only then, as Flux's).
  let loaded: ReturnType<typeof loadVariables> | undefined;
  const variables = (): ReturnType<typeof loadVariables> => (loaded ??= loadVariables(spec, namespace, input.store));
  for (const res of built.resources as JsonMap[]) {
    const meta = isMapValue(res['metadata']) ? res['metadata'] : {};
    if (!res['apiVersion'] || !res['kind'] || !meta['name']) return fail(`failed to decode Kubernetes apiVersion, kind and name from: ${JSON.stringify(res).slice(0, 300)}`, {}, description, files);
    if (spec.postBuild) {
      const s = substituteObject(res, spec, namespace, input.store, variables);
      if ('error' in s) return fail(`post build failed for '${gvkString(res)}/${String(meta['name'])}': ${s.error}`, {}, description, files);
      out.push(s.obj);
    } else out.push(res);
  }
  const expanded: JsonMap[] = [];
  for (const o of out) {
    if (typeof o['apiVersion'] === 'string' && o['apiVersion'].startsWith('kustomize.config.k8s.io/') && (o['kind'] === 'Kustomization' || o['kind'] === 'Component')) continue;
    if (o['apiVersion'] === 'v1' && o['kind'] === 'List' && Array.isArray(o['items'])) {
      for (const item of o['items']) if (isMapValue(item)) expanded.push(item);
    } else expanded.push(o);
  }
  // The owner labels, then commonMetadata over them (equal keys: commonMetadata's), in one copy of each object.
  const labels = { ...ownerLabels(KUSTOMIZE_GROUP, name, namespace), ...(spec.commonMetadata?.labels ?? {}) };
  const objects = expanded.map((o) => withMetadata(o, labels, spec.commonMetadata?.annotations)) as KubeObject[];
  // The one print of the result (the build printed nothing): a value kustomize cannot print is Flux's build error.
  const printed: string[] = [];
  for (const o of objects) {
    try {
      printed.push(emitYaml(o as JsonMap));
    } catch (e) {
      if (e instanceof UnsupportedValueError) return fail(`kustomize build failed: ${e.message}`, {}, description, files);
      throw e;
    }
  }
  return { objects, yaml: printed.join('---\n'), problems: built.problems, description, files };
}
