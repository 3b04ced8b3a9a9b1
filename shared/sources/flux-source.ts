import { renderHelmRelease } from '../flux/helm-release';
import type { ChartLocation } from '../flux/helm-release';
import { renderFluxKustomization } from '../flux/kustomization-build';
import type { FluxRenderResult } from '../flux/kustomization-build';
import { artifactOf } from '../flux/source-ignore';
import { objectStore } from '../flux/types';
import type { JsonMap } from '../kustomize/yaml';
import { isMapValue } from '../kustomize/yaml';
import type { ApplicationSource } from '../model/application';
import type { KubeObject } from '../model/status';
import { problem } from '../problem';
import type { SourceInput, SourceOutput, SourceRenderer } from './types';

// Flux objects as sources: a Flux app's source carries the Kustomization or HelmRelease (`source.flux`), the
// ConfigMaps/Secrets it may read, and how its Flux source was resolved; the renderers below build it as
// kustomize-controller / helm-controller would, from the repository's tree as source-controller's artifact.

/** What a Flux app's source holds (`ApplicationSource.flux`), set by Flux app discovery. */
export interface FluxSourceSpec {
  readonly kind: 'Kustomization' | 'HelmRelease';
  /** The Flux object as declared (or as its parent Kustomization rendered it). */
  readonly object: JsonMap;
  /** Where it is declared, for Problems. */
  readonly file: string;
  readonly line: number;
  readonly cluster?: string;
  /** The ConfigMaps and Secrets the repository declares for the cluster (what `substituteFrom`/`valuesFrom` read). */
  readonly objects: readonly KubeObject[];
  /** The GitRepository's `spec.ignore`, when it has one. */
  readonly ignore?: string;
  /** A HelmRelease chart from a HelmRepository/OCI repository the repository declares. */
  readonly remoteChart?: { readonly repoURL: string; readonly chart: string; readonly version?: string };
  /** A HelmRelease chart's path in the GitRepository artifact when `spec.chartRef` names a HelmChart reading one. */
  readonly chartPath?: string;
  /** Why its source cannot be had locally (another repository, an unknown kind): the render is a Problem. */
  readonly sourceError?: string;
  /** Set when the inputs were read from a connected cluster: which (`Kind/namespace/name`) it held. */
  readonly inputsFrom?: { readonly cluster: string; readonly read: readonly string[] };
}

/** The Flux spec of a source, when it is a Flux app's. */
export function fluxSpecOf(source: ApplicationSource): FluxSourceSpec | undefined {
  const f = source['flux'];
  return isMapValue(f as never) && (f as FluxSourceSpec).object ? (f as FluxSourceSpec) : undefined;
}

function output(input: SourceInput, spec: FluxSourceSpec | undefined, render: (spec: FluxSourceSpec) => FluxRenderResult): SourceOutput {
  if (!spec) return { objects: [], yaml: '', problems: [problem('not a Flux source (no source.flux)', { app: input.app })], description: 'Flux object' };
  const where = { app: input.app, file: spec.file, line: spec.line, ...(spec.cluster ? { cluster: spec.cluster } : {}) };
  if (spec.sourceError) return { objects: [], yaml: '', problems: [problem(spec.sourceError, where)], description: `Flux ${spec.kind}` };
  const r = render(spec);
  const note = spec.inputsFrom
    ? ` (Flotilla read the ConfigMaps and Secrets from cluster ${spec.inputsFrom.cluster}, and the repository's declarations for those the cluster does not hold)`
    : ` (Flotilla reads the ConfigMaps and Secrets the repository declares${spec.cluster ? ` for cluster ${spec.cluster}` : ''})`;
  const problems = r.problems.map((p) => (/not found"?$|could not find|missing key/.test(p.message) ? { ...p, message: p.message + note } : p));
  // Where the substituteFrom/valuesFrom inputs came from, so every view of the render says it.
  const inputs = spec.inputsFrom
    ? `; ConfigMaps/Secrets it reads taken from cluster ${spec.inputsFrom.cluster} (${spec.inputsFrom.read.length ? spec.inputsFrom.read.join(', ') : 'none held there'})`
    : readsInputs(spec) ? `; ConfigMaps/Secrets it reads taken from the repository's declarations${spec.cluster ? ` for cluster ${spec.cluster}` : ''} (no cluster read)` : '';
  return { objects: r.objects, yaml: r.yaml, problems, description: r.description + inputs };
}

/** Whether the Flux object names ConfigMaps or Secrets to read (`postBuild.substituteFrom`, `valuesFrom`). */
function readsInputs(spec: FluxSourceSpec): boolean {
  const sp = spec.object['spec'];
  if (!isMapValue(sp)) return false;
  const from = spec.kind === 'Kustomization' ? (isMapValue(sp['postBuild']) ? sp['postBuild']['substituteFrom'] : undefined) : sp['valuesFrom'];
  return Array.isArray(from) && from.length > 0;
}

/** Renders a Flux Kustomization app. */
export const fluxKustomizationSource: SourceRenderer = {
  kind: 'flux-kustomization',
  render(input: SourceInput): SourceOutput {
    const spec = fluxSpecOf(input.source);
    return output(input, spec, (s) => {
      const ns = namespaceOf(s.object);
      const helm = input.tools.kustomizeHelm?.(input.tree);
      return renderFluxKustomization({ object: s.object, artifact: artifactOf(input.tree, s.ignore), store: objectStore(s.objects, ns), where: { app: input.app, file: s.file, line: s.line }, ...(helm ? { helm } : {}) });
    });
  },
};

/** Renders a Flux HelmRelease app. */
export const fluxHelmReleaseSource: SourceRenderer = {
  kind: 'flux-helmrelease',
  render(input: SourceInput): SourceOutput {
    const spec = fluxSpecOf(input.source);
    return output(input, spec, (s) =>
      renderHelmRelease({
        object: s.object,
        store: objectStore(s.objects, namespaceOf(s.object)),
        where: { app: input.app, file: s.file, line: s.line },
        ...(input.tools.helm ? { helm: input.tools.helm } : {}),
        ...(input.kubeVersion ? { kubeVersion: input.kubeVersion } : {}),
        ...(input.apiVersions ? { apiVersions: input.apiVersions } : {}),
        chart: (hr): ChartLocation => {
          if (s.remoteChart) return { remote: s.remoteChart };
          if (s.chartPath !== undefined) return { tree: artifactOf(input.tree, s.ignore), path: s.chartPath };
          if (!hr.chart) return { error: 'spec.chart or spec.chartRef is required' };
          return { tree: artifactOf(input.tree, s.ignore), path: hr.chart.chart };
        },
      }),
    );
  },
};

function namespaceOf(obj: JsonMap): string {
  const m = isMapValue(obj['metadata']) ? obj['metadata'] : {};
  return typeof m['namespace'] === 'string' && m['namespace'] !== '' ? m['namespace'] : 'default';
}
