import { clearAccessCache } from '../electron/services/cluster/access-review';
import { startDevCluster } from './dev-cluster';
import { checkSyncAccess } from '../electron/services/cluster/sync-access';
import type { KubeObject } from '../shared/model/status';
import type { BenchResult } from './types';
import { median } from './types';

// The permission check before a sync (SelfSubjectAccessReview of every verb × kind the sync and its prune need), for
// an app of 50 objects in 5 kinds with CreateNamespace (28 reviews), on a real API server: cold with the default
// concurrency, cold one review at a time (the ratio is what concurrency buys), and answered from the 30 s cache.

const RUNS = 7;

function appObjects(): KubeObject[] {
  const out: KubeObject[] = [];
  for (let i = 0; i < 20; i++) out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `settings-${i}` }, data: { k: 'v' } });
  for (let i = 0; i < 5; i++) out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${i}` } });
  for (let i = 0; i < 5; i++) out.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `secret-${i}` }, stringData: { t: 'bench' } });
  for (let i = 0; i < 10; i++) {
    const labels = { app: `web-${i}` };
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `web-${i}` }, spec: { selector: labels, ports: [{ port: 80 }] } });
    out.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${i}` }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } });
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const dev = await startDevCluster();
  const { manager } = dev;
  try {
    const conn = manager.connection('dev');
    const desired = appObjects();
    const opts = { namespace: 'bench-access', syncOptions: ['CreateNamespace=true'] };
    const time = async (fn: () => Promise<unknown>): Promise<number[]> => {
      const out: number[] = [];
      for (let r = 0; r < RUNS + 1; r++) {
        const t = performance.now();
        await fn();
        if (r > 0) out.push(performance.now() - t); // the first is a warm-up
      }
      return out;
    };
    const check = async (): Promise<void> => {
      const a = await checkSyncAccess(conn, desired, opts);
      if (a.sync.result !== 'allowed' || a.prune.result !== 'allowed') throw new Error(`the admin was refused: ${a.sync.reason ?? a.prune.reason ?? ''}`);
    };
    const cold = await time(async () => {
      clearAccessCache();
      await check();
    });
    // One review at a time: the same check with the reviews run in sequence.
    const { reviewAccess } = await import('../electron/services/cluster/access-review');
    const { requiredAccess } = await import('../electron/services/cluster/sync-access');
    const need = await requiredAccess(conn, desired, opts);
    const checks = [...need.sync, ...need.prune];
    const sequential = await time(async () => {
      clearAccessCache();
      await reviewAccess(conn, checks, { concurrency: 1 });
    });
    const concurrent = await time(async () => {
      clearAccessCache();
      await reviewAccess(conn, checks);
    });
    const cached = await time(check);
    return [
      { name: `access check before a sync: ${checks.length} reviews, cold`, median_ms: median(cold), samples: cold },
      { name: 'access reviews: one at a time', median_ms: median(sequential), samples: sequential },
      { name: 'access reviews: 8 at a time', median_ms: median(concurrent), samples: concurrent, extra: { ratio_vs_sequential: Number((median(sequential) / median(concurrent)).toFixed(2)) } },
      { name: 'access check before a sync: from the 30 s cache', median_ms: median(cached), samples: cached },
    ];
  } finally {
    await dev.stop();
  }
}
