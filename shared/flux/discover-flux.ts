import type { AppRow } from '../api/contract';
import type { GitReader } from '../appset/engine';
import type { AppOrigin } from '../fleet/app-origin';
import type { JsonMap } from '../kustomize/yaml';
import { isMapValue } from '../kustomize/yaml';
import type { Application } from '../model/application';
import type { ClusterSpec } from '../model/fleet';
import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import { problem } from '../problem';
import type { FoundDoc } from '../repo/scan';
import type { FluxSourceSpec } from '../sources/flux-source';
import type { SourceTools } from '../sources/types';
import { renderFluxKustomization } from './kustomization-build';
import { artifactOf } from './source-ignore';
import type { FluxKustomizationSpec, HelmReleaseSpec } from './types';
import { decodeHelmRelease, decodeKustomization, HELM_GROUP, KUSTOMIZE_GROUP, SOURCE_GROUP } from './types';

// Flux objects in the repository as apps: every Kustomization and HelmRelease a cluster's folder declares
// (`clusters/<name>/…`, or a cluster's `fluxPaths` in the fleet file), and those its Kustomizations render, recursively.
// Each app carries its object, the ConfigMaps/Secrets it reads (declared for that cluster, in files or rendered), and
// its resolved source. Names are `name` where unique, `namespace/name` where that is unique, else `namespace/name@cluster`.

/** One Flux object found for a cluster. */
interface Found {
  readonly kind: 'Kustomization' | 'HelmRelease';
  readonly object: JsonMap;
  readonly namespace: string;
  readonly name: string;
  readonly cluster: string | undefined;
  readonly file: string;
  readonly line: number;
  readonly parent?: Found;
}

/** Flux apps of a repository and the problems found. */
export interface FluxDiscovery {
  readonly apps: readonly AppRow[];
  readonly problems: readonly Problem[];
}

const meta = (o: JsonMap): { name: string; namespace: string } => {
  const m = isMapValue(o['metadata']) ? o['metadata'] : {};
  return { name: typeof m['name'] === 'string' ? m['name'] : '', namespace: typeof m['namespace'] === 'string' && m['namespace'] !== '' ? m['namespace'] : 'default' };
};
const group = (o: JsonMap): string => (typeof o['apiVersion'] === 'string' ? o['apiVersion'].split('/')[0]! : '');

/** The cluster a file's Flux objects apply to: a fleet cluster's `fluxPaths` (longest wins), else `clusters/<name>/`. */
export function fluxClusterOf(file: string, clusters: readonly ClusterSpec[]): string | undefined {
  let best: { name: string; len: number } | undefined;
  for (const c of clusters) for (const p of c.fluxPaths ?? []) if ((file === p || file.startsWith(`${p}/`)) && (!best || p.length > best.len)) best = { name: c.name, len: p.length };
  if (best) return best.name;
  const m = /^clusters\/([^/]+)\//.exec(file);
  return m ? m[1] : undefined;
}

/** Whether an app stands for a Flux Kustomization or HelmRelease (its source carries the Flux object). */
export function isFluxApp(app: Application): boolean {
  const src = app.spec?.source;
  return !!src && typeof src['flux'] === 'object' && src['flux'] !== null;
}

