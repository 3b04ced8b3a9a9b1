// What the store records and returns, beyond the shared report model.

import type { AppClusterStatus, KubeObject, ResourceKey } from '../../shared/model/status';
import type { Problem } from '../../shared/problem';
import type { PromotionDetail, SnapshotRef, SyncRunDetail } from '../../shared/report/model';

/** The desired (rendered) and live manifests of one resource; either may be absent (missing, or extra). */
export interface ResourceManifests extends ResourceKey {
  readonly desired?: KubeObject;
  readonly live?: KubeObject;
}

/** One app × cluster of a refresh: its status, environment and manifests (masked by the store before writing). */
export interface AppClusterRecord {
  readonly status: AppClusterStatus;
  readonly environment?: string;
  readonly manifests?: readonly ResourceManifests[];
  /**
   * Why this refresh could not read the app × cluster (its cluster unreachable). The store then keeps the observation
   * last recorded, with its own time, and marks it unreachable in this snapshot; only an app × cluster never seen
   * before gets the (Unknown) status given here.
   */
  readonly unreachable?: string;
}

/**
 * One refresh of the fleet. App × clusters recorded before and absent here are no longer in the fleet, unless the
 * refresh is `partial` (one cluster or one app was read): then they carry over from the previous snapshot as they were.
 */
export interface SnapshotInput {
  /** ISO time of the refresh (default: now). */
  readonly takenAt?: string;
  readonly appClusters: readonly AppClusterRecord[];
  readonly partial?: boolean;
}

/** What recording a snapshot did. */
export interface RecordResult {
  readonly snapshot: SnapshotRef;
  /** App × clusters whose state changed (a new observation written) and those found as they were. */
  readonly changed: number;
  readonly unchanged: number;
  /** App × clusters that could not be read: their last observation was kept. */
  readonly unreachable: number;
  /** Events recorded (drift began or ended, health changed). */
  readonly events: number;
  /** Records that could not be kept (errors: the app × cluster keeps its last state) or were fixed up (warnings). */
  readonly problems: readonly Problem[];
}

/** Options of recordSnapshot. */
export interface RecordOptions {
  /** Called synchronously as app × clusters are written (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A sync run another module performed, to keep in the history. */
export interface SyncRunRecord {
  readonly app: string;
  readonly cluster: string;
  /** ISO time it finished (default: now). */
  readonly at?: string;
  readonly detail: SyncRunDetail;
}

/** A promotion another module performed; `cluster` absent for a stage-wide promotion. */
export interface PromotionRecord {
  readonly app: string;
  readonly cluster?: string;
  readonly at?: string;
  readonly detail: PromotionDetail;
}

/** The manifests of one resource as recorded (Secret values masked). */
export interface RecordedManifests extends ResourceKey {
  readonly desired?: KubeObject;
  readonly live?: KubeObject;
}

/** What ran on one app × cluster at a time: its revision and manifests. */
export interface RunningAppCluster {
  readonly app: string;
  readonly cluster: string;
  readonly environment?: string;
  readonly revision: string;
  readonly observedAt: string;
  readonly manifests: readonly RecordedManifests[];
}

/** How much history to keep: everything newer than `keepAllForMs`, then one snapshot per `thenOnePerMs`. */
export interface RetentionPolicy {
  readonly keepAllForMs: number;
  /** Default: one day. */
  readonly thenOnePerMs?: number;
}

/** The default retention: every refresh for 14 days, then one a day. */
export const DEFAULT_RETENTION: RetentionPolicy = { keepAllForMs: 14 * 24 * 3600_000, thenOnePerMs: 24 * 3600_000 };

/** What compaction removed. */
export interface CompactionResult {
  readonly snapshotsDeleted: number;
  readonly observationsDeleted: number;
  readonly resourceSetsDeleted: number;
  readonly manifestsDeleted: number;
}
