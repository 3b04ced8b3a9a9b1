// The Fleet page in Chromium after `flotilla serve` restarts: the first page's grid comes from the grid the last run
// kept in the data folder, and shows exactly what the grid built afresh showed; a corrupt cache file is said in the
// server's log, never on the page, and the grid is built as without it. After a commit that changes nothing discovery
// read, the grid comes from the app list kept (no discovery); after one that adds an app, the app is shown.
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotDir } from '../helpers/browser';
import { exampleRepo, tempDir } from '../helpers/git-fixtures';
import type { ServeProcess } from '../helpers/serve';
import { startServe } from '../helpers/serve';
import { recordRunning } from '../helpers/signed-fleet';
import { commitAll, git } from '../helpers/git-fixtures';

const cleanups: (() => void)[] = [];
let repo = '';
let data = '';
let browser: Browser;

beforeAll(async () => {
  const r = exampleRepo();
  const d = tempDir('flotilla-gridcache-ui-');
  cleanups.push(r.cleanup, d.cleanup);
  repo = r.dir;
  data = d.dir;
  const head = git(repo, 'rev-parse', 'HEAD').trim();
  recordRunning(data, [
    { app: 'frontend-dev', cluster: 'dev', environment: 'dev', revision: head },
    { app: 'frontend-prod', cluster: 'prod', environment: 'prod', revision: head },
  ]);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  while (cleanups.length) cleanups.pop()!();
});

/** Starts serve, opens its URL at once, and reads what the grid shows once every version from Git and every finding is in. */
async function firstLoad(shot: string): Promise<{ rows: string[]; cards: string; body: string; serve: ServeProcess }> {
  const serve = await startServe(repo, data);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(serve.url);
    const grid = page.getByRole('grid', { name: 'Apps by cluster' });
    await grid.getByRole('rowheader', { name: 'frontend' }).waitFor();
    await page.getByText('(versions from Git at HEAD)').waitFor({ timeout: 60_000 });
    // And the fleet's validation findings (api-dev, the first row, has one).
    await page.waitForFunction(() => /finding/.test(document.querySelector('[role="grid"] [data-row="0"]')?.getAttribute('aria-label') ?? ''), undefined, { timeout: 60_000 });
    const rows = await grid.locator('[data-row]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    const cards = (await page.getByRole('list', { name: 'Fleet summary' }).textContent()) ?? '';
    await page.screenshot({ path: path.join(screenshotDir, `${shot}.png`), fullPage: true });
    return { rows, cards, body: (await page.locator('body').textContent()) ?? '', serve };
  } finally {
    await page.close();
    await serve.stop();
  }
}

describe('the Fleet page after flotilla serve restarts', () => {
  it('shows from the kept grid exactly what the grid built afresh showed, and a corrupt cache file only in the log', async () => {
    const built = await firstLoad('grid-cache-built');
    expect(built.rows.length).toBeGreaterThan(3);
    expect(built.rows.join('\n')).toContain('Unknown');
    const files = readdirSync(path.join(data, 'cache'));
    expect(files.filter((f) => f.startsWith('fleet-grid-') && f.endsWith('.json'))).toHaveLength(1);

    const kept = await firstLoad('grid-cache-restart');
    expect(kept.rows).toEqual(built.rows);
    expect(kept.cards).toBe(built.cards);
    expect(kept.serve.log()).not.toMatch(/grid cache/);

    writeFileSync(path.join(data, 'cache', files.find((f) => f.startsWith('fleet-grid-') && f.endsWith('.json'))!), '{"flotilla-fleet-grid-cache":1,"key":');
    const corrupt = await firstLoad('grid-cache-corrupt');
    expect(corrupt.rows).toEqual(built.rows);
    expect(corrupt.serve.log()).toMatch(/fleet grid cache: ignoring .*corrupt/);
    expect(corrupt.body).not.toMatch(/cache/i);
  });

  it('after a commit that changes only an overlay, shows the grid from the app list kept; after one that adds an app, the app', async () => {
    await firstLoad('grid-cache-commit-kept');
    // Marked: a grid built from the kept app list shows the mark among its problems; one built by discovery does not.
    const cache = path.join(data, 'cache');
    const apps = path.join(cache, readdirSync(cache).find((f) => f.startsWith('fleet-apps-') && f.endsWith('.json'))!);
    const doc = JSON.parse(readFileSync(apps, 'utf8')) as { value: { problems: unknown[] } };
    doc.value.problems.push({ severity: 'warning', message: 'built from the app list kept' });
    writeFileSync(apps, JSON.stringify(doc));
    const overlay = path.join(repo, 'apps', 'frontend', 'overlays', 'prod', 'kustomization.yaml');
    writeFileSync(overlay, readFileSync(overlay, 'utf8').replace('newTag: "1.7.2"', 'newTag: "1.7.3"'));
    commitAll(repo, 'Promote frontend to 1.7.3 in prod');
    const promoted = await firstLoad('grid-cache-commit-overlay');
    expect(promoted.body).toContain('built from the app list kept');
    expect(promoted.serve.log()).not.toMatch(/grid cache/);
    rmSync(cache, { recursive: true });
    const fresh = await firstLoad('grid-cache-commit-fresh');
    expect(fresh.body).not.toContain('built from the app list kept');
    expect(promoted.rows).toEqual(fresh.rows);

    cpSync(path.join(repo, 'apps', 'worker'), path.join(repo, 'apps', 'batch'), { recursive: true });
    commitAll(repo, 'A batch app');
    const added = await firstLoad('grid-cache-commit-app');
    expect(added.rows.some((r) => r.includes('batch'))).toBe(true);
    expect(fresh.rows.some((r) => r.includes('batch'))).toBe(false);
    expect(added.rows.length).toBeGreaterThan(fresh.rows.length);
  });
});
