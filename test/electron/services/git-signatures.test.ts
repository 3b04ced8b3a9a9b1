import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommitSignatureVerifier } from '../../../electron/services/git-signatures';
import { git, tempDir } from '../../helpers/git-fixtures';
import { allowedSigners, gpgHome, hasGpg, signWithSsh, sshKey } from '../../helpers/signing-keys';

// Real keys, real git: ssh-keygen -Y through gpg.format=ssh, and GnuPG in a temporary GNUPGHOME.

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function repo(): { dir: string; commit: (message: string, ...config: string[]) => string } {
  const t = tempDir('flotilla-sign-');
  cleanups.push(t.cleanup);
  const dir = path.join(t.dir, 'repo');
  git(t.dir, 'init', '-q', '-b', 'main', dir);
  return {
    dir,
    commit: (message, ...config) => {
      writeFileSync(path.join(dir, 'file.txt'), message);
      git(dir, ...config.flatMap((c) => ['-c', c]), 'commit', '-q', '--allow-empty', '-m', message);
      return git(dir, 'rev-parse', 'HEAD').trim();
    },
  };
}

describe('CommitSignatureVerifier with SSH keys and an allowed-signers file', () => {
  it('tells a commit signed by an allowed signer from an unknown key and an unsigned one, naming signer and key', async () => {
    const r = repo();
    const alice = sshKey(path.dirname(r.dir), 'alice');
    const mallory = sshKey(path.dirname(r.dir), 'mallory');
    signWithSsh(r.dir, alice, allowedSigners(path.dirname(r.dir), [{ principal: 'alice@example.com', key: alice }]));
    const good = r.commit('by alice');
    const unknown = r.commit('by mallory', `user.signingkey=${mallory.file}`);
    const unsigned = r.commit('unsigned', 'commit.gpgsign=false');
    const v = new CommitSignatureVerifier(r.dir);
    const sigs = await v.verify([good, unknown, unsigned, '0'.repeat(40)]);
    expect(sigs.get(good)).toEqual({ commit: good, status: 'good', format: 'ssh', signer: 'alice@example.com', key: alice.fingerprint });
    expect(sigs.get(unknown)).toMatchObject({ commit: unknown, status: 'unknown-key', format: 'ssh', key: mallory.fingerprint });
    expect(sigs.get(unknown)!.detail).toContain('No principal matched');
    expect(sigs.get(unsigned)).toEqual({ commit: unsigned, status: 'unsigned' });
    expect(sigs.get('0'.repeat(40))).toEqual({ commit: '0'.repeat(40), status: 'missing' });
    expect(await v.verifyOne('HEAD~1')).toMatchObject({ commit: unknown, status: 'unknown-key' });
    expect(await v.verifyOne('no-such-branch')).toEqual({ commit: 'no-such-branch', status: 'missing' });
  });

  it('calls an SSH signature it cannot check (no allowed-signers file configured) an unknown key, never unsigned', async () => {
    const r = repo();
    const alice = sshKey(path.dirname(r.dir), 'alice');
    signWithSsh(r.dir, alice, allowedSigners(path.dirname(r.dir), [{ principal: 'alice@example.com', key: alice }]));
    const signed = r.commit('by alice');
    git(r.dir, 'config', '--unset', 'gpg.ssh.allowedSignersFile');
    const sig = await new CommitSignatureVerifier(r.dir).verifyOne(signed);
    expect(sig).toMatchObject({ commit: signed, status: 'unknown-key', format: 'ssh' });
    expect(sig.detail).toBe('git could not check this ssh signature: gpg.ssh.allowedSignersFile is not configured');
  });

  it('looks again when the allowed-signers file changes: a verdict is cached per commit and trust', async () => {
    const r = repo();
    const dir = path.dirname(r.dir);
    const alice = sshKey(dir, 'alice');
    const bob = sshKey(dir, 'bob');
    const allowed = allowedSigners(dir, [{ principal: 'alice@example.com', key: alice }]);
    signWithSsh(r.dir, alice, allowed);
    const byBob = r.commit('by bob', `user.signingkey=${bob.file}`);
    const v = new CommitSignatureVerifier(r.dir);
    expect((await v.verifyOne(byBob)).status).toBe('unknown-key');
    appendFileSync(allowed, `bob@example.com ${bob.publicKey}\n`);
    expect(await v.verifyOne(byBob)).toMatchObject({ status: 'good', signer: 'bob@example.com', key: bob.fingerprint });
  });

  it('reads the allowed-signers setting again only when a configuration file git read changes, includes among them', async () => {
    const r = repo();
    const dir = path.dirname(r.dir);
    const alice = sshKey(dir, 'alice');
    signWithSsh(r.dir, alice, allowedSigners(dir, [{ principal: 'alice@example.com', key: alice }]));
    const signed = r.commit('by alice');
    // The setting moves to an included file: git reads it there, and the verifier follows that file.
    const included = path.join(dir, 'trust.gitconfig');
    writeFileSync(included, `[gpg "ssh"]\n\tallowedSignersFile = ${path.join(dir, 'allowed_signers')}\n`);
    git(r.dir, 'config', '--unset', 'gpg.ssh.allowedSignersFile');
    git(r.dir, 'config', 'include.path', included);
    const traced = path.join(dir, 'git-trace.log');
    const v = new CommitSignatureVerifier(r.dir, { ...process.env, GIT_TRACE: traced });
    const processes = () => (existsSync(traced) ? readFileSync(traced, 'utf8').split('\n').filter((l) => l.includes('trace: built-in: git ')).length : 0);
    expect(await v.verifyOne(signed)).toMatchObject({ status: 'good', signer: 'alice@example.com' });
    const first = processes();
    // Unchanged configuration, cached verdict: no git process at all.
    expect(await v.verifyOne(signed)).toMatchObject({ status: 'good' });
    expect(processes()).toBe(first);
    // Only the included file changes (the setting removed): the verifier sees it and git judges again.
    writeFileSync(included, '# no allowed signers\n');
    const sig = await v.verifyOne(signed);
    expect(sig).toMatchObject({ status: 'unknown-key', format: 'ssh' });
    expect(sig.detail).toBe('git could not check this ssh signature: gpg.ssh.allowedSignersFile is not configured');
    expect(processes()).toBeGreaterThan(first);
  });

  it('reports a tampered signature as bad', async () => {
    const r = repo();
    const alice = sshKey(path.dirname(r.dir), 'alice');
    signWithSsh(r.dir, alice, allowedSigners(path.dirname(r.dir), [{ principal: 'alice@example.com', key: alice }]));
    const good = r.commit('by alice');
    // The same signed object with its message changed: the signature no longer covers it.
    const raw = git(r.dir, 'cat-file', 'commit', good).replace('by alice', 'by alice, edited');
    const tampered = hashCommit(r.dir, raw);
    const sig = await new CommitSignatureVerifier(r.dir).verifyOne(tampered);
    expect(sig).toMatchObject({ commit: tampered, status: 'bad', format: 'ssh' });
  });
});

