// Signed approvals: an approval is a signed git commit on `refs/flotilla/approvals` whose message names a plan's digest.
// The approval gate counts a record only when git verified its signature against the repository's trust, its signer
// is one of the stage's approvers, the signer is not the promoter, and it names this plan's digest. Pure: the Node side
// reads the records and their verified signatures (electron/services/promotion/approvals.ts).

import type { StageGates } from './pipeline';
import type { CommitSignature } from '../repo/signature';
import { describeSignature } from '../repo/signature';
import { shortDigest } from './digest';

/** The ref the approval records are chained on, in the pipeline's remote. */
export const APPROVALS_REF = 'refs/flotilla/approvals';

/** The trailers of an approval record's message. */
export const APPROVAL_TRAILERS = {
  digest: 'Flotilla-Approval-Digest',
  kind: 'Flotilla-Approval-Kind',
  pipeline: 'Flotilla-Approval-Pipeline',
  stage: 'Flotilla-Approval-Stage',
  subject: 'Flotilla-Approval-Subject',
} as const;

/** What an approval approves: a promotion into a stage, or the rollback of a promotion out of it. */
export interface ApprovalSubject {
  readonly kind: 'promotion' | 'rollback';
  readonly pipeline: string;
  /** The stage whose gates the approval answers (a promotion's target; a rollback's rolled-back stage). */
  readonly stage: string;
  readonly digest: string;
  /** What a person reads: `staging -> prod: api`, `rollback of #3 (api, staging -> prod)`. */
  readonly subject: string;
}

/** One approval record read from git: the commit, what it approves, and git's verdict on its signature. */
export interface ApprovalRecord extends ApprovalSubject {
  readonly commit: string;
  readonly signature: CommitSignature;
}

/** An approval record's verdict in a gate: counted, or why not. */
export interface ApprovalVerdict {
  readonly commit: string;
  /** Who signed, when git could tell. */
  readonly signer?: string;
  readonly counted: boolean;
  readonly reason: string;
}

/** The promoter, as the approval gate compares signers with: git identity and, when configured, signing key. */
export interface Promoter {
  /** `Name <email>`. */
  readonly identity?: string;
  /** The promoter's signing key (SSH `SHA256:` fingerprint, or OpenPGP fingerprint or key id). */
  readonly key?: string;
}

/** The message of an approval record: a summary line, then the trailers. */
export function approvalMessage(s: ApprovalSubject): string {
  const what = s.kind === 'rollback' ? `Approve ${s.subject}` : `Approve promotion ${s.subject}`;
  return [
    `${what} (${shortDigest(s.digest)})`,
    '',
    `${APPROVAL_TRAILERS.digest}: ${s.digest}`,
    `${APPROVAL_TRAILERS.kind}: ${s.kind}`,
    `${APPROVAL_TRAILERS.pipeline}: ${s.pipeline}`,
    `${APPROVAL_TRAILERS.stage}: ${s.stage}`,
    `${APPROVAL_TRAILERS.subject}: ${s.subject.replace(/\s*\n\s*/g, ' ')}`,
    '',
  ].join('\n');
}

/** Reads an approval record's message; undefined when it is not one (a record without a digest, kind or stage). */
export function parseApprovalMessage(message: string): ApprovalSubject | undefined {
  const get = (key: string): string | undefined => new RegExp(`^${key}:[ \\t]*(.+)$`, 'm').exec(message)?.[1]?.trim();
  const digest = get(APPROVAL_TRAILERS.digest);
  const kind = get(APPROVAL_TRAILERS.kind);
  const pipeline = get(APPROVAL_TRAILERS.pipeline);
  const stage = get(APPROVAL_TRAILERS.stage);
  if (!digest || (kind !== 'promotion' && kind !== 'rollback') || !pipeline || !stage) return undefined;
  return { digest, kind, pipeline, stage, subject: get(APPROVAL_TRAILERS.subject) ?? '' };
}

/** The email in `Name <email>`, or the whole string when it has none. */
function emailOf(identity: string): string {
  return /<([^>]*)>\s*$/.exec(identity)?.[1] ?? identity;
}

/**
 * Whether a verified signer is the approver a pipeline names. An approver is a signing identity: an SSH
 * allowed-signers principal (`alice`, `alice@example.com`), an OpenPGP user id or its email, or a key (SSH
 * `SHA256:` fingerprint, OpenPGP fingerprint or its last 16 hex digits).
 */
export function signerIs(approver: string, sig: CommitSignature): boolean {
  const a = approver.trim().toLowerCase();
  if (!a) return false;
  const signer = (sig.signer ?? '').trim().toLowerCase();
  if (signer && (signer === a || emailOf(signer) === a)) return true;
  const key = (sig.key ?? '').toLowerCase();
  if (!key) return false;
  if (key === a) return true;
  // An OpenPGP key id is the fingerprint's tail.
  return sig.format === 'openpgp' && /^[0-9a-f]{16,}$/.test(a) && key.endsWith(a);
}

