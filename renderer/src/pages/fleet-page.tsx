import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { FleetGrid, GridCell, GridCluster, GridRow } from '../../../shared/fleet/grid';
import { cellVerdict as verdictOf, clusterUnreachable, filterGrid, runningDiffers, shownVersion, versionSkew, withDesiredVersions } from '../../../shared/fleet/grid';
import { verdictsBeside } from '../../../shared/controllers/summary';
import type { HealthStatus, SyncStatus } from '../../../shared/model/status';
import { describeSignature, signatureWords } from '../../../shared/repo/signature';
import { age, ControllerTag, HealthBadge, SignatureBadge, SyncBadge } from '../components/badges';
import { ProblemList } from '../components/problem-list';
import { When } from '../components/when';
import { ProgressBar } from '../components/progress-bar';
import { afterPaint } from '../components/after-paint';
import { useStore } from '../store';
import { LoadError } from '../components/load-error';

const ROW_HEIGHT = 44;
const OVERSCAN = 8;
const SKEW_SHOWN = 100;
const HEALTHS: readonly HealthStatus[] = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];
const SYNCS: readonly SyncStatus[] = ['Synced', 'OutOfSync', 'Unknown'];

/** The fleet page: the apps × clusters grid grouped by environment, from the store at once, refreshed on request. */
export function FleetPage() {
  const status = useStore((s) => s.status);
  const statusError = useStore((s) => s.statusError);
  const refreshing = useStore((s) => s.refreshing);
  const progress = useStore((s) => s.progress);
  const filter = useStore((s) => s.filter);
  const setFilter = useStore((s) => s.setFilter);
  const refresh = useStore((s) => s.refresh);
  const cancel = useStore((s) => s.cancelRefresh);
  const loadStatus = useStore((s) => s.loadStatus);
  const desired = useStore((s) => s.desired);
  const loadDesired = useStore((s) => s.loadDesired);

  useEffect(() => {
    if (!status) void loadStatus();
  }, [status, loadStatus]);
  // Every app's version from Git once the grid is painted: at 10,000 apps × 3 clusters the answer (1 MB) and the
  // grid re-built with it would otherwise come ahead of the rows (those in view are asked for first, by the grid).
  const hasStatus = status !== undefined;
  useEffect(() => {
    if (!desired && hasStatus) return afterPaint(() => void loadDesired());
    return undefined;
  }, [desired, hasStatus, loadDesired]);

  // Until every app's version from Git is read (minutes at 30,000 Applications), the rows in view are read first.
  const soFar = useStore((s) => s.desiredSoFar);
  const current = desired !== undefined && desired.revision === status?.revision;
  const versions = useMemo(() => (current || !soFar || soFar.revision !== status?.revision ? desired?.versions : { ...desired?.versions, ...soFar.versions }), [current, desired, soFar, status?.revision]);
  const grid = useMemo(() => (status ? (versions ? withDesiredVersions(status.grid, versions) : status.grid) : undefined), [status, versions]);
  const view = useMemo(() => (grid ? filterGrid(grid, filter) : undefined), [grid, filter]);
  const counts = useMemo(() => (grid ? summaryCounts(grid) : undefined), [grid]);
  if (statusError && !status)
    return (
      <LoadError message={statusError} />
    );
  if (!status || !view || !grid || !counts) return <p className="muted">Reading the store…</p>;
  return (
    <div className="page fleet-page">
      <div className="page-head">
        <h1>Fleet</h1>
        <span className="muted" aria-label="Figures recorded">
          {status.recordedAt ? (
            <>
              figures recorded <When iso={status.recordedAt} full />
            </>
          ) : (
            'never refreshed: the grid shows the apps Git generates'
          )}
        </span>
        <button type="button" className="primary" onClick={() => void refresh()} disabled={refreshing}>
          {refreshing ? 'Refreshing…' : 'Refresh from clusters'}
        </button>
      </div>
      {refreshing && <ProgressBar progress={progress} onCancel={() => void cancel()} />}
      {statusError && (
        <LoadError message={statusError} />
      )}
      <div className="cards" role="list" aria-label="Fleet summary">
        <Card label="App × clusters" value={counts.cells} />
        <Card label="Synced" value={counts.synced} tone="good" />
        <Card label="OutOfSync" value={counts.outOfSync} tone={counts.outOfSync ? 'bad' : 'good'} />
        <Card label="Degraded" value={counts.degraded} tone={counts.degraded ? 'bad' : 'good'} />
        <Card label="Progressing" value={counts.progressing} />
        <Card label="Missing" value={counts.missing} tone={counts.missing ? 'bad' : 'good'} />
        <Card label="Unknown" value={counts.unknown} />
        {counts.unreachable > 0 && <Card label="Unreachable" value={counts.unreachable} tone="bad" />}
      </div>
      <CheckoutNote revision={status.revision} />
      <ProblemList problems={status.problems} />
      <Filters environments={grid.environments} />
      <p className="muted" aria-live="polite">
        {view.rows.length} of {grid.rows.length} apps · {view.clusters.length} clusters
        {filter.text || filter.environments?.length || filter.health?.length || filter.sync?.length || filter.label ? (
          <button type="button" className="link" onClick={() => setFilter({ text: '', environments: [], health: [], sync: [], label: '' })}>
            clear filters
          </button>
        ) : null}
      </p>
      <Grid rows={view.rows} clusters={view.clusters} versionsPending={!current} />
      <SkewView grid={grid} versionsFromGit={current} />
    </div>
  );
}

