/**
 * Generators of the kustomize build: ConfigMap and Secret generators, `generators:` configs, Helm chart inflation, and
 * how a generated object is merged into or replaces the one it names.
 */
import { joinPath } from '../repo/paths';
import type { JsonPath, SourcePosition } from '../yaml/node-position';
import { append } from './build-accumulate';
import { pluginConfigs } from './build-transformers';
import type { Acc, HelmTemplateRequest, Locate, Target } from './build-types';
import { BuildError, configuredBy, expandList, NOWHERE } from './build-types';
import type { Builder } from './builder';
import type { GeneratorOptions } from './generators';
import { generate, GeneratorError, mergeOptions, readGeneratorOptions } from './generators';
import { mapList, stringList, stringMap } from './kustomization';
import { idEquals, idString, Resource } from './resource';
import type { Json, JsonMap } from './yaml';
import { emitYaml, isMapValue, readYaml } from './yaml';

/** Runs a kustomization's ConfigMap/Secret generators and its `generators:` configs into the accumulator. */
export function runGenerators(b: Builder, t: Target, acc: Acc): void {
  const f = t.k.fields;
  const global = readGeneratorOptions(f.generatorOptions);
  const gens: { r: Resource; locate: Locate }[] = [];
  for (const [field, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
    const list = f[field];
    if (!Array.isArray(list)) continue;
    list.forEach((args, i) => {
      if (!isMapValue(args)) return;
      const locate: Locate = (below, part) => t.k.nodeAt(field, [i, ...below], part);
      const r = generateAt(b, t, kind, args, mergeOptions(readGeneratorOptions(args.options), global), locate);
      gens.push({ r: b.withOrigin(r, t.file, { kind: `${kind}Generator` }), locate });
    });
  }
  for (const { r, locate } of gens) absorb(b, acc, r, t.file, locate);
  if (f.helmCharts !== undefined && mapList(f.helmCharts).length > 0) runHelm(b, t, acc);
  for (const cfg of pluginConfigs(b, t, stringList(f.generators), 'generator')) {
    const kind = typeof cfg.obj.kind === 'string' ? cfg.obj.kind : '';
    if (kind === 'ConfigMapGenerator' || kind === 'SecretGenerator') {
      const meta = isMapValue(cfg.obj.metadata) ? cfg.obj.metadata : {};
      const args: JsonMap = { ...cfg.obj };
      if (typeof args.name !== 'string' && typeof meta.name === 'string') args.name = meta.name;
      if (typeof args.namespace !== 'string' && typeof meta.namespace === 'string') args.namespace = meta.namespace;
      const r = generateAt(b, t, kind === 'ConfigMapGenerator' ? 'ConfigMap' : 'Secret', args, readGeneratorOptions(args.options), NOWHERE);
      absorb(b, acc, b.withOrigin(r, cfg.file, configuredBy(cfg.obj)), t.file, NOWHERE);
    } else if (kind === 'IAMPolicyGenerator') {
      absorb(b, acc, b.withOrigin(b.wrap(cfg.file, () => iamPolicyServiceAccount(cfg.obj, cfg.file)), cfg.file, configuredBy(cfg.obj)), t.file, NOWHERE);
    } else b.fail(`generator '${kind}' is not a built-in generator; plugins are not supported`, cfg.file);
  }
}

/**
 * Runs one generator entry; its errors point at the node at fault: the `files`/`envs` entry of a file that is missing
 * or outside the kustomization, the literal or file that repeats a key, the line of an env file that is not KEY=VALUE.
 */
export function generateAt(b: Builder, t: Target, kind: 'ConfigMap' | 'Secret', args: JsonMap, options: GeneratorOptions | undefined, locate: Locate): Resource {
  const name = typeof args.name === 'string' ? args.name : '';
  const reader = (rel: string, below: JsonPath): { bytes: Uint8Array; path: string } => {
    const p = b.resolveFile(t, rel, 'generator file', () => locate(below));
    const k = b.kind(p);
    if (k !== 'file') b.fail(`${kind} generator '${name}': ${k === 'dir' ? `'${rel}' is a folder, not a file` : `file '${rel}' does not exist`} (looked for ${p})`, t.file, locate(below) ?? {});
    return { bytes: b.readBytes(p), path: p };
  };
  try {
    return generate(kind, args, options, reader, t.file);
  } catch (e) {
    if (!(e instanceof GeneratorError)) throw e;
    const at = locate(e.at);
    if (e.source) {
      const entry = at ? ` (${kind} generator '${name}' in ${t.file}:${at.line}:${at.column})` : '';
      b.fail(`${e.message}${entry}`, e.source.file, { line: e.source.line, column: e.source.column });
    }
    return b.fail(e.message, t.file, at ?? {});
  }
}

/** Adds a generated object, or merges it into / replaces the one it names; errors point at the generator's behavior. */
export function absorb(b: Builder, acc: Acc, r: Resource, file: string, locate: Locate): void {
  b.renames++;
  const id = r.curId();
  // Where the behavior is written: looked up only to point an error at it (positions cost a full YAML read).
  const at = (): SourcePosition | Record<string, never> => locate(['behavior']) ?? {};
  const matches = acc.resources.filter((x) => x.allIds().some((xi) => idEquals(xi, id)));
  if (matches.length === 0) {
    if (r.behavior !== 'create') b.fail(`id ${idString(id)} does not exist; cannot ${r.behavior} (behavior '${r.behavior}' needs a ${r.kind} of that name from a base)`, file, at());
    acc.resources.push(r);
    return;
  }
  if (matches.length > 1) b.fail(`multiple matches for ${idString(id)}; cannot ${r.behavior}`, file, at());
  const old = matches[0]!;
  if (r.behavior === 'create') b.fail(`id ${idString(id)} exists; behavior must be merge or replace`, file, at());
  const m = r.metadata;
  const om = old.metadata;
  const mergedLabels = { ...stringMap(om.labels), ...stringMap(m.labels) };
  const mergedAnn = { ...stringMap(om.annotations), ...stringMap(m.annotations) };
  const oldOrigin = stringMap(om.annotations)['config.kubernetes.io/origin'];
  if (r.behavior === 'merge' && oldOrigin !== undefined) mergedAnn['config.kubernetes.io/origin'] = oldOrigin;
  if (Object.keys(mergedLabels).length > 0) m.labels = mergedLabels;
  else delete m.labels;
  if (Object.keys(mergedAnn).length > 0) m.annotations = mergedAnn;
  else delete m.annotations;
  r.name = old.name;
  if (old.namespace !== '') r.namespace = old.namespace;
  else delete m.namespace;
  if (r.behavior === 'merge') {
    for (const field of ['data', 'binaryData'] as const) {
      const merged: JsonMap = { ...(isMapValue(old.obj[field]) ? (old.obj[field] as JsonMap) : {}), ...(isMapValue(r.obj[field]) ? (r.obj[field] as JsonMap) : {}) };
      if (Object.keys(merged).length > 0) r.obj[field] = merged;
      else if (field === 'binaryData') delete r.obj[field];
    }
  }
  r.needsHash = old.needsHash && r.needsHash;
  r.prevIds = [...old.prevIds];
  r.prefixes = [...old.prefixes];
  r.suffixes = [...old.suffixes];
  r.refVarNames = [...old.refVarNames];
  r.behavior = 'create';
  acc.resources[acc.resources.indexOf(old)] = r;
}

/** Inflates a kustomization's `helmCharts:` through the injected HelmRunner and adds their manifests. */
export function runHelm(b: Builder, t: Target, acc: Acc): void {
  b.helmRuns++;
  if (b.options.enableHelm === false) {
    const first = mapList(t.k.fields.helmCharts)[0]!;
    // kustomize prints the entry back as YAML with its keys sorted.
    b.fail(`trouble configuring builtin HelmChartInflationGenerator with config: \`\n${emitYaml(sortedKeys(first as Json))}\`: must specify --enable-helm`, t.file);
  }
  const helm = b.options.helm;
  if (!helm) b.fail('helm is not installed: helmCharts need a Helm runner (install helm and let Flotilla find it)', t.file);
  const globals = isMapValue(t.k.fields.helmGlobals) ? t.k.fields.helmGlobals : {};
  const chartHome = typeof globals.chartHome === 'string' ? globals.chartHome : 'charts';
  for (const c of mapList(t.k.fields.helmCharts)) {
    const name = typeof c.name === 'string' ? c.name : '';
    if (name === '') b.fail('a helmCharts entry needs a name', t.file);
    const home = joinPath(t.dir, chartHome);
    const local = home === undefined ? undefined : joinPath(home, name);
    const valuesFiles: string[] = [];
    if (typeof c.valuesFile === 'string') valuesFiles.push(b.readText(b.resolveFile(t, c.valuesFile, 'values file')));
    for (const v of stringList(c.additionalValuesFiles)) valuesFiles.push(b.readText(b.resolveFile(t, v, 'values file')));
    const req: HelmTemplateRequest = {
      chart: name,
      ...(local !== undefined && b.kind(local) === 'dir' ? { chartPath: local } : {}),
      ...(typeof c.repo === 'string' ? { repo: c.repo } : {}),
      ...(typeof c.version === 'string' ? { version: c.version } : {}),
      releaseName: typeof c.releaseName === 'string' ? c.releaseName : 'release-name',
      ...(typeof c.namespace === 'string' ? { namespace: c.namespace } : {}),
      ...(c.valuesInline !== undefined ? { valuesInline: c.valuesInline } : {}),
      valuesFiles,
      includeCRDs: c.includeCRDs === true,
      skipTests: c.skipTests === true,
      apiVersions: stringList(c.apiVersions),
      ...(typeof c.kubeVersion === 'string' ? { kubeVersion: c.kubeVersion } : {}),
      extraArgs: stringList(c.extraArgs),
    };
    const out = helm.template(req);
    if ('error' in out) b.fail(`helm template ${name}: ${out.error}`, t.file);
    const { docs, problems } = readYaml(out.manifests, `${t.file} (helm chart ${name})`, { duplicateKeys: 'lastWins' });
    if (problems[0]) throw new BuildError(problems[0]);
    for (const d of docs) if (isMapValue(d.value)) for (const obj of expandList(d.value)) append(b, acc, new Resource(obj, t.file), t.file);
  }
}

/** The built-in IAMPolicyGenerator (GKE workload identity): a ServiceAccount annotated with its Google service account. */
function iamPolicyServiceAccount(cfg: JsonMap, file: string): Resource {
  if (cfg.cloud !== 'gke') throw new GeneratorError(`IAMPolicyGenerator: cloud '${String(cfg.cloud)}' is not supported (only gke)`);
  const ks = isMapValue(cfg.kubernetesService) ? cfg.kubernetesService : {};
  const sa = isMapValue(cfg.serviceAccount) ? cfg.serviceAccount : {};
  const name = typeof ks.name === 'string' ? ks.name : '';
  if (name === '' || typeof sa.name !== 'string' || typeof sa.projectId !== 'string') {
    throw new GeneratorError('IAMPolicyGenerator needs kubernetesService.name, serviceAccount.name and serviceAccount.projectId');
  }
  const meta: JsonMap = { annotations: { 'iam.gke.io/gcp-service-account': `${sa.name}@${sa.projectId}.iam.gserviceaccount.com` }, name };
  if (typeof ks.namespace === 'string' && ks.namespace !== '') meta.namespace = ks.namespace;
  return new Resource({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta }, file);
}

/** A copy of a JSON value with every map's keys in sorted order (as Go's YAML marshals a map). */
function sortedKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (!isMapValue(v)) return v;
  const out: JsonMap = {};
  for (const k of Object.keys(v).sort()) out[k] = sortedKeys(v[k]!);
  return out;
}
