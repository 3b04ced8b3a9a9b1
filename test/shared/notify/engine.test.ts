import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from '../../../shared/notify/expr';
import type { NotifiedState, NotifyApp } from '../../../shared/notify';
import { conditionKey, evaluateNotifications, parseNotifyConfig, readConfigMapFile, resolveService, stateItemKey } from '../../../shared/notify';
import { formatProblem } from '../../../shared/problem';
import { repoRoot } from '../../helpers/paths';

const CATALOG = readFileSync(path.join(repoRoot, 'test/fixtures/notify/argocd-notifications-catalog.yaml'), 'utf8');
const now = (): ReturnType<typeof parseRfc3339> => parseRfc3339('2026-03-01T12:00:00Z');

/** The catalog plus a webhook service, a Slack service, a drift trigger and a context, as a team's ConfigMap would add them. */
function teamConfig(extra = ''): string {
  return CATALOG.replace(
    'kind: ConfigMap',
    [
      '  service.webhook.hook: |',
      '    url: http://127.0.0.1:1/hook',
      '    headers:',
      '    - name: Authorization',
      '      value: Bearer $hook-token',
      '  service.slack: |',
      '    token: $slack-token',
      '  context: |',
      '    argocdUrl: https://flotilla.example',
      '  template.app-drifted: |',
      '    message: Application {{.app.metadata.name}} drifted ({{.app.status.sync.status}}) on {{.app.spec.destination.name}}.',
      '  trigger.on-drift: |',
      "    - when: app.status.sync.status == 'OutOfSync'",
      '      send: [app-drifted]',
      extra,
      'kind: ConfigMap',
    ].join('\n'),
  );
}

function config(text = teamConfig()) {
  const file = readConfigMapFile(text, 'notify/argocd-notifications-cm.yaml');
  const { config, problems } = parseNotifyConfig(file.data!, file.origin);
  return { config, problems: [...file.problems, ...problems] };
}

function app(name: string, status: Record<string, unknown>, annotations: Record<string, string>): NotifyApp {
  return {
    key: `dev/${name}`,
    object: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: 'argocd', annotations, labels: { team: 'web' } },
      spec: { project: 'default', source: { repoURL: 'https://git.example/fleet.git', path: `apps/${name}` }, destination: { name: 'dev', namespace: name } },
      status,
    },
  };
}

class MemoryState implements NotifiedState {
  readonly keys = new Map<string, Set<string>>();
  has(appKey: string, key: string): boolean {
    return this.keys.get(appKey)?.has(key) ?? false;
  }
  set(appKey: string, key: string, on: boolean): void {
    const s = this.keys.get(appKey) ?? new Set<string>();
    if (on) s.add(key);
    else s.delete(key);
    this.keys.set(appKey, s);
  }
}

const succeeded = (revision: string) => ({
  sync: { status: 'Synced', revision },
  health: { status: 'Healthy', lastTransitionTime: '2026-03-01T11:00:30Z' },
  operationState: { phase: 'Succeeded', startedAt: '2026-03-01T11:00:00Z', finishedAt: '2026-03-01T11:00:20Z', message: 'successfully synced', syncResult: { revision } },
});

