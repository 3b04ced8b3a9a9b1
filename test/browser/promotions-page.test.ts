import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshotDir } from '../helpers/browser';
import { openUi, useServedUi } from '../helpers/served-ui';
import type { Fleet } from '../electron/services/promotion/fleet-fixture';
import { promotionFleet, STAGING } from '../electron/services/promotion/fleet-fixture';

describe('the promotions page in Chromium, served by flotilla serve on a clone of the example fleet with a remote', () => {
  let f: Fleet;
  const ui = useServedUi({
    repo: () => {
      f = promotionFleet(Date.now());
      return { dir: f.work, data: path.dirname(f.storeFile) };
    },
    // No kubeconfig reaches the example's clusters: the live comparison must say so, whatever else runs on this machine.
    prepare: ({ data }) => ({ KUBECONFIG: path.join(data, 'no-kubeconfig') }),
  });

  it('shows versions per stage with skew, plans with the rendered diff and gates, promotes on confirm, and rolls back', async () => {
    const { page, errors } = await openUi(ui, { viewport: { width: 1400, height: 1000 } });
    await page.getByRole('button', { name: 'Promotions' }).click();
    const table = page.getByRole('table', { name: 'Versions of pipeline apps' });
    await table.waitFor();
    expect(await table.getByLabel('frontend in dev').textContent()).toContain('ghcr.io/example/frontend:1.8.0');
    expect(await table.getByLabel('frontend in staging').getAttribute('data-skew')).toBe('true');
    expect(await table.getByLabel('api in staging').getAttribute('data-skew')).toBeNull();
    expect(await table.getByLabel('api in prod').getAttribute('data-skew')).toBe('true');

    await table.getByRole('button', { name: 'Promote frontend dev → staging' }).click();
    const dialog = page.getByRole('dialog', { name: 'Plan: frontend dev → staging' });
    const diff = dialog.getByLabel('Diff of apps/Deployment/frontend/frontend on staging');
    await diff.waitFor();
    expect(await diff.textContent()).toContain('+        image: ghcr.io/example/frontend:1.8.0');
    expect(await dialog.getByLabel(`Edit of ${STAGING}`).textContent()).toContain('+    newTag: "1.8.0" # set by the release train');
    expect(await dialog.getByRole('table', { name: 'Gates' }).textContent()).toContain('frontend-dev on dev Synced and Healthy for 2h');
    await page.screenshot({ path: path.join(screenshotDir, 'promotions-plan.png'), fullPage: true });
    // Against the live state: the example's clusters are not reachable from here, which the plan says per cluster.
    await dialog.getByRole('checkbox', { name: /Compare with the live state/ }).check();
    const live = dialog.getByLabel('Live state of frontend-staging on staging');
    await live.waitFor({ timeout: 30_000 });
    expect(await live.textContent()).toMatch(/Against the live state of frontend-staging on staging: not compared \(cluster staging is (unreachable|forbidden)/);
    const before = f.remoteHead();
    await dialog.getByRole('button', { name: 'Confirm promotion' }).click();

    const history = page.getByRole('table', { name: 'Promotion history' });
    await history.waitFor();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 60_000 }).toContain('Promotion #1 pushed');
    expect(f.remoteHead()).not.toBe(before);
    expect(f.remoteFile(STAGING)).toContain('newTag: "1.8.0" # set by the release train');
    expect(await history.getByRole('row').nth(1).textContent()).toContain('Pat Promoter <work@flotilla.invalid>');

    await history.getByRole('button', { name: 'Roll back #1' }).click();
    // The rollback opens its plan first: the revert's diff and what staging runs after it.
    const rollback = page.getByRole('dialog', { name: 'Rollback of promotion #1' });
    await expect.poll(() => rollback.getByLabel('Revert of promotion #1').textContent(), { timeout: 30_000 }).toContain('+    newTag: "1.7.2" # set by the release train');
    expect(await rollback.textContent()).toContain('staging would run: frontend:ghcr.io/example/frontend:1.7.2');
    await rollback.getByRole('button', { name: 'Confirm rollback of #1' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 60_000 }).toContain('Promotion #2 pushed');
    expect(f.remoteFile(STAGING)).toContain('newTag: "1.7.2" # set by the release train');
    await expect.poll(() => history.textContent(), { timeout: 30_000 }).toContain('(rolled back by #2)');
    await page.screenshot({ path: path.join(screenshotDir, 'promotions-history.png'), fullPage: true });

    // Every app of a stage at once: one plan with a section per app that moves, then cancelled.
    await table.getByRole('button', { name: 'Promote all dev → staging' }).click();
    const all = page.getByRole('dialog', { name: 'Plan: all apps dev → staging' });
    await all.getByLabel('Diff of apps/Deployment/worker/worker on staging').waitFor();
    expect(await all.getByRole('heading', { level: 3, name: 'frontend', exact: true }).count()).toBe(1);
    expect(await all.getByRole('heading', { level: 3, name: 'api', exact: true }).count()).toBe(1);
    await all.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 180_000);
});
