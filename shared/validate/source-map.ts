import type { FileTree } from '../repo/file-tree';
import { walkFiles } from '../repo/file-tree';
import { joinPath } from '../repo/paths';
import { isRecord, parseYamlDocuments } from '../yaml/documents';
import type { JsonPath, PositionOf } from '../yaml/node-position';
import type { SourceLocation } from './finding';

// Where a rendered object's fields were written in the repository. Rendering (kustomize, directories) does not keep
// positions, so the source files of an app's source path are indexed by kind and name: the kustomization's
// resources, components and patches, followed into bases, overlay first. A field is located in the first file (a
// patch, then the resource) that writes it; otherwise at the nearest part of it the resource writes.

/** One object as written in a source file. */
interface WrittenDoc {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly name: string;
  readonly value: Record<string, unknown>;
  readonly at: PositionOf;
  /** A patch (strategic merge) rather than a resource. */
  readonly patch: boolean;
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const MAX_FILES = 2000;

/** The source files of an app path (kustomization references followed, else every YAML file below it), overlay first. */
function sourceFiles(tree: FileTree, root: string): { file: string; patch: boolean }[] {
  const out: { file: string; patch: boolean }[] = [];
  const seen = new Set<string>();
  // Paths that leave the repository are not followed (the renderer refuses them too).
  const join = (dir: string, rel: string): string => joinPath(dir, rel) ?? '\u0000';
  const visitDir = (dir: string): void => {
    if (seen.has(`dir:${dir}`) || out.length > MAX_FILES) return;
    seen.add(`dir:${dir}`);
    const k = KUSTOMIZATION_FILES.map((f) => join(dir, f)).find((f) => tree.kind(f) === 'file');
    if (!k) {
      for (const f of walkFiles(tree, dir)) if (/\.(ya?ml|json)$/.test(f)) add(f, false);
      return;
    }
    const parsed = parseYamlDocuments(tree.read(k) ?? '', k).docs[0]?.value;
    if (!isRecord(parsed)) return;
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    for (const p of strings(parsed.patchesStrategicMerge)) add(join(dir, p), true);
    for (const p of Array.isArray(parsed.patches) ? parsed.patches : []) if (isRecord(p) && typeof p.path === 'string') add(join(dir, p.path), true);
    for (const r of [...strings(parsed.resources), ...strings(parsed.bases), ...strings(parsed.components)]) {
      if (/^[a-z]+:\/\//.test(r)) continue;
      const full = join(dir, r);
      const kind = tree.kind(full);
      if (kind === 'dir') visitDir(full);
      else if (kind === 'file') add(full, false);
    }
  };
  const add = (file: string, patch: boolean): void => {
    if (seen.has(file)) return;
    seen.add(file);
    out.push({ file, patch });
  };
  if (tree.kind(root) === 'file') add(root, false);
  else visitDir(root);
  return out;
}

/** The fields of rendered objects located in the files they came from. */
export interface SourceMap {
  /** Where an object was written and how to find its fields, or undefined when no source file declares it. */
  locate(obj: Record<string, unknown>): { readonly source: SourceLocation; readonly locate: (path: JsonPath) => SourceLocation | undefined } | undefined;
}

/** The source map of an app's source path in a tree. */
export function sourceMapOf(tree: FileTree, root: string): SourceMap {
  const docs: WrittenDoc[] = [];
  for (const { file, patch } of sourceFiles(tree, root)) {
    const text = tree.read(file);
    if (text === undefined) continue;
    for (const d of parseYamlDocuments(text, file).docs) {
      if (!isRecord(d.value) || typeof d.value.kind !== 'string' || !isRecord(d.value.metadata) || typeof d.value.metadata.name !== 'string') continue;
      docs.push({ file, line: d.line, kind: d.value.kind, name: d.value.metadata.name, value: d.value, at: d.at, patch });
    }
  }
  return {
    locate(obj) {
      const kind = obj.kind;
      const name = isRecord(obj.metadata) ? obj.metadata.name : undefined;
      if (typeof kind !== 'string' || typeof name !== 'string') return undefined;
      // Exact name first, then names that prefixes or suffixes (namePrefix, nameSuffix) turned into this one.
      let candidates = docs.filter((d) => d.kind === kind && d.name === name);
      if (candidates.length === 0) candidates = docs.filter((d) => d.kind === kind && name.includes(d.name)).sort((a, b) => b.name.length - a.name.length);
      if (candidates.length === 0) return undefined;
      const resource = candidates.find((d) => !d.patch) ?? candidates[0]!;
      return {
        source: { file: resource.file, line: resource.line },
        locate: (path) => {
          const writer = candidates.find((d) => has(d.value, path));
          const doc = writer ?? resource;
          const pos = doc.at(path);
          return { file: doc.file, line: pos.line, column: pos.column };
        },
      };
    },
  };
}

function has(v: unknown, path: JsonPath): boolean {
  let cur = v;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(cur) || step >= cur.length) return false;
      cur = cur[step];
    } else {
      if (!isRecord(cur) || !(step in cur)) return false;
      cur = cur[step];
    }
  }
  return true;
}