describe('notification engine', () => {
  it('reads Argo CD\'s catalog unchanged: eight triggers, eight templates, no problems', () => {
    const { config: c, problems } = config(CATALOG);
    expect(problems).toEqual([]);
    expect([...c.triggers.keys()].sort()).toHaveLength(8);
    expect(c.templates.size).toBe(8);
  });

  it('keys conditions as Argo CD does: [i]. and the base64url SHA-1 of the when text', () => {
    const when = "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded']";
    const expected = `[0].${createHash('sha1').update(when).digest('base64url')}`;
    expect(conditionKey(0, when)).toBe(expected);
    expect(stateItemKey('on-sync-succeeded', expected, 'abc', { service: 'slack', recipient: 'ops' })).toBe(`abc:on-sync-succeeded:${expected}:slack:ops`);
  });

  it('sends on-sync-succeeded once per revision (oncePer), and again for a new revision', () => {
    const { config: c } = config();
    const state = new MemoryState();
    const subs = { 'notifications.argoproj.io/subscribe.on-sync-succeeded.hook': '', 'notifications.argoproj.io/subscribe.on-deployed.slack': 'deploys;ops' };
    const run = (rev: string) => evaluateNotifications([app('web', succeeded(rev), subs)], c, state, { now });
    const first = run('abc123');
    expect(first.problems).toEqual([]);
    expect(first.pending.map((p) => `${p.trigger}->${p.destination.service}:${p.destination.recipient}`).sort()).toEqual([
      'on-deployed->slack:deploys', 'on-deployed->slack:ops', 'on-sync-succeeded->hook:',
    ]);
    const sync = first.pending.find((p) => p.trigger === 'on-sync-succeeded')!;
    expect(sync.notification.message).toContain('Application web has been successfully synced at 2026-03-01T11:00:20Z.');
    expect(sync.notification.message).toContain('https://flotilla.example/applications/web?operation=true');
    const deployed = first.pending.find((p) => p.trigger === 'on-deployed')!;
    expect(deployed.notification.message).toMatch(/^:white_check_mark: Application web is now running/);
    expect(JSON.parse(deployed.notification.slack!.attachments!)).toEqual([expect.objectContaining({ title: 'web', color: '#18be52' })]);
    for (const p of first.pending) state.set(p.appKey, p.stateKey, true);
    expect(run('abc123').pending).toEqual([]);
    expect(run('def456').pending.map((p) => p.trigger).sort()).toEqual(['on-deployed', 'on-deployed', 'on-sync-succeeded']);
  });

  it('fires a condition without oncePer again only after it became false (drift, back in sync, drift)', () => {
    const { config: c } = config();
    const state = new MemoryState();
    const subs = { 'notifications.argoproj.io/subscribe.on-drift.hook': '' };
    const drifted = { sync: { status: 'OutOfSync', revision: 'r1' }, health: { status: 'Healthy' } };
    const synced = { sync: { status: 'Synced', revision: 'r1' }, health: { status: 'Healthy' } };
    const step = (status: Record<string, unknown>) => {
      const e = evaluateNotifications([app('api', status, subs)], c, state, { now });
      for (const p of e.pending) state.set(p.appKey, p.stateKey, true);
      for (const x of e.cleared) state.set(x.appKey, x.stateKey, false);
      return e;
    };
    expect(step(drifted).pending.map((p) => p.notification.message)).toEqual(['Application api drifted (OutOfSync) on dev.']);
    expect(step(drifted).pending).toEqual([]);
    expect(step(synced).cleared).toHaveLength(1);
    expect(step(drifted).pending).toHaveLength(1);
  });

  it('selects apps by the ConfigMap subscriptions\' label selector', () => {
    const { config: c } = config(teamConfig(['  subscriptions: |', '    - recipients: [slack:web-team]', '      triggers: [on-health-degraded]', '      selector: team=web'].join('\n')));
    const degraded = { sync: { status: 'Synced' }, health: { status: 'Degraded' } };
    const e = evaluateNotifications([app('web', degraded, {}), { ...app('db', degraded, {}), object: { ...app('db', degraded, {}).object, metadata: { name: 'db', labels: { team: 'data' } } } }], c, new MemoryState(), { now });
    expect(e.pending.map((p) => `${p.appKey} ${p.destination.recipient}`)).toEqual(['dev/web web-team']);
  });

  it('names the trigger and its file:line:col when a condition does not compile; the other triggers keep working', () => {
    const text = teamConfig(['  trigger.on-broken: |', "    - when: app.status.sync.status == 'OutOfSync' and (", '      send: [app-drifted]'].join('\n'));
    const { config: c, problems } = config(text);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes("'OutOfSync' and (")) + 1;
    expect(problems.map(formatProblem)).toEqual([expect.stringMatching(new RegExp(`^notify/argocd-notifications-cm.yaml:${line}:\\d+: trigger on-broken: condition \\[0\\] when does not compile: unexpected end of expression`))]);
    // The expression ends too early: the column is just past its last character.
    expect(problems[0]!.column).toBe(lines[line - 1]!.length + 1);
    expect(c.triggers.get('on-drift')).toHaveLength(1);
  });

  it('reports a template that fails to render, naming the template, and still sends the others', () => {
    const { config: c } = config(teamConfig(['  template.bad: |', '    message: "{{.app.metadata.name | nosuchfunc}}"', '  trigger.on-any: |', '    - when: "true"', '      send: [bad, app-drifted]'].join('\n')));
    const e = evaluateNotifications([app('web', { sync: { status: 'OutOfSync' } }, { 'notifications.argoproj.io/subscribe.on-any.hook': '' })], c, new MemoryState(), { now });
    expect(e.problems.map(formatProblem)).toEqual([expect.stringMatching(/^notify\/argocd-notifications-cm.yaml:\d+:\d+: template bad: message: .*nosuchfunc/)]);
    expect(e.pending.map((p) => p.template)).toEqual(['app-drifted']);
  });

  it('resolves $secret references at delivery and names a missing one without revealing the others', () => {
    const { config: c } = config();
    const hook = c.services.get('hook')!;
    const ok = resolveService(hook, new Map([['hook-token', 's3cr3t-value']]), 'argocd-notifications-secret');
    expect(ok.service).toEqual(expect.objectContaining({ headers: [{ name: 'Authorization', value: 'Bearer s3cr3t-value' }] }));
    const missing = resolveService(c.services.get('slack')!, new Map([['hook-token', 's3cr3t-value']]), 'argocd-notifications-secret');
    expect(missing.problem?.message).toBe('service slack: secret $slack-token is not in argocd-notifications-secret');
    expect(JSON.stringify(missing)).not.toContain('s3cr3t-value');
  });
});
