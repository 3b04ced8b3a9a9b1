import type { GitReader } from '../appset/engine';
import type { HelmRunner } from '../kustomize';
import { emitYaml } from '../kustomize';
import type { Json } from '../kustomize/yaml';
import { maskSecret } from '../diff/secret';
import { isSecret } from '../diff/normalize';
import type { FileTree } from '../repo/file-tree';
import { MemoryFileTree } from '../repo/file-tree';
import { isClusterScoped, parseApiVersion } from '../kustomize/resource';
import type { Application, ApplicationSource } from '../model/application';
import type { ClusterSpec } from '../model/fleet';
import { appInstanceName } from './app-name';
import { clusterForApp } from './destination';
import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import { problem, toProblem } from '../problem';
import { buildEnv } from '../sources/build-env';
import { renderSource } from '../sources/registry';
import type { ClusterCapabilities, SourceKind, SourceRenderer, SourceTools } from '../sources/types';
import { isRecord } from '../yaml/documents';

/** What one of an Application's sources is and how it was rendered, in a person's words. */
export interface RenderedSourceInfo {
  /** 1-based position in `spec.sources` (1 for `spec.source`). */
  readonly index: number;
  /** The source type that rendered it; undefined for a `ref:` source that only lends its files, or when it failed early. */
  readonly kind?: SourceKind;
  /** "kustomize at apps/web with images nginx:1.27", "ref values (files for $values/...)", … */
  readonly description: string;
  readonly objects: number;
}

/** One Application rendered for its cluster: the desired objects and what went wrong. */
export interface RenderedApp {
  readonly app: string;
  /** The fleet cluster the Application's destination names, when it names one. */
  readonly cluster: string | undefined;
  /** The commit the sources were read at. */
  readonly revision: string | undefined;
  readonly objects: readonly KubeObject[];
  /** The YAML stream, as the source tools print it (sources joined by `---`). */
  readonly yaml: string;
  readonly problems: readonly Problem[];
  /** Each source: its type and options (shown by `flotilla render --app` and the app page). */
  readonly sources: readonly RenderedSourceInfo[];
}

/** Options of rendering: the fleet's clusters, kustomize's load restrictor and the Node-side tools. */
export interface RenderOptions {
  readonly clusters: readonly ClusterSpec[];
  readonly loadRestrictor: 'rootOnly' | 'none';
  /** Runs helm for kustomize's `helmCharts`, reading charts from the tree (the Node side provides it when helm is installed). */
  readonly helmFor?: (tree: FileTree) => HelmRunner | undefined;
  /** The Helm templater and Jsonnet evaluator (the Node side provides them); absent ones make such sources a Problem. */
  readonly tools?: Omit<SourceTools, 'kustomizeHelm'>;
  /**
   * The target cluster's version and API groups as a connected cluster reports them (Helm capabilities). When it
   * gives none, the fleet file's `kubernetesVersion` of the cluster is used, else Helm's defaults.
   */
  readonly capabilities?: (cluster: string | undefined) => ClusterCapabilities | undefined;
  /** Argo CD's `kustomize.buildOptions` (the fleet's `kustomizeBuildOptions`); absent: none, so `helmCharts` are refused. */
  readonly kustomizeBuildOptions?: { readonly options: string; readonly from: string };
  /** The renderers to use (default: every renderer of this build). */
  readonly renderers?: readonly SourceRenderer[];
}

const REF_NAME = /^[a-zA-Z0-9_-]+$/;

/**
 * Renders an Application's source(s) as Argo CD would: each source through its renderer (kustomize, helm, directory,
 * chosen as Argo CD detects them) at its path and targetRevision, in order, concatenated; `ref:` sources lend their
 * files to `$ref/...` value files. Then the destination namespace on namespaced objects that set none. A source that
 * fails fails the app (no objects), as Argo CD refuses it; other apps are unaffected.
 */
