import { existsSync } from 'node:fs';
import type { Observation } from '../../shared/fleet/observation';
import { observationOf } from '../../shared/fleet/observation';
import type { Problem } from '../../shared/problem';
import { toProblem } from '../../shared/problem';
import type { AppClusterSummary } from '../../shared/report/model';
import { runningRevision } from '../../shared/fleet/revision-signature';
import type { CommitSignature } from '../../shared/repo/signature';
import { verifyRevisions } from './git-signatures';
import { FleetStore } from '../store/fleet-store';
import type { FleetCompareOptions, FleetComparison, FleetComparisonRow } from './fleet-compare';
import { compareFleet } from './fleet-compare';

// `flotilla status`: the fleet compared now, each app × cluster with how old what it shows is. Where a cluster could
// not be read, the store's last observation of that app × cluster is shown as stale with its age, never as current.

/** One app × cluster of the status view: its comparison in this run and the freshness of what it shows. */
export interface FleetStatusRow extends FleetComparisonRow {
  readonly observation: Observation;
  /** The verified signature of the commit it runs (as read now, else as last observed); absent when none is known. */
  readonly signature?: CommitSignature;
}

/** The fleet compared now, with each row's freshness, and problems of reading the store (never fatal). */
export interface FleetStatusResult {
  readonly comparison: FleetComparison;
  readonly rows: readonly FleetStatusRow[];
  readonly problems: readonly Problem[];
}

/** Compares the fleet and dates each row; rows not read in this run take their last observation from the store at `storeFile`. */
export async function fleetStatus(opts: FleetCompareOptions & { readonly storeFile?: string; readonly now?: () => number }): Promise<FleetStatusResult> {
  const comparison = await compareFleet(opts);
  const now = (opts.now ?? Date.now)();
  const problems: Problem[] = [];
  let recorded: ReadonlyMap<string, { summary: AppClusterSummary; takenAt: string }> = new Map();
  if (opts.storeFile !== undefined && existsSync(opts.storeFile) && comparison.rows.some((r) => r.unreachable !== undefined)) {
    try {
      const store = FleetStore.open(opts.storeFile, { readonly: true });
      try {
        const latest = store.fleetAt();
        if (latest) recorded = new Map(latest.appClusters.map((s) => [`${s.app}\n${s.cluster}`, { summary: s, takenAt: latest.snapshot.takenAt }]));
      } finally {
        store.close();
      }
    } catch (err) {
      problems.push({ ...toProblem(err, { file: opts.storeFile }), severity: 'warning', message: `could not read the last observations: ${toProblem(err).message}` });
    }
  }
  const observed = comparison.rows.map((r) => {
    const last = recorded.get(`${r.app}\n${r.cluster}`);
    const observation = observationOf({ observedAt: r.status.observedAt, ...(r.unreachable !== undefined ? { unreachable: r.unreachable } : {}) }, last, now);
    // What it runs: as read now; where its cluster could not be read, as last observed; nothing when never observed.
    const runs = observation.freshness === 'current' ? runningRevision(r.status) : observation.freshness === 'stale' && last ? runningRevision(last.summary) : undefined;
    return { row: { ...r, observation }, runs };
  });
  const signed = await verifyRevisions(opts.repo, [...new Set(observed.flatMap((o) => (o.runs ? [o.runs] : [])))]);
  if (signed.problem) problems.push(signed.problem);
  const rows = observed.map(({ row, runs }) => {
    const signature = runs ? signed.verdicts.get(runs) : undefined;
    return signature ? { ...row, signature } : row;
  });
  return { comparison, rows, problems };
}
