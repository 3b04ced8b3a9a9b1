import type { StateCreator } from 'zustand';
import type { ApprovalView, PipelinesOverview, PromotionAsk, PromotionOutcomeView, PromotionPlanView, RollbackPlanView, StageValidationView } from '../../../shared/api/contract';
import type { PromotionRecordView } from '../../../shared/promotion/history';
import { getApi } from '../api/bridge';

/** The promotions page's state: pipelines with versions per stage, the open plan, and the history. */
export interface PromotionSlice {
  readonly pipelines: PipelinesOverview | undefined;
  readonly promotionHistory: readonly PromotionRecordView[];
  /** What the open plan was asked for, and the plan once it is back. */
  readonly planAsk: PromotionAsk | undefined;
  readonly planView: PromotionPlanView | undefined;
  readonly planning: boolean;
  readonly promoting: boolean;
  /** The last promotion's or rollback's outcome. */
  readonly lastOutcome: PromotionOutcomeView | undefined;
  /** Why the last call failed (a formatted Problem). */
  readonly promotionError: string | undefined;
  /** The promotion whose rollback is being considered, and its plan once it is back. */
  readonly rollbackId: number | undefined;
  readonly rollbackPlan: RollbackPlanView | undefined;
  /** The validation gate's verdict into a stage, by `pipeline\0stage` (for the pipelines' revision); 'loading' meanwhile. */
  readonly stageValidations: Readonly<Record<string, StageValidationView | 'loading' | { readonly error: string }>>;
  /** Asks for a stage's validation verdict at the pipelines' revision, unless it is known or coming. */
  loadStageValidation(pipeline: string, stage: string): Promise<void>;
  /** Plans the rollback of a promotion (changing nothing) and opens it. */
  openRollback(id: number): Promise<void>;
  closeRollback(): void;
  loadPromotions(): Promise<void>;
  /** Plans a promotion and opens it. */
  openPlan(ask: PromotionAsk): Promise<void>;
  closePlan(): void;
  /** Executes the open plan's promotion (the person confirmed it); the gates count the signed approvals on the remote. */
  confirmPromotion(): Promise<void>;
  /** Signing an approval is under way. */
  readonly approving: boolean;
  /** The approval signed last (shown with git's verdict on its signature). */
  readonly lastApproval: ApprovalView | undefined;
  /** Signs an approval of the open plan's digest (promotion or rollback) with the user's git key, then re-plans so the gates count it. */
  approveOpenPlan(): Promise<void>;
  rollbackPromotion(id: number): Promise<void>;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The key of a stage's validation verdict in `stageValidations`. */
export const stageValidationKey = (pipeline: string, stage: string): string => `${pipeline}\u0000${stage}`;

/** The promotion slice of the store: the only code that calls the promotion channels. */
export const createPromotionSlice: StateCreator<PromotionSlice, [], [], PromotionSlice> = (set, get) => ({
  pipelines: undefined,
  promotionHistory: [],
  planAsk: undefined,
  planView: undefined,
  planning: false,
  promoting: false,
  lastOutcome: undefined,
  promotionError: undefined,
  rollbackId: undefined,
  rollbackPlan: undefined,
  stageValidations: {},
  async loadStageValidation(pipeline, stage) {
    const key = stageValidationKey(pipeline, stage);
    const known = get().stageValidations[key];
    const revision = get().pipelines?.at?.revision;
    if (known === 'loading' || (known && 'revision' in known && known.revision === revision)) return;
    set((s) => ({ stageValidations: { ...s.stageValidations, [key]: 'loading' } }));
    try {
      const view = await getApi()['promotion:stage-validation']({ pipeline, stage });
      set((s) => ({ stageValidations: { ...s.stageValidations, [key]: view } }));
    } catch (err) {
      set((s) => ({ stageValidations: { ...s.stageValidations, [key]: { error: message(err) } } }));
    }
  },
  approving: false,
  lastApproval: undefined,
  async approveOpenPlan() {
    const { planAsk, planView, rollbackId, rollbackPlan } = get();
    const req = rollbackId !== undefined && rollbackPlan ? { rollback: rollbackId, digest: rollbackPlan.digest } : planAsk && planView?.plan.digest ? { promotion: planAsk, digest: planView.plan.digest } : undefined;
    if (!req) return;
    set({ approving: true, promotionError: undefined, lastApproval: undefined });
    try {
      const lastApproval = await getApi()['promotion:approve'](req);
      set({ approving: false, lastApproval });
      if (req.rollback !== undefined) {
        const fresh = await getApi()['promotion:rollback-plan']({ id: req.rollback });
        if (get().rollbackId === req.rollback) set({ rollbackPlan: fresh });
      } else if (get().planAsk === planAsk && planAsk) {
        const fresh = await getApi()['promotion:plan'](planAsk);
        if (get().planAsk === planAsk) set({ planView: fresh });
      }
    } catch (err) {
      set({ approving: false, promotionError: message(err) });
    }
  },
  async openRollback(id) {
    set({ rollbackId: id, rollbackPlan: undefined, promotionError: undefined, lastOutcome: undefined, lastApproval: undefined, planAsk: undefined, planView: undefined });
    try {
      const rollbackPlan = await getApi()['promotion:rollback-plan']({ id });
      if (get().rollbackId === id) set({ rollbackPlan });
    } catch (err) {
      set({ promotionError: message(err) });
    }
  },
  closeRollback() {
    set({ rollbackId: undefined, rollbackPlan: undefined });
  },
  async loadPromotions() {
    try {
      const api = getApi();
      const [pipelines, promotionHistory] = await Promise.all([api['promotion:pipelines']({}), api['promotion:history']({})]);
      set({ pipelines, promotionHistory, promotionError: undefined });
    } catch (err) {
      set({ promotionError: message(err) });
    }
  },
  async openPlan(ask) {
    set({ rollbackId: undefined, rollbackPlan: undefined, planAsk: ask, planView: undefined, planning: true, promotionError: undefined, lastOutcome: undefined, lastApproval: undefined });
    try {
      const planView = await getApi()['promotion:plan'](ask);
      if (get().planAsk === ask) set({ planView, planning: false });
    } catch (err) {
      set({ planning: false, promotionError: message(err) });
    }
  },
  closePlan() {
    set({ planAsk: undefined, planView: undefined, planning: false });
  },
  async confirmPromotion() {
    const ask = get().planAsk;
    if (!ask) return;
    set({ promoting: true, promotionError: undefined });
    try {
      const lastOutcome = await getApi()['promotion:execute'](ask);
      set({ lastOutcome, promoting: false, planAsk: undefined, planView: undefined });
      await get().loadPromotions();
    } catch (err) {
      set({ promoting: false, promotionError: message(err) });
    }
  },
  async rollbackPromotion(id) {
    set({ promoting: true, promotionError: undefined });
    try {
      const lastOutcome = await getApi()['promotion:rollback']({ id });
      set({ lastOutcome, promoting: false, rollbackId: undefined, rollbackPlan: undefined });
      await get().loadPromotions();
    } catch (err) {
      set({ promoting: false, promotionError: message(err) });
    }
  },
});
