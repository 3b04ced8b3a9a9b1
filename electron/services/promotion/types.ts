// Types that the promotion service and its rollback module share (kept apart so neither imports the other).

import type { PromotionOutcomeView, RollbackPlanView } from '../../../shared/api/contract';
import type { PromotionPlan } from '../../../shared/promotion/plan';

/** How an execution ended (the API contract's outcome) and the plan it carried out. */
export interface PromotionOutcome extends PromotionOutcomeView {
  readonly plan: PromotionPlan;
}

/** What a rollback would do: the promotion, where it would push, the revert's diff and the versions after it. */
export type RollbackPlan = RollbackPlanView;
