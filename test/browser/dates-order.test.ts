// Dates in the user's locale with how long ago, environments in pipeline order wherever they are listed, and no empty
// parentheses: the example fleet with its clusters written prod, dev, staging in the fleet file, a real store, and a
// Chromium whose locale is German.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FleetStore } from '../../electron/store/fleet-store';
import { storeFile } from '../../electron/store/location';
import type { AppClusterStatus } from '../../shared/model/status';
import { checkAccessibility, shoot } from '../helpers/browser';
import { commitAll, git } from '../helpers/git-fixtures';
import { useServedUi } from '../helpers/served-ui';

const RECORDED = Date.now() - 12 * 60_000;

describe('dates, environment order and parentheses', () => {
  const ui = useServedUi({
    prepare: ({ repo, data }) => {
      // prod first, then dev, then staging: the pipeline (dev → staging → prod) decides the order shown.
      const file = path.join(repo, 'flotilla.yaml');
      const text = readFileSync(file, 'utf8');
      const start = text.indexOf('    - name: dev');
      const blocks = text.slice(start).split(/(?= {4}- name: )/);
      writeFileSync(file, text.slice(0, start) + [blocks[2], blocks[0], blocks[1]].join(''));
      commitAll(repo, 'Clusters in another order');
      const revision = git(repo, 'rev-parse', 'HEAD').trim();
      const status = (app: string, cluster: string, missing: boolean): AppClusterStatus => ({
        app, cluster, revision, version: '1.7.2', sync: missing ? 'OutOfSync' : 'Synced', health: { status: missing ? 'Missing' : 'Healthy', message: '' },
        resources: missing ? [{ group: '', kind: 'ConfigMap', namespace: 'frontend', name: 'frontend-settings', sync: 'OutOfSync', missing: true, changedPaths: [''] }] : [],
        observedAt: new Date(RECORDED).toISOString(),
      });
      const store = FleetStore.open(storeFile(data));
      try {
        store.recordSnapshot({
          takenAt: new Date(RECORDED).toISOString(),
          appClusters: [
            { status: status('frontend-prod', 'prod', true), environment: 'prod' },
            { status: status('frontend-dev', 'dev', false), environment: 'dev' },
            { status: status('frontend-staging', 'staging', false), environment: 'staging' },
          ],
        });
      } finally {
        store.close();
      }
    },
  });

  it('lists environments in pipeline order, dates in the locale with how long ago, and never an empty ()', async () => {
    const context = await ui.browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(ui.serve.url);
    const grid = page.getByRole('grid', { name: 'Apps by cluster' });
    await grid.waitFor();
    expect(await grid.getByRole('columnheader').allTextContents()).toEqual(['App', 'dev', 'staging', 'prod']);
    const recorded = page.getByLabel('Figures recorded');
    const shown = new Date(RECORDED).toLocaleString('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' });
    expect(await recorded.textContent()).toBe(`figures recorded 12 min ago (${shown})`);
    expect(await recorded.locator('time').getAttribute('datetime')).toBe(new Date(RECORDED).toISOString());
    expect(await page.getByLabel('From environment').locator('option').allTextContents()).toEqual(['dev', 'staging', 'prod']);

    await page.goto(`${ui.serve.url}#/reports`);
    const byEnv = page.getByRole('table', { name: 'Drift by environment' });
    await byEnv.waitFor();
    expect(await byEnv.getByRole('rowheader').allTextContents()).toEqual(['dev', 'staging', 'prod']);
    const entry = page.getByRole('region', { name: 'frontend-prod on prod' });
    expect(await entry.locator('p').first().textContent()).toBe('ConfigMap frontend-settings — missing');
    expect(await page.locator('main').textContent()).not.toContain('()');
    expect(await page.locator('main').textContent()).toContain(`from the snapshot recorded 12 min ago (${shown})`);
    await shoot(page, 'reports-locale-order');
    await checkAccessibility(page, 'Reports page in German');

    await page.goto(`${ui.serve.url}#/clusters`);
    const clusters = page.getByRole('table', { name: 'Clusters' });
    await clusters.waitFor({ timeout: 30_000 });
    expect(await clusters.getByRole('rowheader').allTextContents()).toEqual(['dev', 'staging', 'prod']);
    await context.close();
  });
});
