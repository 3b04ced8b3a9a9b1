// How fresh the state shown for one app × cluster is: read in this run, or kept from an earlier observation because its
// cluster could not be read now (then the age of that observation is part of the answer, and its sync is not current).

import type { HealthStatus, SyncStatus } from '../model/status';
import type { AppClusterSummary } from '../report/model';
import { formatAge } from '../report/coverage';

/** An earlier observation of an app × cluster, kept by the store. */
export interface LastObservation {
  readonly sync: SyncStatus;
  readonly health: HealthStatus;
  readonly version?: string;
  /** ISO time it was observed. */
  readonly observedAt: string;
  /** Seconds between that observation and now. */
  readonly ageSeconds: number;
}

/**
 * The freshness of one app × cluster in a view: `current` when it was read now; `stale` when its cluster could not be
 * read and `last` is what was observed before; `never` when its cluster could not be read and nothing was ever observed.
 */
export interface Observation {
  readonly freshness: 'current' | 'stale' | 'never';
  /** ISO time of the observation the view shows (absent when there is none). */
  readonly observedAt?: string;
  /** Seconds since that observation. */
  readonly ageSeconds?: number;
  /** Why the cluster could not be read in this run. */
  readonly unreachable?: string;
  /** The state last observed, for a stale one (never passed off as the current sync status). */
  readonly last?: LastObservation;
}

/**
 * Whether a recorded row holds a real observation. A refresh that cannot read a cluster keeps the row last observed,
 * but one never observed is kept as the Unknown row that refresh wrote (taken at the snapshot's time, or Unknown with
 * the cluster's error): that one shows no age.
 */
export function wasObserved(s: AppClusterSummary, takenAt?: string): boolean {
  if (s.unreachable === undefined) return true;
  if (s.observedAt === takenAt) return false;
  const e = s.error;
  const clusterError = s.sync === 'Unknown' && e !== undefined && (e === `cluster ${s.cluster}` || e.startsWith(`cluster ${s.cluster} `) || e.startsWith(`cluster ${s.cluster}:`));
  return !clusterError;
}

/** Seconds from an ISO time to `now` (never negative). */
function ageOf(observedAt: string, now: number): number {
  const t = Date.parse(observedAt);
  return Number.isFinite(t) ? Math.max(0, Math.round((now - t) / 1000)) : 0;
}

/**
 * The observation of an app × cluster from this run's read: current when its cluster answered, else the store's last
 * real observation of it (stale) or none (never).
 */
export function observationOf(
  row: { readonly observedAt: string; readonly unreachable?: string },
  recorded: { readonly summary: AppClusterSummary; readonly takenAt: string } | undefined,
  now: number,
): Observation {
  if (row.unreachable === undefined) return { freshness: 'current', observedAt: row.observedAt, ageSeconds: ageOf(row.observedAt, now) };
  const s = recorded?.summary;
  if (!s || !wasObserved(s, recorded.takenAt)) return { freshness: 'never', unreachable: row.unreachable };
  const last: LastObservation = { sync: s.sync, health: s.health.status, ...(s.version ? { version: s.version } : {}), observedAt: s.observedAt, ageSeconds: ageOf(s.observedAt, now) };
  return { freshness: 'stale', observedAt: s.observedAt, ageSeconds: last.ageSeconds, unreachable: row.unreachable, last };
}

/** `unreachable (last Synced/Healthy 11m ago)` or `unreachable (never observed)`: a cell not read in this run. */
export function staleCellText(o: Observation): string {
  if (o.freshness === 'current') return '';
  if (!o.last) return 'unreachable (never observed)';
  return `unreachable (last ${o.last.sync}/${o.last.health} ${formatAge(o.last.ageSeconds * 1000)} ago)`;
}
