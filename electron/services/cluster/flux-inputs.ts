import type { FluxInputRef } from '../../../shared/flux/inputs';
import { fluxInputRefs, withClusterInputs } from '../../../shared/flux/inputs';
import type { Application } from '../../../shared/model/application';
import type { KubeObject } from '../../../shared/model/status';
import type { Problem } from '../../../shared/problem';
import { problem } from '../../../shared/problem';
import type { ClusterConnection } from './connection';
import { resourcePath } from './discovery';
import { KubeApiError } from './transport';

// Reading the ConfigMaps and Secrets a Flux app's substituteFrom/valuesFrom name from its cluster, as
// kustomize-controller and helm-controller read them at reconcile time. Secrets are held in memory for the render
// only; every output masks them as it masks rendered Secrets.

/** What the cluster holds of a Flux app's inputs, and why some could not be read. */
export interface FluxInputs {
  readonly objects: readonly KubeObject[];
  /** Reads that failed for another reason than absence (forbidden, timeout): warnings, the repository's copy is used. */
  readonly problems: readonly Problem[];
}

/** Reads each referenced ConfigMap/Secret from the cluster; absent ones are left to the repository's declarations. */
export async function readFluxInputs(conn: ClusterConnection, refs: readonly FluxInputRef[]): Promise<FluxInputs> {
  const objects: KubeObject[] = [];
  const problems: Problem[] = [];
  await Promise.all(refs.map(async (ref) => {
    const info = await conn.resourceForGroupKind('', ref.kind);
    if (!info) return;
    try {
      const obj = await conn.request<KubeObject>({ path: resourcePath(info, ref.namespace, ref.name) });
      objects.push({ ...obj, apiVersion: 'v1', kind: ref.kind });
    } catch (err) {
      if (err instanceof KubeApiError && err.kind === 'notFound') return;
      problems.push({ ...problem(`cannot read ${ref.kind} ${ref.namespace}/${ref.name} from the cluster (${err instanceof Error ? err.message : String(err)}); the repository's declaration is used`, { cluster: conn.name, resource: `/${ref.kind}/${ref.namespace}/${ref.name}` }), severity: 'warning' });
    }
  }));
  return { objects, problems };
}

/**
 * The app as its controller would render it on this cluster: a Flux app's substituteFrom/valuesFrom ConfigMaps and
 * Secrets read from the cluster when it is connected (the repository's declarations for those it does not hold), so
 * every view of one app × cluster — the comparison, the app page, its tree, a sync — renders from the same inputs.
 * Any other app, or a cluster not connected, is returned as it is.
 */
export async function withInputsOfCluster(conn: ClusterConnection, app: Application): Promise<{ readonly app: Application; readonly problems: readonly Problem[] }> {
  const refs = fluxInputRefs(app);
  if (refs.length === 0 || conn.info.state !== 'ready') return { app, problems: [] };
  const live = await readFluxInputs(conn, refs);
  return { app: withClusterInputs(app, live.objects, conn.name), problems: live.problems };
}
