// Types that the promotion service and its rollback module share (kept apart so neither imports the other).

import type { PromotionRecordView } from '../../../shared/promotion/history';
import type { GateResult } from '../../../shared/promotion/gates';
import type { PromotionPlan } from '../../../shared/promotion/plan';

/** How an execution ended. */
export interface PromotionOutcome {
  readonly record: PromotionRecordView;
  readonly plan: PromotionPlan;
  /** Why it did not push, when it did not. */
  readonly blockers: readonly string[];
}

/** What a rollback would do: the promotion, where it would push, the revert's diff and the versions after it. */
export interface RollbackPlan {
  readonly promotion: PromotionRecordView;
  readonly remote: string;
  readonly branch: string;
  /** The remote tip the revert applies to. */
  readonly base: string;
  /** `git diff` of the revert. */
  readonly diff: string;
  /** What the target stage would run after the rollback (`app:version`). */
  readonly versions: readonly string[];
  /** The rollback plan's digest: what a signed approval of this rollback names. */
  readonly digest: string;
  /** The rolled-back stage's gates as they decide on this plan now (freeze, approvals, signed commits, manual-only). */
  readonly gates: readonly GateResult[];
  /** Every gate passes. */
  readonly ready: boolean;
}
