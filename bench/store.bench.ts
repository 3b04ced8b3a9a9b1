// The fleet store: recording 20,000 resources, re-recording them unchanged (time and growth of file + WAL),
// drift reports over 20,000 resources with 500 drifted in each format, and the fleet page's data; then a refresh of
// 10,000 apps × 3 clusters (30,000 app × clusters, 150,000 resources, shaped as `flotilla refresh` gives it: most
// apps Missing, their statuses carrying whole objects as changes and diffs) recorded into a new store and again
// unchanged, and the Fleet page's data read from it before and after the grid read. Recording also reports its CPU
// time: on a shared, loaded machine the wall time includes waiting for a core.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { snapshotFromComparison } from '../electron/services/fleet-refresh';
import { FleetStore } from '../electron/store/fleet-store';
import { buildDriftReport, DRIFT_REPORT_FORMATS, renderDriftReport } from '../shared/report/index';
import { refreshComparison } from '../test/electron/store/refresh-fleet';
import { syntheticSnapshot } from '../test/electron/store/synthetic-fleet';
import { FleetAtOracle } from '../test/electron/store/fleet-at-oracle';
import type { BenchResult, Samples } from './types';
import { cpuNow, median, sample, stats } from './types';

const SHAPE = { apps: 50, clusters: 10, resourcesPerApp: 40 } as const; // 20,000 resources, 500 app × clusters
const RUNS = 5;
// What a refresh of 10,000 apps × 3 clusters records (bench/fleet-refresh.bench.ts, without the clusters).
const REFRESH_SHAPE = { apps: 10_000, clusters: 3 } as const;
const REFRESH_RUNS = Number(process.env.STORE_BENCH_REFRESH_RUNS ?? 3);
// Interleaved pairs (before, after) of the Fleet page's read at 10,000 × 3.
const GRID_PAIRS = Number(process.env.STORE_BENCH_GRID_PAIRS ?? 9);

function size(f: string): number {
  try {
    return statSync(f).size;
  } catch {
    return 0;
  }
}