/** Whether the signer of a record is the promoter: the same key, or the signer's principal or email is theirs. */
export function signerIsPromoter(sig: CommitSignature, promoter: Promoter | undefined): boolean {
  if (!promoter) return false;
  if (promoter.key && sig.key && signerIs(promoter.key, sig)) return true;
  if (!promoter.identity || !sig.signer) return false;
  const email = emailOf(promoter.identity).toLowerCase();
  const name = promoter.identity.replace(/\s*<[^>]*>\s*$/, '').trim().toLowerCase();
  const signer = sig.signer.trim().toLowerCase();
  return signer === email || emailOf(signer) === email || signer === name;
}

/** The approvers a pipeline names that a good signature matches. */
function approverOf(sig: CommitSignature, approvers: readonly string[]): string | undefined {
  return approvers.find((a) => signerIs(a, sig));
}

/** Each record's verdict for a plan of `subject` (records of other stages, pipelines or kinds are left out). */
export function approvalVerdicts(subject: Omit<ApprovalSubject, 'subject'>, approvers: readonly string[], records: readonly ApprovalRecord[], promoter: Promoter | undefined): (ApprovalVerdict & { approver?: string })[] {
  const out: (ApprovalVerdict & { approver?: string })[] = [];
  const counted = new Set<string>();
  for (const r of records) {
    if (r.pipeline !== subject.pipeline || r.stage !== subject.stage || r.kind !== subject.kind) continue;
    const c = r.commit.slice(0, 7);
    const sig = r.signature;
    const signer = sig.signer || undefined;
    const base = { commit: r.commit, ...(signer ? { signer } : {}) };
    const reject = (reason: string): void => void out.push({ ...base, counted: false, reason: `approval ${c}: ${reason}` });
    if (sig.status !== 'good') {
      reject(sig.status === 'unsigned' ? `${c} is not signed: a typed name is not an approval` : describeSignature(sig));
      continue;
    }
    const who = `${signer ?? 'an unnamed signer'}${sig.key ? ` (${sig.format ?? 'key'} ${sig.key})` : ''}`;
    if (r.digest !== subject.digest) {
      reject(`signed by ${who} for another plan (${shortDigest(r.digest)}); this plan is ${shortDigest(subject.digest)}: the plan changed since, approve it again`);
      continue;
    }
    const approver = approverOf(sig, approvers);
    if (approver === undefined) {
      reject(`signed by ${who}, who is not an approver of ${subject.stage} (approvers: ${approvers.join(', ') || 'none'})`);
      continue;
    }
    if (signerIsPromoter(sig, promoter)) {
      reject(`signed by ${who}, who promotes and cannot approve`);
      continue;
    }
    if (counted.has(approver)) {
      reject(`signed by ${who}, whose approval is already counted`);
      continue;
    }
    counted.add(approver);
    out.push({ ...base, approver, counted: true, reason: `approval ${c}: good signature by ${who}` });
  }
  return out;
}

/** How `flotilla approve` is run for a plan, for the gate's reason. */
function howToApprove(subject: Omit<ApprovalSubject, 'subject'>): string {
  return subject.kind === 'rollback' ? 'flotilla approve --rollback ID' : 'flotilla approve';
}

/**
 * The approval gate of a plan into `stage`. Without a digest (the pipeline graph, before any plan is made) it says
 * what is needed; with one it counts the records that approve exactly this plan.
 */
export function approvalGate(
  stage: string, gates: Pick<StageGates, 'approvers' | 'requiredApprovals'>, records: readonly ApprovalRecord[], promoter: Promoter | undefined,
  subject: { readonly kind: ApprovalSubject['kind']; readonly pipeline: string; readonly digest?: string },
): { gate: 'approval'; stage: string; passed: boolean; reason: string; approvals: readonly ApprovalVerdict[] } {
  const need = `needs ${gates.requiredApprovals} signed approval(s) from ${gates.approvers.join(', ')}`;
  if (subject.digest === undefined) return { gate: 'approval', stage, passed: false, reason: `${need} of the plan's digest`, approvals: [] };
  const s = { kind: subject.kind, pipeline: subject.pipeline, stage, digest: subject.digest };
  const verdicts = approvalVerdicts(s, gates.approvers, records, promoter);
  const good = verdicts.filter((v) => v.counted);
  const names = good.map((v) => `${v.approver}${v.signer && v.signer !== v.approver ? ` (${v.signer})` : ''} in ${v.commit.slice(0, 7)}`);
  const passed = good.length >= gates.requiredApprovals;
  const rejected = verdicts.filter((v) => !v.counted).length;
  const approvals = verdicts.map(({ approver: _a, ...v }) => v);
  if (passed) return { gate: 'approval', stage, passed, reason: `approved by ${names.join(', ')} (signed, plan ${shortDigest(s.digest)})`, approvals };
  return {
    gate: 'approval',
    stage,
    passed,
    reason: `${need} of plan ${shortDigest(s.digest)}; has ${good.length}${names.length ? ` (${names.join(', ')})` : ''}${rejected ? `; ${rejected} rejected: ${verdicts.filter((v) => !v.counted).map((v) => v.reason).join('; ')}` : ''}. An approver signs this plan with ${howToApprove(s)}`,
    approvals,
  };
}
