import { isMapValue, readYaml } from '../kustomize/yaml';
import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import { problem } from '../problem';
import { normalizePath } from '../repo/paths';
import { indentFlowContinuations } from './flow-indent';
import type { HelmOptions } from './helm-options';
import { envsubst } from './build-env';
import { cleanSetValue, readHelmOptions, semVer } from './helm-options';
import type { ResolvedValueFile, ValueFileContext } from './helm-value-files';
import { resolveFileParameter, resolveValueFiles, ValueFileError } from './helm-value-files';
import type { HelmChartRequest, SourceInput, SourceOutput, SourceRenderer } from './types';

// A Helm source rendered as Argo CD's repo-server renders it (`reposerver/repository.helmTemplate` and
// `util/helm/cmd.go`): `helm template . --name-template <release> --namespace <ns> [--kube-version] [--set…]
// [--set-string…] [--set-file…] [--values <valueFiles>…] [--values <values/valuesObject>] [--api-versions…]
// [--include-crds] [--skip-schema-validation] [--skip-tests]` in the chart folder. shared/ only resolves the request;
// the Node side's HelmTemplater runs helm (and caches by content).

/** Renders a Helm chart from the repository (`Chart.yaml` at the source path) or from a Helm/OCI repository (`chart:`). */
export const helmSource: SourceRenderer = {
  kind: 'helm',
  render(input: SourceInput): SourceOutput {
    const where = { app: input.app };
    const fail = (p: Problem, description = 'Helm chart'): SourceOutput => ({ objects: [], yaml: '', problems: [p], description });
    let opts: HelmOptions;
    try {
      opts = readHelmOptions(input.source);
    } catch (err) {
      return fail(problem((err as Error).message, where));
    }
    const remote = typeof input.source.chart === 'string' && input.source.chart !== '';
    const chartPath = input.path;
    const label = remote ? `Helm chart ${input.source.chart}${input.source.targetRevision ? ` ${input.source.targetRevision}` : ''} from ${input.source.repoURL}` : `Helm chart ${chartPath || '.'}`;
    if (!remote && input.tree.kind(`${chartPath ? `${chartPath}/` : ''}Chart.yaml`) !== 'file') {
      return fail(problem(`no Chart.yaml in ${chartPath || 'the repository root'}: not a Helm chart`, { ...where, file: chartPath || '.' }), label);
    }
    const request = buildRequest(input, opts, remote);
    if ('problem' in request) return fail({ ...request.problem, ...where }, label);
    const description = describe(label, request.request, opts, input.capabilitiesFrom);
    const helm = input.tools.helm;
    if (!helm) return fail(problem('helm is not installed: Helm sources need the helm binary (install helm 3, or set FLOTILLA_HELM to its path)', where), description);
    const out = helm.template(request.request);
    if ('error' in out) return fail(templateProblem(out.error, chartPath, input.app), description);
    const parsed = parseHelmOutput(out.manifests, remote ? `${input.source.chart} (helm template)` : `${chartPath || '.'} (helm template)`);
    return { objects: parsed.objects, yaml: out.manifests, problems: parsed.problems.map((p) => ({ ...p, ...where })), description };
  },
};

/** The `helm template` call for a source, or the Problem that stops it (a value file missing or outside the repository). */
export function buildRequest(input: SourceInput, opts: HelmOptions, remote: boolean): { readonly request: HelmChartRequest } | { readonly problem: Problem } {
  const ctx: ValueFileContext = { tree: input.tree, chartPath: input.path, refs: input.refs, env: input.env, ignoreMissing: opts.ignoreMissingValueFiles };
  const read = (f: ResolvedValueFile): string => {
    if (!('url' in f)) return f.tree.read(f.path) ?? '';
    const fetched = input.tools.remoteValueFile?.(f.url) ?? { error: 'remote value files are not fetched here' };
    if ('error' in fetched) throw new ValueFileError(`remote value file ${f.url}: ${fetched.error}`);
    return fetched.text;
  };
  let valueFiles: string[];
  const chartValueFiles: string[] = [];
  const set: { name: string; value: string; kind: 'set' | 'set-string' | 'set-file' }[] = [];
  try {
    if (remote) {
      // A chart from a Helm repository has no repository folder: relative value files are the chart's own files.
      const fromRefs: string[] = [];
      for (const raw of opts.valueFiles) {
        if (raw.startsWith('$') && input.refs.size > 0) fromRefs.push(raw);
        else {
          const p = normalizePath(envsubst(input.env, raw));
          if (p === undefined) throw new ValueFileError(`file '${raw}' resolved to outside repository root`);
          chartValueFiles.push(p);
        }
      }
      valueFiles = resolveValueFiles(fromRefs, ctx).map(read);
    } else valueFiles = resolveValueFiles(opts.valueFiles, ctx).map(read);
    if (opts.values !== undefined) valueFiles.push(opts.values);
    // Argo CD keeps parameters in maps (the last one of a name wins), then substitutes the build environment.
    const setMap = new Map<string, string>();
    const setStringMap = new Map<string, string>();
    for (const p of opts.parameters) (p.forceString ? setStringMap : setMap).set(p.name, p.value);
    for (const [name, value] of setMap) set.push({ name, value: cleanSetValue(envsubst(input.env, value)), kind: 'set' });
    for (const [name, value] of setStringMap) set.push({ name, value: cleanSetValue(envsubst(input.env, value)), kind: 'set-string' });
    const fileMap = new Map<string, string>();
    for (const p of opts.fileParameters) fileMap.set(p.name, read(resolveFileParameter(p.path, ctx)));
    for (const [name, value] of fileMap) set.push({ name, value, kind: 'set-file' });
  } catch (err) {
    if (err instanceof ValueFileError) return { problem: problem(err.message, err.file !== undefined ? { file: err.file } : {}) };
    return { problem: problem(`Helm value files: ${(err as Error).message}`) };
  }
  const namespace = opts.namespace ?? input.destinationNamespace;
  const kubeVersion = opts.kubeVersion ?? input.kubeVersion;
  const apiVersions = opts.apiVersions.length > 0 ? opts.apiVersions : (input.apiVersions ?? []);
  const request: HelmChartRequest = {
    ...(remote
      ? {
          remote: {
            repoURL: input.source.repoURL,
            chart: input.source.chart!,
            ...(input.source.targetRevision && input.source.targetRevision !== 'HEAD' ? { version: input.source.targetRevision } : {}),
          },
          ...(chartValueFiles.length > 0 ? { chartValueFiles } : {}),
        }
      : { tree: input.tree, chartPath: input.path }),
    releaseName: opts.releaseName ?? input.app,
    ...(namespace ? { namespace } : {}),
    ...(kubeVersion ? { kubeVersion: semVer(kubeVersion) } : {}),
    apiVersions,
    valueFiles,
    set,
    includeCrds: !opts.skipCrds,
    skipTests: opts.skipTests,
    skipSchemaValidation: opts.skipSchemaValidation,
  };
  return { request };
}

