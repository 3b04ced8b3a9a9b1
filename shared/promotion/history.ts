// A recorded promotion as the CLI and the UI show it (the Node side reads it from the store).

/** How a promotion ended: still running, pushed, nothing to do, blocked by a gate, failed, then verified or not. */
export type PromotionResult = 'running' | 'pushed' | 'no-op' | 'blocked' | 'failed' | 'verified' | 'verify-failed';

/** One recorded promotion (or rollback). */
export interface PromotionRecordView {
  readonly id: number;
  /** ISO times. */
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** `Name <email>` of the promoter's git identity. */
  readonly by: string;
  readonly pipeline: string;
  readonly from: string;
  readonly to: string;
  readonly apps: readonly string[];
  readonly versions: readonly string[];
  /** The commit the promotion was planned on. */
  readonly baseRevision?: string;
  /** The pushed commit. */
  readonly commit?: string;
  /** The branch it was pushed to. */
  readonly branch?: string;
  readonly result: PromotionResult;
  /** Why it was blocked or failed, or how verification went. */
  readonly message?: string;
  readonly attempts: number;
  /** The promotion this one rolls back. */
  readonly rollbackOf?: number;
  /** The rollback that reverted this promotion. */
  readonly rolledBackBy?: number;
}

/** The promoted render of one target Application compared with its live objects (when the cluster could be read). */
export interface LiveClusterDiff {
  readonly app: string;
  readonly cluster: string;
  readonly application: string;
  /** Whether live would still differ from the promoted state; absent when it could not be compared. */
  readonly sync?: 'Synced' | 'OutOfSync' | 'Unknown';
  /** The resources that differ from the promoted state (missing, changed, or extra), with their masked diffs. */
  readonly resources: readonly { readonly id: string; readonly sync: string; readonly missing?: boolean; readonly extra?: boolean; readonly diff?: string }[];
  /** Why it could not be compared (cluster unreachable, render failed). */
  readonly error?: string;
}
