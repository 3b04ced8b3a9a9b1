import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitAll, git, tempDir } from '../../helpers/git-fixtures';
import { allowedSigners, signWithSsh, sshKey } from '../../helpers/signing-keys';
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
    expect(r.out).toMatch(/\[FAIL\] approval: needs 1 signed approval\(s\) from platform-leads of plan sha256:[0-9a-f]{12}; has 0\. An approver signs this plan with flotilla approve/);
    expect(r.out).toContain('Blocked.');
    expect(git(f.remote, 'log', '-1', '--format=%s', 'main').trim()).toBe('Comment the staging tag');
    // A typed name is no approval: the option says how to approve instead.
    const typed = await cli(['promote', 'api', '--from', 'staging', '--to', 'prod', '--yes', '--approve', 'platform-leads', ...args]);
    expect(typed.code).toBe(2);
    expect(typed.err).toContain('error: --approve platform-leads: a typed name is not an approval. An approver signs the plan\'s digest with their own git signing key: `flotilla approve APP --from STAGE --to STAGE`');
    expect(git(f.remote, 'log', '-1', '--format=%s', 'main').trim()).toBe('Comment the staging tag');
  });

  it('flotilla approve signs the reviewed digest from the approver\'s clone; the promotion and a gated rollback then pass', async () => {
    const { f, args } = setup();
    const keys = tempDir('flotilla-keys-');
    try {
      const alice = sshKey(keys.dir, 'alice');
      const allowed = allowedSigners(keys.dir, [{ principal: 'alice', key: alice }]);
      git(f.work, 'config', 'gpg.ssh.allowedSignersFile', allowed);
      const file = path.join(f.work, 'pipeline.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('        soak: 10m\n', '        soak: 10m\n        approvers: [alice]\n'));
      commitAll(f.work, 'alice approves staging');
      git(f.work, 'push', '-q', 'origin', 'main');
      const dry = await cli(['promote', 'frontend', '--from', 'dev', '--to', 'staging', '--dry-run', ...args]);
      expect(dry.code).toBe(1);
      const digest = /^Plan digest: (sha256:[0-9a-f]{64})$/m.exec(dry.out)![1]!;

      const aliceDir = f.other();
      signWithSsh(aliceDir, alice, allowed);
      const aliceArgs = ['--repo', aliceDir, '--data-dir', path.dirname(f.storeFile)];
      // Not on a terminal, approve needs the digest that was reviewed (or --yes).
      expect((await cli(['approve', 'frontend', '--from', 'dev', '--to', 'staging', ...aliceArgs])).code).toBe(2);
      const approved = await cli(['approve', 'frontend', '--from', 'dev', '--to', 'staging', '--digest', digest, ...aliceArgs]);
      expect(approved.err).toBe('');
      expect(approved.code).toBe(0);
      expect(approved.out).toContain(`Plan digest: ${digest}`);
      expect(approved.out).toMatch(new RegExp(`approved promotion dev -> staging: frontend at [0-9a-f]{7}\\n  plan digest ${digest}\\n  signed record [0-9a-f]{7} pushed to origin refs/flotilla/approvals\\n  [0-9a-f]{7} has a good signature by alice \\(ssh `));

      const ok = await cli(['promote', 'frontend', '--from', 'dev', '--to', 'staging', '--yes', ...args]);
      expect(ok.code).toBe(0);
      expect(ok.out).toMatch(/\[pass\] approval: approved by alice in [0-9a-f]{7} \(signed, plan sha256:[0-9a-f]{12}\)\n {6}counted {2}approval [0-9a-f]{7}: good signature by alice \(ssh /);
      expect(ok.out).toContain('promotion #1 pushed');

      // The rollback out of staging needs its own signed approval: --yes alone is blocked (exit 1, nothing pushed).
      const head = f.remoteHead();
      const blocked = await cli(['promote', '--rollback', '1', '--yes', ...args]);
      expect(blocked.code).toBe(1);
      expect(blocked.out).toMatch(/\[FAIL\] approval: needs 1 signed approval\(s\) from alice of plan sha256:[0-9a-f]{12}; has 0\. An approver signs this plan with flotilla approve --rollback ID/);
      expect(blocked.err).toContain('rollback of #1 blocked by its stage\'s gates');
      expect(f.remoteHead()).toBe(head);
      // alice's own data folder never recorded promotion #1: she names it by its commit.
      const rollbackApproval = await cli(['approve', '--rollback', head, '--yes', '--repo', aliceDir, '--data-dir', path.join(keys.dir, 'alice-data'), '-o', 'json']);
      expect(rollbackApproval.code).toBe(0);
      expect(JSON.parse(rollbackApproval.out)).toMatchObject({ remote: 'origin', subject: { kind: 'rollback', stage: 'staging' }, signature: { status: 'good', signer: 'alice' } });
      const back = await cli(['promote', '--rollback', '1', '--yes', ...args]);
      expect(back.code).toBe(0);
      expect(back.out).toContain('promotion #2 pushed');
    } finally {
      keys.cleanup();
    }
  });

  it('shows the signedCommits verdict in the plan, as text and JSON: an unsigned source exits 1, one signed by an allowed signer passes', async () => {
    const { f, args } = setup();
    const keys = tempDir('flotilla-keys-');
    try {
      const alice = sshKey(keys.dir, 'alice');
      signWithSsh(f.work, alice, allowedSigners(keys.dir, [{ principal: 'alice@example.com', key: alice }]));
      const file = path.join(f.work, 'pipeline.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('        soak: 10m\n', '        soak: 10m\n        signedCommits: true\n'));
      git(f.work, '-c', 'commit.gpgsign=false', 'commit', '-q', '-am', 'Staging requires signed commits');
      git(f.work, 'push', '-q', 'origin', 'main');
      const unsigned = f.remoteHead().slice(0, 7);
      const blocked = await cli(['promote', 'frontend', '--from', 'dev', '--to', 'staging', '--dry-run', ...args]);
      expect(blocked.code).toBe(1);
      expect(blocked.out).toContain(`[FAIL] signature: staging requires signed commits: ${unsigned} is not signed`);
      const json = await cli(['promote', 'frontend', '--from', 'dev', '--to', 'staging', '--dry-run', '-o', 'json', ...args]);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.out).plan.gates).toContainEqual({ gate: 'signature', stage: 'staging', passed: false, reason: `staging requires signed commits: ${unsigned} is not signed` });
      git(f.work, 'commit', '-q', '--allow-empty', '-m', 'Signed by alice');
      git(f.work, 'push', '-q', 'origin', 'main');
      const passed = await cli(['promote', 'frontend', '--from', 'dev', '--to', 'staging', '--dry-run', ...args]);
      expect(passed.code).toBe(0);
      expect(passed.out).toContain(`[pass] signature: ${f.remoteHead().slice(0, 7)} has a good signature by alice@example.com (ssh ${alice.fingerprint})`);
    } finally {
      keys.cleanup();
    }
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
