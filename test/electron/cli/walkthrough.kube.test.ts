// The README's walkthrough on the example fleet and real clusters (controller manager, scheduler, kwok), all through
// the CLI: sync dev, refresh until dev has been Synced and Healthy for the soak, promote dev → staging (the soak gate
// passes), sync staging from the promoted commit as Argo CD would, and `--verify` reports the promotion verified.
// Nothing's status is written by the test: the example's frontend has no HPA outside prod (no metrics here).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitAll, exampleRepo, git, tempDir } from '../../helpers/git-fixtures';
import { createNamespace, freshNamespace, kubeRequest, retargetExample, useKubeFleet } from '../../helpers/kube-fleet';
import { cli } from '../../helpers/run-cli';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

const edit = (dir: string, file: string, from: string | RegExp, to: string): void => {
  const p = path.join(dir, file);
  const before = readFileSync(p, 'utf8');
  const after = before.replace(from, to);
  expect(after, file).not.toBe(before);
  writeFileSync(p, after);
};

describe('the README walkthrough on the example fleet', () => {
  it('syncs dev, passes the soak gate, promotes dev → staging and verifies it Synced and Healthy', async () => {
    const fleet = await useKubeFleet();
    const seed = exampleRepo();
    const t = tempDir('flotilla-walk-');
    cleanups.push(seed.cleanup, t.cleanup);
    // The example fleet pointed at this run's clusters, in namespaces of its own; a soak of 3 s instead of 10 min.
    const [devNs, stagingNs] = [freshNamespace('walk-dev'), freshNamespace('walk-stg')];
    retargetExample(fleet, seed.dir);
    edit(seed.dir, 'apps/frontend/overlays/dev/kustomization.yaml', 'namespace: frontend', `namespace: ${devNs}`);
    edit(seed.dir, 'apps/frontend/overlays/staging/kustomization.yaml', 'namespace: frontend', `namespace: ${stagingNs}`);
    await createNamespace(fleet, 'dev', devNs);
    await createNamespace(fleet, 'staging', stagingNs);
    edit(seed.dir, 'pipeline.yaml', 'soak: 10m', 'soak: 3s');
    // Apps of their own name: other test files sync the example's frontend-dev into the same shared clusters, and
    // objects carrying an app's tracking id in another namespace would (rightly) make it OutOfSync.
    edit(seed.dir, 'appsets/apps.yaml', `name: '{{.path.basename}}-{{.name}}'`, `name: 'walk-{{.path.basename}}-{{.name}}'`);
    commitAll(seed.dir, 'The walkthrough on the test clusters');
    const remote = path.join(t.dir, 'remote.git');
    git(t.dir, 'init', '-q', '--bare', '-b', 'main', remote);
    git(seed.dir, 'push', '-q', remote, 'main');
    const work = path.join(t.dir, 'work');
    git(t.dir, 'clone', '-q', remote, work);
    git(work, 'config', 'user.name', 'Pat Promoter');
    git(work, 'config', 'user.email', 'pat@flotilla.invalid');
    const data = path.join(t.dir, 'data');
    const common = ['--repo', work, '--kubeconfig', fleet.kubeconfig];

    // 1. Sync dev from Git.
    const synced = await cli(['sync', 'walk-frontend-dev', '--cluster', 'dev', ...common]);
    expect(synced.err).toBe('');
    expect(synced.code, synced.out).toBe(0);
    // The sync ends when its last wave is applied (as Argo CD's does); the controllers then make the Deployment Available.
    const until = Date.now() + 60_000;
    for (;;) {
      const d = await kubeRequest(fleet, 'dev', 'GET', `/apis/apps/v1/namespaces/${devNs}/deployments/frontend`);
      const conditions = ((d.body as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? []);
      if (conditions.some((c) => c.type === 'Available' && c.status === 'True')) break;
      if (Date.now() > until) throw new Error(`frontend on dev never became Available: ${JSON.stringify(d.body)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    // 2. Refresh records dev Synced and Healthy; the soak gate needs it so for 3 s, with a fresh observation.
    const first = await cli(['refresh', ...common, '--data-dir', data, '--cluster', 'dev', '-o', 'json']);
    expect(first.code, first.err).toBeLessThanOrEqual(1);
    expect(JSON.parse(first.out)).toMatchObject({ unreachable: 0, unknown: 0 });
    const early = await cli(['promote', 'frontend', '--from', 'dev', '--to', 'staging', '--dry-run', ...common, '--data-dir', data]);
    expect(early.out).toMatch(/\[FAIL\] soak frontend on dev: walk-frontend-dev on dev has been Synced and Healthy for \d+m?s; the soak time is 3s/);
    expect(early.code, early.out + early.err).toBe(1); // not yet soaked: the gate blocks
    await new Promise((r) => setTimeout(r, 3500));
    const second = await cli(['refresh', ...common, '--data-dir', data, '--cluster', 'dev']);
    expect(second.code, second.err).toBeLessThanOrEqual(1);

    // 3. Promote with --verify: the soak gate passes, the commit is pushed, and verification waits for staging.
    const before = git(remote, 'rev-parse', 'main').trim();
    const promoting = cli(['promote', 'frontend', '--from', 'dev', '--to', 'staging', '--yes', '--verify', '--verify-timeout', '90s', ...common, '--data-dir', data]);
    const deadline = Date.now() + 60_000;
    while (git(remote, 'rev-parse', 'main').trim() === before) {
      if (Date.now() > deadline) throw new Error(`no promotion pushed: ${JSON.stringify(await Promise.race([promoting, Promise.resolve('still running')]))}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    // 4. The GitOps tool's part: staging synced from the promoted commit.
    git(work, 'pull', '-q', '--ff-only');
    expect(readFileSync(path.join(work, 'apps/frontend/overlays/staging/kustomization.yaml'), 'utf8')).toContain('newTag: "1.8.0"');
    const staged = await cli(['sync', 'walk-frontend-staging', '--cluster', 'staging', ...common]);
    expect(staged.code, staged.out + staged.err).toBe(0);
    const promoted = await promoting;
    expect(promoted.out).toMatch(/promotion #\d+ verified: Synced and Healthy: walk-frontend-staging on staging/);
    expect(promoted.out).toMatch(/\[pass\] soak frontend on dev: walk-frontend-dev on dev Synced and Healthy for \d+s \(soak 3s/);
    expect(promoted.code, promoted.out + promoted.err).toBe(0);
  }, 240_000);
});
