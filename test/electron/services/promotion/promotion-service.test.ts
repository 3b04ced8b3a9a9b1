import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PromotionService } from '../../../../electron/services/promotion/promotion-service';
import type { PromotionServiceOptions } from '../../../../electron/services/promotion/promotion-service';
import { FleetStore } from '../../../../electron/store/fleet-store';
import { parsePromotionTrailers } from '../../../../shared/promotion/commit-message';
import { commitAll, git } from '../../../helpers/git-fixtures';
import type { Fleet } from './fleet-fixture';
import { PROD_API, promotionFleet, STAGING } from './fleet-fixture';

// Real git throughout: the example fleet pushed to a local bare repository (the remote), a clone as the user's checkout.

const NOW = Date.parse('2026-11-18T12:00:00Z'); // a Wednesday: outside the example's Friday-evening prod freeze
const fleet = (): Fleet => promotionFleet(NOW);

async function service(f: Fleet, opts: Partial<PromotionServiceOptions> = {}): Promise<PromotionService> {
  return PromotionService.open(f.work, { storeFile: f.storeFile, now: () => NOW, ...opts });
}

const frontendToStaging = { from: 'dev', to: 'staging', apps: ['frontend'] } as const;

describe('PromotionService.execute', () => {
  it('lands exactly the planned edit in one commit on the remote, keeping comments, with trailers and the promoter identity', async () => {
    const f = fleet();
    const before = f.remoteHead();
    const stagingBefore = f.remoteFile(STAGING);
    const svc = await service(f);
    const planned = await svc.plan(frontendToStaging);
    expect(planned.plan.ready).toBe(true);
    const out = await svc.execute(frontendToStaging);
    expect(out.blockers).toEqual([]);
    expect(out.record).toMatchObject({ result: 'pushed', by: 'Pat Promoter <work@flotilla.invalid>', from: 'dev', to: 'staging', apps: ['frontend'], branch: 'main', baseRevision: before, attempts: 1 });
    expect(out.record.commit).toBe(f.remoteHead());
    expect(git(f.remote, 'rev-parse', 'main~1').trim()).toBe(before);
    expect(f.remoteFile(STAGING)).toBe(stagingBefore.replace('newTag: "1.7.2" # set by the release train', 'newTag: "1.8.0" # set by the release train'));
    expect(f.remoteFile(STAGING)).toBe(planned.plan.apps[0]!.edits[0]!.after);
    expect(git(f.remote, 'show', '--name-only', '--format=', 'main').trim()).toBe(STAGING);
    const message = git(f.remote, 'log', '-1', '--format=%B', 'main');
    expect(parsePromotionTrailers(message)).toEqual({ pipeline: 'apps', from: 'dev', to: 'staging', apps: ['frontend'], versions: ['frontend:ghcr.io/example/frontend:1.8.0'] });
    expect(git(f.remote, 'log', '-1', '--format=%an <%ae>|%cn', 'main').trim()).toBe('Pat Promoter <work@flotilla.invalid>|Pat Promoter');
    // The user's checkout is untouched: same HEAD, clean, and no worktree left behind.
    expect(git(f.work, 'rev-parse', 'HEAD').trim()).toBe(before);
    expect(git(f.work, 'status', '--porcelain')).toBe('');
    expect(git(f.work, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
    // Recorded in the store: the promotion row, and a promotion event in the app's history.
    expect(svc.history()[0]).toMatchObject({ id: out.record.id, result: 'pushed', commit: out.record.commit });
    const store = FleetStore.open(f.storeFile);
    expect(store.history('frontend-staging', { cluster: 'staging' })[0]!.events.map((e) => e.kind)).toEqual(['promotion']);
    store.close();
  });

  it('re-plans on the new tip and succeeds when another clone pushes first', async () => {
    const f = fleet();
    let colleagueCommit = '';
    const svc = await service(f, {
      beforePush: (attempt) => {
        if (attempt !== 1) return;
        const other = f.other();
        writeFileSync(path.join(other, 'README.md'), 'the colleague was here\n');
        colleagueCommit = commitAll(other, 'Colleague change');
        git(other, 'push', '-q', 'origin', 'main');
      },
    });
    const out = await svc.execute(frontendToStaging);
    expect(out.record).toMatchObject({ result: 'pushed', attempts: 2, baseRevision: colleagueCommit });
    expect(git(f.remote, 'rev-parse', 'main~1').trim()).toBe(colleagueCommit);
    expect(f.remoteFile('README.md')).toBe('the colleague was here\n');
    expect(f.remoteFile(STAGING)).toContain('newTag: "1.8.0" # set by the release train');
  });

  it('becomes a no-op when the colleague who pushed first promoted the same versions', async () => {
    const f = fleet();
    const svc = await service(f, {
      beforePush: (attempt) => {
        if (attempt !== 1) return;
        const other = f.other();
        const file = path.join(other, STAGING);
        writeFileSync(file, readFileSync(file, 'utf8').replace('"1.7.2"', '"1.8.0"'));
        commitAll(other, 'Promote frontend by hand');
        git(other, 'push', '-q', 'origin', 'main');
      },
    });
    const colleagueHead = async (): Promise<string> => f.remoteHead();
    const out = await svc.execute(frontendToStaging);
    expect(out.record.result).toBe('no-op');
    expect(git(f.remote, 'log', '-1', '--format=%s', 'main').trim()).toBe('Promote frontend by hand');
    expect(out.record.baseRevision).toBe(await colleagueHead());
  });

  it('does nothing the second time the same promotion runs', async () => {
    const f = fleet();
    const svc = await service(f);
    const first = await svc.execute(frontendToStaging);
    const second = await svc.execute(frontendToStaging);
    expect(first.record.result).toBe('pushed');
    expect(second.record).toMatchObject({ result: 'no-op', message: "staging already has dev's versions" });
    expect(f.remoteHead()).toBe(first.record.commit);
  });

  it('serialises concurrent promotions of one repository', async () => {
    const f = fleet();
    const svc = await service(f);
    const [a, b] = await Promise.all([svc.execute(frontendToStaging), svc.execute({ from: 'dev', to: 'staging', apps: ['worker'] })]);
    expect([a.record.result, b.record.result]).toEqual(['pushed', 'pushed']);
    expect([a.record.attempts, b.record.attempts]).toEqual([1, 1]);
    expect(b.record.baseRevision).toBe(a.record.commit);
    expect(git(f.remote, 'rev-list', '--count', 'main').trim()).toBe('4');
  });

  it('pushes to a new branch for review when the pipeline says so, leaving the branch itself alone', async () => {
    const f = fleet();
    const pipelineFile = path.join(f.work, 'pipeline.yaml');
    writeFileSync(pipelineFile, readFileSync(pipelineFile, 'utf8').replace('  promote:\n', '  git:\n    pushTo: review\n  promote:\n'));
    commitAll(f.work, 'Promotions go through review');
    git(f.work, 'push', '-q', 'origin', 'main');
    const main = f.remoteHead();
    const out = await (await service(f)).execute(frontendToStaging);
    expect(out.record).toMatchObject({ result: 'pushed', branch: 'flotilla/promote-staging-frontend-20261118t120000' });
    expect(f.remoteHead()).toBe(main);
    expect(git(f.remote, 'rev-parse', 'flotilla/promote-staging-frontend-20261118t120000').trim()).toBe(out.record.commit);
    expect(git(f.remote, 'rev-parse', `${out.record.commit}~1`).trim()).toBe(main);
  });

  it('gives up cleanly when the remote keeps moving, after a bounded number of attempts', async () => {
    const f = fleet();
    const other = f.other();
    let n = 0;
    const svc = await service(f, {
      maxAttempts: 2,
      beforePush: () => {
        writeFileSync(path.join(other, 'README.md'), `busy ${++n}\n`);
        commitAll(other, `Colleague change ${n}`);
        git(other, 'push', '-q', 'origin', 'main');
      },
    });
    const out = await svc.execute(frontendToStaging);
    expect(out.record).toMatchObject({ result: 'failed', attempts: 2, message: 'the remote kept moving: 2 attempts were rejected as non-fast-forward; nothing was pushed' });
    expect(git(f.remote, 'log', '--format=%s', '-3', 'main').trim().split('\n')).toEqual(['Colleague change 2', 'Colleague change 1', 'Comment the staging tag']);
  });

  it('blocks on a failing gate with its reason and pushes nothing', async () => {
    const f = fleet();
    const before = f.remoteHead();
    const svc = await service(f);
    const out = await svc.execute({ from: 'staging', to: 'prod', apps: ['api'] });
    expect(out.record.result).toBe('blocked');
    expect(out.blockers).toEqual([`gate approval: needs 1 signed approval(s) from platform-leads of plan ${out.plan.digest!.slice(0, 19)}; has 0. An approver signs this plan with flotilla approve`]);
    expect(f.remoteHead()).toBe(before);
    expect(f.remoteFile(PROD_API)).not.toContain('newTag: "2.4.0"');
    // Signed approvals unblocking it are tested with real keys in approvals.test.ts.
  });

  it('counts the soak only from when the source stage runs the versions being promoted', async () => {
    const f = fleet();
    const dev = path.join(f.work, 'apps/frontend/overlays/dev/kustomization.yaml');
    writeFileSync(dev, readFileSync(dev, 'utf8').replace('"1.8.0"', '"1.9.0"'));
    const bumped = commitAll(f.work, 'Bump frontend in dev');
    git(f.work, 'push', '-q', 'origin', 'main');
    const svc = await service(f);
    const blocked = await svc.execute(frontendToStaging);
    expect(blocked.record.result).toBe('blocked');
    expect(blocked.blockers).toEqual([`gate soak (frontend): frontend-dev on dev last ran ${git(f.work, 'rev-parse', 'HEAD~1').trim().slice(0, 7)}, which does not have the versions being promoted (ghcr.io/example/frontend:1.9.0): refresh after it syncs`]);
    // A refresh saw dev Synced and Healthy at the bump 20 minutes ago: longer than staging's 10 minute soak.
    const store = FleetStore.open(f.storeFile);
    const at = new Date(NOW - 20 * 60_000).toISOString();
    const seen = (into: FleetStore, t: string): void => void into.recordSnapshot({ takenAt: t, partial: true, appClusters: [{ environment: 'dev', status: { app: 'frontend-dev', cluster: 'dev', revision: bumped, sync: 'Synced', health: { status: 'Healthy', message: '' }, resources: [], observedAt: t } }] });
    seen(store, at);
    store.close();
    // Last read 20 minutes ago: too old to say anything about now.
    const stale = await svc.execute(frontendToStaging);
    expect(stale.record.result).toBe('blocked');
    expect(stale.blockers).toEqual(['gate soak (frontend): frontend-dev on dev last observed 20m ago, older than 5m: refresh first (flotilla refresh)']);
    const again = FleetStore.open(f.storeFile);
    seen(again, new Date(NOW - 30_000).toISOString());
    again.close();
    const out = await svc.execute(frontendToStaging);
    expect(out.record.result).toBe('pushed');
    expect(out.plan.gates.find((g) => g.gate === 'soak')!.reason).toBe('frontend-dev on dev Synced and Healthy for 20m (soak 10m; last observed 30s ago)');
  });

  it('rolls a promotion back through a revert commit that restores the previous files', async () => {
    const f = fleet();
    const original = f.remoteFile(STAGING);
    const svc = await service(f);
    const promoted = await svc.execute(frontendToStaging);
    const rolled = await svc.rollback(promoted.record.id);
    expect(rolled.record).toMatchObject({ result: 'pushed', rollbackOf: promoted.record.id });
    expect(f.remoteFile(STAGING)).toBe(original);
    expect(git(f.remote, 'rev-parse', 'main~1').trim()).toBe(promoted.record.commit);
    expect(parsePromotionTrailers(git(f.remote, 'log', '-1', '--format=%B', 'main'))).toMatchObject({ rollbackOf: String(promoted.record.id), apps: ['frontend'] });
    expect(svc.history().find((r) => r.id === promoted.record.id)!.rolledBackBy).toBe(rolled.record.id);
    await expect(svc.rollback(promoted.record.id)).rejects.toThrow(`promotion #${promoted.record.id} was already rolled back by #${rolled.record.id}`);
  });
});

describe('PromotionService bad input', () => {
  it('names an unknown stage and pushes nothing', async () => {
    const f = fleet();
    const before = f.remoteHead();
    const out = await (await service(f)).execute({ from: 'staging', to: 'qa', apps: 'all' });
    expect(out.record.result).toBe('failed');
    expect(out.blockers).toEqual(['pipeline.yaml:2: unknown stage "qa" in pipeline apps (stages: dev, staging, prod)']);
    expect(f.remoteHead()).toBe(before);
  });

  it('refuses an image the source stage does not have', async () => {
    const f = fleet();
    const out = await (await service(f)).execute({ ...frontendToStaging, images: ['ghcr.io/example/api'] });
    expect(out.record.result).toBe('failed');
    expect(out.blockers[0]).toContain("image ghcr.io/example/api is not in the source stage's images (ghcr.io/example/frontend)");
  });

  it('names file, line and column of a pipeline file that does not parse', async () => {
    const f = fleet();
    writeFileSync(path.join(f.work, 'pipeline.yaml'), readFileSync(path.join(f.work, 'pipeline.yaml'), 'utf8').replace('    - name: staging\n', '    - name: staging\n     from: [dev\n'));
    commitAll(f.work, 'Break the pipeline');
    await expect((await service(f)).plan(frontendToStaging)).rejects.toThrow(/pipeline\.yaml:\d+:\d+: YAML: /);
  });

  it('refuses when the promoted file has uncommitted changes in the checkout, and leaves them alone', async () => {
    const f = fleet();
    const before = f.remoteHead();
    const file = path.join(f.work, STAGING);
    const edited = readFileSync(file, 'utf8') + '# work in progress\n';
    writeFileSync(file, edited);
    const out = await (await service(f)).execute(frontendToStaging);
    expect(out.record.result).toBe('failed');
    expect(out.blockers[0]).toContain(`${STAGING} has uncommitted changes`);
    expect(f.remoteHead()).toBe(before);
    expect(readFileSync(file, 'utf8')).toBe(edited);
  });

  it('refuses when the local branch has unpushed commits that change the promoted file', async () => {
    const f = fleet();
    const file = path.join(f.work, STAGING);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"1.7.2"', '"1.7.3"'));
    commitAll(f.work, 'Local tag bump');
    const out = await (await service(f)).execute(frontendToStaging);
    expect(out.record.result).toBe('failed');
    expect(out.blockers[0]).toMatch(/^the local branch main has unpushed commits \([0-9a-f]+\) that change apps\/frontend\/overlays\/staging\/kustomization.yaml/);
  });

  it('stops cleanly when the remote rejects the push: clear error, nothing pushed, no commit or worktree left', async () => {
    const f = fleet();
    const before = f.remoteHead();
    const hook = path.join(f.remote, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "promotions are closed today" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const out = await (await service(f)).execute(frontendToStaging);
    expect(out.record.result).toBe('failed');
    expect(out.record.attempts).toBe(1);
    expect(out.blockers[0]).toContain('push to origin main failed; nothing was pushed');
    expect(out.blockers[0]).toContain('promotions are closed today');
    expect(f.remoteHead()).toBe(before);
    expect(git(f.work, 'rev-parse', 'HEAD').trim()).toBe(before);
    expect(git(f.work, 'branch', '--list').trim()).toBe('* main');
    expect(git(f.work, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(existsSync(path.join(f.work, '.git', 'flotilla-promotion.lock'))).toBe(false);
  });

  it('plans a repository without the remote on its local branch, says a remote is needed, and refuses to execute', async () => {
    const f = fleet();
    git(f.work, 'remote', 'remove', 'origin');
    const svc = await service(f);
    const planned = await svc.plan(frontendToStaging);
    expect(planned).toMatchObject({ remote: '', branch: 'main', base: git(f.work, 'rev-parse', 'HEAD').trim() });
    expect(planned.plan.apps[0]!.edits).toHaveLength(1);
    expect(planned.checkoutProblems).toEqual([`${git(f.work, 'rev-parse', '--show-toplevel').trim()} has no remote "origin": this plan shows its local branch main; promotions commit and push to a remote (add it with git remote add origin URL, or set spec.git.remote in the pipeline)`]);
    await expect(svc.execute(frontendToStaging)).rejects.toThrow('promotions push to the remote "origin", which');
  });

  it('needs the promoter git identity', async () => {
    const f = fleet();
    git(f.work, 'config', '--unset', 'user.name');
    const env = { ...process.env };
    process.env.HOME = path.dirname(f.storeFile);
    process.env.GIT_CONFIG_GLOBAL = path.join(path.dirname(f.storeFile), 'no-gitconfig');
    try {
      await expect((await service(f)).execute(frontendToStaging)).rejects.toThrow('promotions are committed with your git identity');
    } finally {
      process.env = env;
    }
  });
});
