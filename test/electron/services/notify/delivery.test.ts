import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotifyApp, PendingNotification } from '../../../../shared/notify';
import { evaluateNotifications, parseNotifyConfig, readConfigMapFile, resolveService } from '../../../../shared/notify';
import { parseRfc3339 } from '../../../../shared/notify/expr';
import { deliver } from '../../../../electron/services/notify/delivery';
import { repoRoot } from '../../../helpers/paths';
import { startHttpReceiver, startSmtpReceiver } from '../../../helpers/receivers';

// Delivery to real receivers on loopback: an HTTP server recording webhook and Slack-format posts, and a real SMTP
// server (smtp-server) receiving e-mail from nodemailer.

const CATALOG = readFileSync(path.join(repoRoot, 'test/fixtures/notify/argocd-notifications-catalog.yaml'), 'utf8');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

function pendingFor(services: string[], annotations: Record<string, string>, extra: string[] = []): { pending: PendingNotification[]; config: ReturnType<typeof parseNotifyConfig>['config'] } {
  const text = CATALOG.replace('kind: ConfigMap', [...services, '  context: |', '    argocdUrl: https://flotilla.example', ...extra, 'kind: ConfigMap'].join('\n'));
  const file = readConfigMapFile(text, 'cm.yaml');
  const { config, problems } = parseNotifyConfig(file.data!, file.origin);
  expect(problems).toEqual([]);
  const app: NotifyApp = {
    key: 'prod/web-prod',
    object: {
      metadata: { name: 'web-prod', namespace: 'argocd', annotations },
      spec: { project: 'default', source: { repoURL: 'https://git.example/fleet.git' }, destination: { name: 'prod' } },
      status: { sync: { status: 'Synced', revision: 'r2' }, health: { status: 'Healthy' }, operationState: { phase: 'Succeeded', startedAt: '2026-03-01T11:00:00Z', finishedAt: '2026-03-01T11:00:20Z', syncResult: { revision: 'r2' } } },
    },
  };
  const e = evaluateNotifications([app], config, { has: () => false }, { now: () => parseRfc3339('2026-03-01T12:00:00Z') });
  expect(e.problems).toEqual([]);
  return { pending: [...e.pending], config };
}

