import { create } from 'zustand';
import type { AppSetSlice } from './appset-slice';
import { createAppSetSlice } from './appset-slice';
import type { ClusterSlice } from './cluster-slice';
import { createClusterSlice } from './cluster-slice';
import type { FleetSlice } from './fleet-slice';
import { createFleetSlice } from './fleet-slice';
import type { NavSlice } from './nav-slice';
import type { NotifySlice } from './notify-slice';
import { createNotifySlice } from './notify-slice';
import { createNavSlice } from './nav-slice';
import type { PromotionSlice } from './promotion-slice';
import { createPromotionSlice } from './promotion-slice';
import type { ReportSlice } from './report-slice';
import { createReportSlice } from './report-slice';
import type { StatusSlice } from './status-slice';
import { createStatusSlice } from './status-slice';
import type { ValidationSlice } from './validation-slice';
import { createValidationSlice } from './validation-slice';

/** The whole UI state: typed slices, each owning its actions. */
export type Store = FleetSlice & NavSlice & AppSetSlice & PromotionSlice & StatusSlice & ReportSlice & ClusterSlice & ValidationSlice & NotifySlice;

/** The one zustand store of the renderer. */
export const useStore = create<Store>()((...a) => ({
  ...createFleetSlice(...a),
  ...createNavSlice(...a),
  ...createAppSetSlice(...a),
  ...createPromotionSlice(...a),
  ...createStatusSlice(...a),
  ...createReportSlice(...a),
  ...createClusterSlice(...a),
  ...createValidationSlice(...a),
  ...createNotifySlice(...a),
}));
