import type { FlotillaVerdict } from '../controllers/summary';
import type { ControllerStatus } from '../controllers/types';
import type { HealthStatus, SyncStatus } from '../model/status';
import type { CommitSignature } from '../repo/signature';

/** One app on one cluster, as a cell of the fleet grid shows it. */
export interface GridCell {
  readonly app: string;
  readonly cluster: string;
  readonly sync: SyncStatus;
  readonly health: HealthStatus;
  readonly healthMessage: string;
  /** What Git said it runs when it was last compared: image tags, or the short revision. */
  readonly version: string;
  /** What Git says it runs at HEAD (image tags, chart version or revision), known before any cluster is read. */
  readonly desiredVersion?: string;
  /** What its cluster ran at the last refresh: the live image tags (absent when never read or nothing runs). */
  readonly runningVersion?: string;
  readonly revision: string;
  /** How many resources are out of sync (missing and extra included). */
  readonly outOfSync: number;
  readonly observedAt: string;
  readonly error?: string;
  /** Why the latest refresh could not read its cluster: the state shown is the one observed at `observedAt`. */
  readonly unreachable?: string;
  /** What the GitOps controller there (Argo CD, Flux) said about the app at that observation. */
  readonly controller?: ControllerStatus;
  /** The verified signature of the commit it runs (see `runningRevision`); absent when no commit is known. */
  readonly signature?: CommitSignature;
}

/** Flotilla's own verdict of a cell, to put beside the controller's. */
export function cellVerdict(cell: GridCell): FlotillaVerdict {
  return { sync: cell.sync, drifted: cell.outOfSync, ...(cell.error ? { error: cell.error } : {}), ...(cell.revision ? { revision: cell.revision } : {}) };
}

/** One row of the grid: the instances of one app across the clusters. */
export interface GridRow {
  /** The app's name without its cluster (`frontend-prod` on `prod` → `frontend`). */
  readonly key: string;
  readonly appset?: string;
  /** Where the app comes from, for people: `ApplicationSet apps`, `file apps/x.yaml:3`, `rendered by app root`. */
  readonly origin?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly cells: Readonly<Record<string, GridCell>>;
}

/** A cluster column of the grid. */
export interface GridCluster {
  readonly name: string;
  readonly environment: string;
}

/** The apps × clusters grid, clusters grouped by environment in pipeline order. */
export interface FleetGrid {
  readonly clusters: readonly GridCluster[];
  readonly environments: readonly string[];
  readonly rows: readonly GridRow[];
}

/** What the grid's filters select; empty lists select everything. */
export interface GridFilter {
  readonly text?: string;
  readonly environments?: readonly string[];
  readonly health?: readonly HealthStatus[];
  readonly sync?: readonly SyncStatus[];
  /** `key=value` or `key` of an app label. */
  readonly label?: string;
}

/** The grid row an app belongs to: its name without the cluster's, so one app's instances share a row. */
export function gridRowKey(app: string, cluster: string): string {
  // A Flux object declared for several clusters is named `namespace/name@cluster` (flux-system/apps@staging).
  if (app.endsWith(`@${cluster}`) && app.length > cluster.length + 1) return app.slice(0, -cluster.length - 1);
  if (app.endsWith(`-${cluster}`) && app.length > cluster.length + 1) return app.slice(0, -cluster.length - 1);
  if (app.startsWith(`${cluster}-`) && app.length > cluster.length + 1) return app.slice(cluster.length + 1);
  return app;
}

