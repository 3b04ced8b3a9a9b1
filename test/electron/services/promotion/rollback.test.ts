import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PromotionService } from '../../../../electron/services/promotion/promotion-service';
import type { PromotionServiceOptions } from '../../../../electron/services/promotion/promotion-service';
import { parsePromotionTrailers } from '../../../../shared/promotion/commit-message';
import { commitAll, git, tempDir } from '../../../helpers/git-fixtures';
import type { Fleet } from './fleet-fixture';
import { promotionFleet } from './fleet-fixture';

// Rollback and promotion history on real git: a bare remote, clones, and the store's promotions keyed by repository.

const NOW = Date.parse('2026-11-18T12:00:00Z');
const fleet = (): Fleet => promotionFleet(NOW);
const service = (f: Fleet, dir = f.work, opts: Partial<PromotionServiceOptions> = {}): Promise<PromotionService> => PromotionService.open(dir, { storeFile: f.storeFile, now: () => NOW, ...opts });
const frontendToStaging = { from: 'dev', to: 'staging', apps: ['frontend'] } as const;

describe('rollback', () => {
  it('records and trails the versions now deployed (those it restores), not the ones it rolled back', async () => {
    const f = fleet();
    const svc = await service(f);
    const promoted = await svc.execute(frontendToStaging);
    expect(promoted.record.versions).toEqual(['frontend:ghcr.io/example/frontend:1.8.0']);
    const rolled = await svc.rollback(promoted.record.id);
    expect(rolled.record).toMatchObject({ result: 'pushed', rollbackOf: promoted.record.id, versions: ['frontend:ghcr.io/example/frontend:1.7.2'] });
    expect(parsePromotionTrailers(git(f.remote, 'log', '-1', '--format=%B', 'main'))).toMatchObject({ versions: ['frontend:ghcr.io/example/frontend:1.7.2'], rollbackOf: String(promoted.record.id) });
    expect(svc.history().find((r) => r.id === rolled.record.id)!.versions).toEqual(['frontend:ghcr.io/example/frontend:1.7.2']);
  });

  it('--dry-run plans only: the revert diff and the versions after it, nothing committed, pushed or recorded', async () => {
    const f = fleet();
    const svc = await service(f);
    const promoted = await svc.execute(frontendToStaging);
    const head = f.remoteHead();
    const plan = await svc.planRollback(promoted.record.id);
    expect(plan).toMatchObject({ remote: 'origin', branch: 'main', base: head, versions: ['frontend:ghcr.io/example/frontend:1.7.2'] });
    expect(plan.diff).toContain('-    newTag: "1.8.0" # set by the release train\n+    newTag: "1.7.2" # set by the release train');
    expect(f.remoteHead()).toBe(head);
    expect(svc.history().map((r) => r.id)).toEqual([promoted.record.id]);
    expect(git(f.work, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  it('re-plans on the fetched remote and retries when the push meets a locked ref, as the README promises', async () => {
    const f = fleet();
    const lock = path.join(f.remote, 'refs', 'heads', 'main.lock');
    let colleague = '';
    const svc = await service(f, f.work, {
      beforePush: (attempt) => {
        if (attempt === 1) {
          // Between plan and push the remote moves, and another push holds the branch's lock.
          const other = f.other();
          writeFileSync(path.join(other, 'README.md'), 'moved meanwhile\n');
          colleague = commitAll(other, 'Colleague change');
          git(other, 'push', '-q', 'origin', 'main');
          writeFileSync(lock, '');
        } else rmSync(lock, { force: true });
      },
    });
    const out = await svc.execute(frontendToStaging);
    expect(out.record).toMatchObject({ result: 'pushed', attempts: 2, baseRevision: colleague });
    expect(git(f.remote, 'rev-parse', 'main~1').trim()).toBe(colleague);
    expect(existsSync(lock)).toBe(false);
  });

  it('gives a clear problem, not "fatal: bad object", when the promoted commit is gone from the remote', async () => {
    const f = fleet();
    const before = f.remoteHead();
    const svc = await service(f);
    const promoted = await svc.execute(frontendToStaging);
    const c = promoted.record.commit!.slice(0, 7);
    // Someone force-pushes the promotion away.
    git(f.remote, 'update-ref', 'refs/heads/main', before);
    await expect(svc.rollback(promoted.record.id)).rejects.toThrow(`promotion #${promoted.record.id}'s commit ${c} is no longer on origin/main (at ${before.slice(0, 7)}): it was removed by a force-push, so there is nothing to revert`);
    // A colleague's fresh clone (same repository, same store) never had the commit at all.
    const t = tempDir('flotilla-fresh-clone-');
    try {
      const fresh = path.join(t.dir, 'clone');
      git(t.dir, 'clone', '-q', '--no-local', f.remote, fresh);
      git(fresh, 'config', 'user.name', 'Colleague');
      git(fresh, 'config', 'user.email', 'colleague@flotilla.invalid');
      const colleague = await service(f, fresh);
      expect(colleague.history().map((r) => r.id)).toContain(promoted.record.id);
      await expect(colleague.rollback(promoted.record.id)).rejects.toThrow(new RegExp(`promotion #${promoted.record.id}'s commit ${c} is not in .*, even after fetching origin/main: it was removed from the remote \\(force-push\\) or never reached it; there is nothing to revert`));
      await expect(colleague.planRollback(promoted.record.id)).rejects.toThrow(/is not in .* there is nothing to revert/);
    } finally {
      t.cleanup();
    }
  });
});

describe('promotion history belongs to the repository', () => {
  it("one repository never lists, nor rolls back, another repository's promotions", async () => {
    const f = fleet();
    const promoted = await (await service(f)).execute(frontendToStaging);
    const other = tempDir('flotilla-other-repo-');
    try {
      git(other.dir, 'init', '-q', '-b', 'main');
      git(other.dir, 'config', 'user.name', 'Other');
      git(other.dir, 'config', 'user.email', 'other@flotilla.invalid');
      writeFileSync(path.join(other.dir, 'README.md'), 'another team\n');
      commitAll(other.dir, 'Another repository');
      const svc = await PromotionService.open(other.dir, { storeFile: f.storeFile, now: () => NOW });
      expect(svc.history()).toEqual([]);
      await expect(svc.planRollback(promoted.record.id)).rejects.toThrow(/no Pipeline|no promotion #1 in this repository's history/);
    } finally {
      other.cleanup();
    }
    // The same repository opened from another clone sees it.
    expect((await service(f, f.other())).history().map((r) => r.id)).toEqual([promoted.record.id]);
  });
});
