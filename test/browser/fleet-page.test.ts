import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshotDir } from '../helpers/browser';
import { git } from '../helpers/git-fixtures';
import { useServedUi } from '../helpers/served-ui';

describe('the fleet page in Chromium, served by flotilla serve on the example fleet', () => {
  const ui = useServedUi();

  it('opens on the grid of the apps Git generates, before any cluster is read', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(ui.serve.url);
    const grid = page.getByRole('grid', { name: 'Apps by cluster' });
    await grid.waitFor();
    expect(await grid.getByRole('rowheader').allTextContents()).toEqual(['api', 'frontend', 'platform', 'worker']);
    expect(await grid.getByRole('columnheader').allTextContents()).toEqual(['Environment', 'dev', 'staging', 'prod', 'App', 'dev', 'staging', 'prod']);
    expect(await page.getByLabel('Figures recorded').textContent()).toContain('never refreshed');
    await page.screenshot({ path: path.join(screenshotDir, 'fleet-page-unrefreshed.png'), fullPage: true });
  });

  it('shows the ApplicationSets, their apps and the HEAD revision on the Applications page', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.goto(ui.serve.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Applications', exact: true }).click();
    await page.getByRole('table', { name: 'Applications of apps' }).waitFor();
    const apps = page.getByRole('table', { name: 'Applications of apps' }).getByRole('row');
    expect(await apps.count()).toBe(10); // header + 9 apps
    await expect.poll(() => page.getByRole('rowheader', { name: 'frontend-prod' }).count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Applications of platform' }).getByRole('row').count()).toBe(4);
    const short = git(ui.repo, 'rev-parse', '--short=7', 'HEAD').trim();
    expect(await page.getByLabel('Revision').textContent()).toContain(short);
    await page.screenshot({ path: path.join(screenshotDir, 'applications-page-offline.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
