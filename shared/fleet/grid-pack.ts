// The fleet grid as it travels from the Node side to a UI: every string once in a table, each cell a short array of
// indices into it. 10,000 app × clusters are ~2.4 MB as plain objects (the same key names, messages, revisions and
// times repeated in every cell) and under a quarter of that packed; unpacking rebuilds the very same FleetGrid.

import type { ControllerStatus } from '../controllers/types';
import type { CommitSignature } from '../repo/signature';
import type { HealthStatus, SyncStatus } from '../model/status';
import type { FleetGrid, GridCell, GridCluster, GridRow } from './grid';
import { interned } from '../api/interned';
import { runningRevision } from './revision-signature';
import type { Mutable } from '../mutable';

/**
 * A cell packed: string-table indices (-1: the field is absent) and the out-of-sync count; then, only when either is
 * present, the controller as is (0: none) and the index of its commit's signature in the grid's signature table.
 */
type PackedCell = readonly [
  cluster: number,
  app: number,
  sync: number,
  health: number,
  healthMessage: number,
  version: number,
  desiredVersion: number,
  runningVersion: number,
  revision: number,
  outOfSync: number,
  observedAt: number,
  error: number,
  unreachable: number,
  controller?: ControllerStatus | 0,
  signature?: number,
];

/** A row packed: key, appset, origin (indices, -1 absent), its labels, its cells. */
type PackedRow = readonly [key: number, appset: number, origin: number, labels: Readonly<Record<string, string>> | 0, cells: readonly PackedCell[]];

/** The fleet grid packed for the wire (see `packGrid`). */
export interface PackedGrid {
  readonly packed: 1;
  readonly clusters: readonly GridCluster[];
  readonly environments: readonly string[];
  readonly strings: readonly string[];
  /** Each distinct commit signature once (many cells run the same commit). */
  readonly signatures: readonly CommitSignature[];
  readonly rows: readonly PackedRow[];
}

/** Packs a grid: each distinct string and commit signature once. */
export function packGrid(grid: FleetGrid): PackedGrid {
  const strings = interned<string>();
  const s = (v: string | undefined): number => (v === undefined ? -1 : strings.indexOf(v));
  const signatures = interned<CommitSignature>();
  const sig = (v: CommitSignature): number => signatures.indexOf(v);
  const rows = grid.rows.map((r): PackedRow => {
    const cells = Object.values(r.cells).map((c): PackedCell => {
      const packed = [s(c.cluster), s(c.app), s(c.sync), s(c.health), s(c.healthMessage), s(c.version), s(c.desiredVersion), s(c.runningVersion), s(c.revision), c.outOfSync, s(c.observedAt), s(c.error), s(c.unreachable)] as const;
      if (c.signature) return [...packed, c.controller ?? 0, sig(c.signature)];
      return c.controller ? [...packed, c.controller] : packed;
    });
    return [s(r.key), s(r.appset), s(r.origin), Object.keys(r.labels).length ? r.labels : 0, cells];
  });
  return { packed: 1, clusters: grid.clusters, environments: grid.environments, strings: strings.values, signatures: signatures.values, rows };
}

/**
 * A packed grid with each cell's signature (of the commit it runs) taken from verdicts keyed by commit, without
 * unpacking it: the very same as `packGrid(withSignatures(unpackGrid(p), verdicts))` (signatures are numbered in the
 * order cells first use them, as packGrid numbers them; the string table is unchanged). Cells and rows no verdict
 * touches are shared with `p`.
 */
export function withPackedSignatures(p: PackedGrid, verdicts: ReadonlyMap<string, CommitSignature>): PackedGrid {
  const { strings } = p;
  const table = interned<CommitSignature>();
  const rows = p.rows.map((row): PackedRow => {
    let cells: PackedCell[] | undefined;
    row[4].forEach((c, i) => {
      const controller = c[13] || undefined;
      const rev = runningRevision(controller ? { revision: strings[c[8]]!, controller } : { revision: strings[c[8]]! });
      // As withSignatures: the verdict of the commit it runs, else the signature it had.
      const signature = (rev ? verdicts.get(rev) : undefined) ?? (c[14] !== undefined ? p.signatures[c[14]] : undefined);
      if (signature === undefined) return;
      (cells ??= [...row[4]])[i] = [...c.slice(0, 13), c[13] ?? 0, table.indexOf(signature)] as unknown as PackedCell;
    });
    return cells ? [row[0], row[1], row[2], row[3], cells] : row;
  });
  return { ...p, signatures: table.values, rows };
}

/**
 * Rebuilds the grid `packGrid` packed. Each object is made whole and its optional fields set only when present:
 * spreading `...(x ? { x } : {})` per field made a temporary object and a copy per field, 200 ms of the page's main
 * thread for 30,000 cells, ahead of the grid's first paint.
 */
export function unpackGrid(p: PackedGrid): FleetGrid {
  const { strings, signatures } = p;
  const rows = p.rows.map(([key, appset, origin, labels, cells]): GridRow => {
    const byCluster: Record<string, GridCell> = {};
    for (const c of cells) {
      const cell: Mutable<GridCell> = {
        app: strings[c[1]]!,
        cluster: strings[c[0]]!,
        sync: strings[c[2]] as SyncStatus,
        health: strings[c[3]] as HealthStatus,
        healthMessage: strings[c[4]]!,
        version: strings[c[5]]!,
        revision: strings[c[8]]!,
        outOfSync: c[9],
        observedAt: strings[c[10]]!,
      };
      if (c[6] >= 0) cell.desiredVersion = strings[c[6]]!;
      if (c[7] >= 0) cell.runningVersion = strings[c[7]]!;
      if (c[11] >= 0) cell.error = strings[c[11]]!;
      if (c[12] >= 0) cell.unreachable = strings[c[12]]!;
      if (c[13]) cell.controller = c[13];
      if (c[14] !== undefined) cell.signature = signatures[c[14]]!;
      byCluster[cell.cluster] = cell;
    }
    const row: Mutable<GridRow> = { key: strings[key]!, labels: labels === 0 ? {} : labels, cells: byCluster };
    if (appset >= 0) row.appset = strings[appset]!;
    if (origin >= 0) row.origin = strings[origin]!;
    return row;
  });
  return { clusters: p.clusters, environments: p.environments, rows };
}
