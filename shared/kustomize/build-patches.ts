/**
 * Patches of the kustomize build: strategic merge patches (patchesStrategicMerge, patches), JSON 6902 patches, patch
 * targets and where their errors point.
 */
import { joinPath } from '../repo/paths';
import type { SourcePosition } from '../yaml/node-position';
import type { Acc, Locate, Target } from './build-types';
import { BuildError, isRemote, NOWHERE } from './build-types';
import type { Builder } from './builder';
import { readInlinePatch } from './manifest-cache';
import type { JsonPatchOp } from './patch';
import { applyJsonPatch, builtinListStrategy, isDeletePatch, strategicMerge } from './patch';
import type { ResId } from './resource';
import { deepCopy, idEquals, idString, Resource } from './resource';
import type { Selector } from './select';
import { checkSelector, readSelector, SelectorError, selects } from './select';
import type { Json, JsonMap, ParsedDoc } from './yaml';
import { isMapValue, readYaml } from './yaml';

/** Reads a patch's target selector; a pattern that is not a valid regular expression fails at its field. */
export function patchTarget(b: Builder, p: JsonMap, file: string, locate: Locate): Selector | undefined {
  const target = readSelector(p.target);
  if (!target) return undefined;
  try {
    checkSelector(target);
  } catch (e) {
    if (e instanceof SelectorError) b.failNode(e.message, file, locate(['target', e.field]));
    throw e;
  }
  return target;
}

/**
 * Fails a strategic merge patch whose own id selects no single resource: at its `metadata.name` when the patch is a
 * file of its own, else at the kustomization entry holding it inline.
 */
export function failPatchId(b: Builder, message: string, doc: ParsedDoc, patchFile: string, kustomizationFile: string, entryAt: SourcePosition | undefined): never {
  if (patchFile !== kustomizationFile) return b.fail(message, patchFile, doc.at ? doc.at(['metadata', 'name'], 'value') : { line: doc.line });
  return b.failNode(message, kustomizationFile, entryAt);
}

/** Patch text: inline, or a file (relative to the kustomization). */
export function patchSource(b: Builder, t: Target, p: JsonMap, locate: Locate): { text: string; file: string } {
  const inline = typeof p.patch === 'string' ? p.patch : undefined;
  const path = typeof p.path === 'string' ? p.path : undefined;
  if (inline !== undefined && path !== undefined) b.failNode('patch and path can\'t be set at the same time', t.file, locate(['path'], 'key'));
  if (path !== undefined) {
    const fp = b.resolveFile(t, path, 'patch', () => locate(['path']));
    if (b.kind(fp) !== 'file') {
      const at = locate(['path']);
      if (at) b.fail(`patch file '${path}' does not exist`, t.file, at);
      b.failEntry(t, path, `patch file '${path}' does not exist`);
    }
    return { text: b.readText(fp), file: fp };
  }
  if (inline === undefined) b.failNode('a patch needs patch or path', t.file, locate([]));
  return { text: inline, file: t.file };
}

/** Applies one `patches:` entry (strategic merge or JSON 6902) to the resources it targets. */
export function patchTransformer(b: Builder, t: Target, acc: Acc, p: JsonMap, locate: Locate = NOWHERE): void {
  const target = patchTarget(b, p, t.file, locate);
  const { text, file } = patchSource(b, t, p, locate);
  // Where the patch itself is written (its path, or its inline text), for errors.
  const patchAt = (): SourcePosition | undefined => locate([typeof p.path === 'string' ? 'path' : 'patch']);
  const opts = isMapValue(p.options) ? p.options : {};
  const inline = file === t.file;
  const { docs, problems } = inline ? readInlinePatch(text, file, 'failsafe') : readYaml(text, file, { duplicateKeys: 'lastWins', positions: true });
  if (problems[0]) throw new BuildError(problems[0]);
  const values = docs.map((d) => d.value);
  if (values.length === 1 && Array.isArray(values[0])) {
    if (!target) b.failNode('must specify a target for JSON patch', t.file, patchAt());
    // kustomize converts a JSON patch with sigs.k8s.io/yaml: YAML 1.1 scalars (`yes` is true, `012` is 10).
    const v11 = inline ? readInlinePatch(text, file, 'yaml11') : readYaml(text, file, { duplicateKeys: 'lastWins', schema: 'yaml11' });
    const ops = readOps(v11.docs[0]?.value ?? [], file, (m) => b.fail(m, file));
    applyJson6902(b, acc, target, ops, file, () => warnTarget(b, target, file, t.file, locate));
    return;
  }
  const patchDocs = docs.filter((d) => isMapValue(d.value));
  if (patchDocs.length === 0) b.fail('patch appears to be empty', file);
  for (const d of patchDocs) {
    const patch = d.value as JsonMap;
    if (!target) {
      const pid = patchId(patch);
      const matches = acc.resources.filter((r) => r.allIds().some((id) => idEquals(id, pid)));
      if (matches.length !== 1) {
        const why = matches.length === 0 ? 'no matches' : 'multiple matches';
        failPatchId(b, `no resource matches strategic merge patch "${idString(pid)}": ${why} for Id ${idString(pid)}; failed to find unique target for patch ${idString(pid)}`, d, file, t.file, patchAt());
      }
      applySmp(b, acc, matches[0]!, patch, opts, file, false);
    } else {
      const selected = acc.resources.filter((r) => selects(target, r));
      if (selected.length === 0) warnTarget(b, target, file, t.file, locate);
      for (const r of selected) applySmp(b, acc, r, patch, opts, file, true);
    }
  }
}

