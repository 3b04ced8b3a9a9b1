// The UI on a large synthetic fleet (300 apps × 3 environments × 2 clusters, statuses recorded in a real store):
// every page opens, the grid is virtualised, a filter narrows it, and the palette finds an app.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FleetStore } from '../../electron/store/fleet-store';
import { storeFile } from '../../electron/store/location';
import { syntheticStatuses, writeSyntheticFleet } from '../../bench/synthetic-fleet';
import { screenshotDir } from '../helpers/browser';
import { git, tempDir } from '../helpers/git-fixtures';
import { useServedUi } from '../helpers/served-ui';

const SIZE = { apps: 300, clustersPerEnv: 2 } as const;
const ui = useServedUi({
  repo: () => tempDir('flotilla-large-'),
  prepare: ({ repo, data }) => {
    writeSyntheticFleet(repo, SIZE);
    const store = FleetStore.open(storeFile(data));
    store.recordSnapshot({ appClusters: syntheticStatuses(SIZE, git(repo, 'rev-parse', 'HEAD').trim()) });
    store.close();
  },
});

describe('the UI on a large synthetic fleet', () => {
  it('shows the recorded grid virtualised, filters it, finds an app, and opens every page', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(ui.serve.url);
    const grid = page.getByRole('grid', { name: 'Apps by cluster' });
    await grid.getByRole('rowheader', { name: 'app-001' }).waitFor();
    expect(await grid.getAttribute('aria-rowcount')).toBe(String(SIZE.apps + 2));
    const inDom = await grid.getByRole('rowheader').count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(60); // only the rows in view (and a margin) are rendered
    expect(await page.getByText(`${SIZE.apps} of ${SIZE.apps} apps · 6 clusters`).count()).toBe(1);
    await page.screenshot({ path: path.join(screenshotDir, 'large-fleet-page.png') });

    // Keyboard: arrows move between cells; PageDown scrolls rows that were not rendered into view and focuses them.
    await page.getByRole('button', { name: /^app-001-dev-01 on dev-01/ }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(/^app-002-dev-02 on dev-02/);
    const active = (): Promise<string> => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    for (let i = 0; i < 12; i++) {
      const before = await active();
      await page.keyboard.press('PageDown');
      await expect.poll(active).not.toBe(before);
    }
    const focused = await active();
    expect(focused).toMatch(/^app-\d{3}-dev-02 on dev-02/);
    expect(Number(/^app-(\d{3})/.exec(focused)![1])).toBeGreaterThan(100);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: new RegExp(`${focused.split(' ')[0]} on dev-02`) }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Fleet', exact: true }).click();
    await grid.getByRole('rowheader').first().waitFor();

    await page.getByRole('searchbox', { name: 'Filter apps by name' }).fill('app-29');
    await expect.poll(() => grid.getByRole('rowheader').allTextContents()).toEqual(['app-290', 'app-291', 'app-292', 'app-293', 'app-294', 'app-295', 'app-296', 'app-297', 'app-298', 'app-299']);
    await page.getByRole('checkbox', { name: 'prod' }).check();
    expect(await grid.getByRole('columnheader').allTextContents()).toEqual(['Environment', 'prod', 'App', 'prod-01', 'prod-02']);

    await page.keyboard.press('Control+K');
    await page.getByRole('combobox', { name: /Find an app/ }).fill('app-150 staging-02');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /app-150-staging-02 on staging-02/ }).waitFor();

    for (const nav of ['Applications', 'ApplicationSets', 'Promotions', 'Reports', 'Clusters']) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: nav, exact: true }).click();
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.screenshot({ path: path.join(screenshotDir, `large-fleet-${nav.toLowerCase()}.png`) });
    }
    expect(errors).toEqual([]);
  });
});
