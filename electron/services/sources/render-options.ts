import type { RenderOptions } from '../../../shared/fleet/render-apps';
import type { ClusterSpec, FleetSpec } from '../../../shared/model/fleet';
import type { RepoScan } from '../../../shared/repo/scan';
import type { CapabilitiesLookup } from '../helm/capabilities';
import { helmRunnerFor } from '../helm/kustomize-helm-runner';
import { sourceTools } from './source-tools';

/** The fleet file's settings that change how an Application renders. */
export type FleetRenderSettings = Pick<FleetSpec, 'loadRestrictor' | 'kustomizeBuildOptions'>;

/** The fleet file's render settings alone (what a render worker is sent of the fleet file). */
export function fleetRenderSettings(fleet: FleetRenderSettings): FleetRenderSettings {
  return { loadRestrictor: fleet.loadRestrictor, ...(fleet.kustomizeBuildOptions ? { kustomizeBuildOptions: fleet.kustomizeBuildOptions } : {}) };
}

/**
 * The options every Node-side render of an Application uses: the fleet's clusters and load restrictor, the process's
 * source tools (helm, go-jsonnet, kustomize's helmCharts) and, when the caller read them, the target clusters'
 * capabilities. One place, so the CLI, the app page, sync, diff and promotions render alike.
 */
export function renderOptions(scan: RepoScan, clusters: readonly ClusterSpec[], capabilities?: CapabilitiesLookup): RenderOptions {
  return renderOptionsFor(scan.fleet, clusters, capabilities);
}

/** renderOptions from the fleet file's settings alone (a render worker has no scan of its own). */
export function renderOptionsFor(fleet: FleetRenderSettings, clusters: readonly ClusterSpec[], capabilities?: CapabilitiesLookup): RenderOptions {
  return {
    clusters,
    ...fleetRenderSettings(fleet),
    helmFor: helmRunnerFor,
    tools: sourceTools(),
    ...(capabilities ? { capabilities } : {}),
  };
}
