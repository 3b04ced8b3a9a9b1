// The fleet grid's order: by environment, then cluster, then app, each compared with `localeCompare`; app × clusters
// that compare equal on all three stay in the order of their ids (the order the store reads them in).
//
// A fleet has a few environments and clusters and many apps, and the store reads app × clusters in the order they
// were first recorded (a refresh's order: by app, then cluster). So rows are first put into one group per
// environment × cluster, ranked by `localeCompare` once per distinct name, keeping their order; each group, already
// in app order or nearly, is then sorted by app: a run the sort walks through with about one comparison per row,
// instead of about 15 comparisons of three names each.

/** What a row is ordered by: its three names, then its id. */
export interface GridNames<T> {
  readonly environment: (row: T) => string;
  readonly cluster: (row: T) => string;
  readonly app: (row: T) => string;
  /** The app × cluster's id: the order of rows whose names compare equal. */
  readonly id: (row: T) => number;
}

/** Sorts `rows` in place in the fleet grid's order (environment, cluster, app by `localeCompare`, then id). */
export function sortInGridOrder<T>(rows: T[], names: GridNames<T>): T[] {
  if (rows.length < 2) return rows;
  const env = ranksOf(rows, names.environment);
  const cluster = ranksOf(rows, names.cluster);
  const groups = new Map<number, T[]>();
  for (const r of rows) {
    const key = env.rank.get(names.environment(r))! * cluster.count + cluster.rank.get(names.cluster(r))!;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const byApp = (a: T, b: T): number => names.app(a).localeCompare(names.app(b)) || names.id(a) - names.id(b);
  let i = 0;
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    for (const r of groups.get(key)!.sort(byApp)) rows[i++] = r;
  }
  return rows;
}

interface Ranks {
  readonly rank: ReadonlyMap<string, number>;
  readonly count: number;
}

/** Each distinct name's place in `localeCompare` order; names that compare equal share one. */
function ranksOf<T>(rows: readonly T[], name: (row: T) => string): Ranks {
  const distinct = new Set<string>();
  for (const r of rows) distinct.add(name(r));
  const sorted = [...distinct].sort((a, b) => a.localeCompare(b));
  const rank = new Map<string, number>();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i - 1]!.localeCompare(sorted[i]!) !== 0) n++;
    rank.set(sorted[i]!, n);
  }
  return { rank, count: n + 1 };
}
