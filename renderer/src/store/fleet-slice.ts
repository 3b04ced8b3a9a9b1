import type { StateCreator } from 'zustand';
import type { RemoteStatusView } from '../../../shared/api/contract';
import type { FleetOverviewView } from '../../../shared/fleet/app-listing';
import { getApi } from '../api/bridge';

/** The open repository's overview and its loading state. */
export interface FleetSlice {
  readonly overview: FleetOverviewView | undefined;
  readonly loading: boolean;
  /** Why the overview could not be loaded (a formatted Problem), if it could not. */
  readonly loadError: string | undefined;
  /** Loads (or reloads) the overview from the engine. */
  loadOverview(): Promise<void>;
  /** The checkout against its upstream (behind/ahead), and whether a fetch is running or failed. */
  readonly remote: RemoteStatusView | undefined;
  readonly fetching: boolean;
  readonly fetchError: string | undefined;
  loadRemote(): Promise<void>;
  /** `git fetch` only: the working tree and the branch are never changed. */
  fetchRemote(): Promise<void>;
}

/** The fleet slice of the store: the only code that asks the engine for the overview. */
export const createFleetSlice: StateCreator<FleetSlice, [], [], FleetSlice> = (set) => ({
  overview: undefined,
  loading: false,
  loadError: undefined,
  remote: undefined,
  fetching: false,
  fetchError: undefined,
  async loadRemote() {
    try {
      set({ remote: await getApi()['repo:remote-status']({}) });
    } catch {
      // The header then shows no remote standing; the rest of the UI is unaffected.
      set({ remote: undefined });
    }
  },
  async fetchRemote() {
    set({ fetching: true, fetchError: undefined });
    try {
      set({ remote: await getApi()['repo:fetch']({}), fetching: false });
    } catch (err) {
      set({ fetching: false, fetchError: err instanceof Error ? err.message : String(err) });
    }
  },
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
