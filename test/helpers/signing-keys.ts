import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git } from './git-fixtures';

// Real signing keys made in the test: SSH keys by ssh-keygen (with an allowed-signers file) and OpenPGP keys by GnuPG
// in a temporary GNUPGHOME. Nothing is mocked: git signs and verifies through ssh-keygen -Y and gpg.

/** An unencrypted ed25519 SSH key: its private key file, public key text and SHA256 fingerprint. */
export interface SshKey {
  readonly file: string;
  readonly publicKey: string;
  readonly fingerprint: string;
}

/** Makes an ed25519 SSH key in `dir` with `ssh-keygen`. */
export function sshKey(dir: string, name: string): SshKey {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
  const publicKey = readFileSync(`${file}.pub`, 'utf8').trim();
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
  return { file, publicKey, fingerprint };
}

/** Writes an allowed-signers file (`principal key`) and returns its path. */
export function allowedSigners(dir: string, signers: readonly { principal: string; key: SshKey }[]): string {
  const file = path.join(dir, 'allowed_signers');
  writeFileSync(file, signers.map((s) => `${s.principal} ${s.key.publicKey}\n`).join(''));
  return file;
}

/** Makes `repo` sign its commits with an SSH key and trust the allowed-signers file, as a user's git config would. */
export function signWithSsh(repo: string, key: SshKey, allowed: string): void {
  git(repo, 'config', 'gpg.format', 'ssh');
  git(repo, 'config', 'user.signingkey', key.file);
  git(repo, 'config', 'commit.gpgsign', 'true');
  git(repo, 'config', 'gpg.ssh.allowedSignersFile', allowed);
}

/** Whether GnuPG is installed. */
export function hasGpg(): boolean {
  try {
    execFileSync('gpg', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A temporary GnuPG home with one passphrase-less ed25519 signing key; `stop` ends its agent. */
export function gpgHome(dir: string, uid: string): { home: string; fingerprint: string; keyId: string; stop: () => void } {
  const home = path.join(dir, 'gnupg');
  mkdirSync(home, { recursive: true });
  chmodSync(home, 0o700);
  const env = { ...process.env, GNUPGHOME: home };
  execFileSync('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'sign', 'never'], { env, stdio: 'ignore' });
  const fpr = execFileSync('gpg', ['--list-keys', '--with-colons'], { env, encoding: 'utf8' }).split('\n').find((l) => l.startsWith('fpr:'))!.split(':')[9]!;
  return { home, fingerprint: fpr, keyId: fpr.slice(-16), stop: () => execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env, stdio: 'ignore' }) };
}
