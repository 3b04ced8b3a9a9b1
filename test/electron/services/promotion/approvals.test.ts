import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PromotionService } from '../../../../electron/services/promotion/promotion-service';
import { APPROVALS_REF } from '../../../../shared/promotion/approval';
import type { GateResult } from '../../../../shared/promotion/gates';
import { commitAll, git, tempDir } from '../../../helpers/git-fixtures';
import type { SshKey } from '../../../helpers/signing-keys';
import { allowedSigners, gpgHome, hasGpg, signWithSsh, sshKey } from '../../../helpers/signing-keys';
import type { Fleet } from './fleet-fixture';
import { PROD_API, promotionFleet } from './fleet-fixture';

// Signed approvals with real keys (ssh-keygen -Y, GnuPG) and real git: the example fleet pushed to a bare remote, the
// promoter's clone, and each approver's own clone signing with their own key and pushing to refs/flotilla/approvals.

const NOW = Date.parse('2026-11-18T12:00:00Z'); // a Wednesday, outside prod's Friday freeze
const apiToProd = { from: 'staging', to: 'prod', apps: ['api'] } as const;

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

interface Keys {
  readonly alice: SshKey;
  readonly carol: SshKey;
  readonly mallory: SshKey;
  readonly allowed: string;
}

/** alice and carol are allowed signers (principals `alice`, `carol`); mallory's key is trusted by nobody. */
function keys(): Keys {
  const k = tempDir('flotilla-approval-keys-');
  cleanups.push(k.cleanup);
  const alice = sshKey(k.dir, 'alice');
  const carol = sshKey(k.dir, 'carol');
  const mallory = sshKey(k.dir, 'mallory');
  return { alice, carol, mallory, allowed: allowedSigners(k.dir, [{ principal: 'alice', key: alice }, { principal: 'carol', key: carol }]) };
}

