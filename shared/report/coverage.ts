// Coverage: how many app × clusters a refresh or report could actually compare, and why the others could not. "No
// drift" is only true of what was looked at; this is what lets reports and exit codes tell it from "could not look".

import type { SyncStatus } from '../model/status';

/** What coverage needs of one app × cluster (a live comparison row or a recorded entry). */
export interface CoverageItem {
  readonly app: string;
  readonly cluster: string;
  readonly sync: SyncStatus;
  readonly error?: string | null;
  /** Why its cluster could not be read; the state shown, if any, is an older one. */
  readonly unreachable?: string | null;
}

/** How much of the fleet was compared. */
export interface Coverage {
  readonly total: number;
  /** App × clusters whose cluster could not be read, or whose sync is Unknown (render failed, read error). */
  readonly notCompared: number;
  /** One reason per unreachable cluster, then per other failure, capped (with a count of the rest). */
  readonly reasons: readonly string[];
  /** `nothing`: there was something to compare and none of it was; `partial`: some was not; `full`: all was. */
  readonly level: 'full' | 'partial' | 'nothing';
}

/** How many reasons the coverage line names before "… and N more". */
export const COVERAGE_REASON_CAP = 5;

/** Counts what could not be compared and why. */
export function coverageOf(items: readonly CoverageItem[]): Coverage {
  const byCluster = new Map<string, string>();
  const other: string[] = [];
  let notCompared = 0;
  for (const i of items) {
    if (i.unreachable) {
      notCompared++;
      if (!byCluster.has(i.cluster)) byCluster.set(i.cluster, clusterReason(i.cluster, i.unreachable));
    } else if (i.sync === 'Unknown') {
      notCompared++;
      other.push(`${i.app} on ${i.cluster}: ${oneLine(i.error ?? 'sync status unknown')}`);
    }
  }
  const all = [...byCluster.values(), ...other];
  const reasons = all.length > COVERAGE_REASON_CAP ? [...all.slice(0, COVERAGE_REASON_CAP), `… and ${all.length - COVERAGE_REASON_CAP} more`] : all;
  const level = notCompared === 0 ? 'full' : notCompared === items.length ? 'nothing' : 'partial';
  return { total: items.length, notCompared, reasons, level };
}

/** "3 of 12 app × clusters could not be compared: cluster prod unreachable (…)", or undefined when all were. */
export function coverageLine(c: Coverage): string | undefined {
  if (c.notCompared === 0) return undefined;
  return `${c.notCompared} of ${c.total} app × cluster(s) could not be compared: ${c.reasons.join('; ')}`;
}

/** `cluster prod unreachable (connect ECONNREFUSED …)`, whatever wording the connection used. */
function clusterReason(cluster: string, reason: string): string {
  const prefix = new RegExp(`^cluster ${escapeRegExp(cluster)}(?: is)?:?\\s*`);
  const rest = oneLine(reason.replace(prefix, ''));
  const m = /^(unreachable|forbidden|connecting|[a-z-]+)(?::\s*(.*))?$/.exec(rest);
  if (m && ['unreachable', 'forbidden', 'connecting'].includes(m[1]!)) return `cluster ${cluster} ${m[1]}${m[2] ? ` (${m[2]})` : ''}`;
  return `cluster ${cluster} could not be read (${rest})`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A duration as people say it: `45s`, `11m`, `3h 5m`, `2d 4h`. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${m % 60 ? ` ${m % 60}m` : ''}`;
  const d = Math.floor(h / 24);
  return `${d}d${h % 24 ? ` ${h % 24}h` : ''}`;
}

/** "not read in this snapshot (cluster prod is unreachable: …); last observed 11m ago" for an entry not read. */
export function staleNote(e: { readonly unreachable?: string | null; readonly observedAt: string }, now: string): string {
  const age = Date.parse(now) - Date.parse(e.observedAt);
  return `not read in this snapshot (${oneLine(e.unreachable ?? 'not observed')}); last observed ${Number.isFinite(age) ? `${formatAge(age)} ago` : e.observedAt}`;
}