/**
 * The summary cards' figures in one pass over the cells. Sync and health count only what the last refresh read: a
 * cell whose cluster could not be read is counted as unreachable, never as the Synced (or OutOfSync) it was when last
 * observed.
 */
function summaryCounts(grid: FleetGrid) {
  const n = { cells: 0, synced: 0, outOfSync: 0, degraded: 0, progressing: 0, missing: 0, unknown: 0, unreachable: 0 };
  for (const r of grid.rows)
    for (const c of Object.values(r.cells)) {
      n.cells++;
      if (c.unreachable !== undefined) {
        n.unreachable++;
        continue;
      }
      if (c.sync === 'Synced') n.synced++;
      else if (c.sync === 'OutOfSync') n.outOfSync++;
      else if (c.sync === 'Unknown') n.unknown++;
      if (c.health === 'Degraded') n.degraded++;
      else if (c.health === 'Progressing') n.progressing++;
      else if (c.health === 'Missing') n.missing++;
    }
  return n;
}

/**
 * What the grid's versions from Git are read at: the checkout's HEAD. When the checkout is behind or ahead of its
 * remote branch (where promotions build, which the Promotions page shows), it says so here too.
 */
function CheckoutNote({ revision }: { readonly revision: string | undefined }) {
  const remote = useStore((s) => s.remote);
  if (!revision || !remote?.upstream || (!remote.behind && !remote.ahead)) return null;
  const n = (k: number, what = ''): string => `${k}${what} commit${k === 1 ? '' : 's'}`;
  const standing = remote.behind && remote.ahead ? `${n(remote.behind)} behind and ${n(remote.ahead, ' unpushed')} ahead of ${remote.upstream}` : remote.behind ? `behind ${remote.upstream} by ${n(remote.behind)}` : `ahead of ${remote.upstream} by ${n(remote.ahead, ' unpushed')}`;
  return (
    <p role="note" className="checkout-differs" aria-label="Versions read at">
      Versions from Git are your checkout&apos;s (<code>{revision.slice(0, 7)}</code>), which is {standing}; promotions build on {remote.upstream} (the Promotions page shows it).
    </p>
  );
}

function Card({ label, value, tone }: { readonly label: string; readonly value: number; readonly tone?: 'good' | 'bad' }) {
  return (
    <div className={`card ${tone ?? ''}`} role="listitem">
      <div className="value">{value}</div>
      <div className="label">{label}</div>
    </div>
  );
}

