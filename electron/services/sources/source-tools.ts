import type { SourceTools } from '../../../shared/sources/types';
import { defaultDataDir } from '../data-dir';
import { findHelm } from '../helm/helm-binary';
import type { CachingHelmTemplater } from '../helm/helm-templater';
import { createHelmTemplater } from '../helm/helm-templater';
import { helmRunnerFor } from '../helm/kustomize-helm-runner';
import { createJsonnetEvaluator, findJsonnet } from '../jsonnet/jsonnet-evaluator';

/** The Node-side tools of source rendering, and the Helm templater behind them (for its statistics). */
export interface NodeSourceTools extends SourceTools {
  readonly helmTemplater?: CachingHelmTemplater;
}

/**
 * Builds the tools every source render uses: helm (with its chart and render caches under `dataDir`), go-jsonnet, and
 * the runner for kustomize's `helmCharts`. A tool that is not installed is left out, and the renderer says so.
 */
export function createSourceTools(options: { readonly dataDir?: string; readonly helm?: string | null; readonly jsonnet?: string | null } = {}): NodeSourceTools {
  const helm = options.helm === undefined ? findHelm() : options.helm;
  const jsonnet = options.jsonnet === undefined ? findJsonnet() : options.jsonnet;
  const helmTemplater = helm ? createHelmTemplater({ helm, ...(options.dataDir ? { dataDir: options.dataDir } : {}) }) : undefined;
  return {
    ...(helmTemplater ? { helm: helmTemplater, helmTemplater } : {}),
    ...(jsonnet ? { jsonnet: createJsonnetEvaluator(jsonnet) } : {}),
    kustomizeHelm: helmRunnerFor,
  };
}

let shared: NodeSourceTools | undefined;

/** The process's one set of source tools, caching under the data folder (`FLOTILLA_DATA_DIR` or the platform's). */
export function sourceTools(): NodeSourceTools {
  return (shared ??= createSourceTools({ dataDir: defaultDataDir() }));
}