/** The objects `helm template` printed: every YAML document, empty ones dropped (the registry flattens lists, as for every source). */
export function parseHelmOutput(yaml: string, file: string): { readonly objects: KubeObject[]; readonly problems: Problem[] } {
  let { docs, problems } = readYaml(yaml, file, { duplicateKeys: 'lastWins' });
  if (problems.some((p) => /in block collection must be sufficiently indented/.test(p.message))) ({ docs, problems } = readYaml(indentFlowContinuations(yaml), file, { duplicateKeys: 'lastWins' }));
  const objects: KubeObject[] = [];
  for (const d of docs) if (isMapValue(d.value)) objects.push(d.value as KubeObject);
  return { objects, problems };
}

/**
 * A failed `helm template` as a Problem on the app: helm's own message, and the template file and line when helm
 * names one (`template: chart/templates/x.yaml:5:12: …`, `parse error at (chart/templates/x.yaml:3)`), mapped to the
 * repository path (helm names files by chart name, not folder).
 */
export function templateProblem(message: string, chartPath: string, app: string): Problem {
  const text = message.replace(/^Error: /, '').trim().replace(/\s*\n\s*/g, ' ');
  if (/^helm is not installed/.test(text)) return problem(text, { app });
  const m = /(?:template: |at \(|YAML parse error on |error calling include: template: )([^\s:()"]+?\.(?:yaml|yml|tpl|txt|json))(?::(\d+))?(?::(\d+))?/.exec(text);
  if (!m) return problem(`helm template failed: ${text}`, { app, ...(chartPath ? { file: `${chartPath}/Chart.yaml` } : {}) });
  const inChart = m[1]!.split('/').slice(1).join('/');
  const file = chartPath ? `${chartPath}/${inChart}` : inChart;
  return problem(`helm template failed: ${text}`, { app, file, ...(m[2] ? { line: Number(m[2]) } : {}), ...(m[3] ? { column: Number(m[3]) } : {}) });
}

function describe(label: string, r: HelmChartRequest, opts: HelmOptions, from: string | undefined): string {
  const parts = [label, `release ${r.releaseName}`];
  if (r.namespace) parts.push(`namespace ${r.namespace}`);
  if (opts.valueFiles.length > 0) parts.push(`value files ${opts.valueFiles.join(', ')}`);
  if (opts.values !== undefined) parts.push('inline values');
  if (opts.parameters.length > 0) parts.push(`${opts.parameters.length} parameter${opts.parameters.length === 1 ? '' : 's'}`);
  if (opts.fileParameters.length > 0) parts.push(`${opts.fileParameters.length} file parameter${opts.fileParameters.length === 1 ? '' : 's'}`);
  parts.push(...describeCapabilities(r, opts, from));
  for (const flag of ['skipCrds', 'skipTests', 'skipSchemaValidation'] as const) if (opts[flag]) parts.push(flag);
  return parts.join(' · ');
}

/** Which Kubernetes version and API versions helm was given and where they came from (or that helm used its own). */
function describeCapabilities(r: HelmChartRequest, opts: HelmOptions, from: string | undefined): string[] {
  const n = r.apiVersions.length;
  const version = opts.kubeVersion
    ? `Kubernetes ${r.kubeVersion} from helm.kubeVersion`
    : r.kubeVersion
      ? `Kubernetes ${r.kubeVersion} from ${from ?? 'the target cluster'}`
      : `helm's default Kubernetes version (${from ?? 'no cluster connected and no kubeVersion in the fleet file'})`;
  const apis = opts.apiVersions.length > 0 ? `${n} API versions from helm.apiVersions` : n > 0 ? `${n} API versions from ${from ?? 'the target cluster'}` : "helm's default API versions";
  return [version, apis];
}
