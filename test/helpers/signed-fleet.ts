import { mkdirSync } from 'node:fs';
import { FleetStore } from '../../electron/store/fleet-store';
import { storeFile } from '../../electron/store/location';
import type { ControllerStatus } from '../../shared/controllers/types';
import { git } from './git-fixtures';
import type { SshKey } from './signing-keys';
import { allowedSigners, signWithSsh, sshKey } from './signing-keys';

// A fleet repository whose commits are signed in every way the UI and reports tell apart: by an allowed signer (SSH,
// through the repository's gpg.ssh.allowedSignersFile), by a key the repository does not trust, and not at all; and a
// recorded snapshot in which each app × cluster runs one of them. Real ssh-keygen keys, real git signatures.

/** The commits of a signed fleet and the keys that signed them. */
export interface SignedFleet {
  readonly alice: SshKey;
  readonly mallory: SshKey;
  /** Signed by alice@example.com, an allowed signer. */
  readonly signed: string;
  /** Signed by mallory's key, which the allowed-signers file does not list. */
  readonly untrusted: string;
  /** Not signed. */
  readonly unsigned: string;
  /** A commit the repository does not have. */
  readonly absent: string;
}

/** Adds three empty commits to `repo` (signed by alice, by mallory, unsigned); keys live in `keysDir`, outside the repository. */
export function signFleet(repo: string, keysDir: string): SignedFleet {
  mkdirSync(keysDir, { recursive: true });
  const alice = sshKey(keysDir, 'alice');
  const mallory = sshKey(keysDir, 'mallory');
  signWithSsh(repo, alice, allowedSigners(keysDir, [{ principal: 'alice@example.com', key: alice }]));
  const commit = (message: string, ...config: string[]): string => {
    git(repo, ...config.flatMap((c) => ['-c', c]), 'commit', '-q', '--allow-empty', '-m', message);
    return git(repo, 'rev-parse', 'HEAD').trim();
  };
  const signed = commit('Signed by alice');
  const untrusted = commit('Signed by mallory', `user.signingkey=${mallory.file}`);
  const unsigned = commit('Not signed', 'commit.gpgsign=false');
  return { alice, mallory, signed, untrusted, unsigned, absent: 'f'.repeat(40) };
}

/** One app × cluster of a recorded snapshot: the commit it runs, and optionally what its controller says it applied. */
export interface RunningCell {
  readonly app: string;
  readonly cluster: string;
  readonly environment: string;
  readonly revision: string;
  readonly controller?: ControllerStatus;
}

/** Records one snapshot (a minute ago) in the data folder's store: each cell Synced and Healthy at its revision. */
export function recordRunning(dataDir: string, cells: readonly RunningCell[]): void {
  const at = new Date(Date.now() - 60_000).toISOString();
  const store = FleetStore.open(storeFile(dataDir));
  try {
    store.recordSnapshot({
      takenAt: at,
      appClusters: cells.map((c) => ({
        environment: c.environment,
        status: { app: c.app, cluster: c.cluster, revision: c.revision, sync: 'Synced', health: { status: 'Healthy', message: '' }, resources: [], observedAt: at, ...(c.controller ? { controller: c.controller } : {}) },
      })),
    });
  } finally {
    store.close();
  }
}
