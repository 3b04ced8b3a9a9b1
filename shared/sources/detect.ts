import type { ApplicationSource } from '../model/application';
import type { FileTree } from '../repo/file-tree';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize/kustomization';
import type { SourceKind } from './types';

// Source type detection as Argo CD's repo-server does it (`GetAppSourceType`, `ApplicationSource.ExplicitType`,
// `util/app/discovery.Discover`): an explicit `kustomize:`/`helm:`/`directory:`/`plugin:` wins (two of them are an
// error); a chart from a Helm repository is Helm; otherwise the files at the source path decide, in file-name order,
// the last match winning: a name ending in `Chart.yaml` → Helm, a kustomization file → Kustomize; else a directory.

/** The detected kind, or why the source cannot be rendered. */
export type DetectedKind = { readonly kind: SourceKind; readonly explicit: boolean } | { readonly error: string };

const EXPLICIT: readonly (readonly [string, SourceKind, string])[] = [
  ['kustomize', 'kustomize', 'Kustomize'],
  ['helm', 'helm', 'Helm'],
  ['directory', 'directory', 'Directory'],
  ['plugin', 'plugin', 'Plugin'],
];

/** Detects the source type of a source whose files are at `path` of `tree` (after `.argocd-source*.yaml` overrides). */
export function detectSourceKind(tree: FileTree | undefined, path: string, source: ApplicationSource): DetectedKind {
  // A Flux app's source carries its Flux object: the object's kind decides.
  const flux = source['flux'] as { readonly kind?: unknown } | undefined;
  if (flux && typeof flux === 'object') return { kind: flux.kind === 'HelmRelease' ? 'flux-helmrelease' : 'flux-kustomization', explicit: true };
  const set = EXPLICIT.filter(([field]) => source[field] !== undefined && source[field] !== null);
  if (set.length > 1) return { error: `multiple application sources defined: ${set.map(([, , name]) => name).join(',')}` };
  if (set.length === 1) return { kind: set[0]![1], explicit: true };
  if (source.chart) return { kind: 'helm', explicit: false };
  let kind: SourceKind = 'directory';
  for (const e of tree?.list(path) ?? []) {
    if (e.kind !== 'file') continue;
    if (e.name.endsWith('Chart.yaml')) kind = 'helm';
    if ((KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(e.name)) kind = 'kustomize';
  }
  return { kind, explicit: false };
}
