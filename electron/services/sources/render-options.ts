import type { RenderOptions } from '../../../shared/fleet/render-apps';
import type { ClusterSpec } from '../../../shared/model/fleet';
import type { RepoScan } from '../../../shared/repo/scan';
import type { CapabilitiesLookup } from '../helm/capabilities';
import { helmRunnerFor } from '../helm/kustomize-helm-runner';
import { sourceTools } from './source-tools';

/**
 * The options every Node-side render of an Application uses: the fleet's clusters and load restrictor, the process's
 * source tools (helm, go-jsonnet, kustomize's helmCharts) and, when the caller read them, the target clusters'
 * capabilities. One place, so the CLI, the app page, sync, diff and promotions render alike.
 */
export function renderOptions(scan: RepoScan, clusters: readonly ClusterSpec[], capabilities?: CapabilitiesLookup): RenderOptions {
  return {
    clusters,
    loadRestrictor: scan.fleet.loadRestrictor,
    ...(scan.fleet.kustomizeBuildOptions ? { kustomizeBuildOptions: scan.fleet.kustomizeBuildOptions } : {}),
    helmFor: helmRunnerFor,
    tools: sourceTools(),
    ...(capabilities ? { capabilities } : {}),
  };
}