export function renderApplication(app: Application, git: GitReader, opts: RenderOptions): RenderedApp {
  const name = app.metadata.name;
  const cluster = clusterForApp(app, opts.clusters)?.name;
  const spec = app.spec as Application['spec'] | undefined;
  const multi = Array.isArray(spec?.sources) && spec.sources.length > 0;
  const sources: readonly ApplicationSource[] = multi ? spec!.sources! : spec?.source ? [spec.source] : [];
  const namespace = spec?.destination?.namespace;
  const problems: Problem[] = [];
  const objects: KubeObject[] = [];
  const yamls: string[] = [];
  const infos: RenderedSourceInfo[] = [];
  let revision: string | undefined;
  const done = (): RenderedApp => {
    const failed = problems.some((p) => p.severity === 'error');
    return { app: name, cluster, revision, objects: failed ? [] : objects, yaml: failed ? '' : yamls.join('---\n'), problems, sources: infos };
  };
  if (sources.length === 0) {
    problems.push(problem('the Application has no source (spec.source or spec.sources)', { app: name }));
    return done();
  }
  // util/argo.GetRefSources: ref names are checked and collected before any source renders.
  const refs = new Map<string, ApplicationSource>();
  if (multi) {
    for (const s of sources) {
      const ref = typeof s.ref === 'string' ? s.ref : '';
      if (ref === '') continue;
      if (!REF_NAME.test(ref)) problems.push(problem(`sources.ref ${ref} cannot contain any special characters except '_' and '-'`, { app: name }));
      else if (refs.has(ref)) problems.push(problem('invalid sources: multiple sources had the same `ref` key', { app: name }));
      else refs.set(ref, s);
    }
    if (problems.length > 0) return done();
  }
  const refTrees = new Map<string, FileTree>();
  const treeOf = (s: ApplicationSource): FileTree => git.treeAt(s.repoURL, s.targetRevision || 'HEAD');
  for (const [i, src] of sources.entries()) {
    const index = i + 1;
    const of = `source ${index} of ${sources.length}`;
    const where = { app: name };
    const rawPath = src.path === undefined || src.path === null ? '' : String(src.path);
    const ref = typeof src.ref === 'string' ? src.ref : '';
    if (multi && rawPath === '' && ref !== '' && !src.chart) {
      infos.push({ index, description: `ref ${ref}: lends ${src.repoURL} at ${src.targetRevision || 'HEAD'} to $${ref}/... value files`, objects: 0 });
      continue;
    }
    try {
      const refProblem = multi ? checkRefs(src, refs) : undefined;
      if (refProblem) {
        problems.push(problem(`${of}: ${refProblem}`, where));
        infos.push({ index, description: `source at ${rawPath || '.'}`, objects: 0 });
        continue;
      }
      let tree: FileTree;
      let path = '';
      if (src.chart) {
        tree = new MemoryFileTree();
      } else {
        const resolved = appPath(rawPath);
        if ('error' in resolved) {
          problems.push(problem(`${of}: ${resolved.error}`, { ...where, ...(rawPath ? { file: rawPath } : {}) }));
          infos.push({ index, description: `source at ${rawPath || '.'}`, objects: 0 });
          continue;
        }
        path = resolved.path;
        tree = treeOf(src);
        revision ??= tree.revision;
        const kind = tree.kind(path);
        if (kind !== 'dir') {
          const why = kind === undefined ? 'app path does not exist' : 'app path is not a directory';
          problems.push(problem(`${of}: ${rawPath}: ${why} at ${src.targetRevision || 'HEAD'}`, { ...where, file: path }));
          infos.push({ index, description: `source at ${rawPath || '.'}`, objects: 0 });
          continue;
        }
      }
      for (const [refName, refSrc] of refs) if (!refTrees.has(refName) && usesRef(src, refName)) refTrees.set(refName, treeOf(refSrc));
      const caps = capabilitiesFor(cluster, opts);
      // $ARGOCD_APP_NAME is the instance name (`<namespace>_<name>` outside the control plane), as Argo CD's controller
      // sends it; the default Helm release name stays the Application's own name (Argo CD strips the namespace part).
      const env = buildEnv({ app: appInstanceName(app.metadata), namespace, project: spec?.project, revision: tree.revision, repoURL: src.repoURL, path: rawPath, targetRevision: src.targetRevision });
      const r = renderSource(
        {
          app: name,
          tree,
          path,
          source: src,
          ...(namespace ? { destinationNamespace: namespace } : {}),
          env,
          refs: refTrees,
          ...(caps?.kubeVersion ? { kubeVersion: caps.kubeVersion } : {}),
          ...(caps?.apiVersions ? { apiVersions: caps.apiVersions } : {}),
          ...(caps ? { capabilitiesFrom: caps.from } : {}),
          loadRestrictor: opts.loadRestrictor,
          ...(opts.kustomizeBuildOptions ? { kustomizeBuildOptions: opts.kustomizeBuildOptions } : {}),
          tools: { ...(opts.tools ?? {}), ...(opts.helmFor ? { kustomizeHelm: opts.helmFor } : {}) },
        },
        opts.renderers,
      );
      infos.push({ index, ...(r.kind ? { kind: r.kind } : {}), description: r.description, objects: r.objects.length });
      problems.push(...r.problems.map((p) => ({ ...p, app: name, message: sources.length > 1 && p.severity === 'error' ? `${of}: ${p.message}` : p.message })));
      if (r.problems.some((p) => p.severity === 'error')) continue;
      if (r.yaml !== '') yamls.push(r.yaml);
      for (const o of r.objects) objects.push(withNamespace(o, namespace));
    } catch (err) {
      problems.push(toProblem(err, where));
      infos.push({ index, description: `source at ${rawPath || '.'}`, objects: 0 });
    }
  }
  return done();
}

