// Approval records in git: signed commits chained on `refs/flotilla/approvals` in the pipeline's remote, each naming a
// plan's digest. `approve` signs one with the user's git signing configuration (`git commit-tree -S`: gpg.format,
// user.signingkey) and pushes it (re-signed on the new tip when someone approved first); `records` fetches the ref and
// reads every record with git's verdict on its signature (CommitSignatureVerifier: the keyring or allowed signers).

import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { FlotillaError, problem } from '../../../shared/problem';
import type { ApprovalRecord, ApprovalSubject, Promoter } from '../../../shared/promotion/approval';
import { APPROVALS_REF, approvalMessage, parseApprovalMessage } from '../../../shared/promotion/approval';
import type { CommitSignature } from '../../../shared/repo/signature';
import type { GitRepository } from '../git-repo';
import type { CommitSignatureVerifier } from '../git-signatures';
import { firstLine, isRetryablePushError } from './promotion-git';

/** The most records read from the approvals ref, newest first (older ones approve plans long gone). */
const MAX_RECORDS = 2000;
const FIELD = '\u001f';
const RECORD = '\u001e';

/** What `approve` made: the record's commit and git's verdict on its signature by this repository's trust. */
export interface SignedApproval {
  readonly commit: string;
  readonly subject: ApprovalSubject;
  readonly signature: CommitSignature;
  readonly remote: string;
  /** How many pushes it took (another approval pushed first makes it re-sign on the new tip). */
  readonly attempts: number;
}

/** The approval records of one repository and its remotes. */
export class ApprovalLedger {
  constructor(
    readonly repo: GitRepository,
    private readonly signatures: CommitSignatureVerifier,
  ) {}

  /** Where the remote's approvals ref is fetched to (outside refs/heads, refs/remotes and refs/tags). */
  static trackingRef(remote: string): string {
    return `refs/flotilla/remotes/${remote}/approvals`;
  }

  /** Fetches the remote's approvals ref; a remote without one has no approvals (the local copy is dropped). */
  async fetch(remote: string): Promise<string | undefined> {
    const tracking = ApprovalLedger.trackingRef(remote);
    try {
      await this.repo.git.raw(['fetch', '--quiet', '--no-tags', remote, `+${APPROVALS_REF}:${tracking}`]);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (!/couldn't find remote ref|no such ref was fetched/i.test(text)) throw new FlotillaError(problem(`cannot fetch the approvals (${APPROVALS_REF}) from ${remote}: ${firstLine(err)}`));
      await this.repo.git.raw(['update-ref', '-d', tracking]).catch(() => undefined);
      return undefined;
    }
    return this.repo.resolve(tracking);
  }

  /** Fetches the remote's approvals and reads every record, newest first, with its verified signature. */
  async records(remote: string): Promise<ApprovalRecord[]> {
    const tip = await this.fetch(remote);
    if (!tip) return [];
    const text = await this.repo.git.raw(['log', `-n${MAX_RECORDS}`, `--format=%H${'%x1f'}%B${'%x1e'}`, tip]);
    const parsed: { commit: string; subject: ApprovalSubject }[] = [];
    for (const rec of text.split(RECORD)) {
      const [sha = '', message = ''] = rec.replace(/^\n/, '').split(FIELD);
      const subject = parseApprovalMessage(message);
      if (/^[0-9a-f]{40,64}$/.test(sha) && subject) parsed.push({ commit: sha, subject });
    }
    const sigs = await this.signatures.verify(parsed.map((p) => p.commit));
    return parsed.map((p) => ({ ...p.subject, commit: p.commit, signature: sigs.get(p.commit)! }));
  }

  /**
   * Signs an approval of `subject` with the user's signing configuration and pushes it to the remote's approvals ref.
   * Nothing is pushed when signing fails; a push refused because another approval landed first is re-signed on it.
   */
  async approve(remote: string, subject: ApprovalSubject, maxAttempts = 3): Promise<SignedApproval> {
    const tree = (await this.repo.git.raw(['hash-object', '-t', 'tree', '-w', os.devNull])).trim();
    for (let attempt = 1; ; attempt++) {
      const parent = await this.fetch(remote);
      const commit = await this.sign(tree, parent, approvalMessage(subject));
      try {
        await this.repo.git.raw(['push', '--quiet', remote, `${commit}:${APPROVALS_REF}`]);
      } catch (err) {
        const text = err instanceof Error ? err.message : String(err);
        if (isRetryablePushError(text) && attempt < maxAttempts) continue;
        throw new FlotillaError(problem(`cannot push the approval to ${remote} ${APPROVALS_REF}; nothing was approved: ${firstLine(err)}`));
      }
      await this.repo.git.raw(['update-ref', ApprovalLedger.trackingRef(remote), commit]);
      return { commit, subject, signature: await this.signatures.verifyOne(commit), remote, attempts: attempt };
    }
  }

  /** `git commit-tree -S`: an approval is always signed, whatever commit.gpgsign says. */
  private async sign(tree: string, parent: string | undefined, message: string): Promise<string> {
    try {
      return (await this.repo.git.raw(['commit-tree', '-S', tree, ...(parent ? ['-p', parent] : []), '-m', message])).trim();
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      const why = text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !/^usage:/i.test(l)) ?? firstLine(err);
      throw new FlotillaError(problem(
        `an approval is a signed commit and signing failed: ${why.replace(/^(error|fatal):\s*/, '')}; set your signing key (git config gpg.format ssh|openpgp and git config user.signingkey KEY) and your identity (user.name, user.email); nothing was pushed`,
      ));
    }
  }

  /** The promoter's git identity and signing key, so their own signature never approves their promotion. */
  async promoter(identity: string | undefined): Promise<Promoter> {
    const key = await this.signingKey();
    return { ...(identity ? { identity } : {}), ...(key ? { key } : {}) };
  }

  /** The configured signing key as git names it in verdicts: an SSH `SHA256:` fingerprint, or the OpenPGP key id. */
  private async signingKey(): Promise<string | undefined> {
    const get = async (key: string): Promise<string> => (await this.repo.git.raw(['config', '--get', key]).catch(() => '')).trim();
    const value = await get('user.signingkey');
    if (!value) return undefined;
    if ((await get('gpg.format')) !== 'ssh') return value.replace(/^0x/i, '').replace(/!$/, '').toUpperCase();
    const file = value.startsWith('key::') ? undefined : value.startsWith('~/') ? path.join(os.homedir(), value.slice(2)) : path.resolve(this.repo.root, value);
    if (!file) return undefined;
    return new Promise((resolve) => {
      execFile('ssh-keygen', ['-l', '-E', 'sha256', '-f', file], { encoding: 'utf8' }, (err, stdout) => resolve(err ? undefined : /\b(SHA256:\S+)/.exec(stdout)?.[1]));
    });
  }
}
