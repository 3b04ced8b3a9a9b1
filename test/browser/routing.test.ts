import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshotDir } from '../helpers/browser';
import { useServedUi } from '../helpers/served-ui';

describe('routing in Chromium: every place has a URL, Back/Forward and reload work', () => {
  const ui = useServedUi();

  it('opens a deep link to an app tab, keeps it across a reload, and Back returns to the previous page', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${ui.serve.url}#/apps/frontend-dev/dev/Manifests`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('frontend-dev');
    expect(await page.getByRole('tab', { name: 'Manifests' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByRole('tabpanel', { name: 'Manifests' }).textContent()).toContain('kind: Deployment');
    await page.screenshot({ path: path.join(screenshotDir, 'routing-deep-link-app-tab.png'), fullPage: true });

    // A tab switch names itself in the URL without adding a history entry.
    await page.getByRole('tab', { name: 'Diff' }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/apps/frontend-dev/dev/Diff');
    await page.reload();
    await expect.poll(async () => page.getByRole('tab', { name: 'Diff' }).getAttribute('aria-selected')).toBe('true');

    // From the app page to Clusters and back.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Clusters' }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/clusters');
    await page.goBack();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/apps/frontend-dev/dev/Diff');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('frontend-dev');
    await page.goForward();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/clusters');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent()).toMatch(/Clusters/);
    expect(errors).toEqual([]);
  });

  it('the palette and the grid move by URL, and Back from the first page stays in Flotilla', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(ui.serve.url);
    await page.getByRole('grid', { name: 'Apps by cluster' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/fleet');
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Find an app, cluster, ApplicationSet or action' }).fill('appset apps.yaml');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).hash).toBe('#/applicationsets/appsets/apps.yaml');
    await expect.poll(() => page.getByRole('tab', { name: 'appsets/apps.yaml' }).getAttribute('aria-selected')).toBe('true');
    await page.goBack();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/fleet');
    await page.getByRole('grid', { name: 'Apps by cluster' }).waitFor();
    // An unknown place leaves the UI where it was instead of a blank page.
    await page.goto(`${ui.serve.url}#/nowhere`);
    await page.getByRole('grid', { name: 'Apps by cluster' }).waitFor();
  });
});
