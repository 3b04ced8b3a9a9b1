import path from 'node:path';
import type { HelmChartRequest, JsonnetEvaluator, JsonnetRequest, SourceTools } from '../../../shared/sources/types';
import { defaultDataDir } from '../data-dir';
import { findHelm } from '../helm/helm-binary';
import type { CachingHelmTemplater } from '../helm/helm-templater';
import { createHelmTemplater } from '../helm/helm-templater';
import { helmRunnerFor } from '../helm/kustomize-helm-runner';
import { createJsonnetEvaluator, findJsonnet } from '../jsonnet/jsonnet-evaluator';
import type { RemoteValueFileOptions } from './remote-value-files';
import { createRemoteValueFileReader } from './remote-value-files';

/** The Node-side tools of source rendering, and the Helm templater behind them (for its statistics and caches). */
export interface NodeSourceTools extends SourceTools {
  /** The templater, once a chart was rendered (or at once when the helm binary was given). */
  readonly helmTemplater?: CachingHelmTemplater;
}

/** Said when a chart needs helm and there is none. */
export const HELM_MISSING = 'helm is not installed: Helm sources need the helm binary (install helm 3, or set FLOTILLA_HELM to its path)';
/** Said when a .jsonnet file needs go-jsonnet and there is none. */
export const JSONNET_MISSING = 'jsonnet is not installed: .jsonnet files need go-jsonnet (scripts/jsonnet-bin.sh builds it, or set FLOTILLA_JSONNET to its path)';

/**
 * Builds the tools every source render uses: helm (with its chart and render caches under `dataDir`), go-jsonnet, and
 * the runner for kustomize's `helmCharts`. The binaries are looked for when first needed, not here (most commands
 * render no chart, and a lookup costs a process start); a missing one makes that source a Problem saying so.
 * `helm: null` / `jsonnet: null` leave a tool out.
 */
export function createSourceTools(options: { readonly dataDir?: string; readonly helm?: string | null; readonly jsonnet?: string | null; readonly remoteValues?: Omit<RemoteValueFileOptions, 'cacheDir'> } = {}): NodeSourceTools {
  const remoteValueFile = createRemoteValueFileReader({ ...options.remoteValues, ...(options.dataDir ? { cacheDir: path.join(options.dataDir, 'helm', 'values') } : {}) });
  let templater: CachingHelmTemplater | null | undefined = options.helm === null ? null : undefined;
  const helmTemplater = (): CachingHelmTemplater | null => {
    if (templater === undefined) {
      const helm = options.helm ?? findHelm();
      templater = helm ? createHelmTemplater({ helm, ...(options.dataDir ? { dataDir: options.dataDir } : {}) }) : null;
    }
    return templater;
  };
  let evaluator: JsonnetEvaluator | null | undefined = options.jsonnet === null ? null : undefined;
  const jsonnet = (): JsonnetEvaluator | null => {
    if (evaluator === undefined) {
      const bin = options.jsonnet ?? findJsonnet();
      evaluator = bin ? createJsonnetEvaluator(bin) : null;
    }
    return evaluator;
  };
  if (options.helm) helmTemplater();
  return {
    get helmTemplater() {
      return templater ?? undefined;
    },
    ...(options.helm === null ? {} : { helm: { template: (req: HelmChartRequest) => helmTemplater()?.template(req) ?? { error: HELM_MISSING } } }),
    ...(options.jsonnet === null ? {} : { jsonnet: { evaluate: (req: JsonnetRequest) => jsonnet()?.evaluate(req) ?? { error: JSONNET_MISSING } } }),
    remoteValueFile,
    kustomizeHelm: helmRunnerFor,
  };
}

let shared: NodeSourceTools | undefined;

/** The process's one set of source tools, caching under the data folder (`FLOTILLA_DATA_DIR` or the platform's). */
export function sourceTools(): NodeSourceTools {
  return (shared ??= createSourceTools({ dataDir: defaultDataDir() }));
}
