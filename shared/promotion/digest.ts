// The digest of a promotion's or a rollback's plan: a SHA-256 of what it would change, in a canonical form (keys
// sorted, one version number), so a signed approval binds to that exact change. A plan built on another revision, that
// moves other values or edits the files differently has another digest, and an approval of it does not count.

import { sha256Hex } from '../hash/sha256';
import type { AppPlan } from './plan-types';

/** The digest format's version: part of what is hashed, so a change of form never matches an old digest. */
const VERSION = 1;

/** What a promotion digest covers. */
export interface PromotionDigestInput {
  readonly pipeline: string;
  readonly from: string;
  readonly to: string;
  /** The revision the plan builds on. */
  readonly revision?: string;
  readonly apps: readonly Pick<AppPlan, 'app' | 'moves' | 'edits'>[];
}

/** What a rollback digest covers. */
export interface RollbackDigestInput {
  readonly pipeline: string;
  /** The stage the rolled-back promotion went to. */
  readonly stage: string;
  /** The promotion's commit that is reverted (not its id, which is local to a store: approvers on other machines agree on the commit). */
  readonly commit: string;
  /** The remote tip the revert builds on. */
  readonly revision: string;
  /** `git diff` of the revert. */
  readonly diff: string;
}

/** The digest of a promotion plan: pipeline, stages, source revision, and per app the moves and the edited files' texts. */
export function promotionDigest(p: PromotionDigestInput): string {
  return digestOf({
    v: VERSION,
    kind: 'promotion',
    pipeline: p.pipeline,
    from: p.from,
    to: p.to,
    revision: p.revision ?? null,
    apps: p.apps.map((a) => ({
      app: a.app,
      moves: a.moves.map((m) => ({ kind: m.kind, name: m.name, file: m.file, from: m.from ?? null, to: m.to })),
      edits: a.edits.map((e) => ({ file: e.file, before: textDigest(e.before), after: textDigest(e.after) })),
    })),
  });
}

/** The digest of a rollback plan: the promotion commit it reverts, the tip it builds on and the revert's diff. */
export function rollbackDigest(r: RollbackDigestInput): string {
  return digestOf({ v: VERSION, kind: 'rollback', pipeline: r.pipeline, stage: r.stage, commit: r.commit, revision: r.revision, diff: textDigest(r.diff) });
}

/** A digest shortened for reading (`sha256:1a2b3c4d5e6f`); approvals always name the full one. */
export function shortDigest(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12);
}

/** Whether a string is a full plan digest. */
export function isDigest(s: string): boolean {
  return /^sha256:[0-9a-f]{64}$/.test(s);
}

function digestOf(value: unknown): string {
  return `sha256:${textDigest(canonicalJson(value))}`;
}

function textDigest(text: string): string {
  return sha256Hex(new TextEncoder().encode(text));
}

/** JSON with object keys sorted at every level: one text per value, whatever order it was built in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
