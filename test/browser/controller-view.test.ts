// The controllers' own view in the UI: a snapshot recorded with Argo CD's and Flux's word on two apps (Argo CD says
// Synced where Flotilla saw a ConfigMap differ; Flux says Ready where Flotilla saw it in sync). The grid tags each cell
// with the controller and whether they agree, the tooltip and the app page say both verdicts in one sentence.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FleetStore } from '../../electron/store/fleet-store';
import { storeFile } from '../../electron/store/location';
import { checkAccessibility, screenshotDir } from '../helpers/browser';
import { git } from '../helpers/git-fixtures';
import { useServedUi } from '../helpers/served-ui';

let head = '';

describe("the controllers' own view beside Flotilla's", () => {
  const ui = useServedUi({
    prepare: ({ repo, data }) => {
      const at = new Date(Date.now() - 60_000).toISOString();
      head = git(repo, 'rev-parse', 'HEAD').trim();
      const store = FleetStore.open(storeFile(data));
      const drifted = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'frontend', name: 'frontend-config', sync: 'OutOfSync' as const, changedPaths: ['/data/LOG'] };
      store.recordSnapshot({
        takenAt: at,
        appClusters: [
          {
            environment: 'dev',
            status: {
              app: 'frontend-dev', cluster: 'dev', revision: head, sync: 'OutOfSync', health: { status: 'Healthy', message: '' }, resources: [drifted], observedAt: at,
              controller: { controller: 'Argo CD', kind: 'Application', cluster: 'dev', namespace: 'argocd', name: 'frontend-dev', sync: 'Synced', health: 'Healthy', revision: head, operation: { phase: 'Succeeded', revision: head } },
            },
          },
          {
            environment: 'dev',
            status: {
              app: 'status-page', cluster: 'dev', revision: head, sync: 'Synced', health: { status: 'Healthy', message: '' }, resources: [], observedAt: at,
              controller: { controller: 'Flux', kind: 'Kustomization', cluster: 'dev', namespace: 'flux-system', name: 'status-page', ready: { status: 'True', reason: 'ReconciliationSucceeded' }, revision: `main@sha1:${head}`, lastAttemptedRevision: `main@sha1:${head}`, inventory: 4 },
            },
          },
        ],
      });
      store.close();
    },
  });

  it('tags the grid cells and says both verdicts on the app page', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(ui.serve.url);
    const grid = page.getByRole('grid', { name: 'Apps by cluster' });
    await grid.waitFor();
    const short = head.slice(0, 7);
    const frontend = grid.getByRole('button', { name: /^frontend-dev on dev: / });
    await expect.poll(() => frontend.textContent()).toContain('Argo CD ≠');
    // Flotilla's own words first (sync, health, version), then the controller's beside them.
    const label = await frontend.getAttribute('aria-label');
    expect(label).toMatch(/^frontend-dev on dev: OutOfSync \(1\), Healthy, /);
    expect(label).toMatch(new RegExp(`; Argo CD says Synced, Healthy at ${short}; Flotilla sees 1 object differing$`));
    const status = grid.getByRole('button', { name: /^status-page on dev: / });
    expect(await status.textContent()).toContain('Flux ✓');
    expect(await status.getAttribute('title')).toContain(`Flux says Ready (ReconciliationSucceeded) at main@sha1:${short}; Flotilla sees it in sync`);
    // A cell no controller speaks for has no tag.
    expect(await grid.getByRole('button', { name: /^frontend-staging on staging: / }).locator('.controller-tag').count()).toBe(0);
    // The tag is the visual summary of what each cell's accessible name says in full (axe label-content-name-mismatch).
    await checkAccessibility(page, 'fleet grid with the controllers\' tags');
    await page.screenshot({ path: path.join(screenshotDir, 'fleet-grid-controllers.png'), fullPage: true });

    await frontend.click();
    const note = page.getByRole('note', { name: "The controller's own view" });
    await note.waitFor();
    expect(await note.textContent()).toContain(`Argo CD says Synced, Healthy at ${short}; Flotilla sees 1 object differing`);
    expect(await note.textContent()).toContain('Application argocd/frontend-dev on dev');
    expect(await note.textContent()).toContain('they disagree');
    await checkAccessibility(page, 'app page with the controller view');
    await page.screenshot({ path: path.join(screenshotDir, 'app-page-controller.png'), fullPage: true });
  });
});
