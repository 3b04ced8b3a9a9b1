import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FleetStore } from '../../../electron/store/fleet-store';
import { storeFile } from '../../../electron/store/location';
import { exampleRepo, tempDir } from '../../helpers/git-fixtures';
import { repoRoot } from '../../helpers/paths';
import { startHttpReceiver } from '../../helpers/receivers';
import { cli } from '../../helpers/run-cli';
import { startServe } from '../../helpers/serve';

// `flotilla notify` after a refresh (cron-style, no server): the fleet as last recorded, Argo CD's catalog plus a
// drift trigger from the data folder, a Slack-format webhook at a loopback receiver.

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const CATALOG = readFileSync(path.join(repoRoot, 'test/fixtures/notify/argocd-notifications-catalog.yaml'), 'utf8');

function configMap(webhook: string, extra: string[] = []): string {
  return CATALOG.replace('kind: ConfigMap', [
    '  service.slack: |',
    `    webhook: ${webhook}`,
    '  template.app-drifted: |',
    '    message: "{{.app.metadata.name}} drifted on {{.app.spec.destination.server}}"',
    '  trigger.on-drift: |',
    "    - when: app.status.sync.status == 'OutOfSync'",
    '      send: [app-drifted]',
    '  subscriptions: |',
    '    - recipients: [slack:ops]',
    '      triggers: [on-drift, on-health-degraded]',
    ...extra,
    'kind: ConfigMap',
  ].join('\n'));
}

/**
 * The example fleet, a data folder with what a refresh of dev recorded (api-dev drifted, frontend-dev in sync,
 * worker-dev degraded) and an argocd-notifications-cm.yaml sending to a loopback receiver; removed after the file.
 */
async function notifyFixture(prefix: string): Promise<{ repo: { dir: string }; data: { dir: string }; rx: Awaited<ReturnType<typeof startHttpReceiver>>; cm: string }> {
  const repo = exampleRepo();
  const data = tempDir(prefix);
  cleanups.push(repo.cleanup, data.cleanup);
  const rx = await startHttpReceiver(() => ({ status: 200, body: 'ok' }));
  cleanups.push(rx.close);
  const store = FleetStore.open(storeFile(data.dir));
  const at = new Date().toISOString();
  const st = (app: string, sync: 'Synced' | 'OutOfSync', health: 'Healthy' | 'Degraded') => ({ environment: 'dev', status: { app, cluster: 'dev', revision: 'b'.repeat(40), sync, health: { status: health, message: '' }, resources: [], observedAt: at } });
  store.recordSnapshot({ takenAt: at, appClusters: [st('api-dev', 'OutOfSync', 'Healthy'), st('frontend-dev', 'Synced', 'Healthy'), st('worker-dev', 'Synced', 'Degraded')] });
  store.close();
  const cm = path.join(data.dir, 'argocd-notifications-cm.yaml');
  writeFileSync(cm, configMap(`${rx.url}/hooks/ops`));
  return { repo, data, rx, cm };
}

