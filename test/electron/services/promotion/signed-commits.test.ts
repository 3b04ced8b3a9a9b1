import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommitSignatureVerifier } from '../../../../electron/services/git-signatures';
import { PromotionService } from '../../../../electron/services/promotion/promotion-service';
import { git, tempDir } from '../../../helpers/git-fixtures';
import type { SshKey } from '../../../helpers/signing-keys';
import { allowedSigners, gpgHome, hasGpg, signWithSsh, sshKey } from '../../../helpers/signing-keys';
import type { Fleet } from './fleet-fixture';
import { promotionFleet } from './fleet-fixture';

// A stage that requires signed commits, with real keys (ssh-keygen, GnuPG) and real git: the example fleet pushed to a
// bare remote, the user's clone signing as their git config says, promotions and rollbacks through PromotionService.

const NOW = Date.parse('2026-11-18T12:00:00Z');
const frontendToStaging = { from: 'dev', to: 'staging', apps: ['frontend'] } as const;

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** The user's clone signs with alice's SSH key; only alice is an allowed signer. Mallory's key is not trusted. */
function signedFleet(): { f: Fleet; alice: SshKey; mallory: SshKey } {
  const f = promotionFleet(NOW);
  const keys = tempDir('flotilla-keys-');
  cleanups.push(keys.cleanup);
  const alice = sshKey(keys.dir, 'alice');
  const mallory = sshKey(keys.dir, 'mallory');
  signWithSsh(f.work, alice, allowedSigners(keys.dir, [{ principal: 'alice@example.com', key: alice }]));
  return { f, alice, mallory };
}

/** Makes staging require signed commits in a commit pushed to the remote (signed as `config` says); returns its sha. */
function requireSignedStaging(f: Fleet, ...config: string[]): string {
  const file = path.join(f.work, 'pipeline.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('      gates:\n        soak: 10m\n', '      gates:\n        soak: 10m\n        signedCommits: true\n'));
  git(f.work, ...config.flatMap((c) => ['-c', c]), 'commit', '-q', '-am', 'Staging requires signed commits');
  git(f.work, 'push', '-q', 'origin', 'main');
  return git(f.work, 'rev-parse', 'HEAD').trim();
}

async function service(f: Fleet): Promise<PromotionService> {
  return PromotionService.open(f.work, { storeFile: f.storeFile, now: () => NOW });
}

describe('a stage with signedCommits: true', () => {
  it('blocks a promotion whose source revision is unsigned, pushing nothing', async () => {
    const { f } = signedFleet();
    const source = requireSignedStaging(f, 'commit.gpgsign=false');
    const svc = await service(f);
    const planned = await svc.plan(frontendToStaging);
    expect(planned.plan.ready).toBe(false);
    expect(planned.plan.gates.find((g) => g.gate === 'signature')).toEqual({ gate: 'signature', stage: 'staging', passed: false, reason: `staging requires signed commits: ${source.slice(0, 7)} is not signed` });
    const out = await svc.execute(frontendToStaging);
    expect(out.record.result).toBe('blocked');
    expect(out.blockers).toEqual([`gate signature: staging requires signed commits: ${source.slice(0, 7)} is not signed`]);
    expect(f.remoteHead()).toBe(source);
  });

  it('blocks a source revision signed by a key that is not an allowed signer, naming the key', async () => {
    const { f, mallory } = signedFleet();
    const source = requireSignedStaging(f, `user.signingkey=${mallory.file}`);
    const out = await (await service(f)).execute(frontendToStaging);
    expect(out.record.result).toBe('blocked');
    const gate = out.plan.gates.find((g) => g.gate === 'signature')!;
    expect(gate.passed).toBe(false);
    expect(gate.reason).toContain(`staging requires signed commits: ${source.slice(0, 7)} is signed by a key the repository does not trust (ssh ${mallory.fingerprint})`);
    expect(f.remoteHead()).toBe(source);
  });

  it('passes a source revision signed by an allowed signer, and signs the promotion and its rollback with the user\'s key', async () => {
    const { f, alice } = signedFleet();
    const source = requireSignedStaging(f);
    const svc = await service(f);
    const out = await svc.execute(frontendToStaging);
    expect(out.plan.gates.find((g) => g.gate === 'signature')).toMatchObject({ passed: true, reason: `${source.slice(0, 7)} has a good signature by alice@example.com (ssh ${alice.fingerprint})` });
    expect(out.record.result).toBe('pushed');
    expect(f.remoteHead()).toBe(out.record.commit);
    const rolled = await svc.rollback(out.record.id);
    expect(rolled.record.result).toBe('pushed');
    git(f.work, 'fetch', '-q', 'origin');
    const sigs = await new CommitSignatureVerifier(f.work).verify([out.record.commit!, rolled.record.commit!]);
    for (const c of [out.record.commit!, rolled.record.commit!]) {
      expect(sigs.get(c)).toEqual({ commit: c, status: 'good', format: 'ssh', signer: 'alice@example.com', key: alice.fingerprint });
    }
    // git itself agrees.
    expect(git(f.work, 'verify-commit', rolled.record.commit!)).toBe('');
  });
});

describe('signing promotion commits', () => {
  it('fails with a Problem naming the signing settings when the user\'s signing key cannot be loaded, pushing nothing', async () => {
    const { f } = signedFleet();
    const before = f.remoteHead();
    git(f.work, 'config', 'user.signingkey', path.join(f.work, 'no-such-key'));
    const svc = await service(f);
    await expect(svc.execute(frontendToStaging)).rejects.toThrow(/your git configuration signs commits \(commit\.gpgsign\) and signing failed: Couldn't load public key .*no-such-key.*check user\.signingkey and gpg\.format \(nothing was pushed\)/);
    expect(f.remoteHead()).toBe(before);
    expect(svc.history()[0]).toMatchObject({ result: 'failed' });
  });
});

describe.runIf(hasGpg())('a stage with signedCommits: true and GnuPG', () => {
  it('passes a source revision signed with a key of the keyring and signs the promotion with the user\'s OpenPGP key', async () => {
    const f = promotionFleet(NOW);
    const keys = tempDir('flotilla-gpg-');
    const key = gpgHome(keys.dir, 'Alice <alice@example.com>');
    const saved = process.env.GNUPGHOME;
    process.env.GNUPGHOME = key.home;
    cleanups.push(keys.cleanup, key.stop, () => {
      if (saved === undefined) delete process.env.GNUPGHOME;
      else process.env.GNUPGHOME = saved;
    });
    git(f.work, 'config', 'gpg.format', 'openpgp');
    git(f.work, 'config', 'user.signingkey', key.fingerprint);
    git(f.work, 'config', 'commit.gpgsign', 'true');
    const source = requireSignedStaging(f);
    const out = await (await service(f)).execute(frontendToStaging);
    expect(out.plan.gates.find((g) => g.gate === 'signature')).toMatchObject({ passed: true, reason: `${source.slice(0, 7)} has a good signature by Alice <alice@example.com> (openpgp ${key.fingerprint})` });
    expect(out.record.result).toBe('pushed');
    git(f.work, 'fetch', '-q', 'origin');
    expect(await new CommitSignatureVerifier(f.work).verifyOne(out.record.commit!)).toEqual({ commit: out.record.commit, status: 'good', format: 'openpgp', signer: 'Alice <alice@example.com>', key: key.fingerprint });
  });
});
