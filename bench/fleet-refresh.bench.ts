// The live fleet refresh at scale (issue #14): a synthetic fleet of FLEET_REFRESH_APPS apps (default 10,000) on three
// real clusters (etcd + kube-apiserver + controllers + kwok each, on loopback), so 30,000 app × clusters; the first
// FLEET_REFRESH_DEPLOY apps (default 1,000) deployed to every cluster. Timed: `flotilla refresh` as a user runs it
// (wall, CPU of the process and its children, peak RSS), FLEET_REFRESH_RUNS times (default 3) into one store, as a
// periodic refresh does; then, in this process, one comparison recorded into SQLite (a new store, and the same fleet
// again unchanged) to time the record apart. Every app × cluster's sync status and health is counted, and no Unknown
// is accepted: all three clusters are up.
//
// Deployed with a headless Service (`clusterIP: None`): the test clusters' service CIDR is a /24 (~250 ClusterIPs), too
// few for 1,000 Services. So a deployed app is OutOfSync on that one field (Git does not set it) and Progressing (its
// HPA waits for metrics no metrics server gives), while its Deployment (Pods made Ready by kwok) and ConfigMaps are
// live and Synced; an app not deployed is OutOfSync/Missing.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClusterConnection } from '../electron/services/cluster/connection';
import { ClusterManager } from '../electron/services/cluster/cluster-manager';
import { syncApp } from '../electron/services/cluster/sync';
import { compareFleet } from '../electron/services/fleet-compare';
import type { FleetComparison } from '../electron/services/fleet-compare';
import { snapshotFromComparison } from '../electron/services/fleet-refresh';
import { FleetService } from '../electron/services/fleet-service';
import { renderApps } from '../electron/services/render-service';
import { FleetStore } from '../electron/store/fleet-store';
import { instanceNameOf } from '../shared/fleet/app-name';
import type { KubeObject } from '../shared/model/status';
import { startKubeFleet } from '../test/helpers/kube-fleet';
import { ensureBuilt, projectRoot, timeCommand } from './child-process';
import type { ChildRun } from './child-process';
import { writeSyntheticFleet } from './synthetic-fleet';
import type { BenchResult } from './types';
import { median } from './types';

const APPS = Number(process.env.FLEET_REFRESH_APPS ?? 10_000);
const DEPLOY = Math.min(APPS, Number(process.env.FLEET_REFRESH_DEPLOY ?? 1_000));
const RUNS = Number(process.env.FLEET_REFRESH_RUNS ?? 3);
const CLUSTERS = ['dev-01', 'staging-01', 'prod-01'] as const;

/** Progress on stderr (a 10,000-app fleet takes minutes to write and to refresh). */
const say = (line: string): void => void process.stderr.write(`fleet-refresh: ${line}\n`);

/** Runs async jobs with a concurrency limit. */
async function pool<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** A Service made headless (`clusterIP: None`): it takes no address from the cluster's /24 service range. */
function headless(o: KubeObject): KubeObject {
  return o.kind === 'Service' ? { ...o, spec: { ...(o.spec as Record<string, unknown>), clusterIP: 'None' } } : o;
}

/** One rendered app × cluster to deploy. */
interface Deployable {
  readonly app: string;
  readonly cluster: string;
  readonly namespace: string;
  readonly objects: readonly KubeObject[];
}

/**
 * Deploys the first `count` apps to every cluster as `flotilla sync` would (server-side apply with the tracking
 * annotation, namespace created), without their Service (see the header). The apps are rendered from a fleet of just
 * those apps: the synthetic fleet's apps are the same whatever its size.
 */