/** Runs the store benchmarks. */
export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-store-bench-'));
  const results: BenchResult[] = [];
  try {
    const resources = SHAPE.apps * SHAPE.clusters * SHAPE.resourcesPerApp;

    // 1. Recording a fresh snapshot of 20,000 resources into an empty store.
    const recordSamples: number[] = [];
    const recordCpu: number[] = [];
    let firstFileBytes = 0;
    for (let i = 0; i <= RUNS; i++) {
      const file = path.join(dir, `record-${i}.db`);
      const store = FleetStore.open(file);
      const input = syntheticSnapshot({ ...SHAPE, drifted: 500 });
      const c = process.cpuUsage();
      const t = performance.now();
      store.recordSnapshot(input);
      const ms = performance.now() - t;
      const cpu = process.cpuUsage(c);
      if (i > 0) {
        // The first run warms up.
        recordSamples.push(ms);
        recordCpu.push((cpu.user + cpu.system) / 1000);
      }
      store.close();
      firstFileBytes = size(file) + size(`${file}-wal`); // closed: checkpointed into the file
    }
    results.push({ name: 'record snapshot (20,000 resources, new store)', ...stats(recordSamples, recordCpu), extra: { resources, appClusters: SHAPE.apps * SHAPE.clusters, storeMB: (firstFileBytes / 1e6).toFixed(1) } });

    // 2. Re-recording the same fleet unchanged (freshly built objects, as a refresh would read them).
    const file = path.join(dir, 'fleet.db');
    const store = FleetStore.open(file);
    store.recordSnapshot(syntheticSnapshot({ ...SHAPE, drifted: 500, takenAt: '2026-11-23T10:00:00.000Z' }));
    const rerecord: number[] = [];
    const rerecordCpu: number[] = [];
    const growth: number[] = [];
    const walBytes: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const input = syntheticSnapshot({ ...SHAPE, drifted: 500, takenAt: new Date(Date.parse('2026-11-23T10:00:00.000Z') + (i + 1) * 300_000).toISOString() });
      // Start from an empty WAL so its growth is measured, not hidden in space left by earlier writes.
      (store as unknown as { db: { pragma(s: string): unknown } }).db.pragma('wal_checkpoint(TRUNCATE)');
      const before = size(file) + size(`${file}-wal`);
      const c = process.cpuUsage();
      const t = performance.now();
      const r = store.recordSnapshot(input);
      const ms = performance.now() - t;
      const cpu = process.cpuUsage(c);
      if (r.changed !== 0) throw new Error(`unchanged fleet re-recorded ${r.changed} app × clusters`);
      const after = size(file) + size(`${file}-wal`);
      if (i > 0) {
        rerecord.push(ms);
        rerecordCpu.push((cpu.user + cpu.system) / 1000);
        growth.push(after - before);
        walBytes.push(size(`${file}-wal`));
      }
    }
    (store as unknown as { db: { pragma(s: string): unknown } }).db.pragma('wal_checkpoint(TRUNCATE)');
    results.push({
      name: 're-record unchanged snapshot (20,000 resources)',
      ...stats(rerecord, rerecordCpu),
      extra: { growthKB: (median(growth) / 1024).toFixed(1), walKB: (median(walBytes) / 1024).toFixed(1), snapshots: store.snapshots(1000).length },
    });

    // 3. Drift report over 20,000 resources with 500 drifted: read from the store, build, render.
    for (const format of DRIFT_REPORT_FORMATS) {
      let bytes = 0;
      let drifted = 0;
      const samples = await sample(RUNS, () => {
        const report = buildDriftReport(store.driftReportInput({ generatedAt: '2026-11-23T12:00:00.000Z' }));
        drifted = report.summary.driftedResources;
        bytes = renderDriftReport(report, format).length;
      });
      results.push({ name: `drift report ${format} (20,000 resources, 500 drifted)`, ...stats(samples), extra: { driftedResources: drifted, outputKB: (bytes / 1024).toFixed(0) } });
    }

    // 4. The fleet page's data: the latest status of every app × cluster, from a freshly opened store.
    store.close();
    let rows = 0;
    const fleetSamples = await sample(RUNS, () => {
      const s = FleetStore.open(file);
      rows = s.fleetAt()!.appClusters.length;
      s.close();
    });
    results.push({ name: 'fleet page data (open store + latest status of every app × cluster)', ...stats(fleetSamples), extra: { appClusters: rows } });
    const s = FleetStore.open(file);
    const warm = await sample(RUNS, () => void s.fleetAt());
    s.close();
    results.push({ name: 'fleet page data (store already open)', ...stats(warm), extra: { appClusters: rows } });

    // 5. A refresh of 10,000 apps × 3 clusters: a new store, then the same fleet again, unchanged.
    if (REFRESH_RUNS > 0) results.push(...refreshRecord(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

/**
 * Records the comparison of a 10,000 × 3 refresh as bench/fleet-refresh.bench.ts does (one comparison, kept alive, a
 * snapshot made of it before each record, only the record timed): into a new store, then again unchanged on top. The
 * first of each warms up.
 */
function refreshRecord(dir: string): BenchResult[] {
  const comparison = refreshComparison(REFRESH_SHAPE);
  const snapshotAt = (i: number) => ({ takenAt: new Date(Date.parse('2026-11-23T10:00:00.000Z') + i * 300_000).toISOString(), ...snapshotFromComparison(comparison, false) });
  const resources = comparison.rows.reduce((n, r) => n + r.status.resources.length, 0);
  const label = `${REFRESH_SHAPE.apps.toLocaleString('en')} apps × ${REFRESH_SHAPE.clusters} clusters, ${resources.toLocaleString('en')} resources`;
  const timed = (fn: () => unknown): [number, number] => {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    const ms = performance.now() - t;
    const cpu = process.cpuUsage(c);
    return [ms, (cpu.user + cpu.system) / 1000];
  };
  const record: number[] = [];
  const recordCpu: number[] = [];
  let storeMB = '';
  for (let i = 0; i <= REFRESH_RUNS; i++) {
    const file = path.join(dir, `refresh-${i}.db`);
    const store = FleetStore.open(file);
    const input = snapshotAt(0);
    const [ms, cpu] = timed(() => store.recordSnapshot(input));
    store.close();
    storeMB = (size(file) / 1e6).toFixed(0);
    rmSync(file, { force: true });
    if (i > 0) {
      record.push(ms);
      recordCpu.push(cpu);
    }
  }
  const again: number[] = [];
  const againCpu: number[] = [];
  let grid: BenchResult[];
  const file = path.join(dir, 'refresh.db');
  const store = FleetStore.open(file);
  try {
    store.recordSnapshot(snapshotAt(0));
    for (let i = 0; i <= REFRESH_RUNS; i++) {
      let changed = 0;
      const input = snapshotAt(i + 1);
      const [ms, cpu] = timed(() => (changed = store.recordSnapshot(input).changed));
      if (changed !== 0) throw new Error(`unchanged fleet re-recorded ${changed} app × clusters`);
      if (i > 0) {
        again.push(ms);
        againCpu.push(cpu);
      }
    }
    grid = fleetGridRead(store, file, label);
  } finally {
    store.close();
    rmSync(file, { force: true });
  }
  return [
    { name: `record snapshot (refresh of ${label}, new store)`, ...stats(record, recordCpu), extra: { appClusters: comparison.rows.length, storeMB, goal_cpu_ms: Math.round((resources / 20_000) * 1000) } },
    { name: `re-record unchanged snapshot (refresh of ${label})`, ...stats(again, againCpu), extra: { goal_cpu_ms: Math.round((resources / 20_000) * 200) } },
    ...grid,
  ];
}

/**
 * The Fleet page's data at the latest snapshot of the refresh store (store already open): `fleetAt()` beside the read
 * it replaced (a correlated search per app × cluster, objects, three localeCompares per comparison:
 * test/electron/store/fleet-at-oracle.ts), in interleaved pairs whose order alternates, after one warm-up of each.
 * Their answers are checked equal first.
 */
function fleetGridRead(store: FleetStore, file: string, label: string): BenchResult[] {
  const oracle = new FleetAtOracle(file);
  try {
    const now = JSON.stringify(store.fleetAt());
    if (now !== JSON.stringify(oracle.fleetAt())) throw new Error('fleetAt() differs from the read it replaced');
    const rows = store.fleetAt()!.appClusters.length;
    const timed = (fn: () => unknown): [number, number] => {
      const c = cpuNow();
      const t = performance.now();
      fn();
      return [performance.now() - t, cpuNow() - c];
    };
    const before: Samples = [];
    const after: Samples = [];
    before.cpu = [];
    after.cpu = [];
    for (let i = 0; i <= GRID_PAIRS; i++) {
      const pair: [Samples, () => unknown][] = [
        [before, () => oracle.fleetAt()],
        [after, () => store.fleetAt()],
      ];
      if (i % 2) pair.reverse();
      for (const [samples, fn] of pair) {
        const [ms, cpu] = timed(fn);
        if (i > 0) {
          samples.push(ms);
          samples.cpu!.push(cpu);
        }
      }
    }
    return [
      { name: `fleet page data, before: correlated search, objects, localeCompare sort (${label}, store open)`, ...stats(before), extra: { appClusters: rows } },
      { name: `fleet page data, after: latest by primary key, arrays, ranked sort (${label}, store open)`, ...stats(after), extra: { appClusters: rows } },
    ];
  } finally {
    oracle.close();
  }
}