/**
 * Helm's view of the target cluster: what the connected cluster reports; else the fleet file's `kubernetesVersion` for it
 * (API versions stay Helm's defaults); else what the caller said about the cluster (e.g. why it was not reached).
 */
export function capabilitiesFor(cluster: string | undefined, opts: Pick<RenderOptions, 'capabilities' | 'clusters'>): ClusterCapabilities | undefined {
  const live = opts.capabilities?.(cluster);
  if (live?.kubeVersion !== undefined || live?.apiVersions !== undefined) return live;
  const spec = cluster === undefined ? undefined : opts.clusters.find((c) => c.name === cluster);
  if (spec?.kubernetesVersion) return { kubeVersion: spec.kubernetesVersion, from: `the fleet file (cluster ${spec.name}${live ? `; ${live.from}` : ''})` };
  return live;
}

/** Argo CD's `util/app/path.Path`: the source path inside the repository, or why it is refused. */
function appPath(raw: string): { path: string } | { error: string } {
  if (raw.startsWith('/')) return { error: `${raw}: app path is absolute` };
  const parts: string[] = [];
  for (const seg of raw.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return { error: `${raw}: app path outside root` };
      parts.pop();
    } else parts.push(seg);
  }
  return { path: parts.join('/') };
}

/** The `$ref/...` value files and file parameters of a Helm source. */
function refPaths(src: ApplicationSource): string[] {
  const helm = isRecord(src['helm']) ? src['helm'] : {};
  const valueFiles = Array.isArray(helm['valueFiles']) ? helm['valueFiles'].map(String) : [];
  const fileParams = Array.isArray(helm['fileParameters']) ? helm['fileParameters'].filter(isRecord).map((p) => String(p['path'] ?? '')) : [];
  return [...valueFiles, ...fileParams].filter((p) => p.startsWith('$'));
}

function usesRef(src: ApplicationSource, ref: string): boolean {
  return refPaths(src).some((p) => p === `$${ref}` || p.startsWith(`$${ref}/`));
}

/** The repo-server's check of `$ref` value files (`runManifestGen`): each must name a `ref:` source of the app. */
function checkRefs(src: ApplicationSource, refs: ReadonlyMap<string, ApplicationSource>): string | undefined {
  for (const p of refPaths(src)) {
    const name = p.split('/')[0]!;
    const ref = refs.get(name.slice(1));
    if (!ref) {
      if (refs.size === 0) return `source referenced "${name}", but no source has a 'ref' field defined`;
      return `source referenced "${name}", which is not one of the available sources (${[...refs.keys()].map((k) => `$${k}`).join(', ')})`;
    }
    if (ref.chart) return "source has a 'chart' field defined, but Helm charts are not yet not supported for 'ref' sources";
  }
  return undefined;
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
  if (!namespace || (typeof meta.namespace === 'string' && meta.namespace !== '')) return obj;
  const { group, version } = parseApiVersion(typeof obj.apiVersion === 'string' ? obj.apiVersion : '');
  if (isClusterScoped({ group, version, kind: typeof obj.kind === 'string' ? obj.kind : '' })) return obj;
  return { ...obj, metadata: { ...meta, namespace } };
}
