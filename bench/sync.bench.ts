import { startDevCluster } from './dev-cluster';
import { syncApp } from '../electron/services/cluster/sync';
import type { KubeObject } from '../shared/model/status';
import type { BenchResult } from './types';
import { median } from './types';

// A sync of one app of 50 objects in 3 waves on the simulated cluster (real API server, controllers and kwok):
// wave 0 ConfigMaps, Secrets and ServiceAccounts; wave 1 Services and Deployments (whose Pods kwok makes Ready);
// wave 2 ConfigMaps. Each wave waits until the one before is healthy, as Argo CD does. Reported: the whole sync, and
// apart from it the time spent waiting for health. Each run uses a fresh namespace (created by the sync).

const RUNS = 3;

/** The app's 50 objects: 20 in wave 0, 20 in wave 1 (10 Services + 10 Deployments), 10 in wave 2. */
function appObjects(): KubeObject[] {
  const wave = (w: number): Record<string, string> => ({ 'argocd.argoproj.io/sync-wave': String(w) });
  const out: KubeObject[] = [];
  for (let i = 0; i < 10; i++) out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `settings-${i}`, annotations: wave(0) }, data: { key: `value-${i}` } });
  for (let i = 0; i < 5; i++) out.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `secret-${i}`, annotations: wave(0) }, stringData: { token: 'bench' } });
  for (let i = 0; i < 5; i++) out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${i}`, annotations: wave(0) } });
  for (let i = 0; i < 10; i++) {
    const labels = { app: `web-${i}` };
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `web-${i}`, annotations: wave(1) }, spec: { selector: labels, ports: [{ port: 80 }] } });
    out.push({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${i}`, annotations: wave(1) },
      spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    });
  }
  for (let i = 0; i < 10; i++) out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `after-${i}`, annotations: wave(2) }, data: { ready: 'yes' } });
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const dev = await startDevCluster();
  const { manager } = dev;
  try {
    const conn = manager.connection('dev');
    const desired = appObjects();
    const total: number[] = [];
    const waited: number[] = [];
    for (let r = 0; r < RUNS + 1; r++) {
      const t = performance.now();
      const res = await syncApp(conn, desired, { app: `bench-${r}`, namespace: `bench-${r}`, createNamespace: true, waitForHealthy: { timeoutMs: 60_000, intervalMs: 100 } });
      const ms = performance.now() - t;
      if (res.phase !== 'Succeeded') throw new Error(`sync failed: ${res.message ?? res.resources.find((x) => x.problem)?.problem?.message}`);
      if (res.resources.length !== desired.length + 1) throw new Error(`expected ${desired.length} resources and the namespace, got ${res.resources.length}`);
      if (r === 0) continue; // warm-up
      total.push(ms);
      waited.push(res.waitedMs);
    }
    return [
      { name: 'sync: 50 objects in 3 waves, each wave waits for health', median_ms: median(total), extra: { runs: RUNS, target_ms: 10_000, max_ms: Math.round(Math.max(...total)) } },
      { name: 'sync: of which waiting for health (rollouts by the controllers)', median_ms: median(waited), extra: { applying_ms: Math.round(median(total) - median(waited)) } },
    ];
  } finally {
    await dev.stop();
  }
}
