import { resourceKey } from '../../shared/diff/normalize';
import type { KubeObject, ResourceKey } from '../../shared/model/status';
import type { Coverage } from '../../shared/report/coverage';
import { coverageOf } from '../../shared/report/coverage';
import type { FleetStore } from '../store/fleet-store';
import type { AppClusterRecord, CompactionResult, RecordResult, ResourceManifests, RetentionPolicy, SnapshotInput } from '../store/types';
import { DEFAULT_RETENTION } from '../store/types';
import type { FleetCompareOptions, FleetComparison } from './fleet-compare';
import { compareFleet } from './fleet-compare';

const keyOf = (k: ResourceKey): string => `${k.group}/${k.kind}/${k.namespace}/${k.name}`;

/**
 * The snapshot a fleet comparison makes: each row's status, its cluster's environment, its live objects (normalised
 * and masked by the comparison) and the rendered desired objects it compared. Objects the status does not list are
 * left out; the store masks Secrets again before writing.
 */
export function snapshotFromComparison(result: FleetComparison, partial: boolean): SnapshotInput {
  const appClusters: AppClusterRecord[] = result.rows.map((r) => {
    const byKey = new Map<string, { desired?: KubeObject; live?: KubeObject }>();
    for (const res of r.status.resources) byKey.set(keyOf(res), {});
    for (const obj of r.desired) {
      // Rendering already set the destination namespace on namespaced objects.
      const slot = byKey.get(keyOf(resourceKey(obj, '')));
      if (slot) slot.desired = obj;
    }
    for (const d of r.comparison?.diffs ?? []) {
      const slot = d?.live ? byKey.get(keyOf(d.key)) : undefined;
      if (slot) slot.live = d!.live;
    }
    const manifests: ResourceManifests[] = [];
    for (const res of r.status.resources) {
      const m = byKey.get(keyOf(res))!;
      if (m.desired || m.live) manifests.push({ group: res.group, ...(res.version !== undefined ? { version: res.version } : {}), kind: res.kind, namespace: res.namespace, name: res.name, ...m });
    }
    const environment = result.environments.get(r.cluster);
    return { status: r.status, ...(environment !== undefined ? { environment } : {}), manifests, ...(r.unreachable !== undefined ? { unreachable: r.unreachable } : {}) };
  });
  return { appClusters, partial };
}

/** How much of the fleet a comparison could read: rows whose cluster was unreachable or whose sync is Unknown were not compared. */
export function comparisonCoverage(result: FleetComparison): Coverage {
  return coverageOf(result.rows.map((r) => ({ app: r.app, cluster: r.cluster, sync: r.status.sync, ...(r.status.error !== undefined ? { error: r.status.error } : {}), ...(r.unreachable !== undefined ? { unreachable: r.unreachable } : {}) })));
}

/** What one refresh did: the comparison, how much of it could be read, and what the store recorded and compacted. */
export interface RefreshOutcome {
  readonly result: FleetComparison;
  readonly coverage: Coverage;
  readonly recorded: RecordResult;
  readonly compacted: CompactionResult;
}

/**
 * Reads every app on every cluster and records the snapshot (partial when one app or cluster was asked for), then
 * applies retention. The comparison runs first and asynchronously; recording is one synchronous transaction.
 */
export async function refreshAndRecord(store: FleetStore, opts: FleetCompareOptions, retention: RetentionPolicy = DEFAULT_RETENTION): Promise<RefreshOutcome> {
  const result = await compareFleet(opts);
  const recorded = store.recordSnapshot(snapshotFromComparison(result, opts.app !== undefined || opts.cluster !== undefined));
  const compacted = store.compact(retention);
  return { result, coverage: comparisonCoverage(result), recorded, compacted };
}
