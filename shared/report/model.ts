// The plain data the store produces and the report builders and UIs read: recorded statuses, history and drift
// report input. No I/O here; the store (electron/store) fills these from SQLite.

import type { ControllerStatus } from '../controllers/types';
import type { AppClusterStatus, HealthResult, HealthStatus, ResourceStatus, SyncStatus } from '../model/status';
import type { CommitSignature } from '../repo/signature';

/** A resource's status as recorded, with when its current drift began (absent when it is in sync). */
export interface RecordedResource extends ResourceStatus {
  /** ISO time of the first consecutive observation in which this resource was OutOfSync. */
  readonly driftSince?: string;
}

/** One app × cluster as a snapshot recorded it: the status, its environment and how long it has drifted. */
export interface RecordedAppCluster extends AppClusterStatus {
  readonly environment?: string;
  /** ISO time the app × cluster went OutOfSync, while it still is (Unknown observations do not end drift). */
  readonly driftSince?: string;
  readonly resources: readonly RecordedResource[];
  /** How many resources the app × cluster has, and how many are OutOfSync. */
  readonly resourceCount: number;
  readonly driftedCount: number;
  /** Why the snapshot could not read it (cluster unreachable): the state shown is the last one observed, at `observedAt`. */
  readonly unreachable?: string;
}

/** An app × cluster's latest status without its resource list: what the fleet grid shows. */
export type AppClusterSummary = Omit<RecordedAppCluster, 'resources'>;

/** A recorded refresh. */
export interface SnapshotRef {
  readonly id: number;
  /** ISO time the refresh was recorded. */
  readonly takenAt: string;
}

/** The fleet as one snapshot saw it. */
export interface FleetAt<T extends AppClusterSummary = AppClusterSummary> {
  readonly snapshot: SnapshotRef;
  readonly appClusters: readonly T[];
}

/** The kinds of event the history keeps (events survive compaction). */
export type HistoryEventKind = 'drift-began' | 'drift-ended' | 'health-changed' | 'sync-run' | 'promotion';

/** Details of each event kind. */
export interface HistoryEventDetails {
  readonly 'drift-began': { readonly revision: string; readonly driftedResources: number };
  readonly 'drift-ended': { readonly revision: string; readonly beganAt: string; readonly durationMs: number };
  readonly 'health-changed': { readonly from: HealthStatus; readonly to: HealthStatus; readonly message: string };
  readonly 'sync-run': SyncRunDetail;
  readonly 'promotion': PromotionDetail;
}

/** What a sync run reports. */
export interface SyncRunDetail {
  readonly revision: string;
  readonly phase: 'Succeeded' | 'Failed' | 'Error' | 'Terminated';
  readonly message?: string;
  readonly startedAt?: string;
  /** Resources applied, pruned or failed, as `group/kind/namespace/name` ids. */
  readonly resources?: readonly string[];
  /** Every resource's result, by phase and wave, as the sync ran it. */
  readonly results?: readonly SyncRunResource[];
  readonly by?: string;
}

/** One resource of a recorded sync run. */
export interface SyncRunResource {
  /** `group/kind/namespace/name`. */
  readonly id: string;
  /** PreSync, Sync, PostSync or SyncFail. */
  readonly phase: string;
  readonly wave: number;
  /** created, configured, unchanged, pruned, replaced, skipped, failed, succeeded (a hook that completed). */
  readonly action: string;
  readonly hook?: boolean;
  readonly message?: string;
}

/** What a promotion reports: a revision moved from one stage to another. */
export interface PromotionDetail {
  readonly revision: string;
  readonly from?: string;
  readonly to: string;
  readonly pipeline?: string;
  readonly message?: string;
  readonly by?: string;
}

/** One recorded event of an app (on one cluster, or app-wide when `cluster` is absent). */
export type HistoryEvent = {
  [K in HistoryEventKind]: {
    readonly id: number;
    readonly kind: K;
    /** ISO time. */
    readonly at: string;
    readonly app: string;
    readonly cluster?: string;
    readonly detail: HistoryEventDetails[K];
  };
}[HistoryEventKind];

/** A period during which an app × cluster's recorded state did not change. */
export interface TimelineEntry {
  /** ISO time the state was first observed. */
  readonly since: string;
  /** ISO time the next different state was observed (absent for the current state). */
  readonly until?: string;
  readonly revision: string;
  readonly sync: SyncStatus;
  readonly health: HealthResult;
  readonly error?: string;
  readonly resourceCount: number;
  readonly driftedCount: number;
  /** The current state only: when a refresh last read it and found it so (later than `since` when nothing changed). */
  readonly lastObservedAt?: string;
}

/** One drift, from the observation that found it to the one that found the app × cluster Synced again. */
export interface DriftEpisode {
  readonly began: string;
  readonly ended?: string;
  /** How long it took to fix, when it was fixed. */
  readonly durationMs?: number;
}

/** The history of one app on one cluster. */
export interface AppClusterHistory {
  readonly app: string;
  readonly cluster: string;
  readonly environment?: string;
  /** Oldest first. */
  readonly timeline: readonly TimelineEntry[];
  /** Oldest first; app-wide events (no cluster) appear under every cluster. */
  readonly events: readonly HistoryEvent[];
  readonly driftEpisodes: readonly DriftEpisode[];
}

/** One app × cluster in a drift report's input: its status and only the resources that drifted. */
export interface DriftReportEntryInput {
  readonly app: string;
  readonly cluster: string;
  readonly environment?: string;
  readonly revision: string;
  readonly sync: SyncStatus;
  readonly health: HealthResult;
  readonly observedAt: string;
  readonly error?: string;
  readonly driftSince?: string;
  readonly resourceCount: number;
  readonly drifted: readonly RecordedResource[];
  /** Why the snapshot could not read it (cluster unreachable): the state shown is the last one observed, at `observedAt`. */
  readonly unreachable?: string;
  /** The commit it runs (the controller's applied revision, else the recorded one; see `runningRevision`). */
  readonly runs?: string;
  /** That commit's verified signature, filled in by the Node side (absent: not verified). */
  readonly signature?: CommitSignature;
  /** What the GitOps controller in the cluster (Argo CD, Flux) said about the app, recorded with the observation. */
  readonly controller?: ControllerStatus;
}

/** What a drift report is built from: one snapshot's app × clusters. */
export interface DriftReportInput {
  readonly generatedAt: string;
  /** The snapshot the report reads (absent when the store has none at that time). */
  readonly snapshot?: SnapshotRef;
  /** `offline`: read from the store; `live`: from a refresh just made. */
  readonly source: 'offline' | 'live';
  readonly entries: readonly DriftReportEntryInput[];
}
