import { readAppTree } from '../electron/services/cluster/app-tree';
import { appOf200Objects, startDevCluster } from './dev-cluster';
import { LiveStore } from '../electron/services/cluster/live-state';
import { syncApp } from '../electron/services/cluster/sync';
import { assessHealth } from '../shared/health';
import type { BenchResult } from './types';
import { median, sample, stats } from './types';

// What the app page's Tree tab costs for an app of 200 resources on the simulated cluster (real API server,
// controllers and kwok): the app's live state (a fresh LiveStore: discovery, one list per kind), its tree (the
// ReplicaSets and Pods the controllers made, found by owner) with health per node, and the events of all of them —
// the reads `app:tree` makes after rendering. The app is synced once, then read when every Pod is Ready.

const RUNS = 7;
const NS = 'bench-tree';

export async function run(): Promise<BenchResult[]> {
  const dev = await startDevCluster();
  const { manager } = dev;
  try {
    const conn = manager.connection('dev');
    const desired = appOf200Objects();
    if (desired.length !== 200) throw new Error(`expected 200 objects, made ${desired.length}`);
    const synced = await syncApp(conn, desired, { app: 'bench-tree', namespace: NS, createNamespace: true, waitForHealthy: { timeoutMs: 120_000, intervalMs: 200 } });
    if (synced.phase !== 'Succeeded') throw new Error(`sync failed: ${synced.message ?? synced.resources.find((x) => x.problem)?.problem?.message}`);

    let last = { nodes: 0, pods: 0, events: 0, lists: 0, liveMs: 0 };
    const open = async (): Promise<{ ready: number }> => {
      const t = performance.now();
      const store = new LiveStore(conn, { watch: false });
      try {
        const state = await store.liveState('bench-tree', desired, NS);
        const liveMs = performance.now() - t;
        const tree = await readAppTree(conn, state.resources, { app: 'bench-tree', assess: (o) => assessHealth(o) });
        if (tree.problems.length || state.problems.length) throw new Error(`problems: ${[...state.problems, ...tree.problems].map((p) => p.message).join('; ')}`);
        const pods = tree.nodes.filter((n) => n.kind === 'Pod');
        last = { nodes: tree.nodes.length, pods: pods.length, events: tree.events.length, lists: tree.lists, liveMs };
        return { ready: pods.filter((p) => p.health?.status === 'Healthy').length };
      } finally {
        store.close();
      }
    };
    // Every Deployment Available (the sync waited for that); wait until all 80 Pods are Ready and listed too.
    const deadline = Date.now() + 120_000;
    while ((await open()).ready < 80) {
      if (Date.now() > deadline) throw new Error(`Pods not Ready in time: ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const liveOnly: number[] = [];
    const s = await sample(RUNS, async () => {
      await open();
      liveOnly.push(last.liveMs);
    });
    if (last.nodes !== 200 + 40 + 80) throw new Error(`expected 320 nodes (200 + 40 ReplicaSets + 80 Pods), got ${last.nodes}`);
    liveOnly.shift(); // the warm-up's
    return [
      { name: 'app tree: live state + tree + events of an app of 200 resources (320 nodes)', ...stats(s), extra: { nodes: last.nodes, pods: last.pods, events: last.events, child_lists: last.lists } },
      { name: 'app tree: of which the live state (fresh store: discovery and lists)', median_ms: median(liveOnly), samples: liveOnly },
    ];
  } finally {
    await dev.stop();
  }
}
