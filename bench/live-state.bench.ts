import { execFile } from 'node:child_process';
import { ClusterManager } from '../electron/services/cluster/cluster-manager';
import type { ClusterConnection } from '../electron/services/cluster/connection';
import { LiveStore } from '../electron/services/cluster/live-state';
import { TRACKING_ID_ANNOTATION, keyOf, trackingIdFor } from '../electron/services/cluster/tracking';
import type { KubeObject } from '../shared/model/status';
import { startKubeFleet } from '../test/helpers/kube-fleet';
import type { BenchResult } from './types';
import { median } from './types';

// Live state of 300 apps (~2,100 objects) across a real three-cluster fleet: read cold (new connections,
// discovery, one list per kind per cluster, then every app's state), then kept fresh by watches — the time for
// another client's change to reach an app's subscriber, with no re-list.

const APPS_PER_CLUSTER = 100;
const RUNS = 5;

/** The desired objects of one app: three ConfigMaps, a Secret, a ServiceAccount, a Service and a Deployment. */
function appObjects(app: string, ns: string): KubeObject[] {
  const labels = { app };
  return [
    ...[0, 1, 2].map((i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${app}-config-${i}`, namespace: ns }, data: { key: `value-${i}` } })),
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${app}-secret`, namespace: ns }, stringData: { token: 'bench' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: app, namespace: ns } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: ns }, spec: { selector: labels, ports: [{ port: 80 }] } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: ns },
      spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    },
  ];
}

/** The collection path of an object (namespaced, in the benchmark's kinds). */
function collection(o: KubeObject): string {
  const ns = keyOf(o).namespace;
  const plural = `${(o.kind ?? '').toLowerCase()}s`;
  return o.apiVersion === 'v1' ? `/api/v1/namespaces/${ns}/${plural}` : `/apis/${o.apiVersion}/namespaces/${ns}/${plural}`;
}

/** Runs async jobs with a concurrency limit. */
async function pool<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Creates every app's namespace and objects on one cluster, with the tracking annotation Argo CD would set. */
async function seed(conn: ClusterConnection, apps: readonly { app: string; ns: string; desired: KubeObject[] }[]): Promise<void> {
  await pool(apps, 16, (a) => conn.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: a.ns } } }));
  const objects = apps.flatMap((a) => a.desired.map((o) => {
    const k = keyOf(o);
    return { ...o, metadata: { ...o.metadata, annotations: { [TRACKING_ID_ANNOTATION]: trackingIdFor(a.app, k) } } };
  }));
  await pool(objects, 32, (o) => conn.request({ method: 'POST', path: collection(o), body: o, timeoutMs: 30_000 }));
}

/** `kubectl get` of the same kinds on every cluster in parallel, when kubectl is installed (a reference). */
function kubectlGet(kubeconfig: string, context: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('kubectl', ['--kubeconfig', kubeconfig, '--context', context, 'get', 'configmaps,secrets,serviceaccounts,services,deployments', '-A', '-o', 'json'], { maxBuffer: 256 * 1024 * 1024 }, (err) => (err ? reject(err) : resolve()));
  });
}