describe('notification delivery', () => {
  it('posts a webhook with the template\'s method, path and body and the service\'s headers, secrets resolved', async () => {
    const rx = await startHttpReceiver(() => ({ status: 204 }));
    closers.push(rx.close);
    const { pending, config } = pendingFor(
      ['  service.webhook.github: |', `    url: ${rx.url}/api`, '    headers:', '    - name: Authorization', '      value: token $gh-token'],
      { 'notifications.argoproj.io/subscribe.on-sync-succeeded.github': '' },
      ['  template.app-sync-succeeded: |', '    message: ok', '    webhook:', '      github:', '        method: POST', '        path: /statuses/{{.app.status.operationState.syncResult.revision}}', '        body: |', '          {"state": "success", "context": "{{.app.metadata.name}}"}'],
    );
    const svc = resolveService(config.services.get('github')!, new Map([['gh-token', 'tok-123456']]), 'secrets');
    const r = await deliver(pending[0]!, svc.service!, { backoffMs: 10 });
    expect(r).toEqual({ attempts: 1 });
    expect(rx.posts).toHaveLength(1);
    expect(rx.posts[0]).toEqual(expect.objectContaining({ method: 'POST', url: '/api/statuses/r2' }));
    expect(rx.posts[0]!.headers.authorization).toBe('token tok-123456');
    expect(JSON.parse(rx.posts[0]!.body)).toEqual({ state: 'success', context: 'web-prod' });
  });

  it('sends Slack\'s chat.postMessage (token, channel, text, attachments) to the configured API URL', async () => {
    const rx = await startHttpReceiver(() => ({ status: 200, body: '{"ok":true,"ts":"1"}' }));
    closers.push(rx.close);
    const { pending, config } = pendingFor(['  service.slack: |', '    token: $slack-token', `    apiURL: ${rx.url}/api/`, '    username: flotilla'], { 'notifications.argoproj.io/subscribe.on-sync-succeeded.slack': 'deploys' });
    const svc = resolveService(config.services.get('slack')!, new Map([['slack-token', 'xoxb-secret']]), 'secrets');
    expect(await deliver(pending[0]!, svc.service!, { backoffMs: 10 })).toEqual({ attempts: 1 });
    const post = rx.posts[0]!;
    expect(post.url).toBe('/api/chat.postMessage');
    expect(post.headers.authorization).toBe('Bearer xoxb-secret');
    const body = JSON.parse(post.body) as { channel: string; text: string; username: string; attachments: { title: string; color: string; fields: { title: string; value: string }[] }[] };
    expect(body.channel).toBe('deploys');
    expect(body.username).toBe('flotilla');
    expect(body.text).toMatch(/^:white_check_mark: Application web-prod has been successfully synced at 2026-03-01T11:00:20Z\./);
    expect(body.attachments[0]).toEqual(expect.objectContaining({ title: 'web-prod', color: '#18be52' }));
    expect(body.attachments[0]!.fields).toContainEqual({ title: 'Sync Status', value: 'Synced', short: true });
  });

  it('retries a failing receiver with backoff and succeeds; gives up after the last attempt with the receiver\'s answer', async () => {
    const rx = await startHttpReceiver((_r, i) => (i < 2 ? { status: 503, body: 'busy' } : { status: 200, body: 'ok' }));
    closers.push(rx.close);
    const { pending, config } = pendingFor([`  service.slack: |`, `    webhook: ${rx.url}/hooks/T1`], { 'notifications.argoproj.io/subscribe.on-sync-succeeded.slack': '' });
    const svc = config.services.get('slack')!;
    const t0 = Date.now();
    expect(await deliver(pending[0]!, svc, { attempts: 3, backoffMs: 50 })).toEqual({ attempts: 3 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150 - 5);
    expect(rx.posts).toHaveLength(3);
    expect(JSON.parse(rx.posts[2]!.body)).toEqual(expect.objectContaining({ text: expect.stringContaining('web-prod'), attachments: expect.any(Array) }));
    const down = await startHttpReceiver(() => ({ status: 500, body: 'broken' }));
    closers.push(down.close);
    const failed = await deliver(pending[0]!, { ...svc, type: 'slack', name: 'slack', webhook: `${down.url}/x` }, { attempts: 2, backoffMs: 10 });
    expect(failed).toEqual({ attempts: 2, error: expect.stringMatching(/answered 500 Internal Server Error: broken$/) });
  });

  it('reports an unreachable webhook as a failed delivery', async () => {
    const rx = await startHttpReceiver();
    await rx.close();
    const { pending, config } = pendingFor(['  service.slack: |', `    webhook: ${rx.url}/gone`], { 'notifications.argoproj.io/subscribe.on-sync-succeeded.slack': '' });
    const r = await deliver(pending[0]!, config.services.get('slack')!, { attempts: 2, backoffMs: 10, timeoutMs: 2000 });
    expect(r.attempts).toBe(2);
    expect(r.error).toMatch(/fetch failed|ECONNREFUSED/);
  });

  it('sends e-mail over SMTP with the template\'s subject and message, and reports a refused recipient', async () => {
    const smtp = await startSmtpReceiver({ user: 'flotilla', password: 'mail-pass', refuse: /^nobody@/ });
    closers.push(smtp.close);
    const { pending, config } = pendingFor(
      ['  service.email: |', '    host: 127.0.0.1', `    port: ${smtp.port}`, '    from: flotilla@example.com', '    username: flotilla', '    password: $email-password'],
      { 'notifications.argoproj.io/subscribe.on-sync-succeeded.email': 'ops@example.com;nobody@example.com' },
    );
    const svc = resolveService(config.services.get('email')!, new Map([['email-password', 'mail-pass']]), 'secrets').service!;
    const [ok, refused] = [pending.find((p) => p.destination.recipient === 'ops@example.com')!, pending.find((p) => p.destination.recipient === 'nobody@example.com')!];
    expect(await deliver(ok, svc, { backoffMs: 10 })).toEqual({ attempts: 1 });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toEqual(expect.objectContaining({ from: 'flotilla@example.com', to: ['ops@example.com'], user: 'flotilla' }));
    expect(smtp.mails[0]!.raw).toMatch(/^Subject: Application web-prod has been successfully synced\.\r?$/m);
    expect(smtp.mails[0]!.raw).toContain('Application web-prod has been successfully synced at 2026-03-01T11:00:20Z.');
    const r = await deliver(refused, svc, { attempts: 2, backoffMs: 10 });
    expect(r).toEqual({ attempts: 2, error: expect.stringMatching(/550.*nobody@example.com/) });
    expect(smtp.mails).toHaveLength(1);
  });
});