/** Builds the grid from cells; clusters keep the given order (environments in order of first appearance). */
export function buildGrid(cells: readonly GridCell[], clusters: readonly GridCluster[], meta: (app: string) => { appset?: string; origin?: string; labels?: Readonly<Record<string, string>> } = () => ({})): FleetGrid {
  const rows = new Map<string, { key: string; appset?: string; origin?: string; labels: Record<string, string>; cells: Record<string, GridCell> }>();
  for (const c of cells) {
    const key = gridRowKey(c.app, c.cluster);
    let row = rows.get(key);
    if (!row) {
      const m = meta(c.app);
      row = { key, labels: { ...(m.labels ?? {}) }, cells: {}, ...(m.appset ? { appset: m.appset } : {}), ...(m.origin ? { origin: m.origin } : {}) };
      rows.set(key, row);
    }
    row.cells[c.cluster] = c;
  }
  const environments = [...new Set(clusters.map((c) => c.environment))];
  return { clusters, environments, rows: [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
}

/** The rows and clusters a filter selects: text matches the row or app name; environments narrow the columns too. */
export function filterGrid(grid: FleetGrid, filter: GridFilter): { rows: GridRow[]; clusters: GridCluster[] } {
  const envs = filter.environments?.length ? new Set(filter.environments) : undefined;
  const clusters = envs ? grid.clusters.filter((c) => envs.has(c.environment)) : [...grid.clusters];
  const text = filter.text?.trim().toLowerCase();
  const health = filter.health?.length ? new Set(filter.health) : undefined;
  const sync = filter.sync?.length ? new Set(filter.sync) : undefined;
  const [lk, lv] = (filter.label ?? '').split('=', 2) as [string, string | undefined];
  const rows = grid.rows.filter((r) => {
    if (text && !r.key.toLowerCase().includes(text) && !Object.values(r.cells).some((c) => c.app.toLowerCase().includes(text))) return false;
    if (lk && (r.labels[lk] === undefined || (lv !== undefined && r.labels[lk] !== lv))) return false;
    if (!health && !sync) return clusters.some((c) => r.cells[c.name]);
    return clusters.some((c) => {
      const cell = r.cells[c.name];
      return !!cell && (!health || health.has(cell.health)) && (!sync || sync.has(cell.sync));
    });
  });
  return { rows, clusters };
}

/** The version a cell shows: what Git says at HEAD when known, else what Git said at the last comparison. */
export function shownVersion(cell: GridCell): string {
  return cell.desiredVersion ?? cell.version;
}

/** Whether what the cluster runs differs from what Git says (both known): the cell marks it. */
export function runningDiffers(cell: GridCell): boolean {
  const desired = shownVersion(cell);
  return cell.runningVersion !== undefined && desired !== '' && cell.runningVersion !== desired;
}

/** The grid with each cell's desired version from Git at HEAD (by app name); cells of apps not listed keep theirs. */
export function withDesiredVersions(grid: FleetGrid, versions: Readonly<Record<string, string>>): FleetGrid {
  const rows = grid.rows.map((r) => {
    let cells: Record<string, GridCell> | undefined;
    for (const [cluster, c] of Object.entries(r.cells)) {
      const v = versions[c.app];
      if (v === undefined || v === c.desiredVersion) continue;
      cells ??= { ...r.cells };
      cells[cluster] = { ...c, desiredVersion: v };
    }
    return cells ? { ...r, cells } : r;
  });
  return { ...grid, rows };
}

/** One app whose version differs between two environments: "what is in staging but not yet in prod". */
export interface VersionSkew {
  readonly key: string;
  readonly from: string;
  readonly to: string;
}

/** Apps whose version in environment `from` is not the one in `to` (Git's at HEAD where known; compared by the set of versions per environment). */
export function versionSkew(grid: FleetGrid, from: string, to: string): VersionSkew[] {
  const envOf = new Map(grid.clusters.map((c) => [c.name, c.environment]));
  const out: VersionSkew[] = [];
  for (const r of grid.rows) {
    const versions = (env: string): string =>
      [...new Set(Object.values(r.cells).filter((c) => envOf.get(c.cluster) === env).map(shownVersion).filter((v) => v !== ''))].sort().join(' | ');
    const f = versions(from);
    const t = versions(to);
    if (f && f !== t) out.push({ key: r.key, from: f, to: t || '(not deployed)' });
  }
  return out;
}

/** Whether the latest refresh could read none of a cluster's cells: its column header says so. */
export function clusterUnreachable(rows: readonly GridRow[], cluster: string): string | undefined {
  let reason: string | undefined;
  for (const r of rows) {
    const c = r.cells[cluster];
    if (!c) continue;
    if (!c.unreachable) return undefined;
    reason ??= c.unreachable;
  }
  return reason;
}
