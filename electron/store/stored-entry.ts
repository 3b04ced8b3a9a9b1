// A resource set's entries as stored: each resource's recorded status, when its drift began and its manifests' ids,
// in a fixed key order so the set's JSON is canonical without sorting.

import type { ResourceStatus } from '../../shared/model/status';
import type { StoredResource } from './rows';

/** Where a stored entry's extra fields come from: the drift start and the manifests' ids. */
export interface EntryExtras {
  readonly driftSince?: string;
  readonly desiredId?: number;
  readonly liveId?: number;
}

/** The stored entry of a resource status, as an object (key order is the stored JSON's). */
export function storedEntry(r: ResourceStatus, x: EntryExtras): StoredResource {
  return {
    group: r.group,
    ...(r.version !== undefined ? { version: r.version } : {}),
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    sync: r.sync,
    ...(r.missing ? { missing: true } : {}),
    ...(r.extra ? { extra: true } : {}),
    ...(r.health ? { health: { status: r.health.status, message: r.health.message } } : {}),
    ...(r.changedPaths && r.changedPaths.length ? { changedPaths: [...r.changedPaths] } : r.changes && r.changes.length ? { changedPaths: r.changes.map((c) => c.path) } : {}),
    ...(r.changes && r.changes.length ? { changes: r.changes } : {}),
    ...(r.diff ? { diff: r.diff } : {}),
    ...(x.driftSince !== undefined ? { driftSince: x.driftSince } : {}),
    ...(x.desiredId !== undefined ? { desiredId: x.desiredId } : {}),
    ...(x.liveId !== undefined ? { liveId: x.liveId } : {}),
  };
}
