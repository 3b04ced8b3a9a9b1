/**
 * Resource accumulation of the kustomize build: a kustomization's resources (files, folders, nested kustomizations and
 * shared base builds), cycle checks, field-spec configurations and CRD-derived field specs.
 */
import { linkResolution } from '../repo/file-tree';
import { joinPath } from '../repo/paths';
import type { SourcePosition } from '../yaml/node-position';
import { runGenerators } from './build-generators';
import { runTransformers } from './build-transformers';
import type { Acc, Target } from './build-types';
import { BuildError, DEFAULT_CONFIG, emptyConfig, IdIndex, idKey, isRemote, isUnder, mergeAccConfig, newAcc, ownConfig, relativePath } from './build-types';
import type { Builder } from './builder';
import type { TransformerConfig } from './field-specs';
import { mergeConfig, readConfig } from './field-specs';
import { mapList, stringList } from './kustomization';
import type { Resource } from './resource';
import { idString, parseApiVersion } from './resource';
import type { Var } from './transformers';
import { bindVar, readObjRef } from './transformers';
import type { JsonMap } from './yaml';
import { isMapValue, readYaml } from './yaml';

/** Accumulates one kustomization: its resources, configurations, CRDs, generators, components, transformers and vars. */
export function accumulateTarget(b: Builder, t: Target, acc: Acc, chain: readonly string[]): Acc {
  const f = t.k.fields;
  accumulateResources(b, t, acc, stringList(f.resources), chain);
  // Like kustomize: the kustomization's configurations first, then the built-in field specs that they do not
  // already cover (a custom spec for a path and kind shadows the built-in one for that path).
  const configurations = stringList(f.configurations);
  if (configurations.length === 0) mergeAccConfig(acc, DEFAULT_CONFIG);
  else {
    const custom = emptyConfig();
    for (const c of configurations) {
      const p = b.resolveFile(t, c, 'configuration');
      const { docs, problems } = readYaml(b.readText(p), p, { duplicateKeys: 'lastWins', schema: 'yaml11' });
      if (problems[0]) throw new BuildError(problems[0]);
      for (const d of docs) if (isMapValue(d.value)) mergeConfig(custom, readConfig(d.value));
    }
    mergeConfig(custom, DEFAULT_CONFIG);
    mergeAccConfig(acc, custom);
  }
  for (const c of stringList(f.crds)) {
    const p = b.resolveFile(t, c, 'crd');
    loadCrdConfig(b, p, ownConfig(acc));
  }
  runGenerators(b, t, acc);
  for (const c of stringList(f.components)) {
    const p = resolveDir(b, t, c, 'component');
    if (b.kind(p) === 'file') b.failAt(t, 'components', c, `must build at directory: '${p}': component '${c}' must be a folder holding a kustomization of kind Component`);
    const sub = b.loadTarget(p);
    if (!sub) b.failAt(t, 'components', c, `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in component folder '${p}'`);
    if (sub.k.kind !== 'Component') b.fail(`accumulating components: expected kind 'Component' for path '${p}' but got '${sub.k.kind}'`, sub.file);
    checkCycle(b, chain, p, t.file);
    accumulateTarget(b, sub, acc, [...chain, p]);
  }
  runTransformers(b, t, acc);
  for (const v of mapList(f.vars)) {
    const name = typeof v.name === 'string' ? v.name : '';
    const objref = isMapValue(v.objref) ? readObjRef(v.objref) : readObjRef({});
    const fr = isMapValue(v.fieldref) && typeof v.fieldref.fieldPath === 'string' && v.fieldref.fieldPath !== '' ? v.fieldref.fieldPath : 'metadata.name';
    const theVar: Var = { name, objref, fieldpath: fr };
    b.wrap(t.file, () => bindVar(acc.resources, theVar));
    if (acc.vars.some((x) => x.name === name)) b.fail(`var '${name}' already encountered`, t.file);
    acc.vars.push(theVar);
  }
  return acc;
}

/** Resolves a folder written in a kustomization (a component or base), failing at its entry when it is no folder. */
export function resolveDir(b: Builder, t: Target, rel: string, what: string): string {
  if (isRemote(rel)) b.failEntry(t, rel, `${what} '${rel}' is a remote URL; remote bases are not supported`);
  const p = rel.startsWith('/') ? undefined : joinPath(t.dir, rel);
  if (p === undefined) b.failEntry(t, rel, `${what} '${rel}' leaves the repository root`);
  return p;
}

/** Fails when a folder is already on the chain of kustomizations being accumulated (a cycle). */
export function checkCycle(b: Builder, chain: readonly string[], p: string, file: string): void {
  for (const log of b.entering) log.push({ dir: p, file });
  for (const c of chain) {
    if (isUnder(c, p)) b.fail(`cycle detected: candidate root '${p || '.'}' contains visited root '${c || '.'}'`, file);
  }
}

