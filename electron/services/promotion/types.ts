// Types that the promotion service and its rollback module share (kept apart so neither imports the other).

import type { PromotionRecordView } from '../../../shared/promotion/history';
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
}