function Filters({ environments }: { readonly environments: readonly string[] }) {
  const filter = useStore((s) => s.filter);
  const setFilter = useStore((s) => s.setFilter);
  const toggle = <T extends string>(list: readonly T[] | undefined, v: T): T[] => (list?.includes(v) ? list.filter((x) => x !== v) : [...(list ?? []), v]);
  return (
    <div className="filters" role="search" aria-label="Filter the grid">
      <input type="search" aria-label="Filter apps by name" placeholder="Filter apps…" value={filter.text ?? ''} onChange={(e) => setFilter({ text: e.target.value })} />
      <input type="text" aria-label="Filter by label (key=value)" placeholder="label key=value" value={filter.label ?? ''} onChange={(e) => setFilter({ label: e.target.value })} />
      <fieldset>
        <legend>Environment</legend>
        {environments.map((env) => (
          <label key={env}>
            <input type="checkbox" checked={filter.environments?.includes(env) ?? false} onChange={() => setFilter({ environments: toggle(filter.environments, env) })} /> {env}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Health</legend>
        {HEALTHS.map((h) => (
          <label key={h}>
            <input type="checkbox" checked={filter.health?.includes(h) ?? false} onChange={() => setFilter({ health: toggle(filter.health, h) })} /> {h}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Sync</legend>
        {SYNCS.map((s) => (
          <label key={s}>
            <input type="checkbox" checked={filter.sync?.includes(s) ?? false} onChange={() => setFilter({ sync: toggle(filter.sync, s) })} /> {s}
          </label>
        ))}
      </fieldset>
    </div>
  );
}

/** The grid, virtualised: only the rows in view (plus a margin) are in the DOM, so 1,000 apps × 10 clusters scroll smoothly. */
function Grid({ rows, clusters, versionsPending }: { readonly rows: readonly GridRow[]; readonly clusters: readonly GridCluster[]; readonly versionsPending: boolean }) {
  const openApp = useStore((s) => s.openApp);
  const loadDesiredFor = useStore((s) => s.loadDesiredFor);
  const validation = useStore((s) => s.fleetValidation);
  const loadValidation = useStore((s) => s.loadFleetValidation);
  const revision = useStore((s) => s.status?.revision);
  // The findings counts after the grid's first paint: at 10,000 apps × 3 clusters their reading and the re-render of
  // the rows they bring would otherwise come ahead of the rows.
  useEffect(() => {
    if (!validation || (revision && validation.revision !== revision)) return afterPaint(() => void loadValidation());
    return undefined;
  }, [validation, revision, loadValidation]);
  const findings = useMemo(() => new Map((validation?.cells ?? []).map((c) => [`${c.app}\u0000${c.cluster}`, c])), [validation]);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  // While the versions from Git are still being read, the apps in view are asked for first (each once), a moment
  // after scrolling stops.
  useEffect(() => {
    if (!versionsPending) return;
    const apps = rows.slice(first, last).flatMap((r) => Object.values(r.cells).map((c) => c.app));
    const t = setTimeout(() => void loadDesiredFor(apps), 60);
    return () => clearTimeout(t);
  }, [versionsPending, rows, first, last, loadDesiredFor]);
  const envs: { env: string; span: number }[] = [];
  for (const c of clusters) {
    const tail = envs[envs.length - 1];
    if (tail && tail.env === c.environment) tail.span++;
    else envs.push({ env: c.environment, span: 1 });
  }
  const template = `minmax(140px, 1fr) repeat(${clusters.length}, minmax(170px, 1fr))`;
  // Where every cluster is named like its environment (one cluster each), an environment row would repeat the
  // cluster row word for word: one header row says both.
  const envRow = clusters.some((c) => c.name !== c.environment);
  const headRows = envRow ? 2 : 1;
  return (
    <div className="fleet-grid" role="grid" aria-label="Apps by cluster" aria-rowcount={rows.length + headRows} aria-colcount={clusters.length + 1}>
      <div className="grid-scroll" style={{ minWidth: 140 + clusters.length * 170 }}>
      <div className="grid-head" role="rowgroup">
        {envRow && (
          <div role="row" className="grid-row env-row-head" style={{ gridTemplateColumns: template }} aria-rowindex={1}>
            <div role="columnheader" className="corner">
              Environment
            </div>
            {envs.map((e) => (
              <div key={e.env} role="columnheader" className="env-head" style={{ gridColumn: `span ${e.span}` }}>
                {e.env}
              </div>
            ))}
          </div>
        )}
        <div role="row" className="grid-row" style={{ gridTemplateColumns: template }} aria-rowindex={headRows}>
          <div role="columnheader">App</div>
          {clusters.map((c) => {
            const down = clusterUnreachable(rows, c.name);
            return (
              <div key={c.name} role="columnheader" className={down ? 'cluster-unreachable' : undefined} title={down ?? `cluster ${c.name} in environment ${c.environment}`}>
                {c.name}
                {down ? <span className="unreachable-tag"> · unreachable</span> : null}
              </div>
            );
          })}
        </div>
      </div>
      <div className="grid-body" role="rowgroup" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} onKeyDown={(e) => moveFocus(e, scroller.current, rows.length, clusters.length)} tabIndex={0} aria-label="Grid rows">
        <div style={{ height: rows.length * ROW_HEIGHT, position: 'relative' }}>
          {rows.slice(first, last).map((r, i) => (
            <GridRowView key={r.key} row={r} index={first + i} headRows={headRows} clusters={clusters} template={template} findings={findings} openApp={openApp} />
          ))}
        </div>
      </div>
      </div>
    </div>
  );
}

type Findings = ReadonlyMap<string, { readonly errors: number; readonly warnings: number }>;

/**
 * One grid row, memoised: scrolling renders only the rows that come into view, and a store change that leaves a row's
 * data alone (progress, a filter elsewhere, the palette) re-renders none of its cells.
 */
const GridRowView = memo(function GridRowView({ row, index, headRows, clusters, template, findings, openApp }: { readonly row: GridRow; readonly index: number; readonly headRows: number; readonly clusters: readonly GridCluster[]; readonly template: string; readonly findings: Findings; readonly openApp: (app: string, cluster: string) => void }) {
  return (
    <div role="row" className="grid-row" aria-rowindex={index + headRows + 1} style={{ gridTemplateColumns: template, position: 'absolute', top: index * ROW_HEIGHT, left: 0, right: 0, height: ROW_HEIGHT }}>
      <div role="rowheader" className="app-name" title={row.origin ?? (row.appset ? `ApplicationSet ${row.appset}` : undefined)}>
        {row.key}
      </div>
      {clusters.map((c, j) => {
        const cell = row.cells[c.name];
        if (!cell) return <div key={c.name} role="gridcell" className="cell empty" aria-label={`${row.key} is not on ${c.name}`} />;
        const found = findings.get(`${cell.app}\u0000${cell.cluster}`);
        const findingText = found && found.errors + found.warnings > 0 ? `${found.errors + found.warnings} finding${found.errors + found.warnings === 1 ? '' : 's'}` : undefined;
        return (
          <div key={c.name} role="gridcell" className={`cell sync-${cell.sync} health-${cell.health}${cell.unreachable ? ' unreachable' : ''}`}>
            {/* The name says what the cell shows in its order (the controller's tag after the health), then the controller's sentence. */}
            <button
              type="button"
              data-row={index}
              data-col={j}
              className="cell-button"
              onClick={() => openApp(cell.app, cell.cluster)}
              aria-label={`${cell.app} on ${c.name}: ${cell.unreachable ? `cluster unreachable, last observed ${age(cell.observedAt)}: ` : ''}${cell.sync}${cell.sync === 'OutOfSync' && cell.outOfSync ? ` (${cell.outOfSync})` : ''}, ${cell.health}${cell.controller ? `, ${cell.controller.controller}` : ''}${cell.unreachable ? '' : versionWords(cell)}${findingText ? `, ${findingText}` : ''}${cell.signature ? `, ${signatureWords(cell.signature)}` : ''}${cell.controller ? `; ${verdictsBeside(cell.controller, verdictOf(cell))}` : ''}`}
              title={`${cell.unreachable ? `${cell.unreachable}\nshowing what was last observed, ${age(cell.observedAt)}` : `${cell.error ?? cell.healthMessage}${cell.observedAt ? `\nobserved ${age(cell.observedAt)}` : ''}`}${cell.controller ? `\n${verdictsBeside(cell.controller, verdictOf(cell))}` : ''}${cell.signature ? `\n${describeSignature(cell.signature)}` : ''}`}
            >
              {/* A cell not read in the last refresh shows what was last observed, muted and marked "last". */}
              <span className={`cell-status${cell.unreachable ? ' stale' : ''}`}>
                {cell.unreachable && cell.observedAt ? <span className="stale-tag">last</span> : null}
                <SyncBadge sync={cell.sync} count={cell.outOfSync} /> <HealthBadge health={cell.health} />
                {cell.controller ? <> <ControllerTag controller={cell.controller} verdict={verdictOf(cell)} /></> : null}
              </span>{' '}
              {/* One line: the version, then its findings count as the accessible name says it ("…, 1.8.0, 3 findings"). */}
              <span className="cell-line">
                {cell.unreachable ? (
                  <span className="cell-version cell-unreachable">unreachable · {cell.observedAt ? `seen ${age(cell.observedAt)}` : 'never observed'}</span>
                ) : (
                  <CellVersion cell={cell} />
                )}
                {found && findingText ? (
                  <>
                    {' '}
                    <span className={`findings-count ${found.errors > 0 ? 'error' : 'warning'}`} title={`${found.errors} error(s), ${found.warnings} warning(s): see the app's Validation tab`}>
                      {found.errors + found.warnings}
                    </span>
                  </>
                ) : null}
              </span>
            </button>
            {/* Beside the button, not in it: the button's name says the verdict too, and its visible text stays what its name begins with. */}
            {cell.signature ? <SignatureBadge signature={cell.signature} /> : null}
          </div>
        );
      })}
    </div>
  );
});

/** A cell's version for screen readers: the visible text first (as WCAG's label-in-name asks), then what it means. */
function versionWords(cell: GridCell): string {
  const v = shownVersion(cell);
  if (!v) return '';
  if (runningDiffers(cell)) return `, ${v}, runs ${cell.runningVersion} (Git says ${v}; the cluster ran ${cell.runningVersion} at the last refresh)`;
  return `, ${v} (version in Git${cell.runningVersion ? ', running' : ''})`;
}

/** Git's version of a cell; where the cluster ran something else at the last refresh, that too, marked. */
function CellVersion({ cell }: { readonly cell: GridCell }) {
  const v = shownVersion(cell);
  if (!runningDiffers(cell)) return <span className="cell-version">{v || '—'}</span>;
  return (
    <span className="cell-version version-differs">
      {v}, <span className="running">runs {cell.runningVersion}</span>
    </span>
  );
}

/**
 * Arrow keys move between the grid's cells (Home/End to the row's ends, PageUp/PageDown by a screen); rows outside
 * the rendered window are scrolled in first, then focused.
 */
function moveFocus(e: ReactKeyboardEvent<HTMLDivElement>, body: HTMLDivElement | null, rowCount: number, colCount: number): void {
  const from = (e.target as HTMLElement).closest<HTMLElement>('[data-row]');
  if (!body || !from) return;
  const page = Math.max(1, Math.floor(body.clientHeight / ROW_HEIGHT) - 1);
  let row = Number(from.dataset.row);
  let col = Number(from.dataset.col);
  switch (e.key) {
    case 'ArrowDown': row++; break;
    case 'ArrowUp': row--; break;
    case 'ArrowRight': col++; break;
    case 'ArrowLeft': col--; break;
    case 'Home': col = 0; break;
    case 'End': col = colCount - 1; break;
    case 'PageDown': row += page; break;
    case 'PageUp': row -= page; break;
    default: return;
  }
  e.preventDefault();
  row = Math.max(0, Math.min(rowCount - 1, row));
  col = Math.max(0, Math.min(colCount - 1, col));
  const focus = (): boolean => {
    const el = body.querySelector<HTMLElement>(`[data-row="${row}"][data-col="${col}"]`);
    el?.focus();
    return !!el;
  };
  if (!focus()) {
    const top = row * ROW_HEIGHT;
    if (top < body.scrollTop) body.scrollTop = top;
    else body.scrollTop = top - body.clientHeight + ROW_HEIGHT;
    // The scroll event, then React's render of the new window, take a few frames: retry until the cell exists.
    let tries = 0;
    const retry = (): void => {
      if (!focus() && ++tries < 30) requestAnimationFrame(retry);
    };
    requestAnimationFrame(retry);
  }
}

/** "What is in staging but not yet in prod": apps whose version differs between two environments. */
function SkewView({ grid, versionsFromGit }: { readonly grid: FleetGrid; readonly versionsFromGit: boolean }) {
  const envs = grid.environments;
  const [from, setFrom] = useState<string | undefined>(undefined);
  const [to, setTo] = useState<string | undefined>(undefined);
  const f = from ?? envs[envs.length - 2] ?? envs[0] ?? '';
  const t = to ?? envs[envs.length - 1] ?? '';
  // Compared once the grid above is painted (a pass over every row: 75 ms at 10,000 apps, ahead of the rows otherwise).
  const [painted, setPainted] = useState(false);
  useEffect(() => afterPaint(() => setPainted(true)), []);
  const skew = useMemo(() => (painted && f && t ? versionSkew(grid, f, t) : undefined), [painted, grid, f, t]);
  if (envs.length < 2) return null;
  if (!skew)
    return (
      <section className="skew" aria-labelledby="skew-h">
        <h2 id="skew-h">Version skew</h2>
        <p className="muted">Comparing the environments…</p>
      </section>
    );
  return (
    <section className="skew" aria-labelledby="skew-h">
      <h2 id="skew-h">Version skew</h2>
      <p>
        What is in{' '}
        <select aria-label="From environment" value={f} onChange={(e) => setFrom(e.target.value)}>
          {envs.map((e) => (
            <option key={e}>{e}</option>
          ))}
        </select>{' '}
        but not yet in{' '}
        <select aria-label="To environment" value={t} onChange={(e) => setTo(e.target.value)}>
          {envs.map((e) => (
            <option key={e}>{e}</option>
          ))}
        </select>
        : {skew.length} app{skew.length === 1 ? '' : 's'}{' '}
        <span className="muted">{versionsFromGit ? '(versions from Git at HEAD)' : '(reading versions from Git: the rows in view first…)'}</span>
      </p>
      {skew.length > 0 && (
        <table className="grid" aria-label={`Version skew from ${f} to ${t}`}>
          <thead>
            <tr>
              <th scope="col">App</th>
              <th scope="col">{f}</th>
              <th scope="col">{t}</th>
            </tr>
          </thead>
          <tbody>
            {skew.slice(0, SKEW_SHOWN).map((s) => (
              <tr key={s.key}>
                <th scope="row">{s.key}</th>
                <td>
                  <code>{s.from}</code>
                </td>
                <td>
                  <code>{s.to}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {skew.length > SKEW_SHOWN && <p className="muted">and {skew.length - SKEW_SHOWN} more (filter the grid to narrow)</p>}
    </section>
  );
}
