// The fleet's findings counts as they travel to the grid: each app and cluster name once, each cell four numbers.
// At 10,000 apps × 3 clusters the cells as objects were ~2 MB of JSON (the key names and app names repeated in every
// cell); packed they are about a quarter of that, and unpacking rebuilds the very same cells.

import type { FleetValidationView } from '../api/contract';
import type { Problem } from '../problem';
import { interned } from '../api/interned';

/** `fleet:validation`'s answer packed (see `packFindings`). */
export interface PackedFleetFindings {
  readonly packed: 1;
  readonly revision: string;
  readonly apps: readonly string[];
  readonly clusters: readonly string[];
  /** Per cell, four numbers: app index, cluster index, errors, warnings. */
  readonly counts: readonly number[];
  readonly problems: readonly Problem[];
}

/** Packs the findings counts: each app and cluster name once, each cell as four numbers. */
export function packFindings(view: FleetValidationView): PackedFleetFindings {
  const apps = interned<string>();
  const clusters = interned<string>();
  const counts: number[] = [];
  for (const c of view.cells) counts.push(apps.indexOf(c.app), clusters.indexOf(c.cluster), c.errors, c.warnings);
  return { packed: 1, revision: view.revision, apps: apps.values, clusters: clusters.values, counts, problems: view.problems };
}

/** The findings counts as `packFindings` took them; an index outside the tables is an error, never a guess. */
export function unpackFindings(p: PackedFleetFindings): FleetValidationView {
  if (p.counts.length % 4 !== 0) throw new Error(`packed findings: ${p.counts.length} numbers is not four per cell`);
  const cells: FleetValidationView['cells'][number][] = [];
  for (let i = 0; i < p.counts.length; i += 4) {
    const app = p.apps[p.counts[i]!];
    const cluster = p.clusters[p.counts[i + 1]!];
    if (app === undefined || cluster === undefined) throw new Error(`packed findings: cell ${i / 4} names app ${p.counts[i]} and cluster ${p.counts[i + 1]}, outside the tables (${p.apps.length} apps, ${p.clusters.length} clusters)`);
    cells.push({ app, cluster, errors: p.counts[i + 2]!, warnings: p.counts[i + 3]! });
  }
  return { revision: p.revision, cells, problems: p.problems };
}
