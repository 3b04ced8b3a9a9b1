// The app page when the cluster cannot answer what you may do (its API server is a loopback port nothing listens
// on): the permissions are "not checked", said beside Sync, never shown as granted; Sync stays offered, for the API
// server's own dry run to judge. Who may sync by the repository's argocd-rbac-cm is listed all the same.
import { describe, expect, it } from 'vitest';
import { checkAccessibility, shoot } from '../helpers/browser';
import { deadKubeconfig } from '../helpers/dead-clusters';
import { openApp, useServedUi } from '../helpers/served-ui';

describe('Sync on the app page when the cluster cannot be asked', () => {
  const ui = useServedUi({ prepare: async ({ data }) => ({ KUBECONFIG: await deadKubeconfig(data) }) });

  it('says the permissions were not checked and why, keeps Sync offered, and lists who may sync', async () => {
    const { page, errors } = await openApp(ui, 'api prod', /api-prod on prod/, { width: 1400, height: 900 });
    const note = page.getByRole('note', { name: 'Permissions not checked' });
    await note.waitFor({ timeout: 30_000 });
    expect(await note.textContent()).toMatch(/^Permissions not checked: could not check on prod what you may do: .*\. Sync stays offered: the API server judges/);
    expect(await page.getByRole('button', { name: 'Sync…' }).isEnabled()).toBe(true);
    expect(await page.getByRole('note', { name: 'Why Sync is disabled' }).count()).toBe(0);
    const who = page.getByRole('region', { name: 'Who may sync' });
    expect((await who.getByRole('listitem').allTextContents()).map((t) => t.split(' by ')[0])).toEqual(['admin', 'example-org:platform', 'release-manager']);
    await shoot(page, 'app-page-sync-unknown');
    await checkAccessibility(page, 'app page (permissions not checked)');
    expect(errors).toEqual([]);
  });
});
