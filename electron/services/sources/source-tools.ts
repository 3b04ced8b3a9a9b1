import type { SourceTools } from '../../../shared/sources/types';

/**
 * The Node-side tools Application sources render with: the Helm templater (`helm template`) and the Jsonnet evaluator.
 * Each is present only when this build provides it; a source needing an absent one renders as a Problem saying so.
 */
export function sourceTools(): Omit<SourceTools, 'kustomizeHelm'> {
  return {};
}
