import type { GitReader } from '../appset/engine';
import type { HelmRunner } from '../kustomize';
import { emitYaml, kustomizeBuild } from '../kustomize';
import type { Json } from '../kustomize/yaml';
import { maskSecret } from '../diff/secret';
import { isSecret } from '../diff/normalize';
import type { FileTree } from '../repo/file-tree';
import { isClusterScoped, parseApiVersion } from '../kustomize/resource';
import type { Application, ApplicationSource } from '../model/application';
import type { ClusterSpec } from '../model/fleet';
import { clusterForApp } from './destination';
import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import { problem, toProblem } from '../problem';
import { normalizePath } from '../repo/paths';

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
      problems.push(problem(`Helm repository charts (${src.chart}) are not rendered locally; use a chart in the repository with kustomize helmCharts`, { app: name }));
      continue;
    }
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

/**
 * The rendered manifests as the UI may show them: the YAML stream with every Secret's `data`/`stringData` values
 * masked (re-emitted from the objects when there is a Secret; byte-identical to `yaml` otherwise).
 */
export function maskedRenderedYaml(r: RenderedApp): string {
  if (!r.objects.some(isSecret)) return r.yaml;
  return r.objects.map((o) => emitYaml(maskSecret(o) as unknown as Json)).join('---\n');
}

/** Sets the destination namespace on a namespaced object that has none (what Argo CD does on apply). */
function withNamespace(obj: KubeObject, namespace: string | undefined): KubeObject {
  const meta = obj.metadata ?? {};
  if (!namespace || typeof meta.namespace === 'string') return obj;
  const { group, version } = parseApiVersion(typeof obj.apiVersion === 'string' ? obj.apiVersion : '');
  if (isClusterScoped({ group, version, kind: typeof obj.kind === 'string' ? obj.kind : '' })) return obj;
  return { ...obj, metadata: { ...meta, namespace } };
}
