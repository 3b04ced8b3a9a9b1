import { sha256Hex } from '../hash/sha256';
import type { Json, JsonMap } from '../kustomize/yaml';
import { emitYaml, isMapValue, readYaml } from '../kustomize/yaml';
import type { KubeObject } from '../model/status';
import { problem } from '../problem';
import type { FileTree } from '../repo/file-tree';
import type { HelmTemplater } from '../sources/types';
import type { FluxRenderResult, FluxWhere } from './kustomization-build';
import { secureJoin } from './kustomization-build';
import { printObjects } from '../sources/manifests';
import { ownerLabels, withMetadata } from './metadata';
import { runPostRenderers } from './post-render';
import { dataOf } from './substitute';
import type { FluxObjectStore, HelmReleaseSpec } from './types';
import { decodeHelmRelease, HELM_GROUP } from './types';

// A HelmRelease rendered as helm-controller installs it: values from `valuesFrom` in order (ConfigMap/Secret, key
// `values.yaml` unless `valuesKey`, merged at the root or set at `targetPath`) then `spec.values` on top; release name
// `spec.releaseName` or `[<targetNamespace>-]<name>`, shortened to 53 characters with a sha256 suffix; namespace
// `targetNamespace` or the HelmRelease's; the chart's `crds/` first (unless `install.crds: Skip`), then the templates
// without hooks (Helm runs those apart), `commonMetadata` then the `helm.toolkit.fluxcd.io/name|namespace` labels.

/** Where a HelmRelease's chart is: a folder of a tree, a chart of a Helm/OCI repository, or why it cannot be had. */
export type ChartLocation = { readonly tree: FileTree; readonly path: string } | { readonly remote: { readonly repoURL: string; readonly chart: string; readonly version?: string } } | { readonly error: string };

/** Everything one HelmRelease render needs. */
export interface HelmReleaseInput {
  readonly object: JsonMap;
  /** Finds the chart of `spec.chart.spec` (GitRepository path, HelmRepository chart) or `spec.chartRef`. */
  readonly chart: (spec: HelmReleaseSpec) => ChartLocation;
  readonly store: FluxObjectStore;
  readonly helm?: HelmTemplater;
  readonly where: FluxWhere;
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
}

/** helm-controller's release name: at most 53 characters, else 40 + `-` + 12 hex of the name's sha256. */
export function shortenReleaseName(name: string): string {
  if (name.length <= 53) return name;
  return `${name.slice(0, 40)}-${sha256Hex(new TextEncoder().encode(name)).slice(0, 12)}`;
}

/** The release name and namespace helm-controller uses. */
export function releaseIdentity(name: string, namespace: string, spec: HelmReleaseSpec): { readonly releaseName: string; readonly namespace: string } {
  const base = spec.releaseName ?? (spec.targetNamespace ? `${spec.targetNamespace}-${name}` : name);
  return { releaseName: shortenReleaseName(base), namespace: spec.targetNamespace ?? namespace };
}

/** Helm's values merge (chartutil.MergeMaps): maps merge recursively, anything else is replaced. */
export function mergeValues(a: JsonMap, b: JsonMap): JsonMap {
  const out: JsonMap = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isMapValue(v) && isMapValue(cur) ? mergeValues(cur, v) : v;
  }
  return out;
}

