import type { ApplicationSource } from '../model/application';
import type { Problem } from '../problem';
import { problem } from '../problem';
import type { FileTree } from '../repo/file-tree';
import type { Json } from '../kustomize/yaml';
import { isMapValue, readYaml } from '../kustomize/yaml';

// Argo CD's parameter overrides kept in the repository (`reposerver/repository.mergeSourceParameters`): at the source
// path, `.argocd-source.yaml` then `.argocd-source-<app>.yaml` are merged into the source as JSON merge patches
// (RFC 7386); only the tool options change — `repoURL`, `path`, `targetRevision` and `chart` stay as the Application says.

/** The source with its overrides merged, the override files that were read, and what went wrong. */
export interface OverriddenSource {
  readonly source: ApplicationSource;
  readonly files: readonly string[];
  readonly problems: readonly Problem[];
}

/** Merges `.argocd-source.yaml` and `.argocd-source-<app>.yaml` at `path` into the source, as Argo CD does before rendering. */
export function applySourceOverrides(tree: FileTree, path: string, app: string, source: ApplicationSource): OverriddenSource {
  const names = ['.argocd-source.yaml', ...(app ? [`.argocd-source-${app}.yaml`] : [])];
  let merged: Json = toJson(source);
  const files: string[] = [];
  for (const name of names) {
    const file = path === '' ? name : `${path}/${name}`;
    if (tree.kind(file) !== 'file') continue;
    const text = tree.read(file) ?? '';
    const { docs, problems } = readYaml(text, file, { duplicateKeys: 'lastWins', schema: 'yaml11' });
    if (problems.length > 0) return { source, files, problems: problems.map((p) => ({ ...p, message: `source override: ${p.message}` })) };
    files.push(file);
    const patch = docs[0]?.value ?? null;
    if (patch === null) continue;
    if (!isMapValue(patch)) return { source, files, problems: [problem(`source override must be a mapping of source fields (helm, kustomize, directory, …)`, { file, line: docs[0]?.line ?? 1 })] };
    merged = mergePatch(merged, patch);
  }
  if (files.length === 0) return { source, files, problems: [] };
  const out = { ...(merged as Record<string, unknown>) };
  for (const k of ['repoURL', 'path', 'targetRevision', 'chart'] as const) {
    if (source[k] === undefined) delete out[k];
    else out[k] = source[k];
  }
  return { source: out as unknown as ApplicationSource, files, problems: [] };
}

/** RFC 7386 JSON merge patch: objects merge key by key, `null` removes a key, anything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isMapValue(patch)) return patch;
  const out: Record<string, Json> = isMapValue(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out as Json;
}

function toJson(v: unknown): Json {
  return JSON.parse(JSON.stringify(v)) as Json;
}
