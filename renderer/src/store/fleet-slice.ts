import type { StateCreator } from 'zustand';
import type { FleetOverview } from '../../../shared/api/contract';
import { getApi } from '../api/bridge';

/** The open repository's overview and its loading state. */
export interface FleetSlice {
  readonly overview: FleetOverview | undefined;
  readonly loading: boolean;
  /** Why the overview could not be loaded (a formatted Problem), if it could not. */
  readonly loadError: string | undefined;
  /** Loads (or reloads) the overview from the engine. */
  loadOverview(): Promise<void>;
}

/** The fleet slice of the store: the only code that asks the engine for the overview. */
export const createFleetSlice: StateCreator<FleetSlice, [], [], FleetSlice> = (set) => ({
  overview: undefined,
  loading: false,
  loadError: undefined,
  async loadOverview() {
    set({ loading: true });
    try {
      const overview = await getApi()['fleet:overview']({});
      set({ overview, loading: false, loadError: undefined });
    } catch (err) {
      set({ loading: false, loadError: err instanceof Error ? err.message : String(err) });
    }
  },
});
