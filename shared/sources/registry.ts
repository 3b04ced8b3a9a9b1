import { problem } from '../problem';
import { applySourceOverrides } from './argocd-source-override';
import { detectSourceKind } from './detect';
import { directorySource } from './directory-source';
import { fluxHelmReleaseSource, fluxKustomizationSource } from './flux-source';
import { helmSource } from './helm-source';
import { kustomizeSource } from './kustomize-source';
import { flattenLists, printObjects } from './manifests';
import type { SourceInput, SourceKind, SourceOutput, SourceRenderer } from './types';

// The one place that knows which renderer renders which kind of source. A new kind is a new file exporting a
// SourceRenderer, listed here once.

/** Every source renderer of this build. */
export const SOURCE_RENDERERS: readonly SourceRenderer[] = [kustomizeSource, helmSource, directorySource, fluxKustomizationSource, fluxHelmReleaseSource];

/** The renderer of a kind, when this build has one. */
export function rendererFor(kind: SourceKind, renderers: readonly SourceRenderer[] = SOURCE_RENDERERS): SourceRenderer | undefined {
  return renderers.find((r) => r.kind === kind);
}

/** What one source rendered to, with the kind that rendered it (undefined when detection failed). */
export interface RenderedSource extends SourceOutput {
  readonly kind?: SourceKind;
}

/**
 * Renders one source as Argo CD's repo-server does (`GenerateManifests`): `.argocd-source*.yaml` overrides merged into
 * `input.source`, the type detected, the kind's renderer run, then `List`s flattened into their items.
 * A kind with no renderer in this build is a Problem, never an empty success.
 */
export function renderSource(input: SourceInput, renderers: readonly SourceRenderer[] = SOURCE_RENDERERS): RenderedSource {
  const where = { app: input.app, ...(input.path !== '' ? { file: input.path } : {}) };
  const overridden = input.source.chart || input.source['flux'] ? { source: input.source, files: [], problems: [] } : applySourceOverrides(input.tree, input.path, input.app, input.source);
  if (overridden.problems.length > 0) return { objects: [], yaml: '', problems: overridden.problems.map((p) => ({ ...p, app: input.app })), description: `source at ${input.path || '.'}` };
  const source = overridden.source;
  const overrides = overridden.files.length > 0 ? ` (overridden by ${overridden.files.join(', ')})` : '';
  const detected = detectSourceKind(input.source.chart ? undefined : input.tree, input.path, source);
  if ('error' in detected) return { objects: [], yaml: '', problems: [problem(detected.error, where)], description: `source at ${input.path || '.'}` };
  const renderer = rendererFor(detected.kind, renderers);
  if (!renderer) {
    const what = detected.kind === 'plugin' ? 'config-management plugin sources are not rendered by Flotilla' : `no ${detected.kind} renderer is available in this build`;
    return { kind: detected.kind, objects: [], yaml: '', problems: [problem(`${what}; the source at ${input.path || '.'} is ${detected.kind}${detected.explicit ? ' (set explicitly)' : ' (detected)'}`, where)], description: `${detected.kind} at ${input.path || '.'}` };
  }
  const out = renderer.render({ ...input, source });
  const description = out.description + overrides;
  if (out.problems.some((p) => p.severity === 'error')) return { kind: detected.kind, objects: [], yaml: '', problems: out.problems, description };
  const flat = flattenLists(out.objects);
  if (flat.error) return { kind: detected.kind, objects: [], yaml: '', problems: [...out.problems, problem(flat.error, where)], description };
  const yaml = flat.objects.length === out.objects.length && out.yaml !== '' ? out.yaml : printObjects(flat.objects);
  return { kind: detected.kind, objects: flat.objects, yaml, problems: out.problems, description };
}
