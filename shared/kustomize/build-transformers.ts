/**
 * Transformers of the kustomize build, in kustomize's order: patches, namespace, prefix/suffix, labels, annotations,
 * replicas, images, replacements and `transformers:` configs of builtin kinds.
 */
import { accumulateTarget, resolveDir } from './build-accumulate';
import { json6902, patchesStrategicMerge, patchTransformer } from './build-patches';
import type { Acc, Target } from './build-types';
import { BuildError, configuredBy, newAcc } from './build-types';
import type { Builder } from './builder';
import type { FieldSpec } from './field-specs';
import { mergeSpecs } from './field-specs';
import { mapList, stringList, stringMap } from './kustomization';
import { applyReplacements, readReplacements } from './replacements';
import type { ImageSpec } from './transformers';
import { addMapEntries, addPrefixSuffix, setImages, setNamespace, setReplicas } from './transformers';
import type { JsonMap } from './yaml';
import { isMapValue, readYaml } from './yaml';
import type { MutablePartial } from '../mutable';

/** Reads `generators:`/`transformers:` entries: inline YAML, files, or kustomization folders. */
export function pluginConfigs(b: Builder, t: Target, entries: readonly string[], what: string): { obj: JsonMap; file: string }[] {
  const out: { obj: JsonMap; file: string }[] = [];
  for (const e of entries) {
    if (e.includes('\n') || /^\s*(apiVersion|kind)\s*:/.test(e)) {
      const { docs, problems } = readYaml(e, t.file, { duplicateKeys: 'lastWins' });
      if (problems[0]) throw new BuildError({ ...problems[0], file: t.file });
      for (const d of docs) if (isMapValue(d.value)) out.push({ obj: d.value, file: t.file });
      continue;
    }
    const p = resolveDir(b, t, e, what);
    const kind = b.kind(p);
    if (kind === 'file') {
      const fp = b.resolveFile(t, e, what);
      const { docs, problems } = readYaml(b.readText(fp), fp, { duplicateKeys: 'lastWins' });
      if (problems[0]) throw new BuildError(problems[0]);
      for (const d of docs) if (isMapValue(d.value)) out.push({ obj: d.value, file: fp });
    } else if (kind === 'dir') {
      const sub = b.loadTarget(p);
      if (!sub) b.failEntry(t, e, `no kustomization in ${what} folder '${p}'`);
      const subAcc = accumulateTarget(b, sub, newAcc(), [t.dir, p]);
      for (const r of subAcc.resources) out.push({ obj: r.obj, file: sub.file });
    } else b.failEntry(t, e, `${what} '${e}' does not exist`);
  }
  return out;
}

