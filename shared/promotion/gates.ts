// The gates of a promotion into a stage: the source stage soaked (Synced and Healthy long enough, from the recorded
// history), approvals, freeze windows and manual-only stages. Pure: the Node side passes the history and the clock.

import type { TimelineEntry } from '../report/model';
import type { FreezeWindow, StageGates } from './pipeline';
import { cronMatches, DEFAULT_FRESHNESS_MS, parseCron } from './pipeline';
import type { ApprovalRecord, ApprovalSubject, ApprovalVerdict, Promoter } from './approval';
import { approvalGate } from './approval';
import type { CommitSignature } from '../repo/signature';
import { describeSignature } from '../repo/signature';

/** How a promotion was confirmed: in a person's interactive prompt or dialog, by a `--yes` flag, or by automation. */
export type Confirmation = 'interactive' | 'flag' | 'auto';

/** What the gates consult besides the pipeline. */
export interface GateContext {
  /** Epoch milliseconds. */
  readonly now: number;
  /** The recorded states of an Application on a cluster, oldest first; undefined when none were recorded. */
  readonly history?: (application: string, cluster: string) => readonly TimelineEntry[] | undefined;
  /** The approval records read from the remote, with git's verdict on each signature (see approval.ts). */
  readonly approvals?: readonly ApprovalRecord[];
  /** Who promotes (never counts as an approver): git identity and signing key. */
  readonly promoter?: Promoter;
  readonly confirmation: Confirmation;
  /**
   * The versions an app has in a stage at a recorded revision (undefined when the revision is not in the repository).
   * When given, the soak counts only the time the source stage has run the versions being promoted.
   */
  readonly versionsAt?: (revision: string, app: string, stage: string) => readonly string[] | undefined;
  /** The verified signature of the source revision (the commit the promotion builds on); read by `signedCommits`. */
  readonly sourceSignature?: CommitSignature;
}

/** The gate kinds. */
export type GateKind = 'soak' | 'approval' | 'freeze' | 'manual' | 'validation' | 'signature';

/** One gate's verdict, with the reason a person reads. */
export interface GateResult {
  readonly gate: GateKind;
  readonly stage: string;
  readonly passed: boolean;
  readonly reason: string;
  readonly app?: string;
  readonly cluster?: string;
  /** Soak gates: how long the source has been Synced and Healthy with the versions, and how long it must be. */
  readonly heldMs?: number;
  readonly requiredMs?: number;
  /** Approval gates: each approval record of the stage's plans, counted or why not. */
  readonly approvals?: readonly ApprovalVerdict[];
}

/** A source-stage Application a soak gate looks at. */
export interface SoakSubject {
  readonly app: string;
  readonly application: string;
  readonly cluster: string;
  /** The source stage. */
  readonly stage?: string;
  /** The versions being promoted (the source stage's at the promotion's base). */
  readonly versions?: readonly string[];
}

/** Formats milliseconds as `1h30m`, `10m`, `45s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  let s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : '', s && !d && !h ? `${s}s` : ''].join('') || '0s';
}

/** When an Application's unbroken run of Synced and Healthy states (that `counts`) began; undefined when it is not in one now. */
export function healthySince(timeline: readonly TimelineEntry[], counts: (e: TimelineEntry) => boolean = () => true): string | undefined {
  let since: string | undefined;
  for (let i = timeline.length - 1; i >= 0; i--) {
    const e = timeline[i]!;
    if (e.sync !== 'Synced' || e.health.status !== 'Healthy' || e.error || !counts(e)) break;
    since = e.since;
  }
  return since;
}

/**
 * The soak gate of one source Application on one cluster. It uses only an observation younger than `freshnessMs`:
 * a state last read 11 minutes ago says nothing about now, so the gate fails and asks for a refresh.
 */
