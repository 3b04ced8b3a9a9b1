// Notifications in Argo CD's format on the real test fleet, through the app's own paths (the API handler table and
// the session's event bus): Argo CD's catalog plus a drift trigger, a Slack-format webhook at a loopback receiver.
// Syncing apps sends on-sync-succeeded, drifting one (a live edit, then a refresh) sends on-drift once, and
// promoting another to staging and syncing it there sends on-sync-succeeded for the promoted app.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../../../electron/services/api-handlers';
import type { NotifyPass } from '../../../../electron/services/notify/notify-service';
import { NotifyService } from '../../../../electron/services/notify/notify-service';
import { Session } from '../../../../electron/services/session';
import { commitAll, exampleRepo, git, tempDir } from '../../../helpers/git-fixtures';
import { createNamespace, freshNamespace, kubeRequest, retargetExample, useKubeFleet } from '../../../helpers/kube-fleet';
import { repoRoot } from '../../../helpers/paths';
import { startHttpReceiver } from '../../../helpers/receivers';

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const edit = (dir: string, file: string, from: string | RegExp, to: string): void => {
  const p = path.join(dir, file);
  const before = readFileSync(p, 'utf8');
  const after = before.replace(from, to);
  expect(after, file).not.toBe(before);
  writeFileSync(p, after);
};