describe.runIf(hasGpg())('CommitSignatureVerifier with GnuPG', () => {
  it('trusts the keys of the GnuPG keyring and names the key of a signature it cannot check', async () => {
    const r = repo();
    const dir = path.dirname(r.dir);
    const alice = gpgHome(path.join(dir, 'alice'), 'Alice <alice@example.com>');
    const other = gpgHome(path.join(dir, 'other'), 'Other <other@example.com>');
    cleanups.push(alice.stop, other.stop);
    git(r.dir, 'config', 'gpg.format', 'openpgp');
    const signed = (() => {
      writeFileSync(path.join(r.dir, 'f'), 'gpg');
      gitEnv(r.dir, { GNUPGHOME: alice.home }, '-c', `user.signingkey=${alice.fingerprint}`, 'commit', '-q', '-S', '--allow-empty', '-m', 'by alice');
      return git(r.dir, 'rev-parse', 'HEAD').trim();
    })();
    const withAlice = new CommitSignatureVerifier(r.dir, { ...process.env, GNUPGHOME: alice.home });
    expect(await withAlice.verifyOne(signed)).toEqual({ commit: signed, status: 'good', format: 'openpgp', signer: 'Alice <alice@example.com>', key: alice.fingerprint });
    const withOther = new CommitSignatureVerifier(r.dir, { ...process.env, GNUPGHOME: other.home });
    const unknown = await withOther.verifyOne(signed);
    expect(unknown).toMatchObject({ commit: signed, status: 'unknown-key', format: 'openpgp', key: alice.keyId });
    expect(unknown.detail).toContain('No public key');
    // Alice's public key imported into the other keyring without trust: a valid signature from a key nobody vouched for.
    const pub = execFileSync('gpg', ['--armor', '--export', alice.fingerprint], { env: { ...process.env, GNUPGHOME: alice.home } });
    execFileSync('gpg', ['--batch', '--import'], { env: { ...process.env, GNUPGHOME: other.home }, input: pub, stdio: ['pipe', 'ignore', 'ignore'] });
    const untrusted = await withOther.verifyOne(signed);
    expect(untrusted).toMatchObject({ commit: signed, status: 'unknown-key', format: 'openpgp', signer: 'Alice <alice@example.com>', key: alice.fingerprint });
    expect(untrusted.detail).toContain('not certified with a trusted signature');
  });
});

/** Writes a commit object from its raw text; returns its sha. */
function hashCommit(dir: string, raw: string): string {
  return execGit(dir, ['hash-object', '-t', 'commit', '-w', '--stdin'], raw).trim();
}

function execGit(dir: string, args: string[], input: string): string {
  return execFileSync('git', args, { cwd: dir, input, encoding: 'utf8' });
}

function gitEnv(dir: string, env: Record<string, string>, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Flotilla Test', '-c', 'user.email=test@flotilla.invalid', ...args], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' });
}
