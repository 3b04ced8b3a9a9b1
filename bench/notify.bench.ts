import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { NotifiedState, NotifyApp } from '../shared/notify';
import { evaluateNotifications, parseNotifyConfig, readConfigMapFile } from '../shared/notify';
import { parseRfc3339 } from '../shared/notify/expr';
import type { BenchResult } from './types';
import { sample, stats } from './types';

const APPS = 3000;
const RUNS = 9;
const TRIGGERS = ['on-created', 'on-deleted', 'on-deployed', 'on-health-degraded', 'on-sync-failed', 'on-sync-running', 'on-sync-status-unknown', 'on-sync-succeeded'];

/** An Application in Argo CD's shape, in one of the states the catalog's triggers tell apart. */
function app(i: number): NotifyApp {
  const phase = ['Succeeded', 'Succeeded', 'Succeeded', 'Failed', 'Error', 'Running'][i % 6]!;
  const revision = `rev${i % 17}`;
  return {
    key: `c${i % 3}/app-${i}`,
    object: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: `app-${i}`, namespace: 'argocd', labels: { team: `t${i % 9}` }, ...(i % 97 === 0 ? { deletionTimestamp: '2026-03-01T11:59:00Z' } : {}) },
      spec: { project: 'default', source: { repoURL: 'https://git.example/fleet.git', path: `apps/app-${i}` }, destination: { name: `c${i % 3}`, namespace: `ns-${i}` } },
      status: {
        sync: { status: i % 11 === 0 ? 'Unknown' : i % 5 === 0 ? 'OutOfSync' : 'Synced', revision },
        health: { status: i % 13 === 0 ? 'Degraded' : 'Healthy', lastTransitionTime: '2026-03-01T11:00:30Z' },
        ...(i % 4 === 0 ? {} : { operationState: { phase, startedAt: '2026-03-01T11:00:00Z', finishedAt: '2026-03-01T11:00:20Z', message: 'ok', syncResult: { revision } } }),
      },
    },
  };
}

class SetState implements NotifiedState {
  readonly keys = new Set<string>();
  has(appKey: string, key: string): boolean {
    return this.keys.has(`${appKey}\n${key}`);
  }
}

/** Argo CD's whole notification catalog (eight triggers) on 3,000 Applications after a refresh. */
export async function run(): Promise<BenchResult[]> {
  const catalog = readFileSync(path.join(process.cwd(), 'test/fixtures/notify/argocd-notifications-catalog.yaml'), 'utf8');
  const text = catalog.replace('kind: ConfigMap', ['  service.slack: |', '    token: $slack-token', '  subscriptions: |', '    - recipients: [slack:ops]', `      triggers: [${TRIGGERS.join(', ')}]`, 'kind: ConfigMap'].join('\n'));
  const file = readConfigMapFile(text, 'argocd-notifications-cm.yaml');
  const { config, problems } = parseNotifyConfig(file.data!, file.origin);
  if (problems.length) throw new Error(problems.map((p) => p.message).join('; '));
  const apps = Array.from({ length: APPS }, (_, i) => app(i));
  const now = parseRfc3339('2026-03-01T12:00:00Z');
  const opts = { now: () => now };
  const out: BenchResult[] = [];

  // Steady state after a refresh: every due notification was already sent; the whole catalog is evaluated on each app.
  const state = new SetState();
  const first = evaluateNotifications(apps, config, state, opts);
  for (const p of first.pending) state.keys.add(`${p.appKey}\n${p.stateKey}`);
  const steady = await sample(RUNS, () => evaluateNotifications(apps, config, state, opts));
  out.push({ name: `catalog triggers (8) on ${APPS} apps, steady state (nothing new to send)`, ...stats(steady), extra: { apps: APPS, evaluations: APPS * TRIGGERS.length, target_ms: 200 } });

  // First evaluation: everything due at once, every notification's templates rendered (message, Slack attachments, e-mail subject…).
  const cold = await sample(RUNS, () => evaluateNotifications(apps, config, new SetState(), opts));
  out.push({ name: `catalog triggers on ${APPS} apps, first evaluation with ${first.pending.length} notifications rendered`, ...stats(cold), extra: { apps: APPS, notifications: first.pending.length } });
  return out;
}