/** The benchmark. */
export async function run(): Promise<BenchResult[]> {
  const fleet = await startKubeFleet({ log: () => undefined });
  try {
    const specs = fleet.state.clusters.map((c) => ({ name: c.name, context: c.context, labels: {}, annotations: {} }));
    const appsByCluster = new Map(fleet.state.clusters.map((c) => [c.name, Array.from({ length: APPS_PER_CLUSTER }, (_, i) => {
      const app = `app-${c.name}-${String(i).padStart(3, '0')}`;
      const ns = `ns-${String(i).padStart(3, '0')}`;
      return { app, ns, desired: appObjects(app, ns) };
    })]));
    const seeder = ClusterManager.fromKubeconfig({ kubeconfigPaths: [fleet.kubeconfig], clusters: specs });
    const seedStart = performance.now();
    await Promise.all(seeder.names().map((n) => seed(seeder.connection(n), appsByCluster.get(n)!)));
    const seedMs = performance.now() - seedStart;
    seeder.close();
    const objectCount = [...appsByCluster.values()].reduce((n, apps) => n + apps.reduce((m, a) => m + a.desired.length, 0), 0);

    // Cold reads: a new manager (connections, discovery) and new stores each run.
    const cold: number[] = [];
    let resources = 0;
    let lists = 0;
    for (let r = 0; r < RUNS + 1; r++) {
      const t = performance.now();
      const m = ClusterManager.fromKubeconfig({ kubeconfigPaths: [fleet.kubeconfig], clusters: specs });
      const results = await m.forEachCluster(async (conn) => {
        const store = new LiveStore(conn, { watch: false });
        const apps = appsByCluster.get(conn.name)!;
        const problems = await store.prepare(apps.map((a) => ({ desired: a.desired, namespace: a.ns })));
        if (problems.length) throw new Error(problems.map((p) => p.message).join('; '));
        const states = apps.map((a) => store.appState(a.app, a.desired, a.ns, problems));
        store.close();
        return { states, lists: store.stats.lists };
      });
      const ms = performance.now() - t;
      m.close();
      if (r === 0) continue; // warm-up (first JIT of the code paths)
      cold.push(ms);
      resources = 0;
      lists = 0;
      for (const res of results) {
        if (!res.ok) throw new Error(res.problem.message);
        for (const s of res.value.states) {
          resources += s.resources.length;
          if (s.resources.some((x) => !x.live || x.extra)) throw new Error(`app ${s.app}: live state incomplete`);
        }
        lists += res.value.lists;
      }
    }

    // Freshness: watches on every cluster; another client changes a ConfigMap; time until the app's subscriber sees it.
    const m = ClusterManager.fromKubeconfig({ kubeconfigPaths: [fleet.kubeconfig], clusters: specs });
    const other = ClusterManager.fromKubeconfig({ kubeconfigPaths: [fleet.kubeconfig], clusters: specs });
    const stores = new Map<string, LiveStore>();
    await Promise.all(m.names().map(async (n) => {
      const store = new LiveStore(m.connection(n));
      const apps = appsByCluster.get(n)!;
      await store.prepare(apps.map((a) => ({ desired: a.desired, namespace: a.ns })));
      stores.set(n, store);
    }));
    const listsAfterCold = [...stores.values()].reduce((n, s) => n + s.stats.lists, 0);
    await new Promise((r) => setTimeout(r, 500)); // let every watch open
    const fresh: number[] = [];
    for (let i = 0; i < 30; i++) {
      const cluster = fleet.state.clusters[i % 3]!.name;
      const a = appsByCluster.get(cluster)![(i * 7) % APPS_PER_CLUSTER]!;
      const store = stores.get(cluster)!;
      const value = `changed-${i}`;
      const seen = new Promise<number>((resolve) => {
        const off = store.watchApp(a.app, a.desired, (s) => {
          const cm = s.resources.find((x) => x.name === `${a.app}-config-0`);
          if ((cm?.live as { data?: { key?: string } } | undefined)?.data?.key === value) {
            off();
            resolve(performance.now());
          }
        }, a.ns);
      });
      const t = performance.now();
      await other.connection(cluster).request({
        method: 'PATCH', path: `/api/v1/namespaces/${a.ns}/configmaps/${a.app}-config-0`,
        contentType: 'application/merge-patch+json', body: { data: { key: value } },
      });
      fresh.push((await seen) - t);
    }
    const relists = [...stores.values()].reduce((n, s) => n + s.stats.relists, 0);
    const listsAfterWatch = [...stores.values()].reduce((n, s) => n + s.stats.lists, 0);
    for (const s of stores.values()) s.close();
    m.close();
    other.close();

    const results: BenchResult[] = [
      { name: `live state cold: ${APPS_PER_CLUSTER * 3} apps, ${objectCount} objects, 3 clusters`, median_ms: median(cold), extra: { resources, lists, runs: RUNS, seed_ms: Math.round(seedMs) } },
      { name: 'watch: change by another client reaches the app subscriber', median_ms: median(fresh), extra: { samples: fresh.length, max_ms: Math.round(Math.max(...fresh)), relists, lists_during_watch: listsAfterWatch - listsAfterCold } },
    ];

    const hasKubectl = await new Promise<boolean>((resolve) => execFile('kubectl', ['version', '--client'], (err) => resolve(!err)));
    if (hasKubectl) {
      const ref: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        const t = performance.now();
        await Promise.all(fleet.state.clusters.map((c) => kubectlGet(fleet.kubeconfig, c.context)));
        ref.push(performance.now() - t);
      }
      results.push({ name: 'reference: kubectl get the same kinds -A -o json, 3 clusters in parallel', median_ms: median(ref), extra: { runs: RUNS } });
    }
    return results;
  } finally {
    await fleet.stop();
  }
}
