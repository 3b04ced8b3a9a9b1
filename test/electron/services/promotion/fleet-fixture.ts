import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import { FleetStore } from '../../../../electron/store/fleet-store';
import { commitAll, exampleRepo, git, tempDir } from '../../../helpers/git-fixtures';

// The promotion tests' fleet, all real git: the example fleet pushed to a local bare repository (the remote), a clone
// as the user's checkout, and a store whose history has every dev and staging Application Synced and Healthy.

/** The frontend's staging overlay (its tag carries an inline comment the promotion must keep). */
export const STAGING = 'apps/frontend/overlays/staging/kustomization.yaml';
/** The api's prod overlay. */
export const PROD_API = 'apps/api/overlays/prod/kustomization.yaml';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** The remote, the user's checkout and the store of one test. */
export interface Fleet {
  readonly remote: string;
  readonly work: string;
  readonly storeFile: string;
  /** Another clone of the remote, as a colleague's checkout. */
  other(): string;
  /** A file at the remote's main. */
  remoteFile(file: string): string;
  remoteHead(): string;
}

/** A remote, the user's clone and a store (history recorded two hours before `now`), removed after the test. */
export function promotionFleet(now: number): Fleet {
  const seed = exampleRepo();
  const t = tempDir('flotilla-promote-');
  cleanups.push(seed.cleanup, t.cleanup);
  // An inline comment on the promoted value: the promotion must keep it.
  const staging = path.join(seed.dir, STAGING);
  writeFileSync(staging, readFileSync(staging, 'utf8').replace('newTag: "1.7.2"', 'newTag: "1.7.2" # set by the release train'));
  commitAll(seed.dir, 'Comment the staging tag');
  const remote = path.join(t.dir, 'remote.git');
  git(t.dir, 'init', '-q', '--bare', '-b', 'main', remote);
  git(seed.dir, 'push', '-q', remote, 'main');
  const clone = (name: string): string => {
    const dir = path.join(t.dir, name);
    git(t.dir, 'clone', '-q', remote, dir);
    git(dir, 'config', 'user.name', name === 'work' ? 'Pat Promoter' : 'Colleague');
    git(dir, 'config', 'user.email', `${name}@flotilla.invalid`);
    return dir;
  };
  const work = clone('work');
  const storeFile = path.join(t.dir, 'data', 'flotilla.db');
  // The store's history: every dev and staging Application Synced and Healthy for two hours.
  // Recorded at the seed's commit, so the dev and staging Applications ran the versions now in their overlays.
  const revision = git(remote, 'rev-parse', 'main').trim();
  const store = FleetStore.open(storeFile);
  // Seen so two hours ago and again a minute ago: the soak gate uses only observations younger than its freshness.
  for (const at of [now - 2 * 3_600_000, now - 60_000]) {
    store.recordSnapshot({
      takenAt: new Date(at).toISOString(),
      appClusters: ['frontend', 'api', 'worker'].flatMap((app) => ['dev', 'staging'].map((cluster) => ({
        environment: cluster,
        status: { app: `${app}-${cluster}`, cluster, revision, sync: 'Synced' as const, health: { status: 'Healthy' as const, message: '' }, resources: [], observedAt: new Date(at).toISOString() },
      }))),
    });
  }
  store.close();
  let n = 0;
  return {
    remote,
    work,
    storeFile,
    other: () => clone(`other-${++n}`),
    remoteFile: (file) => git(remote, 'show', `main:${file}`),
    remoteHead: () => git(remote, 'rev-parse', 'main').trim(),
  };
}

