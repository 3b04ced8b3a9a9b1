// The app page's Sync in Chromium against `flotilla serve`, with the fleet reaching staging as the restricted user:
// Sync and Prune are disabled with the reason the API server gives (the verb and resource missing), while on dev (the
// admin) they are offered; the page lists who may sync the app by the example fleet's argocd-rbac-cm.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAccessibility, shoot } from '../helpers/browser';
import { commitAll } from '../helpers/git-fixtures';
import { createNamespace, freshNamespace, kubeRequest } from '../helpers/kube-fleet';
import { findApp, openApp, useServedFleet } from '../helpers/served-ui';

const ns = freshNamespace('rbac-ui');

const ui = useServedFleet({
  prepare: async ({ repo, fleet }) => {
    const staging = fleet.clusters.find((c) => c.name === 'staging')!;
    const fleetFile = path.join(repo, 'flotilla.yaml');
    writeFileSync(fleetFile, readFileSync(fleetFile, 'utf8').replace(`context: ${staging.context}\n`, `context: ${staging.restrictedContext}\n`));
    const overlay = path.join(repo, 'apps/api/overlays/staging/kustomization.yaml');
    writeFileSync(overlay, readFileSync(overlay, 'utf8').replace('namespace: api', `namespace: ${ns}`));
    commitAll(repo, 'Staging as the restricted user');
    await createNamespace(fleet, 'staging', ns);
  },
});

describe('Sync on the app page, by what the cluster says you may do', () => {
  it('disables Sync and Prune with the missing verb for the restricted user, offers them to the admin, and lists who may sync', async () => {
    const { page, errors } = await openApp(ui, 'api staging', /api-staging on staging/);

    const why = page.getByRole('note', { name: 'Why Sync is disabled' });
    await why.waitFor({ timeout: 30_000 });
    expect(await why.textContent()).toBe(`Sync is disabled: you may not get configmaps in namespace ${ns} on staging (and 11 more: create configmaps, patch configmaps, get services, …)`);
    const syncButton = page.getByRole('button', { name: 'Sync…' });
    expect(await syncButton.isDisabled()).toBe(true);
    expect(await syncButton.getAttribute('aria-describedby')).toBe('sync-denied');
    expect(await page.getByRole('checkbox', { name: 'Prune' }).isDisabled()).toBe(true);

    // Argo CD's RBAC from the repository: who may sync api-staging, and by which line.
    const who = page.getByRole('region', { name: 'Who may sync' });
    expect(await who.getByRole('listitem').allTextContents()).toEqual([
      'admin by Argo CD built-in policy line 12 · p, role:admin, applications, sync, */*, allow',
      'example-org:developers by argocd/argocd-rbac-cm.yaml:12:5 · p, role:developer, applications, sync, default/*, allow',
      'example-org:platform by Argo CD built-in policy line 12 · p, role:admin, applications, sync, */*, allow',
    ]);
    expect(await who.textContent()).toContain('everybody has role:readonly');
    await shoot(page, 'app-page-sync-denied');
    await checkAccessibility(page, 'app page (sync denied)');
    // Nothing was sent to the cluster.
    expect((await kubeRequest(ui.fleet, 'staging', 'GET', `/apis/apps/v1/namespaces/${ns}/deployments`)).body.items).toEqual([]);

    // On dev the fleet is the admin: Sync and Prune are offered.
    await findApp(page, 'worker dev', /worker-dev on dev/);
    await expect.poll(() => page.getByRole('button', { name: 'Sync…' }).isEnabled(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Prune' }).isEnabled()).toBe(true);
    expect(await page.getByRole('note', { name: 'Why Sync is disabled' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