/** A `--set` value as Helm types it: true/false, null, integers (no leading zero), else the string. */
function typedValue(v: string): Json {
  if (v.toLowerCase() === 'true') return true;
  if (v.toLowerCase() === 'false') return false;
  if (v.toLowerCase() === 'null') return null;
  if (v === '0') return 0;
  if (/^-?[1-9]\d*$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
  return v;
}

/** Sets `value` at a `targetPath` (`a.b`, `a\.b`, `list[0].c`), creating maps and lists as `--set` does. */
export function setAtPath(values: JsonMap, path: string, value: string): JsonMap | { error: string } {
  const segs: (string | number)[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && i + 1 < path.length) cur += path[++i]!;
    else if (c === '.') {
      if (cur !== '') segs.push(cur);
      cur = '';
    } else if (c === '[') {
      if (cur !== '') segs.push(cur);
      cur = '';
      const end = path.indexOf(']', i);
      const n = Number(path.slice(i + 1, end));
      if (end < 0 || !Number.isInteger(n) || n < 0) return { error: `invalid targetPath ${JSON.stringify(path)}: bad list index` };
      segs.push(n);
      i = end;
    } else cur += c;
  }
  if (cur !== '') segs.push(cur);
  if (segs.length === 0 || typeof segs[0] === 'number') return { error: `invalid targetPath ${JSON.stringify(path)}` };
  const root: JsonMap = JSON.parse(JSON.stringify(values)) as JsonMap;
  let node: JsonMap | Json[] = root;
  for (let i = 0; i < segs.length; i++) {
    const key = segs[i]!;
    const last = i === segs.length - 1;
    const nextIsIndex = !last && typeof segs[i + 1] === 'number';
    const make = (): Json => (nextIsIndex ? [] : {});
    if (typeof key === 'number') {
      const list = node as Json[];
      while (list.length <= key) list.push(null);
      if (last) list[key] = typedValue(value);
      else {
        if (!(nextIsIndex ? Array.isArray(list[key]) : isMapValue(list[key]))) list[key] = make();
        node = list[key] as JsonMap | Json[];
      }
    } else {
      const map = node as JsonMap;
      if (last) map[key] = typedValue(value);
      else {
        if (!(nextIsIndex ? Array.isArray(map[key]) : isMapValue(map[key]))) map[key] = make();
        node = map[key] as JsonMap | Json[];
      }
    }
  }
  return root;
}

/** The values of a HelmRelease (chartutil.ChartValuesFromReferences), or the error helm-controller stops on. */
export function helmReleaseValues(spec: HelmReleaseSpec, namespace: string, store: FluxObjectStore): { values: JsonMap } | { error: string } {
  let values: JsonMap = {};
  for (const ref of spec.valuesFrom) {
    const obj = store.get(ref.kind, namespace, ref.name);
    const id = `${ref.kind} '${namespace}/${ref.name}'`;
    if (!obj) {
      if (ref.optional) continue;
      return { error: `could not find ${id}` };
    }
    const data = dataOf(obj as JsonMap);
    if ('error' in data) return { error: `${id}: ${data.error}` };
    const key = ref.valuesKey ?? 'values.yaml';
    const text = data.values[key];
    if (text === undefined) {
      if (ref.optional) continue;
      return { error: `missing key '${key}' in ${id}` };
    }
    if (ref.targetPath) {
      const set = setAtPath(values, ref.targetPath, text);
      if ('error' in set) return { error: `unable to replace value at path '${ref.targetPath}' with value from ${id}: ${set.error}` };
      values = set;
      continue;
    }
    const { docs, problems } = readYaml(text, `${ref.kind}/${ref.name}/${key}`, { duplicateKeys: 'lastWins', schema: 'yaml11' });
    if (problems.length > 0) return { error: `unable to read values from key '${key}' in ${id}: ${problems[0]!.message}` };
    const v = docs[0]?.value ?? {};
    if (!isMapValue(v)) return { error: `unable to read values from key '${key}' in ${id}: not a YAML mapping` };
    values = mergeValues(values, v);
  }
  return { values: mergeValues(values, spec.values ?? {}) };
}

/** "HelmRelease chart ./charts/demo as release web-demo in web, 2 valuesFrom". */
function describe(spec: HelmReleaseSpec, releaseName: string, namespace: string): string {
  const chart = spec.chart ? `${spec.chart.chart}${spec.chart.version ? `@${spec.chart.version}` : ''} from ${spec.chart.sourceRef.kind} ${spec.chart.sourceRef.name}` : spec.chartRef ? `from ${spec.chartRef.kind} ${spec.chartRef.name}` : 'no chart';
  return `Flux HelmRelease: chart ${chart} as release ${releaseName} in ${namespace}${spec.valuesFrom.length ? `, ${spec.valuesFrom.length} valuesFrom` : ''}`;
}

