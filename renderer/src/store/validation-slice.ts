import type { StateCreator } from 'zustand';
import type { AppValidationView, FleetValidationView } from '../../../shared/api/contract';
import { unpackFindings } from '../../../shared/validate/findings-pack';
import { getApi } from '../api/bridge';

/** Validation results: the fleet's findings counts for the grid, and one app × cluster's findings for its page. */
export interface ValidationSlice {
  readonly fleetValidation: FleetValidationView | undefined;
  readonly appValidation: AppValidationView | undefined;
  /** Which app × cluster `appValidation` is (or is being loaded) for. */
  readonly appValidationKey: string | undefined;
  readonly appValidationError: string | undefined;
  /** Loads the findings counts of every app × cluster (computed once per commit on the engine side). */
  loadFleetValidation(): Promise<void>;
  /** Validates one app on one cluster. */
  loadAppValidation(app: string, cluster: string): Promise<void>;
}

/** The validation slice: the only code that asks the engine to validate. */
export const createValidationSlice: StateCreator<ValidationSlice, [], [], ValidationSlice> = (set, get) => ({
  fleetValidation: undefined,
  appValidation: undefined,
  appValidationKey: undefined,
  appValidationError: undefined,
  async loadFleetValidation() {
    try {
      set({ fleetValidation: unpackFindings(await getApi()['fleet:validation']({})) });
    } catch {
      // The grid works without counts; the Validation tab says why validation failed.
    }
  },
  async loadAppValidation(app, cluster) {
    const key = `${app}\u0000${cluster}`;
    set({ appValidationKey: key, appValidation: undefined, appValidationError: undefined });
    try {
      const v = await getApi()['app:validate']({ app, cluster });
      if (get().appValidationKey === key) set({ appValidation: v });
    } catch (err) {
      if (get().appValidationKey === key) set({ appValidationError: err instanceof Error ? err.message : String(err) });
    }
  },
});