async function deploy(root: string, servers: readonly string[], kubeconfig: string, count: number): Promise<number> {
  const dir = path.join(root, 'deploy-fleet');
  writeSyntheticFleet(dir, { apps: count, clustersPerEnv: 1, servers });
  const todo: Deployable[] = [];
  const failed: string[] = [];
  await renderApps(await FleetService.open(dir), {}, (r) => {
    if (r.problems.some((p) => p.severity === 'error') || !r.cluster) return void failed.push(`${r.app}: ${r.problems.map((p) => p.message).join('; ')}`);
    todo.push({ app: r.app, cluster: r.cluster, namespace: r.app.slice(0, -(r.cluster.length + 1)), objects: r.objects.map(headless) });
  });
  if (failed.length) throw new Error(`rendering the apps to deploy failed: ${failed.slice(0, 3).join(' | ')}`);
  const manager = ClusterManager.fromKubeconfig({ kubeconfigPaths: [kubeconfig], clusters: CLUSTERS.map((c) => ({ name: c, context: c, labels: {}, annotations: {} })), timeoutMs: 30_000 });
  try {
    await Promise.all(CLUSTERS.map((c) => pool(todo.filter((d) => d.cluster === c), 12, async (d) => {
      const res = await syncApp(manager.connection(c), d.objects, { app: instanceNameOf(d.app), namespace: d.namespace, createNamespace: true, prune: false, tracking: { method: 'annotation' } });
      if (res.phase !== 'Succeeded') throw new Error(`deploying ${d.app} to ${c} failed: ${res.message ?? res.resources.find((x) => x.problem)?.problem?.message}`);
    })));
    await Promise.all(CLUSTERS.map((c) => rolledOut(manager.connection(c), count)));
  } finally {
    manager.close();
  }
  return todo.length;
}

