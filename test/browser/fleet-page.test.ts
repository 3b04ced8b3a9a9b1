import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotDir } from '../helpers/browser';
import { exampleRepo, git, tempDir } from '../helpers/git-fixtures';
import type { ServeProcess } from '../helpers/serve';
import { startServe } from '../helpers/serve';

describe('the fleet page in Chromium, served by flotilla serve on the example fleet', () => {
  let repo: { dir: string; cleanup: () => void };
  let data: { dir: string; cleanup: () => void };
  let serve: ServeProcess;
  let browser: Browser;

  beforeAll(async () => {
    repo = exampleRepo();
    data = tempDir();
    serve = await startServe(repo.dir, data.dir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    repo.cleanup();
    data.cleanup();
  });

  it('opens on the grid of the apps Git generates, before any cluster is read', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(serve.url);
    const grid = page.getByRole('grid', { name: 'Apps by cluster' });
    await grid.waitFor();
    expect(await grid.getByRole('rowheader').allTextContents()).toEqual(['api', 'frontend', 'platform', 'worker']);
    expect(await grid.getByRole('columnheader').allTextContents()).toEqual(['Environment', 'dev', 'staging', 'prod', 'App', 'dev', 'staging', 'prod']);
    expect(await page.getByLabel('Figures recorded').textContent()).toContain('never refreshed');
    await page.screenshot({ path: path.join(screenshotDir, 'fleet-page-unrefreshed.png'), fullPage: true });
  });

  it('shows the ApplicationSets, their apps and the HEAD revision on the Applications page', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.goto(serve.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Applications', exact: true }).click();
    await page.getByRole('table', { name: 'Applications of apps' }).waitFor();
    const apps = page.getByRole('table', { name: 'Applications of apps' }).getByRole('row');
    expect(await apps.count()).toBe(10); // header + 9 apps
    await expect.poll(() => page.getByRole('rowheader', { name: 'frontend-prod' }).count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Applications of platform' }).getByRole('row').count()).toBe(4);
    const short = git(repo.dir, 'rev-parse', '--short=7', 'HEAD').trim();
    expect(await page.getByLabel('Revision').textContent()).toContain(short);
    await page.screenshot({ path: path.join(screenshotDir, 'applications-page-offline.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
