import { useEffect } from 'react';
import { getApi } from './api/bridge';
import { CommandPalette } from './components/command-palette';
import { RemoteStanding } from './components/remote-standing';
import { AppPage } from './pages/app-page';
import { ApplicationsPage } from './pages/applications-page';
import { AppSetsPage } from './pages/appsets-page';
import { ClusterPage } from './pages/cluster-page';
import { ClustersPage } from './pages/clusters-page';
import { FleetPage } from './pages/fleet-page';
import { PromotionsPage } from './pages/promotions-page';
import { NotificationsPage } from './pages/notifications-page';
import { ReportsPage } from './pages/reports-page';
import { useStore } from './store';
import { useRouteSync } from './store/route-sync';
import type { Page } from './store/nav-slice';
import { LoadError } from './components/load-error';

const NAV: readonly { readonly page: Exclude<Page, 'app'>; readonly label: string }[] = [
  { page: 'fleet', label: 'Fleet' },
  { page: 'applications', label: 'Applications' },
  { page: 'applicationsets', label: 'ApplicationSets' },
  { page: 'promotions', label: 'Promotions' },
  { page: 'reports', label: 'Reports' },
  { page: 'notifications', label: 'Notifications' },
  { page: 'clusters', label: 'Clusters' },
];

/**
 * Resolves once the fleet page's grid is read (or failed) when the app opens on that page, at once elsewhere. The
 * overview lists every generated app (a listing each, not the Application: still a few MB at 10,000 apps × 3
 * clusters): read beside the grid, its writing held the server's event loop and its parsing the page's main thread
 * ahead of the grid. At most 3 s.
 */
function afterFirstGrid(): Promise<void> {
  const s = useStore.getState();
  if (s.page !== 'fleet' || s.status || s.statusError) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      unsubscribe();
      clearTimeout(timer);
      resolve();
    };
    const unsubscribe = useStore.subscribe((x) => {
      if (x.status || x.statusError) done();
    });
    const timer = setTimeout(done, 3000);
  });
}

/** The shell: the repository and its revision always visible, navigation, the command palette, and the current page. */
export function App() {
  const overview = useStore((s) => s.overview);
  const loading = useStore((s) => s.loading);
  const loadError = useStore((s) => s.loadError);
  const page = useStore((s) => s.page);
  const route = useStore((s) => s.route);
  const navigate = useStore((s) => s.navigate);
  const loadOverview = useStore((s) => s.loadOverview);
  const loadRemote = useStore((s) => s.loadRemote);
  const loadStatus = useStore((s) => s.loadStatus);
  const loadDesired = useStore((s) => s.loadDesired);
  const setProgress = useStore((s) => s.setProgress);
  const setPaletteOpen = useStore((s) => s.setPaletteOpen);
  const clusterChanged = useStore((s) => s.clusterChanged);
  const loadPromotions = useStore((s) => s.loadPromotions);
  const reloadDetail = useStore((s) => s.reloadDetail);
  useRouteSync();

  useEffect(() => {
    // The header's data is read after the fleet grid when the app opens on it (see afterFirstGrid).
    void afterFirstGrid().then(() => Promise.all([loadOverview(), loadRemote()]));
    const api = getApi();
    // Every action (sync, refresh, promotion, rollback) and every live change arrives as one of these events, and each
    // view showing what changed re-reads it: the header and grid, the app page, Promotions.
    const offs = [
      api.on('repo:changed', () => void Promise.all([loadOverview(), loadRemote(), loadStatus(), loadDesired(), reloadDetail(), loadPromotions()])),
      api.on('progress', (p) => setProgress(p)),
      api.on('fleet:updated', () => void Promise.all([loadStatus(), reloadDetail()])),
      api.on('cluster:state', (c) => clusterChanged(c)),
      api.on('promotion:outcome', () => void Promise.all([loadPromotions(), loadStatus(), reloadDetail()])),
      // Only a page that shows the history re-reads it (the history is loaded when the page opens).
      api.on('notify:evaluated', () => void useStore.getState().notificationsChanged()),
    ];
    return () => offs.forEach((off) => off());
  }, [loadOverview, loadRemote, loadStatus, loadDesired, setProgress, clusterChanged, loadPromotions, reloadDetail]);

  const head = overview?.repo.head;
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Flotilla</span>
        {overview && (
          <span className="repo" aria-label="Repository">
            <span className="repo-name">{overview.repo.fleet?.name ?? overview.repo.path}</span>
            <span className="muted repo-path">{overview.repo.path}</span>
            {head && (
              <span className="revision" aria-label="Revision" title={head.subject}>
                {head.branch ? `${head.branch} @ ` : ''}
                <code>{head.short}</code> {head.subject}
              </span>
            )}
            <RemoteStanding />
          </span>
        )}
        <button type="button" className="palette-button" onClick={() => setPaletteOpen(true)} aria-keyshortcuts="Control+K Meta+K">
          Search <kbd>Ctrl K</kbd>
        </button>
        <button type="button" className="refresh" onClick={() => void loadOverview()} disabled={loading}>
          {loading ? 'Loading…' : 'Reload'}
        </button>
      </header>
      <nav className="sidebar" aria-label="Main">
        <ul>
          {NAV.map((n) => (
            <li key={n.page}>
              <button type="button" aria-current={page === n.page ? 'page' : undefined} onClick={() => navigate(n.page)}>
                {n.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        {loadError && (
          <LoadError lead="Could not open the repository." message={loadError} />
        )}
        {!overview && !loadError && page !== 'fleet' && page !== 'promotions' && <p className="muted">Reading the repository…</p>}
        {/* The grid and the pipelines need no overview (their own calls bring what they show): they load beside it. */}
        {page === 'fleet' && <FleetPage />}
        {overview && page === 'applications' && <ApplicationsPage />}
        {overview && page === 'applicationsets' && <AppSetsPage />}
        {page === 'promotions' && <PromotionsPage />}
        {overview && page === 'reports' && <ReportsPage />}
        {overview && page === 'notifications' && <NotificationsPage />}
        {overview && route.page === 'clusters' && (route.cluster ? <ClusterPage name={route.cluster} /> : <ClustersPage />)}
        {overview && page === 'app' && <AppPage />}
      </main>
      <CommandPalette />
    </div>
  );
}