/** Runs a kustomization's transformers in kustomize's order over the accumulator. */
export function runTransformers(b: Builder, t: Target, acc: Acc): void {
  b.renames++;
  const f = t.k.fields;
  const tc = acc.config;
  if (f.patchesStrategicMerge !== undefined && f.patchesStrategicMerge !== null) {
    patchesStrategicMerge(b, t, acc, stringList(f.patchesStrategicMerge));
    b.recordTransformer(acc, t.file, { kind: 'PatchStrategicMergeTransformer' });
  }
  for (const [p, locate] of b.entries(t, 'patches')) {
    patchTransformer(b, t, acc, p, locate);
    b.recordTransformer(acc, t.file, { kind: 'PatchTransformer' });
  }
  const ns = typeof f.namespace === 'string' ? f.namespace : '';
  if (ns !== '') {
    b.wrap(t.file, () => setNamespace(acc.resources, ns, tc.nameSpace));
    b.recordTransformer(acc, t.file, { kind: 'NamespaceTransformer' });
  }
  const prefix = typeof f.namePrefix === 'string' ? f.namePrefix : '';
  const suffix = typeof f.nameSuffix === 'string' ? f.nameSuffix : '';
  {
    const specs: FieldSpec[] = [...tc.namePrefix];
    mergeSpecs(specs, tc.nameSuffix);
    addPrefixSuffix(acc.resources, prefix, suffix, specs);
    if (prefix !== '') b.recordTransformer(acc, t.file, { kind: 'PrefixTransformer' });
    if (suffix !== '') b.recordTransformer(acc, t.file, { kind: 'SuffixTransformer' });
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
    b.recordTransformer(acc, t.file, { kind: 'LabelTransformer' });
  }
  const commonLabels = stringMap(f.commonLabels);
  if (Object.keys(commonLabels).length > 0) {
    addMapEntries(acc.resources, commonLabels, tc.commonLabels);
    b.recordTransformer(acc, t.file, { kind: 'LabelTransformer' });
  }
  const commonAnnotations = stringMap(f.commonAnnotations);
  if (Object.keys(commonAnnotations).length > 0) {
    addMapEntries(acc.resources, commonAnnotations, tc.commonAnnotations);
    b.recordTransformer(acc, t.file, { kind: 'AnnotationsTransformer' });
  }
  for (const [p, locate] of b.entries(t, 'patchesJson6902')) {
    json6902(b, t, acc, p, locate);
    b.recordTransformer(acc, t.file, { kind: 'PatchJson6902Transformer' });
  }
  for (const r of mapList(f.replicas)) {
    const name = typeof r.name === 'string' ? r.name : '';
    const count = r.count ?? 0;
    b.wrap(t.file, () => setReplicas(acc.resources, name, count, tc.replicas));
    b.recordTransformer(acc, t.file, { kind: 'ReplicaCountTransformer' });
  }
  for (const i of mapList(f.images)) {
    const spec = readImage(i);
    if (spec) setImages(acc.resources, [spec], tc.images);
    b.recordTransformer(acc, t.file, { kind: 'ImageTagTransformer' });
  }
  if (f.replacements !== undefined) {
    const reps = b.wrap(t.file, () => readReplacements(f.replacements ?? null, (rel) => {
      const p = b.resolveFile(t, rel, 'replacement file');
      const { docs, problems } = readYaml(b.readText(p), p, { duplicateKeys: 'lastWins' });
      if (problems[0]) throw new BuildError(problems[0]);
      return docs.map((d) => d.value);
    }));
    b.wrap(t.file, () => applyReplacements(acc.resources, reps));
    b.recordTransformer(acc, t.file, { kind: 'ReplacementTransformer' });
  }
  for (const cfg of pluginConfigs(b, t, stringList(f.transformers), 'transformer')) builtinTransformer(b, t, acc, cfg.obj, cfg.file);
}

/** Runs a `transformers:` config of a builtin kind, recording it for transformerAnnotations. */
export function builtinTransformer(b: Builder, t: Target, acc: Acc, cfg: JsonMap, file: string): void {
  const kind = typeof cfg.kind === 'string' ? cfg.kind : '';
  runBuiltinTransformer(b, t, acc, cfg, file, kind);
  b.recordTransformer(acc, file, configuredBy(cfg));
}

/** Runs one builtin transformer kind (PatchTransformer, LabelTransformer, …) from its config. */
export function runBuiltinTransformer(b: Builder, t: Target, acc: Acc, cfg: JsonMap, file: string, kind: string): void {
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
      b.wrap(file, () => setNamespace(acc.resources, ns, specs(), { unsetOnly: cfg.unsetOnly === true, ...(mode ? { roleBindingSubjects: mode } : {}) }));
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
      b.wrap(file, () => setReplicas(acc.resources, typeof r.name === 'string' ? r.name : '', r.count ?? 0, specs()));
      return;
    }
    case 'PatchTransformer':
      patchTransformer(b, t, acc, cfg);
      return;
    case 'PatchStrategicMergeTransformer': {
      const paths = stringList(cfg.paths);
      if (typeof cfg.patches === 'string') paths.push(cfg.patches);
      patchesStrategicMerge(b, t, acc, paths);
      return;
    }
    case 'PatchJson6902Transformer':
      json6902(b, t, acc, { ...cfg, ...(typeof cfg.jsonOp === 'string' ? { patch: cfg.jsonOp } : {}) });
      return;
    case 'ReplacementTransformer': {
      const reps = b.wrap(file, () => readReplacements(cfg.replacements ?? null, (rel) => {
        const p = b.resolveFile(t, rel, 'replacement file');
        const { docs } = readYaml(b.readText(p), p, { duplicateKeys: 'lastWins' });
        return docs.map((d) => d.value);
      }));
      b.wrap(file, () => applyReplacements(acc.resources, reps));
      return;
    }
    case 'SortOrderTransformer':
      b.fail('unable to load builtin SortOrderTransformer.builtin.[noGrp]: sort order can only be set with the sortOptions field of a kustomization', file);
      break;
    default:
      b.fail(`transformer '${kind}' is not a built-in transformer; plugins are not supported`, file);
  }
}

function fieldSpecFrom(s: JsonMap): FieldSpec {
  const out: MutablePartial<FieldSpec> = { path: s.path as string };
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