/** Waits (up to 5 min) until the cluster's `count` Deployments have every replica ready (the controllers and kwok). */
async function rolledOut(conn: ClusterConnection, count: number): Promise<void> {
  const until = Date.now() + 300_000;
  for (;;) {
    const list = await conn.request<{ items: { spec?: { replicas?: number }; status?: { readyReplicas?: number } }[] }>({ path: '/apis/apps/v1/deployments', timeoutMs: 60_000 });
    const ready = list.items.filter((d) => (d.status?.readyReplicas ?? 0) >= (d.spec?.replicas ?? 1)).length;
    if (list.items.length >= count && ready >= count) return;
    if (Date.now() > until) throw new Error(`${conn.name}: ${ready} of ${count} Deployments rolled out after 5 min`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** How many app × clusters are in each sync status / health, e.g. `OutOfSync/Missing=27000 …`. */
function stateCounts(rows: readonly { readonly status: { readonly sync: string; readonly health: { readonly status: string } } }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const k = `${r.status.sync}/${r.status.health.status}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** The JSON `flotilla refresh -o json` prints (the fields checked here). */
interface RefreshJson {
  readonly appClusters: number;
  readonly unknown: number;
  readonly drifted: number;
  readonly changed: number;
  readonly unchanged: number;
}

/** The benchmark. */
export async function run(): Promise<BenchResult[]> {
  const repoRoot = projectRoot();
  ensureBuilt(repoRoot);
  const root = mkdtempSync(path.join(os.tmpdir(), 'flotilla-fleet-refresh-'));
  say(`starting 3 clusters`);
  const fleet = await startKubeFleet({ log: () => undefined, clusters: CLUSTERS.map((name) => ({ name, context: name })), extraContexts: false });
  try {
    const servers = CLUSTERS.map((c) => fleet.cluster(c).server);
    const repo = path.join(root, 'fleet');
    say(`writing a fleet of ${APPS} apps × ${CLUSTERS.length} clusters`);
    let t = performance.now();
    writeSyntheticFleet(repo, { apps: APPS, clustersPerEnv: 1, servers, packed: true });
    const writeMs = performance.now() - t;
    say(`deploying ${DEPLOY} apps to each cluster`);
    t = performance.now();
    const deployed = DEPLOY > 0 ? await deploy(root, servers, fleet.kubeconfig, DEPLOY) : 0;
    const deployMs = performance.now() - t;
    const total = APPS * CLUSTERS.length;

    // `flotilla refresh` as a user runs it, into one store (the first run records everything, later ones the same fleet).
    const dataDir = path.join(root, 'data');
    const runs: ChildRun[] = [];
    let last: RefreshJson | undefined;
    const changed: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      say(`flotilla refresh, run ${i + 1} of ${RUNS}`);
      const r = timeCommand(process.execPath, [path.join(repoRoot, 'bin', 'flotilla.js'), 'refresh', '--repo', repo, '--kubeconfig', fleet.kubeconfig, '--data-dir', dataDir, '-o', 'json'], { rss: true });
      last = JSON.parse(r.stdout) as RefreshJson;
      if (last.appClusters !== total) throw new Error(`refresh compared ${last.appClusters} app × clusters, expected ${total}`);
      if (last.unknown !== 0) throw new Error(`refresh left ${last.unknown} of ${total} app × clusters Unknown with every cluster up`);
      runs.push(r);
      changed.push(last.changed);
      say(`  ${(r.wall_ms / 1000).toFixed(1)} s wall, ${(r.cpu_ms / 1000).toFixed(1)} s CPU, ${r.max_rss_mb} MB peak RSS, load ${r.load.toFixed(1)}`);
    }

    // The record apart: one comparison in this process, recorded into a new store and again (unchanged) on top.
    say('comparing in process to time the record into SQLite');
    t = performance.now();
    const result: FleetComparison = await compareFleet({ repo, kubeconfig: [fleet.kubeconfig] });
    const compareMs = performance.now() - t;
    const counts = stateCounts(result.rows);
    const unknown = result.rows.filter((r) => r.status.sync === 'Unknown');
    if (unknown.length) throw new Error(`${unknown.length} app × clusters Unknown with every cluster up, e.g. ${unknown[0]!.app} on ${unknown[0]!.cluster}: ${unknown[0]!.status.error ?? ''}`);
    const recordNew: number[] = [];
    const recordNewCpu: number[] = [];
    const recordAgain: number[] = [];
    const recordAgainCpu: number[] = [];
    let resources = 0;
    for (let i = 0; i < 3; i++) {
      const store = FleetStore.open(path.join(root, `record-${i}.db`));
      try {
        for (const [samples, cpuSamples] of [[recordNew, recordNewCpu], [recordAgain, recordAgainCpu]] as const) {
          const snapshot = snapshotFromComparison(result, false);
          resources = snapshot.appClusters.reduce((n, a) => n + a.status.resources.length, 0);
          const c = process.cpuUsage();
          const s = performance.now();
          store.recordSnapshot(snapshot);
          samples.push(performance.now() - s);
          const u = process.cpuUsage(c);
          cpuSamples.push((u.user + u.system) / 1000);
        }
      } finally {
        store.close();
      }
    }

    const load = runs.map((r) => r.load.toFixed(1)).join('/');
    const walls = runs.map((r) => r.wall_ms);
    const cpus = runs.map((r) => r.cpu_ms);
    return [
      {
        name: `flotilla refresh: ${APPS} apps × 3 real clusters = ${total} app × clusters (${DEPLOY} apps deployed to each), recorded into the store`,
        median_ms: median(walls), samples: walls, cpu_samples: cpus,
        extra: {
          peak_rss_mb: Math.max(...runs.map((r) => r.max_rss_mb ?? 0)), load,
          unknown: last?.unknown ?? -1, drifted: last?.drifted ?? -1, changed_per_run: changed.join('/'), deployed,
          ...counts,
        },
      },
      { name: `record into SQLite: ${total} app × clusters, ${resources} resources, new store`, median_ms: median(recordNew), samples: recordNew, cpu_samples: recordNewCpu, extra: { goal_ms: 1000 } },
      { name: `record into SQLite: the same fleet again, unchanged`, median_ms: median(recordAgain), samples: recordAgain, cpu_samples: recordAgainCpu, extra: { goal_ms: 1000 } },
      { name: 'in this process: the comparison the record was timed on (compareFleet)', median_ms: compareMs, extra: { write_fleet_ms: Math.round(writeMs), deploy_ms: Math.round(deployMs) } },
    ];
  } finally {
    await fleet.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
