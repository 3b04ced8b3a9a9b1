// The Electron main process: one window, sandboxed, talking to the engine only through the typed IPC contract.
import { app, BrowserWindow, ipcMain, Menu, Notification, session as electronSession, shell } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerIpc } from './ipc/main-ipc';
import { CONTENT_SECURITY_POLICY } from './server/csp';
import { createApiHandlers } from './services/api-handlers';
import { driftNotices } from './services/drift-notifier';
import { buildIdentity, GridCache } from './services/grid-cache';
import { NotifyService } from './services/notify/notify-service';
import { StatusService } from './services/status-service';
import type { FleetGrid } from '../shared/fleet/grid';
import { unpackGrid } from '../shared/fleet/grid-pack';
import { defaultDataDir, readSettings, writeSettings } from './services/data-dir';
import { chooseRepo, rendererDir } from './services/repo-choice';
import { Session } from './services/session';
import { DEEP_LINK_SCHEME, deepLinkFromArgv, deepLinkToHash } from '../shared/nav/routes';

const dataDir = process.env.FLOTILLA_DATA_DIR ? defaultDataDir() : path.join(app.getPath('appData'), 'Flotilla');

/** The window, once open, and how to show a place in it; a deep link that arrives earlier waits in `pendingHash`. */
let showHash: ((hash: string) => void) | undefined;
let pendingHash: string | undefined = deepLinkFromArgv(process.argv);

/** Opens a `flotilla://…` link: the same route the renderer's hash names (shared/nav/routes). */
function openDeepLink(link: string | undefined): void {
  const hash = link ? deepLinkToHash(link) : undefined;
  if (!hash) return;
  if (showHash) showHash(hash);
  else pendingHash = hash;
}

async function createWindow(): Promise<void> {
  const repoArg = process.argv.find((a) => a.startsWith('--repo='))?.slice('--repo='.length);
  const repoPath = chooseRepo(dataDir, process.cwd(), repoArg);
  writeSettings(dataDir, { ...readSettings(dataDir), repoPath });
  const session = new Session({ repoPath, dataDir });
  const indexFile = path.join(rendererDir(), 'index.html');
  const appUrl = pathToFileURL(indexFile).href;

  electronSession.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  electronSession.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'notifications'));

  const bounds = readSettings(dataDir).window;
  const win = new BrowserWindow({
    width: bounds?.width ?? 1400,
    height: bounds?.height ?? 900,
    ...(bounds?.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    title: 'Flotilla',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  // External links open in the system browser; the window never navigates away from Flotilla's page.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (url !== appUrl) e.preventDefault();
  });
  // The fleet grid as the last run left it answers the first Fleet page (served only while its key holds: grid-cache.ts).
  const gridCache = new GridCache({ dir: path.join(dataDir, 'cache'), build: buildIdentity(), log: (line) => process.stderr.write(line) });
  void session.fleet().then((fleet) => gridCache.preload(fleet.repo.root), () => undefined);
  const dispose = registerIpc(ipcMain, createApiHandlers(session, { gridCache }), session.events, win, appUrl);
  win.on('closed', () => {
    dispose();
    gridCache.flush();
  });
  // The window's size and position are remembered for the next start.
  win.on('close', () => writeSettings(dataDir, { ...readSettings(dataDir), window: win.getBounds() }));
  watchDrift(session);
  win.once('ready-to-show', () => win.show());
  showHash = (hash) => {
    if (win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
    // Only the fragment changes: the page stays, its router moves (a hashchange), and Back returns.
    void win.loadURL(`${appUrl}${hash}`);
  };
  win.on('closed', () => (showHash = undefined));
  const start = pendingHash;
  pendingHash = undefined;
  await win.loadURL(start ? `${appUrl}${start}` : appUrl);
}

/** Opt-in desktop notifications (settings.json `notifications`): drift appearing on a watched environment, promotion outcomes. */
function watchDrift(session: Session): void {
  const status = new StatusService(session);
  // Notifications in Argo CD's format (argocd-notifications-cm in the data folder, the repository or a cluster).
  new NotifyService(session).start();
  let previous: FleetGrid | undefined;
  void status.status().then((v) => (previous = unpackGrid(v.grid)), () => undefined);
  session.events.on('fleet:updated', () => {
    void status.status().then((view) => {
      const grid = unpackGrid(view.grid);
      const prefs = readSettings(dataDir).notifications;
      if (prefs?.enabled && Notification.isSupported()) {
        for (const n of driftNotices(previous, grid, prefs.environments ?? [])) new Notification({ title: n.title, body: n.body }).show();
      }
      previous = grid;
    }, () => undefined);
  });
  session.events.on('promotion:outcome', (o) => {
    const prefs = readSettings(dataDir).notifications;
    if (!prefs?.enabled || !Notification.isSupported()) return;
    const title = o.result === 'verified' ? `Promotion #${o.id} verified` : `Promotion #${o.id} ${o.result === 'failed' ? 'failed' : 'did not verify'}`;
    new Notification({ title, body: o.message }).show();
  });
}

Menu.setApplicationMenu(
  Menu.buildFromTemplate([
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Flotilla on the web', click: () => void shell.openExternal('https://github.com/flotilla-dev/flotilla') }] },
  ]),
);

// Deep links: `flotilla://apps/frontend/dev/Diff` opens that place. One instance owns the window; a second start
// (how Windows and Linux deliver a link) hands its link over and quits; macOS delivers links through `open-url`.
if (process.defaultApp && process.argv[1]) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [path.resolve(process.argv[1])]);
else app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', (_e, argv) => openDeepLink(argv.find((a) => a.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`))));
app.on('open-url', (e, url) => {
  e.preventDefault();
  openDeepLink(url);
});

app.enableSandbox();
app.whenReady().then(createWindow, (err: unknown) => {
  console.error(err);
  app.exit(2);
});
app.on('window-all-closed', () => app.quit());
