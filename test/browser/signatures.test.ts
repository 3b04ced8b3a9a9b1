// The signature of the commit each app × cluster runs, in the UI: a badge in the grid cell (word and symbol, its words
// in the cell's accessible name) and a row on the app page. Real SSH keys signed the commits; the recorded snapshot
// says which commit each app × cluster runs.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAccessibility, screenshotDir } from '../helpers/browser';
import { useServedUi } from '../helpers/served-ui';
import type { SignedFleet } from '../helpers/signed-fleet';
import { recordRunning, signFleet } from '../helpers/signed-fleet';

let f: SignedFleet;

describe('commit signatures in the grid and on the app page', () => {
  const ui = useServedUi({
    prepare: ({ repo, data }) => {
      f = signFleet(repo, path.join(data, 'test-keys'));
      recordRunning(data, [
        { app: 'frontend-dev', cluster: 'dev', environment: 'dev', revision: f.signed },
        { app: 'frontend-staging', cluster: 'staging', environment: 'staging', revision: f.untrusted },
        { app: 'frontend-prod', cluster: 'prod', environment: 'prod', revision: f.unsigned },
        { app: 'api-dev', cluster: 'dev', environment: 'dev', revision: f.absent },
      ]);
    },
  });

  it('badges each cell with the verdict and names it in the cell, and shows it on the app page', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(ui.serve.url);
    const grid = page.getByRole('grid', { name: 'Apps by cluster' });
    await grid.waitFor();
    const cell = (name: string) => grid.getByRole('button', { name: new RegExp(`^${name} on `) });
    // The cell's name says the verdict; beside its button, the badge shows it as symbol and word, named in words.
    const badge = (name: string) => page.getByRole('gridcell').filter({ has: page.getByRole('button', { name: new RegExp(`^${name} on `) }) }).locator('.sig-badge');
    await expect.poll(() => cell('frontend-dev').getAttribute('aria-label')).toContain(', signed by alice@example.com');
    expect(await grid.getByRole('img', { name: 'signed by alice@example.com' }).count()).toBe(1);
    expect(await badge('frontend-dev').textContent()).toBe('✔ signed');
    expect(await badge('frontend-dev').getAttribute('title')).toBe(`${f.signed.slice(0, 7)} has a good signature by alice@example.com (ssh ${f.alice.fingerprint})`);
    expect(await cell('frontend-dev').getAttribute('title')).toContain(`${f.signed.slice(0, 7)} has a good signature by alice@example.com`);
    expect(await cell('frontend-staging').getAttribute('aria-label')).toContain(`, signed by an untrusted key ${f.mallory.fingerprint}`);
    expect(await badge('frontend-staging').getAttribute('aria-label')).toBe(`signed by an untrusted key ${f.mallory.fingerprint}`);
    expect(await badge('frontend-staging').textContent()).toBe('⚠ untrusted');
    expect(await cell('frontend-prod').getAttribute('aria-label')).toContain(', unsigned');
    expect(await badge('frontend-prod').textContent()).toBe('○ unsigned');
    expect(await cell('api-dev').getAttribute('aria-label')).toContain(', signature unknown: commit not in the repository');
    expect(await badge('api-dev').textContent()).toBe('? unknown');
    // Never refreshed there: no commit is known to run, so no badge claims anything.
    expect(await badge('api-prod').count()).toBe(0);
    // The badge never takes the click: the cell's button under it opens the app.
    expect(await badge('frontend-dev').evaluate((el) => getComputedStyle(el).pointerEvents)).toBe('none');
    await checkAccessibility(page, 'fleet grid with signature badges');
    await page.screenshot({ path: path.join(screenshotDir, 'fleet-grid-signatures.png'), fullPage: true });

    await cell('frontend-staging').click();
    const row = page.getByRole('group', { name: 'Commit signature' });
    await row.waitFor();
    expect(await row.textContent()).toBe(`Signature of the commit it runs: ⚠ untrusted ${f.untrusted.slice(0, 7)} is signed by a key the repository does not trust (ssh ${f.mallory.fingerprint}): Good "git" signature with ED25519 key ${f.mallory.fingerprint}; No principal matched.`);
    await checkAccessibility(page, 'app page with the commit signature');
    await page.screenshot({ path: path.join(screenshotDir, 'app-page-signature.png'), fullPage: true });
  });
});
