import type { StateCreator } from 'zustand';
import type { Route } from '../../../shared/nav/routes';
import { parseRoute, routeToHash } from '../../../shared/nav/routes';

/** The pages of the shell. */
export const PAGES = ['fleet', 'applications', 'applicationsets', 'promotions', 'reports', 'notifications', 'clusters', 'app'] as const;
/** A page of the shell. */
export type Page = (typeof PAGES)[number];

/**
 * Which place is shown. The URL hash is the source of truth: every move writes it (so Back/Forward and
 * reload work and every place can be linked), and a hash change from outside (Back, a link, a deep link) is applied here.
 */
export interface NavSlice {
  readonly route: Route;
  readonly page: Page;
  readonly appRef: { readonly app: string; readonly cluster: string; readonly tab?: string } | undefined;
  readonly paletteOpen: boolean;
  /** Goes to a route; `replace` changes the current history entry instead of adding one (tab switches). */
  go(route: Route, opts?: { readonly replace?: boolean }): void;
  /** Shows a route that the URL already names (hash change, start-up). */
  applyRoute(route: Route): void;
  navigate(page: Exclude<Page, 'app'>): void;
  openApp(app: string, cluster: string, tab?: string): void;
  setPaletteOpen(open: boolean): void;
}

const LAST_PAGE = 'flotilla.lastPage';

function initialRoute(): Route {
  const hash = globalThis.location?.hash ?? '';
  if (hash && hash !== '#' && hash !== '#/') {
    const r = parseRoute(hash);
    if (r) return r;
  }
  try {
    const p = globalThis.localStorage?.getItem(LAST_PAGE);
    const r = p ? parseRoute(p) : undefined;
    return r && r.page !== 'app' ? r : { page: 'fleet' };
  } catch {
    return { page: 'fleet' };
  }
}

function remember(route: Route): void {
  try {
    if (route.page !== 'app') globalThis.localStorage?.setItem(LAST_PAGE, route.page);
  } catch {
    // Storage can be unavailable (private mode); the last page is then not remembered.
  }
}

function writeHash(route: Route, replace: boolean): void {
  const loc = globalThis.location;
  const hist = globalThis.history;
  if (!loc || !hist) return;
  const hash = routeToHash(route);
  if (loc.hash === hash) return;
  if (replace) hist.replaceState(hist.state, '', hash);
  else hist.pushState(null, '', hash);
}

function stateOf(route: Route): Pick<NavSlice, 'route' | 'page' | 'appRef'> {
  return {
    route,
    page: route.page,
    appRef: route.page === 'app' ? { app: route.app, cluster: route.cluster, ...(route.tab ? { tab: route.tab } : {}) } : undefined,
  };
}

/** The navigation slice of the store; the last page is remembered across runs, the current place is in the URL. */
export const createNavSlice: StateCreator<NavSlice, [], [], NavSlice> = (set) => {
  const start = initialRoute();
  // The URL names the start page too, so the first Back after a move returns here.
  writeHash(start, true);
  return {
    ...stateOf(start),
    paletteOpen: false,
    go: (route, opts) => {
      remember(route);
      writeHash(route, opts?.replace ?? false);
      set({ ...stateOf(route), paletteOpen: false });
    },
    applyRoute: (route) => {
      remember(route);
      set({ ...stateOf(route), paletteOpen: false });
    },
    navigate: (page) => {
      const route: Route = { page };
      remember(route);
      writeHash(route, false);
      set({ ...stateOf(route), paletteOpen: false });
    },
    openApp: (app, cluster, tab) => {
      const route: Route = { page: 'app', app, cluster, ...(tab ? { tab } : {}) };
      writeHash(route, false);
      set({ ...stateOf(route), paletteOpen: false });
    },
    setPaletteOpen: (paletteOpen) => set({ paletteOpen }),
  };
};
