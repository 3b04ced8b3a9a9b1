import type { GitReader } from '../appset/engine';
import type { HelmRunner } from '../kustomize';
import { kustomizeBuild } from '../kustomize';
import type { FileTree } from '../repo/file-tree';
import { isClusterScoped, parseApiVersion } from '../kustomize/resource';
import type { Application, ApplicationSource } from '../model/application';
import type { ClusterSpec } from '../model/fleet';
import { clusterForApp } from './destination';
import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import { problem, toProblem } from '../problem';
import { normalizePath } from '../repo/paths';
import { isHelmSource, renderHelmAppSource } from '../sources/helm-app';
import type { SourceTools } from '../sources/types';

/** One Application rendered for its cluster: the desired objects and what went wrong. */
export interface RenderedApp {
  readonly app: string;
  /** The fleet cluster the Application's destination names, when it names one. */
  readonly cluster: string | undefined;
  /** The commit the sources were read at. */
  readonly revision: string | undefined;
  readonly objects: readonly KubeObject[];
  /** The YAML stream, exactly as `kustomize build` prints it (sources joined by `---`). */
  readonly yaml: string;
  readonly problems: readonly Problem[];
}

/** Options of rendering: the fleet's clusters and kustomize's load restrictor. */
export interface RenderOptions {
  readonly clusters: readonly ClusterSpec[];
  readonly loadRestrictor: 'rootOnly' | 'none';
  /** Runs helm for kustomize's `helmCharts`, reading charts from the tree (the Node side provides it when helm is installed). */
  readonly helmFor?: (tree: FileTree) => HelmRunner | undefined;
  /** The Node side's source tools (helm, jsonnet); without them Helm sources say that helm is missing. */
  readonly tools?: SourceTools;
}

/**
 * Renders an Application's source(s) as Argo CD would: kustomize (or a plain manifest folder) at the source path and
 * targetRevision, then the destination namespace on namespaced objects that set none.
 */
export function renderApplication(app: Application, git: GitReader, opts: RenderOptions): RenderedApp {
  const name = app.metadata.name;
  const cluster = clusterForApp(app, opts.clusters)?.name;
  const sources: readonly ApplicationSource[] = app.spec.sources ?? (app.spec.source ? [app.spec.source] : []);
  const problems: Problem[] = [];
  const objects: KubeObject[] = [];
  const yamls: string[] = [];
  let revision: string | undefined;
  if (sources.length === 0) problems.push(problem('the Application has no source', { app: name }));
  for (const src of sources) {
    if (src.chart) {
      const r = renderHelmAppSource(app, src, undefined, '', git, opts.tools ?? {});
      problems.push(...r.problems);
      if (r.problems.some((p) => p.severity === 'error')) continue;
      yamls.push(r.yaml);
      for (const o of r.objects) objects.push(withNamespace(o, app.spec.destination.namespace));
      continue;
    }
    if (typeof src.ref === 'string' && src.ref !== '' && src.path === undefined) continue;
    const path = normalizePath(src.path ?? '');
    if (path === undefined) {
      problems.push(problem(`source path ${src.path} leaves the repository`, { app: name }));
      continue;
    }
    try {
      const tree = git.treeAt(src.repoURL, src.targetRevision ?? 'HEAD');
      revision ??= tree.revision;
      if (tree.kind(path) !== 'dir') {
        problems.push(problem(`source path "${path}" is not a folder at ${src.targetRevision ?? 'HEAD'}`, { app: name, file: path }));
        continue;
      }
      if (isHelmSource(src, tree, path)) {
        const r = renderHelmAppSource(app, src, tree, path, git, opts.tools ?? {});
        problems.push(...r.problems);
        if (r.problems.some((p) => p.severity === 'error')) continue;
        yamls.push(r.yaml);
        for (const o of r.objects) objects.push(withNamespace(o, app.spec.destination.namespace));
        continue;
      }
      const helm = opts.helmFor?.(tree);
      const r = kustomizeBuild(tree, path, { loadRestrictor: opts.loadRestrictor, ...(helm ? { helm } : {}) });
      problems.push(...r.problems.map((p) => ({ ...p, app: name })));
      if (r.problems.some((p) => p.severity === 'error')) continue;
      yamls.push(r.yaml);
      for (const o of r.resources) objects.push(withNamespace(o as KubeObject, app.spec.destination.namespace));
    } catch (err) {
      problems.push(toProblem(err, { app: name }));
    }
  }
  return { app: name, cluster, revision, objects, yaml: yamls.join('---\n'), problems };
}

/** Sets the destination namespace on a namespaced object that has none (what Argo CD does on apply). */
function withNamespace(obj: KubeObject, namespace: string | undefined): KubeObject {
  const meta = obj.metadata ?? {};
  if (!namespace || typeof meta.namespace === 'string') return obj;
  const { group, version } = parseApiVersion(typeof obj.apiVersion === 'string' ? obj.apiVersion : '');
  if (isClusterScoped({ group, version, kind: typeof obj.kind === 'string' ? obj.kind : '' })) return obj;
  return { ...obj, metadata: { ...meta, namespace } };
}