/** Makes prod's approvers `approvers` in a commit pushed to the remote. */
function setApprovers(f: Fleet, approvers: string): void {
  const file = path.join(f.work, 'pipeline.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('approvers: ["platform-leads"]', `approvers: ${approvers}`));
  commitAll(f.work, `prod is approved by ${approvers}`);
  git(f.work, 'push', '-q', 'origin', 'main');
}

/** An approver's own clone of the remote, signing with their SSH key and trusting the allowed-signers file. */
function approverClone(f: Fleet, name: string, key: SshKey, allowed: string): string {
  const dir = f.other();
  git(dir, 'config', 'user.name', name);
  git(dir, 'config', 'user.email', `${name}@example.com`);
  signWithSsh(dir, key, allowed);
  return dir;
}

function open(dir: string, f: Fleet, now = NOW): Promise<PromotionService> {
  return PromotionService.open(dir, { storeFile: f.storeFile, now: () => now });
}

const approval = (gates: readonly GateResult[]): GateResult => gates.find((g) => g.gate === 'approval')!;

describe('signed approvals over SSH keys', () => {
  it('counts only a listed approver\'s good signature over this plan\'s digest, with a verdict for every other record', async () => {
    const f = promotionFleet(NOW);
    const k = keys();
    git(f.work, 'config', 'gpg.ssh.allowedSignersFile', k.allowed);
    setApprovers(f, '[alice]');
    const promoter = await open(f.work, f);

    const first = await promoter.plan(apiToProd);
    expect(first.plan.ready).toBe(false);
    const digest = first.plan.digest!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(approval(first.plan.gates)).toMatchObject({ passed: false, approvals: [] });
    expect(approval(first.plan.gates).reason).toBe(`needs 1 signed approval(s) from alice of plan ${digest.slice(0, 19)}; has 0. An approver signs this plan with flotilla approve`);

    // mallory's key is not an allowed signer; carol's is, but carol is not an approver of prod.
    const mallory = await (await open(approverClone(f, 'mallory', k.mallory, k.allowed), f)).approve({ ...apiToProd, digest });
    expect(mallory.approval.signature.status).toBe('unknown-key');
    const carol = await (await open(approverClone(f, 'carol', k.carol, k.allowed), f)).approve({ ...apiToProd, digest });
    expect(carol.approval.signature).toMatchObject({ status: 'good', signer: 'carol' });
    // A name typed into an unsigned record is no approval either.
    const typed = forgeUnsigned(f, digest);

    // alice approves, then the remote moves: her approval names the old plan.
    const aliceDir = approverClone(f, 'alice', k.alice, k.allowed);
    const alice = await open(aliceDir, f);
    const stale = await alice.approve({ ...apiToProd, digest });
    expect(stale.approval.signature).toEqual({ commit: stale.approval.commit, status: 'good', format: 'ssh', signer: 'alice', key: k.alice.fingerprint });
    writeFileSync(path.join(f.work, 'NOTES.md'), 'an unrelated change\n');
    commitAll(f.work, 'Notes');
    git(f.work, 'push', '-q', 'origin', 'main');

    const second = await promoter.plan(apiToProd);
    const now = second.plan.digest!;
    expect(now).not.toBe(digest);
    // A record of alice's whose message was edited to name the new plan: its signature no longer verifies.
    const tampered = tamper(f, stale.approval.commit, digest, now);

    const gate = approval((await promoter.plan(apiToProd)).plan.gates);
    expect(gate.passed).toBe(false);
    const c = (sha: string): string => sha.slice(0, 7);
    expect(gate.approvals).toEqual([
      { commit: tampered, counted: false, reason: `approval ${c(tampered)}: ${c(tampered)} has a bad signature: Could not verify signature.; Signature verification failed: incorrect signature` },
      { commit: stale.approval.commit, signer: 'alice', counted: false, reason: `approval ${c(stale.approval.commit)}: signed by alice (ssh ${k.alice.fingerprint}) for another plan (${digest.slice(0, 19)}); this plan is ${now.slice(0, 19)}: the plan changed since, approve it again` },
      { commit: typed, counted: false, reason: `approval ${c(typed)}: ${c(typed)} is not signed: a typed name is not an approval` },
      { commit: carol.approval.commit, signer: 'carol', counted: false, reason: `approval ${c(carol.approval.commit)}: signed by carol (ssh ${k.carol.fingerprint}) for another plan (${digest.slice(0, 19)}); this plan is ${now.slice(0, 19)}: the plan changed since, approve it again` },
      { commit: mallory.approval.commit, counted: false, reason: expect.stringMatching(new RegExp(`^approval ${c(mallory.approval.commit)}: ${c(mallory.approval.commit)} is signed by a key the repository does not trust \\(ssh ${k.mallory.fingerprint.replace(/[+/]/g, '\\$&')}\\): .*No principal matched`)) },
    ]);
    const blocked = await promoter.execute(apiToProd);
    expect(blocked.record.result).toBe('blocked');
    expect(f.remoteFile(PROD_API)).toContain('newTag: "2.3.1"');

    // carol signs the new plan: a good signature, but not an approver's.
    const carolAgain = await (await open(approverClone(f, 'carol', k.carol, k.allowed), f)).approve({ ...apiToProd, digest: now });
    expect(approval((await promoter.plan(apiToProd)).plan.gates).approvals![0]).toEqual({
      commit: carolAgain.approval.commit, signer: 'carol', counted: false, reason: `approval ${c(carolAgain.approval.commit)}: signed by carol (ssh ${k.carol.fingerprint}), who is not an approver of prod (approvers: alice)`,
    });

    // alice reviews the new plan and approves its digest: the gate passes and names her, and the promotion pushes.
    const fresh = await alice.approve({ ...apiToProd, digest: now });
    expect(fresh.approval.remote).toBe('origin');
    const ready = await promoter.plan(apiToProd);
    expect(ready.plan.digest).toBe(now);
    expect(approval(ready.plan.gates)).toMatchObject({ passed: true, reason: `approved by alice in ${c(fresh.approval.commit)} (signed, plan ${now.slice(0, 19)})` });
    const out = await promoter.execute(apiToProd);
    expect(out.record.result).toBe('pushed');
    expect(f.remoteFile(PROD_API)).toContain('newTag: "2.4.0"');
    // The records are on the remote, chained on one ref, for everyone.
    expect(git(f.remote, 'rev-list', '--count', APPROVALS_REF).trim()).toBe('7');
  }, 120_000);

  it('refuses to sign a plan that changed since it was reviewed, and a promoter\'s own approval never counts', async () => {
    const f = promotionFleet(NOW);
    const k = keys();
    setApprovers(f, '[alice]');
    // The promoter signs with alice's key: their approval of their own promotion does not count.
    signWithSsh(f.work, k.alice, k.allowed);
    const promoter = await open(f.work, f);
    await expect(promoter.approve({ ...apiToProd, digest: `sha256:${'0'.repeat(64)}` })).rejects.toThrow(/the plan changed: its digest is now sha256:[0-9a-f]{64}, not sha256:0{64}/);
    const own = await promoter.approve(apiToProd);
    const gate = approval((await promoter.plan(apiToProd)).plan.gates);
    expect(gate.passed).toBe(false);
    expect(gate.approvals).toEqual([{ commit: own.approval.commit, signer: 'alice', counted: false, reason: `approval ${own.approval.commit.slice(0, 7)}: signed by alice (ssh ${k.alice.fingerprint}), who promotes and cannot approve` }]);
  }, 60_000);

  it('fails with a Problem naming the signing settings when the approver has no signing key, pushing nothing', async () => {
    const f = promotionFleet(NOW);
    setApprovers(f, '[alice]');
    const dir = f.other();
    git(dir, 'config', 'gpg.format', 'ssh');
    git(dir, 'config', 'user.signingkey', path.join(dir, 'no-such-key'));
    await expect((await open(dir, f)).approve(apiToProd)).rejects.toThrow(/an approval is a signed commit and signing failed: .*no-such-key.*set your signing key \(git config gpg\.format ssh\|openpgp and git config user\.signingkey KEY\).*nothing was pushed/);
    expect(() => git(f.remote, 'rev-parse', '--verify', '--quiet', APPROVALS_REF)).toThrow();
  }, 60_000);
});

describe('rollbacks go through the stage\'s gates', () => {
  it('blocks a prod rollback confirmed with --yes alone until an approver signs the rollback\'s digest; a freeze blocks it too', async () => {
    const f = promotionFleet(NOW);
    const k = keys();
    git(f.work, 'config', 'gpg.ssh.allowedSignersFile', k.allowed);
    setApprovers(f, '[alice]');
    const promoter = await open(f.work, f);
    const alice = await open(approverClone(f, 'alice', k.alice, k.allowed), f);
    await alice.approve({ ...apiToProd, digest: (await promoter.plan(apiToProd)).plan.digest! });
    const promoted = await promoter.execute(apiToProd);
    expect(promoted.record.result).toBe('pushed');
    const head = f.remoteHead();

    const plan = await promoter.planRollback(promoted.record.id, { confirmation: 'flag' });
    expect(plan.ready).toBe(false);
    expect(plan.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The promotion's approval does not approve its rollback.
    expect(approval(plan.gates)).toMatchObject({ passed: false, approvals: [] });
    const blocked = await promoter.rollback(promoted.record.id, { confirmation: 'flag' });
    expect(blocked.record).toMatchObject({ result: 'blocked', rollbackOf: promoted.record.id });
    expect(blocked.blockers).toEqual([`gate approval: needs 1 signed approval(s) from alice of plan ${plan.digest.slice(0, 19)}; has 0. An approver signs this plan with flotilla approve --rollback ID`]);
    expect(f.remoteHead()).toBe(head);

    const signed = await alice.approveRollback(promoted.record.id, { digest: plan.digest });
    expect(signed.approval.subject).toMatchObject({ kind: 'rollback', stage: 'prod', digest: plan.digest });
    // Inside prod's Friday freeze the approved rollback is still refused.
    const friday = await open(f.work, f, Date.parse('2026-11-20T18:00:00Z'));
    const frozen = await friday.rollback(promoted.record.id, { confirmation: 'flag' });
    expect(frozen.record.result).toBe('blocked');
    expect(frozen.blockers).toEqual([expect.stringMatching(/^gate freeze: prod is frozen by "0 16 \* \* 5" for 2d16h since 2026-11-20T16:00:00.000Z/)]);

    const approved = await promoter.planRollback(promoted.record.id, { confirmation: 'flag' });
    expect(approval(approved.gates)).toMatchObject({ passed: true, reason: `approved by alice in ${signed.approval.commit.slice(0, 7)} (signed, plan ${plan.digest.slice(0, 19)})` });
    const rolled = await promoter.rollback(promoted.record.id, { confirmation: 'flag' });
    expect(rolled.record).toMatchObject({ result: 'pushed', rollbackOf: promoted.record.id });
    expect(f.remoteFile(PROD_API)).toContain('newTag: "2.3.1"');
  }, 120_000);

  it('refuses --yes on a manual-only stage\'s rollback and takes an interactive confirmation', async () => {
    const f = promotionFleet(NOW);
    const file = path.join(f.work, 'pipeline.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('      gates:\n        soak: 10m\n', '      gates:\n        soak: 10m\n        manualOnly: true\n'));
    commitAll(f.work, 'staging is manual-only');
    git(f.work, 'push', '-q', 'origin', 'main');
    const svc = await open(f.work, f);
    const promoted = await svc.execute({ from: 'dev', to: 'staging', apps: ['frontend'], confirmation: 'interactive' });
    expect(promoted.record.result).toBe('pushed');
    const flagged = await svc.rollback(promoted.record.id, { confirmation: 'flag' });
    expect(flagged.blockers).toEqual(['gate manual: staging is manual-only: confirm in the UI or at an interactive prompt (--yes and automation are refused)']);
    expect((await svc.rollback(promoted.record.id, { confirmation: 'interactive' })).record.result).toBe('pushed');
  }, 60_000);
});

describe.runIf(hasGpg())('signed approvals over OpenPGP keys', () => {
  it('counts an approver named by the email of a key in the keyring, and not a key the keyring does not have', async () => {
    const f = promotionFleet(NOW);
    const k = tempDir('flotilla-approval-gpg-');
    cleanups.push(k.cleanup);
    const bob = gpgHome(path.join(k.dir, 'bob'), 'Bob <bob@example.com>');
    const eve = gpgHome(path.join(k.dir, 'eve'), 'Eve <bob@example.com>');
    const saved = process.env.GNUPGHOME;
    // The keyring every repository here verifies with holds bob's key only.
    process.env.GNUPGHOME = bob.home;
    cleanups.push(bob.stop, eve.stop, () => {
      if (saved === undefined) delete process.env.GNUPGHOME;
      else process.env.GNUPGHOME = saved;
    });
    setApprovers(f, '["bob@example.com"]');
    const promoter = await open(f.work, f);
    const digest = (await promoter.plan(apiToProd)).plan.digest!;

    // eve claims bob's email with a key of her own keyring, signing by hand with git commit-tree -S.
    const eveDir = f.other();
    const ledgerTip = (): string[] => {
      try {
        return ['-p', git(f.remote, 'rev-parse', APPROVALS_REF).trim()];
      } catch {
        return [];
      }
    };
    const tree = git(eveDir, 'hash-object', '-t', 'tree', '-w', '/dev/null').trim();
    const message = `Approve\n\nFlotilla-Approval-Digest: ${digest}\nFlotilla-Approval-Kind: promotion\nFlotilla-Approval-Pipeline: apps\nFlotilla-Approval-Stage: prod\n`;
    const forged = execFileSync('git', ['-c', 'gpg.format=openpgp', '-c', `user.signingkey=${eve.fingerprint}`, 'commit-tree', '-S', tree, ...ledgerTip(), '-m', message], { cwd: eveDir, env: { ...process.env, GNUPGHOME: eve.home }, encoding: 'utf8' }).trim();
    git(eveDir, 'push', '-q', 'origin', `${forged}:${APPROVALS_REF}`);

    const bobDir = f.other();
    git(bobDir, 'config', 'gpg.format', 'openpgp');
    git(bobDir, 'config', 'user.signingkey', bob.fingerprint);
    const signed = await (await open(bobDir, f)).approve({ ...apiToProd, digest });
    expect(signed.approval.signature).toMatchObject({ status: 'good', format: 'openpgp', signer: 'Bob <bob@example.com>', key: bob.fingerprint });

    const gate = approval((await promoter.plan(apiToProd)).plan.gates);
    expect(gate).toMatchObject({ passed: true, reason: `approved by bob@example.com (Bob <bob@example.com>) in ${signed.approval.commit.slice(0, 7)} (signed, plan ${digest.slice(0, 19)})` });
    expect(gate.approvals![1]).toMatchObject({ commit: forged, counted: false, reason: expect.stringContaining(`${forged.slice(0, 7)} is signed by a key the repository does not trust (openpgp `) });
  }, 120_000);
});

/** Pushes a record that names `digest` and an approver in its message but carries no signature. */
function forgeUnsigned(f: Fleet, digest: string): string {
  const dir = f.other();
  git(dir, 'fetch', '-q', 'origin', `${APPROVALS_REF}:refs/approvals`);
  const tree = git(dir, 'hash-object', '-t', 'tree', '-w', '/dev/null').trim();
  const sha = git(dir, 'commit-tree', tree, '-p', 'refs/approvals', '-m', `Approved by alice\n\nFlotilla-Approval-Digest: ${digest}\nFlotilla-Approval-Kind: promotion\nFlotilla-Approval-Pipeline: apps\nFlotilla-Approval-Stage: prod\n`).trim();
  git(dir, 'push', '-q', 'origin', `${sha}:${APPROVALS_REF}`);
  return sha;
}

/** Rewrites a signed record to name `to` instead of `from` (signature kept) on top of the remote's records; pushes it. */
function tamper(f: Fleet, commit: string, from: string, to: string): string {
  const dir = f.other();
  git(dir, 'fetch', '-q', 'origin', `${APPROVALS_REF}:refs/approvals`);
  const tip = git(dir, 'rev-parse', 'refs/approvals').trim();
  const raw = git(dir, 'cat-file', 'commit', commit).replace(/^parent [0-9a-f]+$/m, `parent ${tip}`).replace(from, to);
  const sha = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: dir, input: raw, encoding: 'utf8' }).trim();
  git(dir, 'push', '-q', 'origin', `${sha}:${APPROVALS_REF}`);
  return sha;
}