export function soakGate(stage: string, soakMs: number, subject: SoakSubject, ctx: GateContext, freshnessMs: number = DEFAULT_FRESHNESS_MS): GateResult {
  const base = { gate: 'soak' as const, stage, app: subject.app, cluster: subject.cluster };
  const timeline = ctx.history?.(subject.application, subject.cluster);
  if (!timeline || timeline.length === 0) {
    return { ...base, passed: false, reason: `no recorded state of ${subject.application} on ${subject.cluster}: refresh the fleet (flotilla refresh) before promoting` };
  }
  const last = timeline[timeline.length - 1]!;
  const observedAt = Date.parse(last.lastObservedAt ?? last.since);
  const age = ctx.now - observedAt;
  const seen = `last observed ${formatDuration(age)} ago`;
  if (!Number.isFinite(age) || age > freshnessMs) {
    return { ...base, passed: false, reason: `${subject.application} on ${subject.cluster} ${seen}, older than ${formatDuration(freshnessMs)}: refresh first (flotilla refresh)` };
  }
  const { versionsAt } = ctx;
  const wanted = subject.versions?.join('\n');
  const hasVersions = (e: TimelineEntry): boolean => !versionsAt || wanted === undefined || subject.stage === undefined || versionsAt(e.revision, subject.app, subject.stage)?.join('\n') === wanted;
  if (!hasVersions(last)) {
    return { ...base, passed: false, reason: `${subject.application} on ${subject.cluster} last ran ${last.revision.slice(0, 7)}, which does not have the versions being promoted (${subject.versions!.join(', ')}): refresh after it syncs` };
  }
  const since = healthySince(timeline, hasVersions);
  if (since === undefined) {
    return { ...base, passed: false, reason: `${subject.application} on ${subject.cluster} is ${last.sync}/${last.health.status}${last.error ? ` (${last.error})` : ''}, not Synced and Healthy` };
  }
  const held = ctx.now - Date.parse(since);
  if (held < soakMs) {
    return { ...base, heldMs: held, requiredMs: soakMs, passed: false, reason: `${subject.application} on ${subject.cluster} has been Synced and Healthy for ${formatDuration(held)}; the soak time is ${formatDuration(soakMs)} (${seen})` };
  }
  return { ...base, heldMs: held, requiredMs: soakMs, passed: true, reason: `${subject.application} on ${subject.cluster} Synced and Healthy for ${formatDuration(held)} (soak ${formatDuration(soakMs)}; ${seen})` };
}

/** Whether `now` falls in a freeze window; returns the window's description when it does. */
export function activeFreeze(window: FreezeWindow, now: number): string | undefined {
  if (window.start !== undefined && window.end !== undefined) {
    const a = Date.parse(window.start);
    const b = Date.parse(window.end);
    return now >= a && now < b ? `frozen from ${window.start} to ${window.end}` : undefined;
  }
  const cron = window.cron !== undefined ? parseCron(window.cron) : undefined;
  if (!cron || window.durationMs === undefined) return undefined;
  // The latest fire time within the window's duration before now, minute by minute (a week is 10,080 steps).
  const minute = 60_000;
  const latest = Math.floor(now / minute) * minute;
  for (let t = latest; t > now - window.durationMs; t -= minute) {
    if (cronMatches(cron, new Date(t))) {
      return `frozen by "${window.cron}" for ${formatDuration(window.durationMs)} since ${new Date(t).toISOString()} (until ${new Date(t + window.durationMs).toISOString()})`;
    }
  }
  return undefined;
}

/**
 * The stage-wide gates of a promotion (or rollback) into `stage`: freeze windows, approvals, signed commits and
 * manual-only. Approvals count only for a `plan` (its kind, pipeline and digest); without one the gate says what is needed.
 */
export function stageGates(stage: string, gates: StageGates, ctx: GateContext, plan?: { readonly kind: ApprovalSubject['kind']; readonly pipeline: string; readonly digest?: string }): GateResult[] {
  const out: GateResult[] = [];
  for (const w of gates.freezeWindows) {
    const frozen = activeFreeze(w, ctx.now);
    const what = w.cron !== undefined ? `"${w.cron}" for ${formatDuration(w.durationMs ?? 0)}` : `${w.start} to ${w.end}`;
    out.push(frozen ? { gate: 'freeze', stage, passed: false, reason: `${stage} is ${frozen}${w.reason ? `: ${w.reason}` : ''}` } : { gate: 'freeze', stage, passed: true, reason: `outside the freeze window ${what}` });
  }
  if (gates.requiredApprovals > 0) {
    out.push(approvalGate(stage, gates, ctx.approvals ?? [], ctx.promoter, plan ?? { kind: 'promotion', pipeline: '' }));
  }
  if (gates.signedCommits) out.push(signatureGate(stage, ctx.sourceSignature));
  if (gates.manualOnly) {
    const passed = ctx.confirmation === 'interactive';
    out.push({ gate: 'manual', stage, passed, reason: passed ? 'confirmed interactively' : `${stage} is manual-only: confirm in the UI or at an interactive prompt (--yes and automation are refused)` });
  }
  return out;
}

/** The `signedCommits` gate: the source revision must have a good signature; unverified is never a pass. */
export function signatureGate(stage: string, sig: CommitSignature | undefined): GateResult {
  if (!sig) return { gate: 'signature', stage, passed: false, reason: `${stage} requires signed commits and the source revision's signature was not verified` };
  const passed = sig.status === 'good';
  return { gate: 'signature', stage, passed, reason: passed ? describeSignature(sig) : `${stage} requires signed commits: ${describeSignature(sig)}` };
}
