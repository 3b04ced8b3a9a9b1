import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitAll, git } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';
import { promotionFleet, STAGING } from '../services/promotion/fleet-fixture';

// The CLI on real git: the clock is the real one, so the store's history is recorded two hours before now and the
// promotions go dev -> staging (whose only gate is a 10 minute soak).

function setup(): { f: ReturnType<typeof promotionFleet>; args: string[] } {
  const f = promotionFleet(Date.now());
  return { f, args: ['--repo', f.work, '--data-dir', path.dirname(f.storeFile)] };
}

describe('flotilla promote', () => {
  it('prints the plan, the file edit and the rendered diff per target cluster with --dry-run, and changes nothing', async () => {
    const { f, args } = setup();
    const before = f.remoteHead();
    const r = await cli(['promote', 'frontend', '--from', 'dev', '--to', 'staging', '--dry-run', ...args]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('== frontend: apps/frontend/overlays/dev -> apps/frontend/overlays/staging');
    expect(r.out).toContain(`image ghcr.io/example/frontend: ghcr.io/example/frontend:1.7.2 -> ghcr.io/example/frontend:1.8.0  (${STAGING}:10)`);
    expect(r.out).toContain('-    newTag: "1.7.2" # set by the release train\n+    newTag: "1.8.0" # set by the release train');
    expect(r.out).toContain('-- rendered change on staging (frontend-staging): 1 resource(s)');
    expect(r.out).toContain('+        image: ghcr.io/example/frontend:1.8.0');
    expect(r.out).toMatch(/\[pass\] soak frontend on dev: frontend-dev on dev Synced and Healthy for 2h(\d+s)? \(soak 10m; last observed 1m(\d+s)? ago\)/);
    expect(r.out).toContain('Ready to promote.');
    expect(f.remoteHead()).toBe(before);
    expect((await cli(['promotions', ...args])).out).toBe('no promotions recorded yet\n');
  });

  it('exits 1, not 0, when promote.images can see no versions (no images: entries) although the stages differ', async () => {
    const { f, args } = setup();
    for (const [stage, tag] of [['dev', '0.9.3'], ['staging', '0.9.0']] as const) {
      const dir = path.join(f.work, 'apps/worker/overlays', stage);
      const k = readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8');
      const withoutImages = k.replace(/images:\n {2}- name: ghcr\.io\/example\/worker\n {4}newTag: "[^"]*"\n/, '');
      expect(withoutImages).not.toBe(k);
      writeFileSync(path.join(dir, 'kustomization.yaml'), withoutImages.replace('patches:\n', 'patches:\n  - path: image-patch.yaml\n'));
      writeFileSync(path.join(dir, 'image-patch.yaml'), `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n  template:\n    spec:\n      containers:\n      - name: worker\n        image: ghcr.io/example/worker:${tag}\n`);
    }
    commitAll(f.work, 'worker versions set by patches');
    git(f.work, 'push', '-q', 'origin', 'HEAD:main');
    const r = await cli(['promote', 'worker', '--from', 'dev', '--to', 'staging', '--dry-run', ...args]);
    expect(r.out).toContain('Nothing can be promoted: Flotilla sees no versions to move');
    expect(r.out).toContain('has no kustomization `images:` entries');
    expect(r.code).toBe(1);
  });

  it('refuses to execute without --yes when not on a terminal', async () => {
    const { f, args } = setup();
    const before = f.remoteHead();
    const r = await cli(['promote', 'frontend', '--from', 'dev', '--to', 'staging', ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('error: refusing to promote without --yes when not on a terminal (use --dry-run to see the plan)\n');
    expect(f.remoteHead()).toBe(before);
  });

  it('promotes with --yes, lists it in flotilla promotions, and rolls it back with --rollback', async () => {
    const { f, args } = setup();
    const original = f.remoteFile(STAGING);
    const r = await cli(['promote', 'frontend', '--from', 'dev', '--to', 'staging', '--yes', ...args]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const commit = f.remoteHead();
    expect(r.out).toContain(`promotion #1 pushed: ${commit.slice(0, 7)} on main (frontend, dev -> staging)`);
    const list = await cli(['promotions', ...args, '-o', 'json']);
    expect(JSON.parse(list.out)).toMatchObject([{ id: 1, by: 'Pat Promoter <work@flotilla.invalid>', from: 'dev', to: 'staging', apps: ['frontend'], commit, result: 'pushed' }]);
    const dry = await cli(['promote', '--rollback', '1', '--dry-run', ...args]);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(`Roll back promotion #1 (frontend, dev -> staging, commit ${commit.slice(0, 7)}) on origin/main at ${commit.slice(0, 7)} (dry run: nothing is committed)`);
    expect(dry.out).toContain('staging would run: frontend:ghcr.io/example/frontend:1.7.2');
    expect(f.remoteHead()).toBe(commit);
    const back = await cli(['promote', '--rollback', '1', '--yes', ...args]);
    expect(back.code).toBe(0);
    expect(back.out).toContain('promotion #2 pushed');
    expect(f.remoteFile(STAGING)).toBe(original);
    const table = await cli(['promotions', ...args]);
    expect(table.out).toMatch(/^2 .* pushed \(rollback of #1\)$/m);
    expect(table.out).toMatch(/^1 .* pushed \(rolled back by #2\)$/m);
  });

  it('exits 1 naming the failing gate', async () => {
    const { f, args } = setup();
    const r = await cli(['promote', 'api', '--from', 'staging', '--to', 'prod', '--yes', ...args]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('[FAIL] approval: needs 1 approval(s) from platform-leads; has 0');
    expect(r.out).toContain('Blocked.');
    expect(git(f.remote, 'log', '-1', '--format=%s', 'main').trim()).toBe('Comment the staging tag');
  });

  it('exits 2 with file, line and column when the pipeline file does not parse', async () => {
    const { f, args } = setup();
    writeFileSync(path.join(f.work, 'pipeline.yaml'), readFileSync(path.join(f.work, 'pipeline.yaml'), 'utf8').replace('  stages:\n', '  stages: [\n'));
    commitAll(f.work, 'Break the pipeline');
    const r = await cli(['promote', 'frontend', '--from', 'dev', '--to', 'staging', '--dry-run', ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: the pipeline file does not parse:\n {2}pipeline\.yaml:\d+:\d+: YAML: /);
  });

  it('needs an app or --all, not both', async () => {
    const { args } = setup();
    expect((await cli(['promote', '--from', 'dev', '--to', 'staging', ...args])).err).toBe('error: name an app or pass --all\n');
    expect((await cli(['promote', 'api', '--all', '--from', 'dev', '--to', 'staging', ...args])).err).toBe('error: name an app or pass --all, not both (api and --all)\n');
  });
});
