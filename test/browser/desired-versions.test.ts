// The grid's versions come from Git before any cluster is read, and where a refresh saw the cluster run something
// else, the cell says so. Served by `flotilla serve` on a git copy of the example fleet; the second part reads a real
// SQLite store holding what a refresh recorded.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FleetStore } from '../../electron/store/fleet-store';
import { storeFile } from '../../electron/store/location';
import type { AppClusterStatus } from '../../shared/model/status';
import { checkAccessibility, shoot } from '../helpers/browser';
import { git } from '../helpers/git-fixtures';
import { useServedUi } from '../helpers/served-ui';

const cellLabel = (page: Page, app: string, cluster: string) =>
  page.getByRole('grid', { name: 'Apps by cluster' }).getByRole('button', { name: new RegExp(`^${app} on ${cluster}:`) }).getAttribute('aria-label');

describe('versions from Git, before any cluster is read', () => {
  const ui = useServedUi();

  it('shows each app × cluster the version its overlay sets, and the skew between environments', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1400, height: 1100 } });
    await page.goto(ui.serve.url);
    await page.getByRole('grid', { name: 'Apps by cluster' }).waitFor();
    expect(await page.getByLabel('Figures recorded').textContent()).toContain('never refreshed');
    await expect.poll(() => cellLabel(page, 'frontend-dev', 'dev')).toContain(': Unknown, Unknown, 1.8.0 (version in Git)');
    expect(await cellLabel(page, 'frontend-staging', 'staging')).toContain(': Unknown, Unknown, 1.7.2 (version in Git)');
    expect(await cellLabel(page, 'api-prod', 'prod')).toContain(': Unknown, Unknown, 2.3.1 (version in Git)');
    const skew = page.getByRole('region', { name: 'Version skew' });
    await expect.poll(() => skew.textContent()).toContain('(versions from Git at HEAD)');
    // staging → prod by default: api runs 2.4.0 in staging and 2.3.1 in prod.
    const table = page.getByRole('table', { name: 'Version skew from staging to prod' });
    expect(await table.getByRole('row', { name: /^api / }).textContent()).toBe('api2.4.02.3.1');
    await page.getByLabel('From environment').selectOption('dev');
    await page.getByLabel('To environment').selectOption('staging');
    const devStaging = page.getByRole('table', { name: 'Version skew from dev to staging' });
    expect(await devStaging.getByRole('row', { name: /^frontend / }).textContent()).toBe('frontend1.8.01.7.2');
    expect(await devStaging.getByRole('row', { name: /^worker / }).textContent()).toBe('worker0.9.30.9.1');
    expect(await devStaging.getByRole('row', { name: /^api / }).count()).toBe(0);
    await shoot(page, 'desired-versions-unrefreshed');
    await checkAccessibility(page, 'fleet page with versions from Git');
  });
});

describe('what the cluster runs beside what Git says, after a refresh', () => {
  const ui = useServedUi({
    prepare: ({ repo, data }) => {
      const revision = git(repo, 'rev-parse', 'HEAD').trim();
      const observed = (app: string, cluster: string, version: string, runningVersion: string): AppClusterStatus => ({
        app, cluster, revision, version, runningVersion, sync: version === runningVersion ? 'Synced' : 'OutOfSync',
        health: { status: 'Healthy', message: '' }, resources: [], observedAt: new Date().toISOString(),
      });
      const store = FleetStore.open(storeFile(data));
      try {
        store.recordSnapshot({
          appClusters: [
            { status: observed('frontend-staging', 'staging', '1.7.2', '1.7.1'), environment: 'staging' },
            { status: observed('frontend-prod', 'prod', '1.7.2', '1.7.2'), environment: 'prod' },
          ],
        });
      } finally {
        store.close();
      }
    },
  });

  it('marks a cell where the live images differ from Git, and only there', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(ui.serve.url);
    await page.getByRole('grid', { name: 'Apps by cluster' }).waitFor();
    // The validation findings' count joins the name when the fleet's validation arrives (before or after the
    // versions: it runs in the background); this test is about the versions, so either is accepted.
    await expect.poll(() => cellLabel(page, 'frontend-staging', 'staging')).toMatch(/^frontend-staging on staging: OutOfSync, Healthy, 1\.7\.2, runs 1\.7\.1 \(Git says 1\.7\.2; the cluster ran 1\.7\.1 at the last refresh\),( \d+ findings?,)? unsigned$/);
    expect(await cellLabel(page, 'frontend-prod', 'prod')).toMatch(/^frontend-prod on prod: Synced, Healthy, 1\.7\.2 \(version in Git, running\),( \d+ findings?,)? unsigned$/);
    const marked = page.locator('.cell-version.version-differs');
    expect(await marked.count()).toBe(1);
    expect(await marked.textContent()).toBe('1.7.2, runs 1.7.1');
    await shoot(page, 'desired-versions-running-differs');
    await checkAccessibility(page, 'fleet page with a running version that differs');
  });
});