/** Finds the Flux apps of a scanned repository. */
export function discoverFluxApps(docs: readonly FoundDoc[], clusters: readonly ClusterSpec[], git: GitReader, repoURLs: readonly string[], tools?: Pick<SourceTools, 'kustomizeHelm'>): FluxDiscovery {
  const problems: Problem[] = [];
  const localURL = git.localURL ?? repoURLs[0] ?? '.';
  /** Per cluster ('' for none): Flux sources and ConfigMaps/Secrets, by kind/namespace/name. */
  const declared = new Map<string, Map<string, JsonMap>>();
  const declare = (cluster: string | undefined, o: JsonMap): void => {
    const key = cluster ?? '';
    let m = declared.get(key);
    if (!m) declared.set(key, (m = new Map()));
    const { name, namespace } = meta(o);
    const k = `${String(o['kind'])}/${namespace}/${name}`;
    if (!m.has(k)) m.set(k, o);
  };
  const lookup = (cluster: string | undefined, kind: string, namespace: string, name: string): JsonMap | undefined => declared.get(cluster ?? '')?.get(`${kind}/${namespace}/${name}`) ?? declared.get('')?.get(`${kind}/${namespace}/${name}`);
  const found: Found[] = [];
  const seen = new Set<string>();
  const add = (o: JsonMap, cluster: string | undefined, file: string, line: number, parent?: Found): void => {
    const g = group(o);
    const kind = g === KUSTOMIZE_GROUP && o['kind'] === 'Kustomization' ? 'Kustomization' : g === HELM_GROUP && o['kind'] === 'HelmRelease' ? 'HelmRelease' : undefined;
    if (!kind) return;
    const { name, namespace } = meta(o);
    const key = `${cluster ?? ''}|${kind}|${namespace}/${name}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ kind, object: o, name, namespace, cluster, file, line, ...(parent ? { parent } : {}) });
  };
  for (const d of docs) {
    const cluster = fluxClusterOf(d.file, clusters);
    const o = d.value as JsonMap;
    if (o['kind'] === 'ConfigMap' || o['kind'] === 'Secret' || group(o) === SOURCE_GROUP) declare(cluster, o);
  }
  // Objects in a cluster's folder are that cluster's apps; files outside every cluster folder (bases that
  // Kustomizations include) are apps only in a repository with no cluster folder at all.
  const mapped = docs.some((d) => fluxClusterOf(d.file, clusters) !== undefined);
  for (const d of docs) {
    const cluster = fluxClusterOf(d.file, clusters);
    if (cluster !== undefined || !mapped) add(d.value as JsonMap, cluster, d.file, d.line);
  }

  /** How a Flux object's source resolves: the tree's repoURL, or why it is not local. */
  const sourceOf = (f: Found, ref: { kind: string; name: string; namespace?: string } | undefined): { repoURL: string; ignore?: string; note?: string } | { error: string } => {
    if (!ref || ref.kind === '') return { error: `${f.kind} ${f.namespace}/${f.name} has no sourceRef` };
    const ns = ref.namespace ?? f.namespace;
    if (ref.kind !== 'GitRepository') return { error: `${f.kind} ${f.namespace}/${f.name} reads ${ref.kind} ${ns}/${ref.name}: only GitRepository sources are read from the open repository; this source is not local` };
    const repo = lookup(f.cluster, 'GitRepository', ns, ref.name);
    if (!repo) return { repoURL: localURL, note: `GitRepository ${ns}/${ref.name} is not declared in the repository; taken as the open repository` };
    const spec = isMapValue(repo['spec']) ? repo['spec'] : {};
    const url = typeof spec['url'] === 'string' ? spec['url'] : '';
    try {
      git.treeAt(url, 'HEAD');
    } catch {
      return { error: `GitRepository ${ns}/${ref.name} points at ${url}, which is not the open repository (list its URL in spec.repoURL of flotilla.yaml if it is); its ${f.kind} is not rendered` };
    }
    return { repoURL: url, ...(typeof spec['ignore'] === 'string' ? { ignore: spec['ignore'] } : {}) };
  };

  // Kustomizations render the Flux objects (and ConfigMaps/Secrets) of their cluster: follow them, breadth first.
  for (let i = 0, depth = 0; i < found.length && depth < 10_000; i++, depth++) {
    const f = found[i]!;
    if (f.kind !== 'Kustomization') continue;
    let level = 0;
    for (let p = f.parent; p; p = p.parent) level++;
    if (level >= 10) continue;
    const d = decodeKustomization(f.object);
    if ('error' in d) continue;
    const src = sourceOf(f, d.spec.sourceRef);
    if ('error' in src) continue;
    let tree;
    try {
      tree = git.treeAt(src.repoURL, 'HEAD');
    } catch {
      continue;
    }
    const store = { get: (kind: 'ConfigMap' | 'Secret', namespace: string, name: string) => lookup(f.cluster, kind, namespace, name) as KubeObject | undefined };
    const helm = tools?.kustomizeHelm?.(tree);
    const r = renderFluxKustomization({ object: f.object, artifact: artifactOf(tree, src.ignore), store, where: { file: f.file, line: f.line }, ...(helm ? { helm } : {}) });
    for (const o of r.objects as JsonMap[]) if (o['kind'] === 'ConfigMap' || o['kind'] === 'Secret' || group(o) === SOURCE_GROUP) declare(f.cluster, o);
    for (const o of r.objects as JsonMap[]) add(o, f.cluster, f.file, f.line, f);
  }

  // Names: bare where unique, namespace/name where that is unique, else namespace/name@cluster.
  const count = (key: (f: Found) => string): Map<string, number> => {
    const m = new Map<string, number>();
    for (const f of found) m.set(key(f), (m.get(key(f)) ?? 0) + 1);
    return m;
  };
  const bare = count((f) => f.name);
  const qualified = count((f) => `${f.namespace}/${f.name}`);
  const appName = (f: Found): string => (bare.get(f.name) === 1 ? f.name : qualified.get(`${f.namespace}/${f.name}`) === 1 ? `${f.namespace}/${f.name}` : `${f.namespace}/${f.name}@${f.cluster ?? 'no-cluster'}`);

  const rows: AppRow[] = [];
  const byRef = new Map<string, string>();
  for (const f of found) byRef.set(`${f.cluster ?? ''}|${f.kind}|${f.namespace}/${f.name}`, appName(f));
  const deps = new Map<string, string[]>();
  for (const f of found) {
    const name = appName(f);
    const own: Problem[] = [];
    const decoded = f.kind === 'Kustomization' ? decodeKustomization(f.object) : decodeHelmRelease(f.object);
    const where = { app: name, file: f.file, line: f.line, ...(f.cluster ? { cluster: f.cluster } : {}) };
    let sourceError: string | undefined;
    let repoURL = localURL;
    let ignore: string | undefined;
    let remoteChart: FluxSourceSpec['remoteChart'];
    let chartPath: string | undefined;
    let refs: { kind: 'ConfigMap' | 'Secret'; name: string }[] = [];
    let dependsOn: string[] = [];
    let targetNamespace: string | undefined;
    if ('error' in decoded) sourceError = decoded.error;
    else {
      dependsOn = decoded.spec.dependsOn.map((dep) => byRef.get(`${f.cluster ?? ''}|${f.kind}|${dep.namespace ?? f.namespace}/${dep.name}`) ?? `${dep.namespace ?? f.namespace}/${dep.name}`);
      if (f.kind === 'Kustomization') {
        const spec = decoded.spec as FluxKustomizationSpec;
        refs = [...(spec.postBuild?.substituteFrom ?? [])];
        targetNamespace = spec.targetNamespace;
        const src = sourceOf(f, spec.sourceRef);
        if ('error' in src) sourceError = src.error;
        else {
          repoURL = src.repoURL;
          ignore = src.ignore;
          if (src.note) own.push({ ...problem(src.note, where), severity: 'warning' });
        }
      } else {
        const spec = decoded.spec as HelmReleaseSpec;
        refs = [...spec.valuesFrom];
        targetNamespace = spec.targetNamespace ?? f.namespace;
        const ref = spec.chart?.sourceRef;
        const fromHelmRepository = (ns: string, name: string, chart: string, version: string | undefined): void => {
          const hr = lookup(f.cluster, 'HelmRepository', ns, name);
          const url = hr && isMapValue(hr['spec']) && typeof hr['spec']['url'] === 'string' ? hr['spec']['url'] : undefined;
          if (!url) sourceError = `HelmRepository ${ns}/${name} is not declared in the repository for ${f.cluster ? `cluster ${f.cluster}` : 'this folder'}; the chart cannot be found`;
          else remoteChart = { repoURL: url, chart, ...(version && version !== '*' ? { version } : {}) };
        };
        if (spec.chartRef) {
          // helm-controller v2: the chart is the artifact of an OCIRepository or a HelmChart (namespace: the HelmRelease's).
          const r = chartRefSource(spec.chartRef, f, (kind, ns, name) => lookup(f.cluster, kind, ns, name));
          if ('error' in r) sourceError = r.error;
          else if ('remote' in r) remoteChart = r.remote;
          else if ('helmRepository' in r) fromHelmRepository(r.helmRepository.namespace, r.helmRepository.name, r.chart, r.version);
          else {
            const src = sourceOf(f, r.gitRepository);
            if ('error' in src) sourceError = src.error;
            else {
              repoURL = src.repoURL;
              ignore = src.ignore;
              chartPath = r.chart;
              if (src.note) own.push({ ...problem(src.note, where), severity: 'warning' });
            }
          }
        } else if (ref && ref.kind === 'HelmRepository') {
          fromHelmRepository(ref.namespace ?? f.namespace, ref.name, spec.chart!.chart, spec.chart!.version);
        } else if (ref) {
          const src = sourceOf(f, ref);
          if ('error' in src) sourceError = src.error;
          else {
            repoURL = src.repoURL;
            ignore = src.ignore;
            if (src.note) own.push({ ...problem(src.note, where), severity: 'warning' });
          }
        }
      }
    }
    deps.set(name, dependsOn);
    const objects = refs.map((r) => lookup(f.cluster, r.kind, f.namespace, r.name)).filter((o): o is JsonMap => o !== undefined) as KubeObject[];
    const flux: FluxSourceSpec = {
      kind: f.kind,
      object: f.object,
      file: f.file,
      line: f.line,
      ...(f.cluster ? { cluster: f.cluster } : {}),
      objects,
      ...(ignore ? { ignore } : {}),
      ...(remoteChart ? { remoteChart } : {}),
      ...(chartPath !== undefined ? { chartPath } : {}),
      ...(sourceError ? { sourceError } : {}),
    };
    const application = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: f.namespace, annotations: { 'flotilla.dev/flux-kind': f.kind, ...(dependsOn.length ? { 'flotilla.dev/flux-depends-on': dependsOn.join(', ') } : {}) } },
      spec: { project: 'default', source: { repoURL, targetRevision: 'HEAD', path: '', flux }, destination: { ...(f.cluster ? { name: f.cluster } : {}), ...(targetNamespace ? { namespace: targetNamespace } : {}) }, dependsOn },
    } as unknown as Application;
    const origin: AppOrigin = f.parent ? { kind: 'app', parent: appName(f.parent), file: f.file, line: f.line } : { kind: 'file', file: f.file, line: f.line };
    rows.push({ name, appset: '', origin, application, ...(own.length ? { problems: own } : {}) });
  }
  // dependsOn cycles: a Problem on every app of the cycle (Flux would wait forever).
  for (const row of rows) {
    const path: string[] = [];
    const visit = (n: string): string[] | undefined => {
      if (path.includes(n)) return [...path.slice(path.indexOf(n)), n];
      path.push(n);
      for (const d of deps.get(n) ?? []) {
        const c = visit(d);
        if (c) return c;
      }
      path.pop();
      return undefined;
    };
    const cycle = visit(row.name);
    if (cycle && cycle[0] === row.name) {
      const origin = row.origin as { file?: string; line?: number };
      (row as { problems?: readonly Problem[] }).problems = [...(row.problems ?? []), problem(`dependsOn cycle: ${cycle.join(' → ')}; Flux never reconciles these`, { app: row.name, ...(origin.file ? { file: origin.file } : {}), ...(origin.line ? { line: origin.line } : {}) })];
    }
  }
  return { apps: rows, problems };
}

/** Where a HelmRelease's `spec.chartRef` finds its chart: a remote chart, a HelmRepository's, a GitRepository path, or why not. */
type ChartRefSource =
  | { readonly remote: { readonly repoURL: string; readonly chart: string; readonly version?: string } }
  | { readonly helmRepository: { readonly namespace: string; readonly name: string }; readonly chart: string; readonly version?: string }
  | { readonly gitRepository: { readonly kind: string; readonly name: string; readonly namespace: string }; readonly chart: string }
  | { readonly error: string };

/**
 * Resolves `spec.chartRef` as helm-controller v2 does, from the sources the repository declares: an OCIRepository's
 * `url` (`oci://host/path/chart`) at `ref.semver` or `ref.tag`, pulled through helm and its cache as any OCI chart; a
 * HelmChart's `chart` and `version` from its own `sourceRef` (a HelmRepository, or a GitRepository path). What cannot
 * be had locally (a digest pin, an OCIRepository without ref, a Bucket) is an error naming why.
 */
function chartRefSource(ref: { readonly kind: string; readonly name: string; readonly namespace?: string }, f: { readonly kind: string; readonly namespace: string; readonly name: string; readonly cluster?: string | undefined }, lookup: (kind: string, ns: string, name: string) => JsonMap | undefined): ChartRefSource {
  const ns = ref.namespace ?? f.namespace;
  const where = f.cluster ? `cluster ${f.cluster}` : 'this folder';
  const of = `HelmRelease ${f.namespace}/${f.name}: spec.chartRef ${ref.kind} ${ns}/${ref.name}`;
  if (ref.kind !== 'OCIRepository' && ref.kind !== 'HelmChart') return { error: `${of}: chartRef.kind must be OCIRepository or HelmChart` };
  const obj = lookup(ref.kind, ns, ref.name);
  if (!obj) return { error: `${of} is not declared in the repository for ${where}; the chart cannot be found` };
  const spec = isMapValue(obj['spec']) ? obj['spec'] : {};
  const str = (m: JsonMap, k: string): string | undefined => (typeof m[k] === 'string' && m[k] !== '' ? (m[k] as string) : undefined);
  if (ref.kind === 'OCIRepository') {
    const url = str(spec, 'url');
    if (!url?.startsWith('oci://')) return { error: `${of}: spec.url must be an oci:// URL, got ${url ?? '(none)'}` };
    const cut = url.replace(/\/+$/, '').lastIndexOf('/');
    if (cut <= 'oci://'.length) return { error: `${of}: spec.url ${url} names no chart repository (oci://host/path/chart)` };
    const r = isMapValue(spec['ref']) ? spec['ref'] : {};
    if (str(r, 'digest')) return { error: `${of} pins a digest (spec.ref.digest); Flotilla pulls OCI charts by version through helm, so this chart is not rendered locally` };
    const version = str(r, 'semver') ?? str(r, 'tag');
    if (!version) return { error: `${of} has no spec.ref.tag or spec.ref.semver: source-controller pulls the tag "latest", which helm cannot pull as a chart version; the chart is not rendered locally` };
    const trimmed = url.replace(/\/+$/, '');
    return { remote: { repoURL: trimmed.slice(0, cut), chart: trimmed.slice(cut + 1), version } };
  }
  const chart = str(spec, 'chart');
  if (!chart) return { error: `${of}: spec.chart is required` };
  const version = str(spec, 'version');
  const src = isMapValue(spec['sourceRef']) ? spec['sourceRef'] : {};
  const kind = str(src, 'kind') ?? '';
  const name = str(src, 'name') ?? '';
  // A HelmChart's sourceRef is in the HelmChart's own namespace.
  if (kind === 'HelmRepository') return { helmRepository: { namespace: ns, name }, chart, ...(version ? { version } : {}) };
  if (kind === 'GitRepository') return { gitRepository: { kind, name, namespace: ns }, chart };
  return { error: `${of} reads its chart from ${kind || '(no kind)'} ${ns}/${name}: only HelmRepository and GitRepository sources are read; this chart is not local` };
}
