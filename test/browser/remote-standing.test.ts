// The header says how the checkout stands against its remote, and Fetch runs `git fetch` only: a colleague's push
// shows as "1 behind" after Fetch, while the user's branch and working tree stay where they were. Real git: a bare
// remote, the user's clone served by `flotilla serve`, and a colleague's clone.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAccessibility, shoot } from '../helpers/browser';
import { git } from '../helpers/git-fixtures';
import { openUi, useServedUi } from '../helpers/served-ui';
import type { Fleet } from '../electron/services/promotion/fleet-fixture';
import { promotionFleet } from '../electron/services/promotion/fleet-fixture';

describe('the checkout against its remote, in the header', () => {
  let f: Fleet;
  const ui = useServedUi({
    repo: () => {
      f = promotionFleet(Date.now());
      return { dir: f.work, data: path.dirname(f.storeFile) };
    },
  });

  it('is up to date, then 1 behind after Fetch sees a colleague\'s push, and 1 ahead after a local commit; Fetch never pulls', async () => {
    const { page } = await openUi(ui, { viewport: { width: 1400, height: 800 } });
    const standing = page.getByLabel('Checkout against its remote');
    await expect.poll(() => standing.textContent(), { timeout: 20_000 }).toMatch(/^up to date with origin\/main/);

    const other = f.other();
    const readme = path.join(other, 'pipeline.yaml');
    writeFileSync(readme, `${readFileSync(readme, 'utf8')}\n# A colleague's note.\n`);
    git(other, 'commit', '-qam', 'A colleague notes something in the pipeline');
    git(other, 'push', '-q', 'origin', 'main');
    const head = git(f.work, 'rev-parse', 'HEAD').trim();
    const before = readFileSync(path.join(f.work, 'pipeline.yaml'), 'utf8');
    // Not fetched yet: nothing is known of the push.
    await page.reload();
    await expect.poll(() => standing.textContent(), { timeout: 20_000 }).toMatch(/^up to date with origin\/main/);

    await standing.getByRole('button', { name: 'Fetch' }).click();
    await expect.poll(() => standing.textContent(), { timeout: 30_000 }).toMatch(/^1 behind origin\/main · fetched \d+ s ago/);
    expect(git(f.work, 'rev-parse', 'HEAD').trim()).toBe(head);
    expect(readFileSync(path.join(f.work, 'pipeline.yaml'), 'utf8')).toBe(before);
    expect(git(f.work, 'rev-parse', 'origin/main').trim()).toBe(f.remoteHead());
    await shoot(page, 'header-behind-remote');
    await checkAccessibility(page, 'header with the remote standing');

    git(f.work, 'commit', '-q', '--allow-empty', '-m', 'A local commit');
    await page.reload();
    await expect.poll(() => standing.textContent(), { timeout: 20_000 }).toMatch(/^1 behind, 1 ahead of origin\/main/);
  });
});