/** Adds the resources a kustomization lists: manifest files, plain folders and nested kustomizations. */
export function accumulateResources(b: Builder, t: Target, acc: Acc, paths: readonly string[], chain: readonly string[]): void {
  for (const rel of paths) {
    if (isRemote(rel)) b.failAt(t, 'resources', rel, `resource '${rel}' is a remote URL; remote resources are not supported`);
    const p = rel.startsWith('/') ? undefined : joinPath(t.dir, rel);
    if (p === undefined) b.failAt(t, 'resources', rel, `resource '${rel}' leaves the repository root`);
    // A symbolic link out of the repository fails at the entry that names it, not at the link.
    const link = linkResolution(b.tree, p);
    if (link && 'refused' in link) b.failAt(t, 'resources', rel, link.refused);
    const kind = b.kind(p);
    if (kind === 'file') {
      b.resolveFile(t, rel, 'resource');
      for (const r of b.loadResourceFile(p)) {
        r.root = t.dir;
        if (b.originAnnotations) r.metadata.annotations = { ...r.annotations(), 'config.kubernetes.io/origin': `path: ${relativePath(b.topDir, p)}\n` };
        append(b, acc, r, t.file, () => t.k.where('resources', rel));
      }
    } else if (kind === 'dir') {
      checkCycle(b, chain, p, t.file);
      const { acc: subAcc, file: subFile } = accumulateBase(b, t, rel, p, chain);
      for (const r of subAcc.resources) append(b, acc, r, t.file, () => t.k.where('resources', rel));
      mergeAccConfig(acc, subAcc.config);
      for (const v of subAcc.vars) {
        if (acc.vars.some((x) => x.name === v.name)) b.fail(`var '${v.name}' already encountered`, subFile);
        acc.vars.push(v);
      }
    } else {
      b.failAt(t, 'resources', rel, `accumulating resources: '${rel}' does not exist (looked for ${p})`);
    }
  }
}

/** Builds the base folder `p` (an entry `rel` of `t`'s resources), or copies its build from the commit's cache. */
export function accumulateBase(b: Builder, t: Target, rel: string, p: string, chain: readonly string[]): { acc: Acc; file: string } {
  const build = (): { acc: Acc; file: string } => {
    const sub = b.loadTarget(p);
    if (!sub) b.failAt(t, 'resources', rel, `accumulating resources: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${p}' (resource '${rel}')`);
    if (sub.k.kind === 'Component') b.failAt(t, 'resources', rel, `expected kind != 'Component' for path '${p}'`);
    return { acc: accumulateTarget(b, sub, newAcc(), [...chain, p]), file: sub.file };
  };
  // A custom schema set by an includer changes how the base's patches merge: such builds are not shared.
  if (!b.bases || b.schemaSet) return build();
  // What else the base's build depends on: the build flags, and where the top kustomization is when buildMetadata
  // writes paths relative to it (origin and transformer annotations).
  const o = b.options;
  const key = [p, o.loadRestrictor ?? 'rootOnly', o.enableHelm === false ? 'nohelm' : 'helm', b.originAnnotations ? 'origin' : '', b.transformerAnnotations ? 'transformers' : '', b.originAnnotations || b.transformerAnnotations ? b.topDir : ''].join('\0');
  const hit = b.bases.get(key);
  if (hit) {
    for (const e of hit.entered) checkCycle(b, chain, e.dir, e.file);
    for (const f of hit.files) b.files.add(f);
    b.warnings.push(...hit.warnings);
    if (hit.schema) {
      b.schemaSet = true;
      b.schema = hit.schema.value;
    }
    b.renames++;
    return { acc: { resources: hit.resources.map((r) => r.clone()), config: hit.config, ownConfig: false, vars: [...hit.vars] }, file: hit.file };
  }
  const outerFiles = b.files;
  const warningsBefore = b.warnings.length;
  const helmBefore = b.helmRuns;
  const entered: { dir: string; file: string }[] = [];
  b.files = new Set();
  b.entering.push(entered);
  const inner = b.files;
  let built: { acc: Acc; file: string };
  try {
    built = build();
  } finally {
    b.entering.pop();
    b.files = outerFiles;
    for (const f of inner) outerFiles.add(f);
  }
  const subAcc = built.acc;
  if (b.helmRuns === helmBefore) {
    b.bases.set(key, {
      resources: subAcc.resources.map((r) => r.clone()),
      config: subAcc.config,
      vars: [...subAcc.vars],
      file: built.file,
      files: [...inner],
      warnings: b.warnings.slice(warningsBefore),
      entered,
      ...(b.schemaSet ? { schema: { value: b.schema } } : {}),
    });
  }
  return built;
}

/** Adds a resource, refusing a second one with the same id; `at` finds the entry that brought it in (only on a clash). */
export function append(b: Builder, acc: Acc, r: Resource, file: string, at?: () => SourcePosition | undefined): void {
  // An index of current ids, rebuilt when resources were renamed or removed since it was made.
  let index = b.idIndex.get(acc);
  if (!index || index.size !== acc.resources.length || index.stamp !== b.renames) {
    index = new IdIndex(acc.resources, b.renames);
    b.idIndex.set(acc, index);
  }
  const id = r.curId();
  const key = idKey(id);
  const clash = index.get(key);
  if (clash) b.fail(`may not add resource with an already registered id: ${idString(id)} (from ${r.file}; already added from ${clash.file})`, file, { ...at?.(), resource: idString(id) });
  acc.resources.push(r);
  index.add(key, r);
}

/**
 * `crds:` — OpenAPI definitions (kube-openapi's `{ "<type>": { "Schema": ... } }`, or `definitions`) whose
 * properties carry `x-kubernetes-object-ref-kind`: each such field becomes a name reference.
 */
export function loadCrdConfig(b: Builder, path: string, config: TransformerConfig): void {
  const { docs, problems } = readYaml(b.readText(path), path, { duplicateKeys: 'lastWins' });
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
      crdWalk(b, kind, props, '', config, schemaOf, 0);
    }
  }
}

/** Walks a CRD's OpenAPI properties (following `$ref`), adding a name reference for each field marked `x-kubernetes-object-ref-kind`. */
export function crdWalk(b: Builder, kind: string, props: JsonMap, prefix: string, config: TransformerConfig, schemaOf: (n: string) => JsonMap | undefined, depth: number): void {
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
    if (nested) crdWalk(b, kind, nested, path, config, schemaOf, depth + 1);
  }
}