/** The chart's `crds/` files as helm-controller installs them (before the templates, not templated). */
function chartCrds(tree: FileTree, chartDir: string): JsonMap[] | { error: string } {
  const out: JsonMap[] = [];
  const walk = (dir: string): string | undefined => {
    for (const e of tree.list(dir) ?? []) {
      const p = `${dir}/${e.name}`;
      if (e.kind === 'dir') {
        const err = walk(p);
        if (err) return err;
      } else if (/\.(ya?ml|json)$/.test(e.name)) {
        const { docs, problems } = readYaml(tree.read(p) ?? '', p, { duplicateKeys: 'lastWins' });
        if (problems.length > 0) return `${p}: ${problems[0]!.message}`;
        for (const d of docs) if (isMapValue(d.value)) out.push(d.value);
      }
    }
    return undefined;
  };
  const crdDir = chartDir === '' ? 'crds' : `${chartDir}/crds`;
  const err = tree.kind(crdDir) === 'dir' ? walk(crdDir) : undefined;
  return err ? { error: err } : out;
}

/** Renders a HelmRelease as helm-controller would install it (client-side, Helm's default capabilities). */
export function renderHelmRelease(input: HelmReleaseInput): FluxRenderResult {
  const where = { ...input.where };
  const fail = (message: string, description = 'Flux HelmRelease'): FluxRenderResult => ({ objects: [], yaml: '', problems: [problem(message, where)], description, files: [] });
  const decoded = decodeHelmRelease(input.object);
  if ('error' in decoded) return fail(decoded.error);
  const { spec, name, namespace } = decoded;
  const id = releaseIdentity(name, namespace, spec);
  const description = describe(spec, id.releaseName, id.namespace);
  const values = helmReleaseValues(spec, namespace, input.store);
  if ('error' in values) return fail(values.error, description);
  const location = input.chart(spec);
  if ('error' in location) return fail(location.error, description);
  if (!input.helm) return fail('helm is not available: HelmReleases need the helm binary', description);
  let crds: JsonMap[] = [];
  let chartPath: string | undefined;
  if ('tree' in location) {
    chartPath = secureJoin(location.path);
    if (location.tree.kind(chartPath) !== 'dir') return fail(`chart path not found: stat <root>/${chartPath}: no such file or directory (spec.chart.spec.chart ${JSON.stringify(spec.chart?.chart ?? '')})`, description);
    if (spec.crds !== 'Skip') {
      const c = chartCrds(location.tree, chartPath);
      if ('error' in c) return fail(`chart CRDs: ${c.error}`, description);
      crds = c;
    }
  }
  const rendered = input.helm.template({
    ...('tree' in location ? { tree: location.tree, chartPath: chartPath! } : { remote: location.remote }),
    releaseName: id.releaseName,
    namespace: id.namespace,
    ...(input.kubeVersion ? { kubeVersion: input.kubeVersion } : {}),
    apiVersions: input.apiVersions ?? [],
    valueFiles: [emitYaml(values.values)],
    set: [],
    // A remote chart's CRDs come through helm (its files are not in a tree here); a chart in the repository's are read above.
    includeCrds: !('tree' in location) && spec.crds !== 'Skip',
    skipTests: false,
    skipSchemaValidation: spec.disableSchemaValidation,
  });
  if ('error' in rendered) return fail(`helm template failed: ${rendered.error}`, description);
  const { docs, problems } = readYaml(rendered.manifests, `${name} (helm template output)`, { duplicateKeys: 'lastWins' });
  if (problems.length > 0) return fail(`reading the chart's output: ${problems[0]!.message}`, description);
  const manifests = docs
    .map((d) => d.value)
    .filter((v): v is JsonMap => isMapValue(v))
    .filter((o) => {
      const ann = isMapValue(o['metadata']) && isMapValue(o['metadata']['annotations']) ? o['metadata']['annotations'] : {};
      return ann['helm.sh/hook'] === undefined;
    });
  // helm-controller's post-renderers, in its order: the kustomize ones, then commonMetadata, then the origin labels.
  const post = spec.postRenderers > 0 ? runPostRenderers(manifests, (input.object['spec'] as JsonMap | undefined)?.['postRenderers']) : { objects: manifests };
  if ('error' in post) return fail(`post-render failed: ${post.error}`, description);
  const origin = ownerLabels(HELM_GROUP, name, namespace);
  const cm = spec.commonMetadata;
  const objects = [...crds.map((o) => withMetadata(o, origin)), ...post.objects.map((o) => withMetadata(cm ? withMetadata(o, cm.labels, cm.annotations) : o, origin))] as KubeObject[];
  return { objects, yaml: printObjects(objects), problems: [], description, files: [] };
}
