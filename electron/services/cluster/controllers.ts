import { CONTROLLER_GROUPS, fluxInventoryKeys, parseControllerObject } from '../../../shared/controllers/parse';
import type { FluxOwnerKey } from '../../../shared/flux/owner';
import { fluxOwnerKey } from '../../../shared/flux/owner';
import type { ControllerKind, ControllerStatus } from '../../../shared/controllers/types';
import type { Problem } from '../../../shared/problem';
import { problem } from '../../../shared/problem';
import type { ClusterConnection } from './connection';
import { KubeApiError } from './transport';

// The controllers' own view: on a cluster that serves Argo CD's Application or Flux's Kustomization / HelmRelease
// kinds, list those objects (every namespace) and read their status as the controllers wrote it.

/** Every controller object read from one cluster, and the kinds that could not be read. */
export interface ClusterControllers {
  readonly cluster: string;
  readonly objects: readonly ControllerStatus[];
  /** Each Flux Kustomization's inventory (`group/kind/namespace/name` keys), by owner key. */
  readonly inventories: ReadonlyMap<FluxOwnerKey, readonly string[]>;
  /** Kinds served but not readable (timed out, server error): a warning each. Forbidden kinds are left out. */
  readonly problems: readonly Problem[];
}

const KINDS: readonly ControllerKind[] = ['Application', 'Kustomization', 'HelmRelease'];

/**
 * Reads the Argo CD Applications and Flux Kustomizations/HelmReleases of a cluster; kinds not served are skipped, and
 * kinds the credentials may not list too unless `reportForbidden` (the cluster page says so; a comparison does not).
 */
export async function readControllers(conn: ClusterConnection, opts: { readonly reportForbidden?: boolean } = {}): Promise<ClusterControllers> {
  const objects: ControllerStatus[] = [];
  const problems: Problem[] = [];
  const inventories = new Map<FluxOwnerKey, string[]>();
  await Promise.all(KINDS.map(async (kind) => {
    const info = await conn.resourceForGroupKind(CONTROLLER_GROUPS[kind], kind);
    if (!info) return;
    try {
      const { items } = await conn.list(info);
      for (const item of items) {
        const read = parseControllerObject(kind, item, conn.name);
        objects.push(read);
        if (kind === 'Kustomization' && read.inventory !== undefined) inventories.set(fluxOwnerKey(kind, read.namespace, read.name), fluxInventoryKeys(item));
      }
    } catch (err) {
      // Credentials that may not list the controller's objects leave its view out, as an unserved kind does: it is
      // extra information beside Flotilla's own verdict, and every read of such a cluster would otherwise warn.
      if (err instanceof KubeApiError && err.kind === 'forbidden' && !opts.reportForbidden) return;
      problems.push({ ...problem(`cannot read ${kind} objects (${CONTROLLER_GROUPS[kind]}) to show the controller's own status: ${err instanceof Error ? err.message : String(err)}`, { cluster: conn.name, resource: `${CONTROLLER_GROUPS[kind]}/${kind}` }), severity: 'warning' });
    }
  }));
  objects.sort((a, b) => a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return { cluster: conn.name, objects, inventories, problems };
}