/** Warns that a patch target selects nothing, at the target when its place is known. */
export function warnTarget(b: Builder, target: Selector, patchFile: string, kustomizationFile: string, locate: Locate): void {
  const at = locate(['target']);
  b.warn(`patch target ${describeSelector(target)} matches no resource`, at ? kustomizationFile : patchFile, at);
}

/** Applies a strategic merge patch to one resource (deleting it for a `$patch: delete`), optionally renaming it. */
export function applySmp(b: Builder, acc: Acc, r: Resource, patch: JsonMap, opts: JsonMap, file: string, retarget: boolean): void {
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
  const lists = b.schema?.listStrategy(r.gvk()) ?? builtinListStrategy(kind);
  const merged = b.wrap(file, () => strategicMerge(r.obj, pc, lists));
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

/** Applies a kustomization's `patchesStrategicMerge:` entries (files or inline patches). */
export function patchesStrategicMerge(b: Builder, t: Target, acc: Acc, entries: readonly string[]): void {
  if (entries.length === 0) b.failAt(t, 'patchesStrategicMerge', undefined, 'patchesStrategicMerge is empty');
  for (const e of entries) {
    let text: string;
    let file = t.file;
    const p = e.includes('\n') || e.trim().startsWith('{') ? undefined : joinPath(t.dir, e);
    if (p !== undefined && !isRemote(e) && b.kind(p) === 'file') {
      file = b.resolveFile(t, e, 'patch');
      text = b.readText(file);
    } else if (p !== undefined && !/[:\n]/.test(e)) {
      b.failAt(t, 'patchesStrategicMerge', e, `patch file '${e}' does not exist`);
    } else text = e;
    const { docs, problems } = readYaml(text, file, { duplicateKeys: 'lastWins', positions: file !== t.file });
    if (problems[0]) throw new BuildError(problems[0]);
    const patchDocs = docs.filter((d) => isMapValue(d.value));
    if (patchDocs.length === 0) b.fail('patch appears to be empty', file);
    for (const d of patchDocs) {
      const patch = d.value as JsonMap;
      const pid = patchId(patch);
      const matches = acc.resources.filter((r) => r.allIds().some((id) => idEquals(id, pid)));
      const why = matches.length === 0 ? 'no matches' : matches.length > 1 ? 'multiple matches' : undefined;
      if (why) failPatchId(b, `${why} for Id ${idString(pid)}; failed to find unique target for patch ${idString(pid)}`, d, file, t.file, t.k.where('patchesStrategicMerge', e));
      applySmp(b, acc, matches[0]!, patch, {}, file, false);
    }
  }
}

/** Applies one `patchesJson6902:` entry to the resources its target selects. */
export function json6902(b: Builder, t: Target, acc: Acc, p: JsonMap, locate: Locate = NOWHERE): void {
  const target = patchTarget(b, p, t.file, locate);
  if (!target) b.failNode('a patchesJson6902 entry needs a target', t.file, locate([]));
  const { text, file } = patchSource(b, t, p, locate);
  const { docs, problems } = readYaml(text, file, { duplicateKeys: 'lastWins', schema: 'yaml11' });
  if (problems[0]) throw new BuildError(problems[0]);
  const v = docs[0]?.value ?? [];
  const ops = readOps(v, file, (m) => b.fail(m, file));
  applyJson6902(b, acc, target, ops, file, () => warnTarget(b, target, file, t.file, locate));
}

/** Applies JSON 6902 operations to every resource a selector picks; calls `none` when it picks nothing. */
export function applyJson6902(b: Builder, acc: Acc, target: Selector, ops: JsonPatchOp[], file: string, none: () => void): void {
  const selected = acc.resources.filter((r) => selects(target, r));
  if (selected.length === 0) none();
  for (const r of selected) {
    const before = r.curId();
    r.obj = b.wrap(file, () => applyJsonPatch(r.obj, ops));
    if (!idEquals(before, r.curId())) r.prevIds.push(before);
  }
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
