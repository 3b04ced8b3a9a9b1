// The fleet grid tells an unreachable cluster apart: after a refresh that cannot reach any API server (every server of
// the kubeconfig is a loopback port nothing listens on), each cell says "unreachable" with the age of what it still
// shows, and each cluster's column header says unreachable.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FleetStore } from '../../electron/store/fleet-store';
import { storeFile } from '../../electron/store/location';
import { screenshotDir } from '../helpers/browser';
import { deadKubeconfig } from '../helpers/dead-clusters';
import { git } from '../helpers/git-fixtures';
import { useServedUi } from '../helpers/served-ui';

const ELEVEN_MINUTES = 11 * 60_000;

describe('the fleet grid with every cluster unreachable', () => {
  const ui = useServedUi({
    prepare: async ({ repo, data }) => {
      // What was last seen, 11 minutes ago, when prod could still be read.
      const at = new Date(Date.now() - ELEVEN_MINUTES).toISOString();
      const store = FleetStore.open(storeFile(data));
      const revision = git(repo, 'rev-parse', 'HEAD').trim();
      store.recordSnapshot({ takenAt: at, appClusters: [{ environment: 'prod', status: { app: 'frontend-prod', cluster: 'prod', revision, sync: 'Synced', health: { status: 'Healthy', message: '' }, resources: [], observedAt: at } }] });
      store.close();
      const kubeconfig = await deadKubeconfig(data);
      return { KUBECONFIG: kubeconfig };
    },
  });

  it('marks each cell unreachable with the age of its last observation, and each cluster header', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(ui.serve.url);
    const grid = page.getByRole('grid', { name: 'Apps by cluster' });
    await grid.waitFor();
    await page.getByRole('button', { name: 'Refresh from clusters' }).click();
    await expect.poll(() => grid.locator('.cell.unreachable').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    // Every cluster column says it could not be read.
    const headers = await grid.getByRole('columnheader').allTextContents();
    expect(headers).toEqual(['App', 'dev · unreachable', 'staging · unreachable', 'prod · unreachable']);
    // The prod cell of frontend still shows what was seen 11 minutes ago, dated, and marked unreachable.
    const frontendProd = grid.getByRole('button', { name: /^frontend-prod on prod: / });
    expect(await frontendProd.getAttribute('aria-label')).toMatch(/^frontend-prod on prod: cluster unreachable, last observed 11 min ago: Synced, Healthy/);
    expect(await frontendProd.textContent()).toContain('unreachable · seen 11 min ago');
    // What was last seen is shown muted and marked "last", never as the current status; the tooltip dates it.
    expect(await frontendProd.locator('.cell-status.stale').textContent()).toMatch(/^last.*Synced.*Healthy/);
    expect(await frontendProd.getAttribute('title')).toMatch(/showing what was last observed, 11 min ago$/m);
    // The summary counts no cell as Synced: none was read; every one is counted unreachable.
    const summary = page.getByRole('list', { name: 'Fleet summary' });
    const card = async (label: string): Promise<string | null> => summary.getByRole('listitem').filter({ hasText: new RegExp(`^\\d+${label}$`) }).locator('.value').textContent();
    const total = await card('App × clusters');
    expect(await card('Synced')).toBe('0');
    expect(await card('Unknown')).toBe('0');
    expect(await card('Unreachable')).toBe(total);
    // A cell never observed says so (not "Unknown" of a cluster that was read).
    const frontendDev = grid.getByRole('button', { name: /^frontend-dev on dev: / });
    expect(await frontendDev.textContent()).toContain('unreachable · never observed');
    expect(await frontendDev.getAttribute('title')).toMatch(/unreachable/);
    // Every cell of the grid is marked: no cluster was read.
    expect(await grid.locator('.cell.unreachable').count()).toBe(await grid.locator('.cell:not(.empty)').count());
    await page.screenshot({ path: path.join(screenshotDir, 'fleet-grid-unreachable.png'), fullPage: true });
  });
});
