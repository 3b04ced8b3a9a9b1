// The desktop UI end to end, in Chromium against `flotilla serve`, on the example fleet deployed to the run's real
// API servers: every page opens (light and dark, checked by axe-core), a refresh reads the clusters, a filter narrows
// the grid, the palette finds an app, and the diff view shows a field another client changed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAccessibility, shoot } from '../helpers/browser';
import { commitAll } from '../helpers/git-fixtures';
import { kubeRequest } from '../helpers/kube-fleet';
import { cli } from '../helpers/run-cli';
import { findApp, openUi, useServedFleet } from '../helpers/served-ui';

/** `flotilla sync APP --cluster C`: the generated Application from Git to its cluster (CreateNamespace from its syncOptions). */
async function syncFromGit(app: string, cluster: string): Promise<void> {
  const dry = await cli(['sync', app, '--cluster', cluster, '--dry-run', '--repo', ui.repo, '--kubeconfig', ui.fleet.kubeconfig]);
  expect(dry.err).toBe('');
  expect(dry.out).toMatch(/Deployment .* created \(dry run\)/);
  const r = await cli(['sync', app, '--cluster', cluster, '--repo', ui.repo, '--kubeconfig', ui.fleet.kubeconfig]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const again = await cli(['sync', app, '--cluster', cluster, '--repo', ui.repo, '--kubeconfig', ui.fleet.kubeconfig]);
  expect(again.out).not.toMatch(/created|configured/); // re-applying what is there changes nothing
}

const ui = useServedFleet({
  prepare: async ({ repo }) => {
    commitAll(repo, 'Point the example fleet at the test clusters');
    await syncFromGit('frontend-dev', 'dev');
    await syncFromGit('api-dev', 'dev');
    // Another client scales frontend on dev: drift Flotilla must find and name.
    const scaled = await kubeRequest(ui.fleet, 'dev', 'PATCH', '/apis/apps/v1/namespaces/frontend/deployments/frontend', { spec: { replicas: 7 } }, { contentType: 'application/merge-patch+json' });
    expect(scaled.status).toBe(200);
  },
});

describe('the desktop UI on the example fleet and real clusters', () => {
  it('opens every page, refreshes, filters, finds an app, and shows the drifted field', async () => {
    const { page, errors } = await openUi(ui);
    const grid = page.getByRole('grid', { name: 'Apps by cluster' });
    await grid.waitFor();
    // Before any refresh the grid shows what Git generates, and says it was never refreshed.
    expect(await page.getByLabel('Figures recorded').textContent()).toContain('never refreshed');
    expect(await grid.getByRole('rowheader').allTextContents()).toEqual(['api', 'frontend', 'guestbook', 'hello', 'platform', 'status-page', 'worker']);
    await checkAccessibility(page, 'fleet page');

    await page.getByRole('button', { name: 'Refresh from clusters' }).click();
    const frontendDev = page.getByRole('button', { name: /^frontend-dev on dev: OutOfSync, Healthy|^frontend-dev on dev: OutOfSync/ });
    await frontendDev.waitFor({ timeout: 60_000 });
    expect(await page.getByRole('button', { name: /^api-dev on dev: Synced/ }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /^worker-prod on prod: OutOfSync/ }).count()).toBe(1); // never synced: missing
    expect(await page.getByLabel('Figures recorded').textContent()).toMatch(/figures recorded \d+ s ago/);
    await shoot(page, 'fleet-page');

    // After a refresh the grid stays live: another client's change reaches the page by watch, no click needed.
    const started = Date.now();
    const scaledApi = await kubeRequest(ui.fleet, 'dev', 'PATCH', '/apis/apps/v1/namespaces/api/deployments/api', { spec: { replicas: 4 } }, { contentType: 'application/merge-patch+json' });
    expect(scaledApi.status).toBe(200);
    await page.getByRole('button', { name: /^api-dev on dev: OutOfSync/ }).waitFor({ timeout: 15_000 });
    console.log(`a change in the cluster reached the UI in ${Date.now() - started} ms`);
    const back = Date.now();
    await kubeRequest(ui.fleet, 'dev', 'PATCH', '/apis/apps/v1/namespaces/api/deployments/api', { spec: { replicas: 1 } }, { contentType: 'application/merge-patch+json' });
    await page.getByRole('button', { name: /^api-dev on dev: Synced/ }).waitFor({ timeout: 15_000 });
    console.log(`the change back reached the UI in ${Date.now() - back} ms`);

    await page.getByRole('searchbox', { name: 'Filter apps by name' }).fill('front');
    await expect.poll(() => grid.getByRole('rowheader').allTextContents()).toEqual(['frontend']);
    await page.getByRole('checkbox', { name: 'OutOfSync' }).check();
    await page.getByRole('searchbox', { name: 'Filter apps by name' }).fill('');
    await expect.poll(() => grid.getByRole('rowheader').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'clear filters' }).click();

    await frontendDev.click();
    await page.getByRole('heading', { name: /frontend-dev on dev/ }).waitFor();
    // Which source type rendered the app's source, with which options.
    await expect.poll(async () => page.getByRole('region', { name: 'Sources' }).textContent()).toContain('kustomize at apps/frontend/overlays/dev');
    await page.getByRole('tab', { name: 'Diff' }).click();
    const diff = page.getByRole('table', { name: 'Deployment frontend: live and desired' });
    await diff.waitFor();
    const text = await diff.textContent();
    expect(text).toContain('replicas: 7');
    expect(text).toContain('replicas: 1');
    await shoot(page, 'app-page-diff');
    await checkAccessibility(page, 'app page (diff)');
    await page.getByRole('tab', { name: 'Resources' }).click();
    expect(await page.getByRole('list', { name: 'Resources' }).textContent()).toContain('Deployment');
    await page.getByRole('tab', { name: 'Manifests' }).click();
    await page.getByRole('searchbox', { name: 'Search the rendered manifests' }).fill('ConfigMap');
    expect(await page.getByLabel('Rendered manifests', { exact: true }).textContent()).toContain('kind: ConfigMap');
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByRole('list', { name: 'Timeline' }).waitFor();
    await shoot(page, 'app-page-history');

    // Sync from the UI: a dry run first shows what would change; nothing changes until confirmed.
    await findApp(page, 'worker dev', /worker-dev on dev/);
    await page.getByRole('button', { name: 'Sync…' }).click();
    const plan = page.getByRole('table', { name: 'Sync plan' });
    await plan.waitFor();
    expect(await plan.textContent()).toContain('created');
    expect(await plan.textContent()).not.toContain('failed');
    expect((await kubeRequest(ui.fleet, 'dev', 'GET', '/apis/apps/v1/namespaces/worker/deployments/worker')).status).toBe(404);
    await shoot(page, 'app-page-sync-plan');
    await page.getByRole('button', { name: 'Confirm sync to dev' }).click();
    await page.getByRole('table', { name: 'Sync result' }).waitFor();
    expect((await kubeRequest(ui.fleet, 'dev', 'GET', '/apis/apps/v1/namespaces/worker/deployments/worker')).status).toBe(200);
    // The page moves on its own (the sync re-records the app and pushes fleet:updated): Synced, without reopening.
    await expect.poll(() => page.getByRole('status', { name: 'Sync and health' }).textContent(), { timeout: 15_000 }).toMatch(/✓ Synced/);
    await shoot(page, 'app-page-after-sync');

    // The palette finds an app by keyboard.
    await findApp(page, 'api prod', /api-prod on prod/);

    for (const [nav, heading, file] of [
      ['Applications', 'Applications', 'applications-page'],
      ['ApplicationSets', 'ApplicationSets', 'applicationsets-page'],
      ['Promotions', /Promotions|Pipeline/, 'promotions-page'],
      ['Reports', 'Drift report', 'reports-page'],
      ['Clusters', 'Clusters', 'clusters-page'],
    ] as const) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: nav, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      if (nav === 'Reports') await page.getByRole('region', { name: 'frontend-dev on dev' }).waitFor();
      if (nav === 'Clusters') await expect.poll(() => page.getByRole('table', { name: 'Clusters' }).getByText('ready').count()).toBe(3);
      await shoot(page, file);
      await checkAccessibility(page, `${nav} page`);
    }
    // Relabel a cluster from the UI: the fleet file in the working tree changes, comments kept.
    await page.getByRole('combobox', { name: 'Name' }).fill('staging');
    await page.getByRole('textbox', { name: 'Labels' }).fill('region=eu-central-1, tier=non-prod');
    await page.getByRole('button', { name: 'Save to fleet file' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved staging' }).waitFor();
    const fleetFile = readFileSync(path.join(ui.repo, 'flotilla.yaml'), 'utf8');
    expect(fleetFile).toContain('region: eu-central-1');
    expect(fleetFile).toContain('# The fleet file: which clusters exist');
    expect(errors).toEqual([]);
  });
});