interface SlackPost {
  readonly text: string;
  readonly channel?: string;
  readonly attachments?: { readonly title: string; readonly fields?: { readonly title: string; readonly value: string }[] }[];
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('notifications on the test fleet', () => {
  it('sends Argo CD catalog and drift notifications for syncs, a drift and a promotion, each once', async () => {
    const fleet = await useKubeFleet();
    const rx = await startHttpReceiver(() => ({ status: 200, body: 'ok' }));
    cleanups.push(rx.close);
    const seed = exampleRepo();
    const t = tempDir('flotilla-notify-');
    cleanups.push(seed.cleanup, t.cleanup);
    const [feDev, feStg, apiDev] = [freshNamespace('n19-fe-dev'), freshNamespace('n19-fe-stg'), freshNamespace('n19-api-dev')];
    retargetExample(fleet, seed.dir);
    edit(seed.dir, 'apps/frontend/overlays/dev/kustomization.yaml', 'namespace: frontend', `namespace: ${feDev}`);
    edit(seed.dir, 'apps/frontend/overlays/staging/kustomization.yaml', 'namespace: frontend', `namespace: ${feStg}`);
    edit(seed.dir, 'apps/api/overlays/dev/kustomization.yaml', 'namespace: api', `namespace: ${apiDev}`);
    for (const [c, ns] of [['dev', feDev], ['staging', feStg], ['dev', apiDev]] as const) await createNamespace(fleet, c, ns);
    edit(seed.dir, 'pipeline.yaml', 'soak: 10m', 'soak: 1s');
    // Apps of their own name (other files sync the example's apps into the same clusters), subscribed by annotation.
    edit(seed.dir, 'appsets/apps.yaml', `name: '{{.path.basename}}-{{.name}}'`, `name: 'n19-{{.path.basename}}-{{.name}}'\n      annotations:\n        notifications.argoproj.io/subscribe.on-sync-succeeded.slack: deploys`);
    // Argo CD's catalog unchanged, plus the team's Slack webhook, a drift trigger and a subscription to it.
    const catalog = readFileSync(path.join(repoRoot, 'test/fixtures/notify/argocd-notifications-catalog.yaml'), 'utf8');
    writeFileSync(path.join(seed.dir, 'argocd-notifications-cm.yaml'), catalog.replace('kind: ConfigMap', [
      '  service.slack: |',
      '    webhook: $slack-webhook',
      '  context: |',
      '    argocdUrl: https://flotilla.example',
      '  template.app-drifted: |',
      '    message: "Application {{.app.metadata.name}} drifted: {{.app.status.sync.status}} at {{.app.status.sync.revision}}"',
      '  trigger.on-drift: |',
      "    - when: app.status.sync.status == 'OutOfSync'",
      '      send: [app-drifted]',
      '  subscriptions: |',
      '    - recipients: [slack:drift]',
      '      triggers: [on-drift]',
      '      selector: app.kubernetes.io/name=api',
      'kind: ConfigMap',
    ].join('\n')));
    commitAll(seed.dir, 'The fleet on the test clusters, with notifications');
    const remote = path.join(t.dir, 'remote.git');
    git(t.dir, 'init', '-q', '--bare', '-b', 'main', remote);
    git(seed.dir, 'push', '-q', remote, 'main');
    const work = path.join(t.dir, 'work');
    git(t.dir, 'clone', '-q', remote, work);
    git(work, 'config', 'user.name', 'Pat Promoter');
    git(work, 'config', 'user.email', 'pat@flotilla.invalid');
    const dataDir = path.join(t.dir, 'data');
    // The webhook URL is a secret: the data folder's argocd-notifications-secret.yaml, never the repository.
    const secret = `${rx.url}/services/T0/B0/${'x'.repeat(24)}`;
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, 'argocd-notifications-secret.yaml'), `apiVersion: v1\nkind: Secret\nmetadata:\n  name: argocd-notifications-secret\nstringData:\n  slack-webhook: ${secret}\n`);

    const session = new Session({ repoPath: work, dataDir, kubeconfig: [fleet.kubeconfig] });
    cleanups.push(() => session.close());
    const api = createApiHandlers(session);
    const notify = new NotifyService(session, { delivery: { backoffMs: 50 } });
    const passes: NotifyPass[] = [];
    notify.start((p) => passes.push(p));
    const posts = (): SlackPost[] => rx.posts.map((p) => JSON.parse(p.body) as SlackPost);
    const settle = async (): Promise<void> => {
      await notify.evaluate();
    };

    // 1. Syncs from the UI: each app's on-sync-succeeded reaches #deploys once.
    for (const app of ['n19-frontend-dev', 'n19-api-dev']) expect((await api['app:sync']({ app, cluster: 'dev', dryRun: false })).phase).toBe('Succeeded');
    await settle();
    expect(posts().map((p) => `${p.channel} ${p.text.split('\n')[0]}`).sort()).toEqual([
      expect.stringMatching(/^deploys :white_check_mark: Application n19-api-dev has been successfully synced at \S+\.$/),
      expect.stringMatching(/^deploys :white_check_mark: Application n19-frontend-dev has been successfully synced at \S+\.$/),
    ]);
    expect(posts()[0]!.attachments![0]!.title).toMatch(/^n19-(api|frontend)-dev$/);
    expect(rx.posts.every((p) => p.url === '/services/T0/B0/' + 'x'.repeat(24))).toBe(true);

    // 2. Drift: a live edit of api's Deployment, seen by a refresh: one on-drift message, not repeated.
    const dep = `/apis/apps/v1/namespaces/${apiDev}/deployments/api`;
    const patched = await kubeRequest(fleet, 'dev', 'PATCH', dep, { spec: { replicas: 4 } }, { contentType: 'application/merge-patch+json' });
    expect(patched.status).toBe(200);
    const before = rx.posts.length;
    await api['fleet:refresh']({ app: 'n19-api-dev', cluster: 'dev' });
    await settle();
    const drift = posts().slice(before);
    expect(drift.map((p) => `${p.channel} ${p.text}`)).toEqual([expect.stringMatching(/^drift Application n19-api-dev drifted: OutOfSync at [0-9a-f]{40}$/)]);
    await api['fleet:refresh']({ app: 'n19-api-dev', cluster: 'dev' });
    await settle();
    expect(rx.posts.length).toBe(before + 1);

    // 3. Promotion of frontend dev → staging (soak 1 s on a fresh observation), then staging synced from the commit.
    await until('frontend Available on dev', async () => {
      const d = await kubeRequest(fleet, 'dev', 'GET', `/apis/apps/v1/namespaces/${feDev}/deployments/frontend`);
      const conditions = (d.body as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
      return conditions.some((c) => c.type === 'Available' && c.status === 'True') ? true : undefined;
    });
    await api['fleet:refresh']({ app: 'n19-frontend-dev', cluster: 'dev' });
    await new Promise((r) => setTimeout(r, 1500));
    await api['fleet:refresh']({ app: 'n19-frontend-dev', cluster: 'dev' });
    const promoted = await api['promotion:execute']({ from: 'dev', to: 'staging', apps: ['frontend'] });
    expect(promoted.blockers).toEqual([]);
    const commit = git(remote, 'rev-parse', 'main').trim();
    // The GitOps tool syncs from the remote: the checkout takes the pushed promotion.
    git(work, 'pull', '-q', '--ff-only');
    const beforePromotion = rx.posts.length;
    expect((await api['app:sync']({ app: 'n19-frontend-staging', cluster: 'staging', dryRun: false })).phase).toBe('Succeeded');
    await settle();
    const promotedPosts = posts().slice(beforePromotion);
    expect(promotedPosts.map((p) => `${p.channel} ${p.text.split('\n')[0]}`)).toEqual([
      expect.stringMatching(/^deploys :white_check_mark: Application n19-frontend-staging has been successfully synced at \S+\.$/),
    ]);
    expect(promotedPosts[0]!.text).toContain('https://flotilla.example/applications/n19-frontend-staging?operation=true');
    // The catalog's message says when the sync of the promoted commit finished, and its attachment that staging is Synced.
    expect(promotedPosts[0]!.text.split('\n')[0]).toMatch(/^:white_check_mark: Application n19-frontend-staging has been successfully synced at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z\.$/);
    expect(promotedPosts[0]!.attachments![0]!.fields!.find((f) => f.title === 'Sync Status')?.value).toBe('Synced');
    const history = notify.deliveries();
    expect(history.filter((d) => d.outcome === 'sent').map((d) => `${d.trigger} ${d.appKey}`).sort()).toEqual([
      'on-drift dev/n19-api-dev', 'on-sync-succeeded dev/n19-api-dev', 'on-sync-succeeded dev/n19-frontend-dev', 'on-sync-succeeded staging/n19-frontend-staging',
    ]);
    // The Notifications page shows the same history, newest first, with no secret in it.
    const page = await api['notify:history']({});
    expect(page.source).toMatch(/(^|\/)argocd-notifications-cm\.yaml$/);
    expect(page.deliveries.map((d) => `${d.outcome} ${d.trigger} ${d.appKey} ${d.service}:${d.recipient}`)).toEqual(history.map((d) => `${d.outcome} ${d.trigger} ${d.appKey} ${d.service}:${d.recipient}`));
    expect(page.deliveries[0]).toMatchObject({ trigger: 'on-sync-succeeded', appKey: 'staging/n19-frontend-staging', outcome: 'sent', attempts: 1 });
    expect(page.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(JSON.stringify(page)).not.toContain(secret);
    // Staging runs the promoted version; no pass reported an error, and no secret reached the history.
    const staged = await kubeRequest(fleet, 'staging', 'GET', `/apis/apps/v1/namespaces/${feStg}/deployments/frontend`);
    expect(JSON.stringify(staged.body)).toContain('ghcr.io/example/frontend:1.8.0');
    expect(git(remote, 'log', '-1', '--format=%s', commit)).toMatch(/frontend/);
    expect(passes.flatMap((p) => p.problems).filter((p) => p.severity === 'error')).toEqual([]);
    expect(readFileSync(path.join(dataDir, 'notifications.sqlite')).includes(Buffer.from(secret))).toBe(false);
  }, 240_000);
});
