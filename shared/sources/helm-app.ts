import type { GitReader } from '../appset/engine';
import type { Application, ApplicationSource } from '../model/application';
import { MemoryFileTree } from '../repo/file-tree';
import type { FileTree } from '../repo/file-tree';
import { helmSource } from './helm-source';
import type { SourceOutput, SourceTools } from './types';

// Until the source registry (shared/sources/registry.ts) chooses a renderer per source, renderApplication asks this
// module whether a source is Helm and renders it through helmSource; the registry replaces both functions.

/** Whether Argo CD renders this source with Helm: a `chart:`, an explicit `helm:` alone, or `Chart.yaml` at the path. */
export function isHelmSource(src: ApplicationSource, tree: FileTree | undefined, path: string): boolean {
  if (typeof src.chart === 'string' && src.chart !== '') return true;
  if (src.kustomize !== undefined || src.directory !== undefined || src.plugin !== undefined) return false;
  if (src.helm !== undefined && src.helm !== null) return true;
  return tree?.kind(path === '' ? 'Chart.yaml' : `${path}/Chart.yaml`) === 'file';
}

/** Renders one Helm source of an app with Argo CD's build environment and the app's `ref:` sources. */
export function renderHelmAppSource(app: Application, src: ApplicationSource, tree: FileTree | undefined, path: string, git: GitReader, tools: SourceTools): SourceOutput {
  const refs = new Map<string, FileTree>();
  for (const s of app.spec.sources ?? []) {
    if (typeof s.ref === 'string' && s.ref !== '' && !s.chart) refs.set(s.ref, git.treeAt(s.repoURL, s.targetRevision ?? 'HEAD'));
  }
  const revision = tree?.revision ?? '';
  const env: Record<string, string> = {
    ARGOCD_APP_NAME: app.metadata.name,
    ARGOCD_APP_NAMESPACE: app.spec.destination.namespace ?? '',
    ARGOCD_APP_PROJECT_NAME: app.spec.project,
    ARGOCD_APP_REVISION: revision,
    ARGOCD_APP_REVISION_SHORT: revision.slice(0, 7),
    ARGOCD_APP_REVISION_SHORT_8: revision.slice(0, 8),
    ARGOCD_APP_SOURCE_PATH: path,
    ARGOCD_APP_SOURCE_REPO_URL: src.repoURL,
    ARGOCD_APP_SOURCE_TARGET_REVISION: src.targetRevision ?? '',
  };
  return helmSource.render({
    app: app.metadata.name,
    tree: tree ?? new MemoryFileTree(),
    path,
    source: src,
    ...(app.spec.destination.namespace ? { destinationNamespace: app.spec.destination.namespace } : {}),
    env,
    refs,
    loadRestrictor: 'rootOnly',
    tools,
  });
}
