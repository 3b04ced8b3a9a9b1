import type { FleetGrid } from '../../shared/fleet/grid';

/** A desktop notification to show. */
export interface DesktopNotice {
  readonly title: string;
  readonly body: string;
}

/**
 * The notifications a new grid warrants, compared with the previous one: drift that appeared on a watched environment
 * (all environments when `watched` is empty). App × clusters already drifted before are not announced again.
 */
export function driftNotices(prev: FleetGrid | undefined, next: FleetGrid, watched: readonly string[]): DesktopNotice[] {
  const envOf = new Map(next.clusters.map((c) => [c.name, c.environment]));
  const wasDrifted = new Set<string>();
  for (const r of prev?.rows ?? []) for (const c of Object.values(r.cells)) if (c.sync === 'OutOfSync') wasDrifted.add(`${c.app}\n${c.cluster}`);
  const fresh = new Map<string, string[]>();
  for (const r of next.rows) {
    for (const c of Object.values(r.cells)) {
      const env = envOf.get(c.cluster) ?? 'unassigned';
      if (c.sync !== 'OutOfSync' || wasDrifted.has(`${c.app}\n${c.cluster}`)) continue;
      if (watched.length > 0 && !watched.includes(env)) continue;
      fresh.set(env, [...(fresh.get(env) ?? []), `${c.app} on ${c.cluster}`]);
    }
  }
  return [...fresh].map(([env, apps]) => ({
    title: `Drift in ${env}: ${apps.length} app${apps.length === 1 ? '' : 's'}`,
    body: apps.slice(0, 5).join(', ') + (apps.length > 5 ? ` and ${apps.length - 5} more` : ''),
  }));
}