describe('flotilla notify', () => {
  it('delivers what became due once, lists the history, and exits 1 on a bad trigger or a failed delivery', async () => {
    const { repo, data, rx, cm } = await notifyFixture('flotilla-notify-cli-');
    const args = ['notify', '--repo', repo.dir, '--data-dir', data.dir];

    const first = await cli(args);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(rx.posts.map((p) => (JSON.parse(p.body) as { channel: string; text: string }).text.split('\n')[0]).sort()).toEqual([
      ':exclamation: Application worker-dev has degraded.',
      'api-dev drifted on https://127.0.0.1:16443',
    ]);
    expect(first.out).toMatch(/dev\/api-dev\s+on-drift\s+app-drifted\s+slack:ops\s+sent\s+1/);

    const again = await cli(args);
    expect(again.code).toBe(0);
    expect(again.out).toBe(`nothing new to notify (configuration from ${cm})\n`);
    expect(rx.posts).toHaveLength(2);
    const history = await cli([...args, '--history', '-o', 'json']);
    expect((JSON.parse(history.out) as { trigger: string; outcome: string }[]).map((d) => `${d.trigger} ${d.outcome}`).sort()).toEqual(['on-drift sent', 'on-health-degraded sent']);

    // A condition that does not compile is named with its file:line:col; the other triggers keep working.
    writeFileSync(cm, configMap(`${rx.url}/hooks/ops`, ['  trigger.on-typo: |', "    - when: app.status.sync.status = 'OutOfSync'", '      send: [app-drifted]']));
    const typo = await cli(args);
    const lines = readFileSync(cm, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes("status = 'OutOfSync'")) + 1;
    const column = lines[line - 1]!.indexOf(' = ') + 2;
    expect(typo.err).toBe(`error: ${cm}:${line}:${column}: trigger on-typo: condition [0] when does not compile: unrecognized character: U+003D '=' (1:24)\n`);
    expect(typo.code).toBe(1);

    // A receiver that is down: the delivery is retried, recorded as failed, and the command says so (exit 1).
    const down = await startHttpReceiver(() => ({ status: 502, body: 'bad gateway' }));
    cleanups.push(down.close);
    writeFileSync(cm, configMap(`${down.url}/hooks/ops`, ['  trigger.on-any: |', '    - when: "true"', '      send: [app-drifted]', '  defaultTriggers: |', '    - on-any']).replace('triggers: [on-drift, on-health-degraded]', 'triggers: [on-any]'));
    const failed = await cli(args);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/notification on-any → slack:ops for dev\/api-dev failed after 3 attempts: POST to 127\.0\.0\.1:\d+ answered 502 Bad Gateway: bad gateway$/m);
    expect(failed.err).not.toContain('/hooks/ops');
    expect(down.posts.length).toBe(9);
    const after = JSON.parse((await cli([...args, '--history', '-o', 'json'])).out) as { outcome: string; attempts: number }[];
    expect(after.filter((d) => d.outcome === 'failed').map((d) => d.attempts)).toEqual([3, 3, 3]);
  }, 60_000);
});

describe('flotilla serve with a notifications configuration', () => {
  /** Runs `flotilla serve` on the fixture until the receiver has `n` posts (it evaluates in its own process), then stops it. */
  async function serveUntil(f: { repo: { dir: string }; data: { dir: string }; rx: { posts: unknown[] } }, n: number): Promise<void> {
    const served = await startServe(f.repo.dir, f.data.dir);
    try {
      const deadline = Date.now() + 30_000;
      while (f.rx.posts.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(f.rx.posts.length).toBe(n);
    } finally {
      await served.stop();
    }
  }

  it('evaluates at start what the last refresh recorded, and a restart sends only what became due since', async () => {
    // What an earlier `flotilla refresh` recorded: no refresh runs while the server is up.
    const f = await notifyFixture('flotilla-notify-serve-');
    const { repo, data, rx, cm } = f;
    const text = (i: number) => (JSON.parse(rx.posts[i]!.body) as { text: string }).text.split('\n')[0];

    await serveUntil(f, 2);
    expect([text(0), text(1)].sort()).toEqual([':exclamation: Application worker-dev has degraded.', 'api-dev drifted on https://127.0.0.1:16443']);

    // Restarted with one more trigger: only its notification is sent; the two already sent are not sent again.
    writeFileSync(cm, configMap(`${rx.url}/hooks/ops`, ['  template.app-in-sync: |', '    message: "{{.app.metadata.name}} is in sync"', '  trigger.on-in-sync: |', "    - when: app.status.sync.status == 'Synced'", '      send: [app-in-sync]'])
      .replace('triggers: [on-drift, on-health-degraded]', 'triggers: [on-drift, on-health-degraded, on-in-sync]'));
    await serveUntil(f, 4);
    expect([text(2), text(3)].sort()).toEqual(['frontend-dev is in sync', 'worker-dev is in sync']);
    // The notified state the servers kept is the CLI's too: nothing is left to send.
    const after = await cli(['notify', '--repo', repo.dir, '--data-dir', data.dir]);
    expect(after.out).toBe(`nothing new to notify (configuration from ${cm})\n`);
    expect(rx.posts).toHaveLength(4);
  }, 90_000);
});
