// The Notifications page: deliveries made to a real loopback Slack-format webhook (one channel accepted, one refused
// with 502 and retried), the configuration's problems with file:line:col, times in the user's locale, and never a
// secret: the webhook URL (with its token) lives in the data folder's argocd-notifications-secret.yaml only.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAccessibility, screenshotDir } from '../helpers/browser';
import { repoRoot } from '../helpers/paths';
import { startHttpReceiver } from '../helpers/receivers';
import { cli } from '../helpers/run-cli';
import { useServedUi } from '../helpers/served-ui';
import { FleetStore } from '../../electron/store/fleet-store';
import { storeFile } from '../../electron/store/location';

const TOKEN = 'T0SECRET/B0SECRET/xoxbSecretToken42';
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers) await c();
});

let cm = '';
let typo = { line: 0, column: 0 };

describe('the Notifications page', () => {
  const ui = useServedUi({
    prepare: async ({ repo, data }) => {
      // #ops accepts; #pager is down (502), so that delivery is retried and recorded as failed.
      const rx = await startHttpReceiver((req) => ((JSON.parse(req.body) as { channel?: string }).channel === 'pager' ? { status: 502, body: 'bad gateway' } : { status: 200, body: 'ok' }));
      closers.push(rx.close);
      const at = new Date(Date.now() - 120_000).toISOString();
      const st = (app: string, sync: 'Synced' | 'OutOfSync', health: 'Healthy' | 'Degraded') => ({ environment: 'dev', status: { app, cluster: 'dev', revision: 'b'.repeat(40), sync, health: { status: health, message: '' }, resources: [], observedAt: at } });
      const store = FleetStore.open(storeFile(data));
      store.recordSnapshot({ takenAt: at, appClusters: [st('api-dev', 'OutOfSync', 'Healthy'), st('frontend-dev', 'Synced', 'Healthy'), st('worker-dev', 'Synced', 'Degraded')] });
      store.close();
      const catalog = readFileSync(path.join(repoRoot, 'test/fixtures/notify/argocd-notifications-catalog.yaml'), 'utf8');
      cm = path.join(data, 'argocd-notifications-cm.yaml');
      writeFileSync(cm, catalog.replace('kind: ConfigMap', [
        '  service.slack: |',
        '    webhook: $slack-webhook',
        '  template.app-drifted: |',
        '    message: "{{.app.metadata.name}} drifted"',
        '  trigger.on-drift: |',
        "    - when: app.status.sync.status == 'OutOfSync'",
        '      send: [app-drifted]',
        '  trigger.on-typo: |',
        "    - when: app.status.sync.status = 'OutOfSync'",
        '      send: [app-drifted]',
        '  subscriptions: |',
        '    - recipients: [slack:ops]',
        '      triggers: [on-drift, on-health-degraded]',
        '    - recipients: [slack:pager]',
        '      triggers: [on-drift]',
        'kind: ConfigMap',
      ].join('\n')));
      const lines = readFileSync(cm, 'utf8').split('\n');
      typo = { line: lines.findIndex((l) => l.includes("status = 'OutOfSync'")) + 1, column: 0 };
      typo.column = lines[typo.line - 1]!.indexOf(' = ') + 2;
      writeFileSync(path.join(data, 'argocd-notifications-secret.yaml'), `apiVersion: v1\nkind: Secret\nmetadata:\n  name: argocd-notifications-secret\nstringData:\n  slack-webhook: ${rx.url}/services/${TOKEN}\n`);
      // A cron-style `flotilla notify` after the refresh delivers: two to #ops, one refused by #pager.
      const run = await cli(['notify', '--repo', repo, '--data-dir', data]);
      expect(run.code).toBe(1);
      expect(rx.posts.map((p) => (JSON.parse(p.body) as { channel: string }).channel).sort()).toEqual(['ops', 'ops', 'pager', 'pager', 'pager']);
    },
  });

  it('lists sent and failed deliveries with their attempts and error, and the configuration problems at file:line:col, never a secret', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'de-DE', timezoneId: 'Europe/Berlin' });
    await page.goto(ui.serve.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Notifications' }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/notifications');
    const table = page.getByRole('table', { name: 'Notification deliveries' });
    await table.waitFor();
    // serve evaluates once when it starts: what was delivered is not sent again, the refused #pager delivery is tried
    // again (Argo CD marks a notification sent only once its service accepted it). The page follows live.
    const config = page.getByLabel('Configuration', { exact: true });
    await expect.poll(() => config.textContent(), { timeout: 60_000 }).toMatch(/^argocd-notifications-cm from .* · last evaluated \d+ (s|min) ago$/);
    expect(await config.textContent()).toContain(`argocd-notifications-cm from ${cm} · `);
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(4);
    const cells = async (i: number): Promise<string[]> => (await rows.nth(i).locator('td').allTextContents()).map((t) => t.trim());
    const all = await Promise.all([0, 1, 2, 3].map(cells));
    // Newest first: the failed delivery to #pager was recorded after its three attempts.
    const byWhat = all.map((c) => c.slice(1, 6).join(' | ')).sort();
    expect(byWhat).toEqual([
      '✓ sent | on-drift (app-drifted) | dev/api-dev | slack:ops | 1',
      '✓ sent | on-health-degraded (app-health-degraded) | dev/worker-dev | slack:ops | 1',
      '✖ failed | on-drift (app-drifted) | dev/api-dev | slack:pager | 3',
      '✖ failed | on-drift (app-drifted) | dev/api-dev | slack:pager | 3',
    ]);
    const failed = all.find((c) => c[1] === '✖ failed')!;
    expect(failed[6]).toMatch(/502/);
    // When: how long ago, with the date and time in the user's locale (German here) beside it.
    expect(all[0]![0]).toMatch(/^\d+ s ago \(\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}\)$/);
    const problems = page.getByRole('region', { name: 'Configuration problems' });
    expect(await problems.textContent()).toContain(`${cm}:${typo.line}:${typo.column}: trigger on-typo: condition [0] when does not compile: unrecognized character: U+003D '=' (1:24)`);
    // The webhook URL is a secret: neither it nor its token reaches the page.
    const text = (await page.content()) + JSON.stringify(await page.evaluate(() => document.body.innerText));
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('xoxbSecretToken42');
    await checkAccessibility(page, 'notifications page');
    await page.screenshot({ path: path.join(screenshotDir, 'notifications-page.png'), fullPage: true });
  });

  it('says where it looks for the configuration once there is none, and keeps the history', async () => {
    rmSync(cm);
    const page = await ui.browser.newPage({ viewport: { width: 1200, height: 700 } });
    await page.goto(`${ui.serve.url}#/notifications`);
    const config = page.getByLabel('Configuration', { exact: true });
    await config.waitFor();
    // serve evaluated the configuration when it started (before the file was removed): the page says when.
    expect(await config.textContent()).toMatch(/^no argocd-notifications-cm found · last evaluated \d+ (s|min) ago$/);
    expect(await page.locator('.empty-state li').allTextContents()).toEqual([
      `argocd-notifications-cm.yaml in the data folder (${ui.data})`,
      'a ConfigMap argocd-notifications-cm in the repository (a YAML file with "notif" in its path)',
    ]);
    // The typo was in the file removed: no problem is left to show.
    expect(await page.getByRole('region', { name: 'Configuration problems' }).count()).toBe(0);
    expect(await page.getByRole('table', { name: 'Notification deliveries' }).locator('tbody tr').count()).toBe(4);
  });
});
