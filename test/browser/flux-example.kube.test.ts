// The fleet grid on fluxcd/flux2-kustomize-helm-example, in Chromium against `flotilla serve`, on the run's real
// clusters (staging and production, as the example names them): each Kustomization is one row across both clusters,
// production's hand-edited HelmRelease makes its cell OutOfSync with Flux's own word beside it, and the HelmReleases
// whose charts are on the network show as not compared rather than in sync. Its own namespaces (the Kustomizations'
// and podinfo's) keep it apart from the other tests on the shared clusters.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/model/status';
import { checkAccessibility, shoot } from '../helpers/browser';
import { FLUX_CRDS, installControllerCrds } from '../helpers/controller-crds';
import { FLUX_EXAMPLE_CLUSTERS, applyAs, fluxExampleFleetFile, fluxExampleRepo, reconcileApps } from '../helpers/flux-example';
import { commitAll, writeFiles } from '../helpers/git-fixtures';
import { freshNamespace } from '../helpers/kube-fleet';
import { cli } from '../helpers/run-cli';
import { openUi, useServedFleet } from '../helpers/served-ui';

const podinfo = freshNamespace('podinfo');
const flux = freshNamespace('flux');
let head = '';

const ui = useServedFleet({
  repo: () => fluxExampleRepo({ podinfoNamespace: podinfo, fluxNamespace: flux }),
  prepare: async ({ repo, data, fleet }) => {
    writeFiles(repo, { 'flotilla.yaml': fluxExampleFleetFile(fleet) });
    head = commitAll(repo, 'the fleet file: staging and production on the test clusters');
    for (const [name, on] of Object.entries(FLUX_EXAMPLE_CLUSTERS)) {
      await installControllerCrds(fleet, on, FLUX_CRDS);
      const rendered = await cli(['render', '--app', `${flux}/apps@${name}`, '--repo', repo]);
      expect(rendered.code, rendered.err).toBe(0);
      const objects = parseAllDocuments(rendered.out).map((d) => d.toJS() as KubeObject);
      const ks = parseAllDocuments(readFileSync(path.join(repo, 'clusters', name, 'apps.yaml'), 'utf8'))[0]!.toJS() as KubeObject;
      await reconcileApps(fleet, on, objects, ks, `main@sha1:${head}`);
    }
    await applyAs(fleet, FLUX_EXAMPLE_CLUSTERS.production, { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'podinfo', namespace: podinfo }, spec: { values: { redis: { tag: '7.2.4' } } } } as KubeObject, 'kubectl-edit');
    const refreshed = await cli(['refresh', '--repo', repo, '--data-dir', data, '--kubeconfig', fleet.kubeconfig]);
    expect(refreshed.err).not.toMatch(/unreachable/);
  },
});

describe('the fleet grid on flux2-kustomize-helm-example', () => {
  it('shows each Flux Kustomization as one row across staging and production, with Flux beside Flotilla', async () => {
    const { page, errors } = await openUi(ui);
    const grid = page.getByRole('grid', { name: 'Apps by cluster' });
    await grid.waitFor();
    expect(await grid.getByRole('columnheader').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('staging'), expect.stringContaining('production')]));
    const rows = await grid.getByRole('rowheader').allTextContents();
    for (const r of [`${flux}/apps`, `${flux}/infra-controllers`, `${flux}/infra-configs`, `${podinfo}/podinfo`, 'cert-manager/cert-manager', 'ingress-nginx/ingress-nginx']) expect(rows.some((t) => t.startsWith(r)), `${r} in ${rows.join(', ')}`).toBe(true);
    expect(rows.filter((t) => t.startsWith(`${flux}/apps`))).toHaveLength(1);

    const short = head.slice(0, 7);
    const staging = grid.getByRole('button', { name: new RegExp(`^${flux}/apps@staging on staging: Synced, `) });
    await staging.waitFor();
    expect(await staging.textContent()).toContain('Flux ✓');
    const production = grid.getByRole('button', { name: new RegExp(`^${flux}/apps@production on production: OutOfSync \\(1\\), `) });
    expect(await production.textContent()).toContain('Flux ≠');
    expect(await production.getAttribute('aria-label')).toMatch(new RegExp(`; Flux says Ready \\(ReconciliationSucceeded\\) at main@sha1:${short}; Flotilla sees 1 object differing$`));
    // A HelmRelease whose chart is on the network is not compared: Unknown, with the reason, never Synced.
    const chart = grid.getByRole('button', { name: new RegExp(`^${podinfo}/podinfo@production on production: Unknown`) });
    expect(await chart.count()).toBe(1);
    await shoot(page, 'fleet-grid-flux2-example');
    await checkAccessibility(page, 'fleet grid on flux2-kustomize-helm-example');

    await production.click();
    await page.getByRole('note', { name: "The controller's own view" }).waitFor();
    expect(await page.getByRole('note', { name: "The controller's own view" }).textContent()).toContain(`Kustomization ${flux}/apps on production`);
    // Where the app comes from: the Flux object and its path (a Flux app has no Argo CD source path).
    expect(await page.getByLabel('Origin').textContent()).toContain(`Flux Kustomization ${flux}/apps at ./apps/production`);
    await checkAccessibility(page, 'app page of a Flux Kustomization');
    await shoot(page, 'app-page-flux2-example');
    expect(errors).toEqual([]);
  });
});
