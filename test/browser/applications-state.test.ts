// The Applications page shows each app's recorded sync and health, and the summary cards count Missing and
// Progressing (there and on the Fleet page); a fleet whose clusters are named like their environments gets one grid
// header row. Served by `flotilla serve` on a git copy of the example fleet with a real SQLite store.
import { describe, expect, it } from 'vitest';
import { FleetStore } from '../../electron/store/fleet-store';
import { storeFile } from '../../electron/store/location';
import type { AppClusterStatus, HealthStatus, SyncStatus } from '../../shared/model/status';
import { checkAccessibility, shoot } from '../helpers/browser';
import { git } from '../helpers/git-fixtures';
import { useServedUi } from '../helpers/served-ui';

describe('sync and health on the Applications page, Missing and Progressing counted', () => {
  const ui = useServedUi({
    prepare: ({ repo, data }) => {
      const revision = git(repo, 'rev-parse', 'HEAD').trim();
      const observed = (app: string, cluster: string, sync: SyncStatus, health: HealthStatus, message = ''): { status: AppClusterStatus; environment: string } => ({
        status: { app, cluster, revision, version: '1.7.2', sync, health: { status: health, message }, resources: [], observedAt: new Date(Date.now() - 5 * 60_000).toISOString() },
        environment: cluster,
      });
      const store = FleetStore.open(storeFile(data));
      try {
        store.recordSnapshot({
          appClusters: [
            observed('frontend-staging', 'staging', 'OutOfSync', 'Healthy'),
            observed('frontend-prod', 'prod', 'Synced', 'Progressing', 'Waiting to Autoscale'),
            observed('api-prod', 'prod', 'OutOfSync', 'Missing'),
            observed('api-dev', 'dev', 'Synced', 'Healthy'),
          ],
        });
      } finally {
        store.close();
      }
    },
  });

  it('lists each app with the sync and health last recorded, and cards for OutOfSync, Progressing, Missing and Degraded', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1500, height: 1200 } });
    await page.goto(`${ui.serve.url}#/applications`);
    const table = page.getByRole('table', { name: 'Applications of apps' });
    await table.waitFor();
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Application', 'Sync', 'Health', 'Project', 'Destination', 'Namespace', 'Source path', 'Revision']);
    const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    await expect.poll(() => row('frontend-prod').getByRole('cell').nth(1).textContent()).toBe('◔ Progressing');
    expect(await row('frontend-prod').getByRole('cell').nth(0).textContent()).toBe('✓ Synced');
    expect(await row('api-prod').getByRole('cell').nth(1).textContent()).toBe('? Missing');
    expect(await row('frontend-staging').getByRole('cell').nth(0).textContent()).toBe('≠ OutOfSync');
    expect(await row('worker-dev').getByRole('cell').nth(0).textContent()).toBe('not refreshed');
    const cards = page.getByRole('list', { name: 'Repository summary' });
    const card = async (label: string): Promise<string | null> => cards.getByRole('listitem').filter({ hasText: new RegExp(`^\\d+${label}$`) }).locator('.value').textContent();
    expect(await card('OutOfSync')).toBe('2');
    expect(await card('Progressing')).toBe('1');
    expect(await card('Missing')).toBe('1');
    expect(await card('Degraded')).toBe('0');
    await shoot(page, 'applications-page-state');
    await checkAccessibility(page, 'Applications page with sync and health');
  });

  it('counts Progressing and Missing on the Fleet page, under one header row for clusters named like their environments', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1500, height: 1000 } });
    await page.goto(`${ui.serve.url}#/fleet`);
    const grid = page.getByRole('grid', { name: 'Apps by cluster' });
    await grid.waitFor();
    expect(await grid.getByRole('columnheader').allTextContents()).toEqual(['App', 'dev', 'staging', 'prod']);
    expect(await grid.getAttribute('aria-rowcount')).toBe('8'); // one header row + 7 apps
    const cards = page.getByRole('list', { name: 'Fleet summary' });
    const card = async (label: string): Promise<string | null> => cards.getByRole('listitem').filter({ hasText: new RegExp(`^\\d+${label}$`) }).locator('.value').textContent();
    expect(await card('Progressing')).toBe('1');
    expect(await card('Missing')).toBe('1');
    await shoot(page, 'fleet-page-one-header-row');
    await checkAccessibility(page, 'Fleet page with one header row');
  });
});
