import { fluxInventoryKeys } from '../../../shared/controllers/parse';
import type { FluxOwnerKey } from '../../../shared/flux/owner';
import { fluxIdentity, fluxOwnerKey } from '../../../shared/flux/owner';
import { KUSTOMIZE_GROUP } from '../../../shared/flux/types';
import type { Application } from '../../../shared/model/application';
import type { KubeObject } from '../../../shared/model/status';
import type { ClusterConnection } from './connection';
import { resourcePath } from './discovery';
import type { FluxOwnership } from './live-state';
import { KubeApiError } from './transport';

// How a Flux app's live objects are found on its cluster — by its controller's owner labels
// (`kustomize.toolkit.fluxcd.io/name|namespace`, `helm.toolkit.fluxcd.io/name|namespace`) and by the inventory its
// Kustomization's status lists — for every reader of live state: the fleet comparison (inventories of every
// Kustomization, read with the controllers' own view), the promotion plan's live diff and the post-promotion check
// (the app's own Kustomization, read on its own). Any other app is found by Argo CD's tracking.

/** A Flux app's ownership given the inventories already read from its cluster; undefined for any other app. */
export function fluxOwnership(app: Application, inventories?: ReadonlyMap<FluxOwnerKey, readonly string[]>): FluxOwnership | undefined {
  const id = fluxIdentity(app);
  if (!id) return undefined;
  const owner = fluxOwnerKey(id.kind, id.namespace, id.name);
  const inventory = inventories?.get(owner);
  return { owner, ...(inventory ? { inventory } : {}) };
}

/**
 * Reads one Flux app's ownership from its cluster: a Kustomization's `status.inventory` (a HelmRelease keeps none). A
 * Kustomization the cluster does not serve, hold or let us read leaves the owner labels alone to find its objects.
 */
export async function readFluxOwnership(conn: ClusterConnection, app: Application): Promise<FluxOwnership | undefined> {
  const id = fluxIdentity(app);
  if (!id) return undefined;
  const owner = fluxOwnerKey(id.kind, id.namespace, id.name);
  if (id.kind !== 'Kustomization') return { owner };
  const info = await conn.resourceForGroupKind(KUSTOMIZE_GROUP, 'Kustomization');
  if (!info) return { owner };
  try {
    const obj = await conn.request<KubeObject>({ path: resourcePath(info, id.namespace, id.name) });
    const status = obj['status'] as { inventory?: unknown } | undefined;
    return status?.inventory !== undefined ? { owner, inventory: fluxInventoryKeys(obj) } : { owner };
  } catch (err) {
    if (err instanceof KubeApiError && (err.kind === 'notFound' || err.kind === 'forbidden')) return { owner };
    throw err;
  }
}
