// The revision each app × cluster runs, and its verified signature beside it in the grid, the app page, `flotilla
// status` and drift reports. Pure: the Node side verifies the commits (once per distinct commit, cached) and passes
// the verdicts in as plain data.

import type { ControllerStatus } from '../controllers/types';
import type { CommitSignature } from '../repo/signature';
import type { FleetGrid, GridCell } from './grid';

const SHA = /^[0-9a-f]{40}$/;
/** Flux's applied revision: `main@sha1:<sha>` (or the bare `sha1:<sha>` of a tag or commit ref). */
const FLUX_REVISION = /(?:^|@)sha1:([0-9a-f]{40})$/;

/**
 * The commit an app × cluster runs: the revision its GitOps controller says it last applied (Argo CD's
 * `status.sync.revision`, a Flux Kustomization's `main@sha1:…`), else the revision Flotilla recorded at its last
 * refresh or sync. Undefined when neither names a commit (never refreshed, or a HelmRelease's chart version alone).
 */
export function runningRevision(s: { readonly revision: string; readonly controller?: ControllerStatus }): string | undefined {
  const applied = s.controller?.revision;
  if (applied !== undefined) {
    if (SHA.test(applied)) return applied;
    const flux = FLUX_REVISION.exec(applied);
    if (flux) return flux[1];
  }
  return SHA.test(s.revision) ? s.revision : undefined;
}

/** The distinct commits a grid's cells run: at fleet scale many apps share few revisions, so this is the work to verify. */
export function gridRevisions(grid: FleetGrid): string[] {
  const out = new Set<string>();
  for (const r of grid.rows) for (const c of Object.values(r.cells)) {
    const rev = runningRevision(c);
    if (rev) out.add(rev);
  }
  return [...out];
}

/** The grid with each cell's signature (of the commit it runs) taken from verdicts keyed by commit; others unchanged. */
export function withSignatures(grid: FleetGrid, verdicts: ReadonlyMap<string, CommitSignature>): FleetGrid {
  const rows = grid.rows.map((r) => {
    let cells: Record<string, GridCell> | undefined;
    for (const [cluster, c] of Object.entries(r.cells)) {
      const rev = runningRevision(c);
      const signature = rev ? verdicts.get(rev) : undefined;
      if (!signature) continue;
      cells ??= { ...r.cells };
      cells[cluster] = { ...c, signature };
    }
    return cells ? { ...r, cells } : r;
  });
  return { ...grid, rows };
}
