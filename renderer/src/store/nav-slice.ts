import type { StateCreator } from 'zustand';

/** The pages of the shell. */
export const PAGES = ['fleet', 'applications', 'applicationsets', 'promotions', 'reports', 'clusters', 'app'] as const;
/** A page of the shell. */
export type Page = (typeof PAGES)[number];

/** Which page is shown (and, on the app page, which app on which cluster). */
export interface NavSlice {
  readonly page: Page;
  readonly appRef: { readonly app: string; readonly cluster: string } | undefined;
  readonly paletteOpen: boolean;
  navigate(page: Page): void;
  openApp(app: string, cluster: string): void;
  setPaletteOpen(open: boolean): void;
}

const LAST_PAGE = 'flotilla.lastPage';

function initialPage(): Page {
  try {
    const p = globalThis.localStorage?.getItem(LAST_PAGE);
    return p && (PAGES as readonly string[]).includes(p) && p !== 'app' ? (p as Page) : 'fleet';
  } catch {
    return 'fleet';
  }
}

function remember(page: Page): void {
  try {
    if (page !== 'app') globalThis.localStorage?.setItem(LAST_PAGE, page);
  } catch {
    // Storage can be unavailable (private mode); the last page is then not remembered.
  }
}

/** The navigation slice of the store; the last page is remembered across runs. */
export const createNavSlice: StateCreator<NavSlice, [], [], NavSlice> = (set) => ({
  page: initialPage(),
  appRef: undefined,
  paletteOpen: false,
  navigate: (page) => {
    remember(page);
    set({ page, paletteOpen: false });
  },
  openApp: (app, cluster) => set({ page: 'app', appRef: { app, cluster }, paletteOpen: false }),
  setPaletteOpen: (paletteOpen) => set({ paletteOpen }),
});
