import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FleetStore } from '../electron/store/fleet-store';
import { storeFile } from '../electron/store/location';
import { launchChromium } from '../test/helpers/browser';
import { startServe } from '../test/helpers/serve';
import { appPage } from './app-page';
import { coldGrid } from './ui-cold';
import { gridShownMs, measuredPage, noteGridShown, noteShown, processCpuMs, shownMs } from './measured-page';
import { syntheticStatuses, writeSyntheticFleet } from './synthetic-fleet';
import type { BenchResult } from './types';
import { median } from './types';

// The fleet page in Chromium with 1,000 apps × 10 clusters (5 environments × 2) recorded in the store: time from
// navigation to an interactive grid, to the versions from Git shown (every app rendered at HEAD in the server), time
// for a filter to apply, and the renderer's heap. Then the Promotions page's pipeline graph for 300 apps × 5 stages
// (soak and approval gates into the last stage, history in the store): navigation to every stage drawn with its gates.
// Beside each wall time, its CPU: the server's (`flotilla serve` and the git processes it waited for) plus the page's
// main-thread task time (Chromium's TaskDuration): on a loaded machine wall times stretch, CPU times much less.

// UI_BENCH_FLEET=10000x3 measures the fleet-scale shape instead: 10,000 apps × 3 clusters (dev, staging, prod).
const LARGE = process.env.UI_BENCH_FLEET === '10000x3';
const APPS = LARGE ? 10_000 : 1000;
const ENVIRONMENTS = LARGE ? ['dev', 'staging', 'prod'] : ['dev', 'qa', 'staging', 'prod-eu', 'prod-us'];
const CLUSTERS_PER_ENV = LARGE ? 1 : 2;
const RUNS = 5;
/**
 * UI_BENCH_ONLY=grid, =graph or =app runs one part: the fleet page, the Promotions page's pipeline graph, or the app
 * page of 200 resources on the simulated cluster (bench/app-page.ts; not in the default run: it starts a cluster).
 * UI_BENCH_ONLY=cold: the cold first load of the 10,000 × 3 Fleet page, `flotilla serve` started for each load,
 * builds compared paired (bench/ui-cold.ts; not in the default run).
 */
const ONLY = process.env.UI_BENCH_ONLY;
if (ONLY !== undefined && ONLY !== 'grid' && ONLY !== 'graph' && ONLY !== 'app' && ONLY !== 'cold') throw new Error(`UI_BENCH_ONLY is "${ONLY}": expected grid, graph, app or cold`);
/**
 * Whether to wait for every app's version from Git (the whole fleet rendered once per commit: minutes of CPU at
 * 10,000 × 3, so off there unless UI_BENCH_ALL_VERSIONS=1).
 */
const ALL_VERSIONS = LARGE ? process.env.UI_BENCH_ALL_VERSIONS === '1' : process.env.UI_BENCH_ALL_VERSIONS !== '0';
/** A filter and how many rows it leaves (app-99 → app-099, app-990…999; app-999 → app-999, app-9990…9999). */
const FILTER: [string, number] = LARGE ? ['app-999', 11] : ['app-99', 10];

/** Opens the fleet page RUNS times and filters it; reports medians and the heap. */
export async function run(): Promise<BenchResult[]> {
  if (ONLY === 'graph') return pipelineGraph();
  if (ONLY === 'app') return appPage(RUNS);
  if (ONLY === 'cold') return coldGrid();
  const repo = mkdtempSync(path.join(os.tmpdir(), 'flotilla-ui-bench-repo-'));
  const data = mkdtempSync(path.join(os.tmpdir(), 'flotilla-ui-bench-data-'));
  writeSyntheticFleet(repo, { apps: APPS, clustersPerEnv: CLUSTERS_PER_ENV, environments: ENVIRONMENTS });
  const store = FleetStore.open(storeFile(data));
  // Recorded with a version Git does not say ("recorded"), so a cell shows when Git's version has reached it.
  const recorded = syntheticStatuses({ apps: APPS, clustersPerEnv: CLUSTERS_PER_ENV, environments: ENVIRONMENTS }, '0'.repeat(40));
  store.recordSnapshot({ appClusters: recorded.map((r) => ({ ...r, status: { ...r.status, version: 'recorded' } })) });
  store.close();
  const serve = await startServe(repo, data);
  const browser = await launchChromium();
  const loads: number[] = [];
  const loadCpu: number[] = [];
  const filters: number[] = [];
  const versions: number[] = [];
  const inView: number[] = [];
  let heap = 0;
  let rows = 0;
  try {
    for (let i = 0; i < RUNS; i++) {
      const { page, taskMs } = await measuredPage(browser);
      const c0 = processCpuMs(serve.child.pid!);
      const p0 = await taskMs();
      await noteGridShown(page);
      const t0 = performance.now();
      await page.goto(serve.url);
      // The page's own clock, from the navigation's start to the grid shown (see noteGridShown).
      loads.push(await gridShownMs(page));
      loadCpu.push(processCpuMs(serve.child.pid!) - c0 + (await taskMs()) - p0);
      // The versions from Git arrive after the grid: the rows in view first (asked for ahead of the rest), then every
      // app (the server renders each once per commit, then caches).
      // app-001's overlay in the first environment sets the tag 1.1.0 (see synthetic-fleet.ts): "…, 1.1.0, 2.1.0 (version in Git)".
      await page.waitForFunction(() => /, 1\.1\.0[,( ]/.test(document.querySelector('[role="grid"] [data-row="0"]')?.getAttribute('aria-label') ?? ''), undefined, { timeout: 120_000, polling: 'raf' });
      inView.push(performance.now() - t0);
      if (ALL_VERSIONS) {
        await page.getByText('(versions from Git at HEAD)').waitFor({ timeout: 600_000 });
        versions.push(performance.now() - t0);
      }
      rows = await page.getByRole('grid', { name: 'Apps by cluster' }).getAttribute('aria-rowcount').then(Number);
      // A filter that leaves 10 rows: time from the keystroke to the DOM showing them.
      const ms = await page.evaluate(async ([filter, expected]) => {
        const input = document.querySelector<HTMLInputElement>('input[aria-label="Filter apps by name"]')!;
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
        const start = performance.now();
        setter.call(input, filter);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        while (document.querySelectorAll('[role="grid"] [role="rowheader"]').length !== expected) await new Promise((r) => requestAnimationFrame(r));
        return performance.now() - start;
      }, FILTER);
      filters.push(ms);
      heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
      // The first load also starts the fleet's validation (every app rendered and checked, once per commit, in the
      // background): the later runs are timed once it is done (the cells show their findings), not beside it.
      if (i === 0) await page.waitForFunction(() => /finding/.test(document.querySelector('[role="grid"] [data-row="0"]')?.getAttribute('aria-label') ?? ''), undefined, { timeout: 600_000, polling: 1000 });
      await page.close();
    }
  } finally {
    await browser.close();
    await serve.stop();
    rmSync(repo, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    rmSync(data, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
  const graph = ONLY === 'grid' ? [] : await pipelineGraph();
  return [
    { name: `fleet page: navigation → interactive grid (${APPS} apps × ${ENVIRONMENTS.length * CLUSTERS_PER_ENV} clusters; CPU: server + page)`, median_ms: median(loads), samples: loads, cpu_samples: loadCpu, extra: { first_ms: Math.round(loads[0]!), rows: rows - 2 } },
    { name: 'fleet page: navigation → versions from Git of the rows in view shown (asked for first)', median_ms: median(inView), samples: inView, extra: { first_ms: Math.round(inView[0]!) } },
    ...(ALL_VERSIONS ? [{ name: 'fleet page: navigation → every version from Git shown (first: every app rendered at HEAD; then cached per commit)', median_ms: median(versions), samples: versions, extra: { first_ms: Math.round(versions[0]!) } }] : []),
    { name: `fleet page: filter applied (keystroke → ${FILTER[1]} rows shown)`, median_ms: median(filters), samples: filters },
    { name: 'fleet page: renderer JS heap after load', median_ms: 0, unit: '', extra: { heap_MB: Math.round(heap / 1e5) / 10 } },
    ...graph,
  ];
}

const GRAPH_APPS = 300;
const GRAPH_STAGES = ['dev', 'qa', 'staging', 'prod-eu', 'prod-us'];

/**
 * The Promotions page of a 300 apps × 5 stages fleet, RUNS times: from navigation to the pipeline graph drawn, every
 * stage with its gates' verdicts (soak per app behind and approval into the last stage, from a store whose history
 * has every app Synced and Healthy) and its Promote all. Twice per run: a page load (the app's own script loaded and
 * started first), and a move inside the app (Promotions chosen on the Fleet page), as a person goes there.
 */
async function pipelineGraph(): Promise<BenchResult[]> {
  const repo = mkdtempSync(path.join(os.tmpdir(), 'flotilla-ui-bench-graph-'));
  const data = mkdtempSync(path.join(os.tmpdir(), 'flotilla-ui-bench-graph-data-'));
  const shape = { apps: GRAPH_APPS, clustersPerEnv: 1, environments: GRAPH_STAGES };
  writeSyntheticFleet(repo, shape);
  // Gates into the last stage: a soak (checked per app behind, on the recorded history) and an approval.
  const file = path.join(repo, 'pipeline.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('    - name: prod-us\n      from: prod-eu\n', '    - name: prod-us\n      from: prod-eu\n      gates:\n        soak: 10m\n        approvers: ["leads"]\n'));
  execFileSync('git', ['-c', 'user.name=Flotilla Bench', '-c', 'user.email=bench@flotilla.invalid', 'commit', '-qam', 'Gates into prod-us'], { cwd: repo });
  const store = FleetStore.open(storeFile(data));
  const revision = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  // Synced and Healthy an hour ago and now: every soak of 10 minutes has passed.
  const at = (iso: string) => syntheticStatuses(shape, revision).map((r) => ({ ...r, status: { ...r.status, sync: 'Synced' as const, health: { status: 'Healthy' as const, message: '' }, observedAt: iso } }));
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
  store.recordSnapshot({ takenAt: hourAgo, appClusters: at(hourAgo) });
  const now = new Date().toISOString();
  store.recordSnapshot({ takenAt: now, appClusters: at(now) });
  store.close();
  const serve = await startServe(repo, data);
  const browser = await launchChromium();
  const loads: number[] = [];
  const cpu: number[] = [];
  const navs: number[] = [];
  const navCpu: number[] = [];
  let gates = 0;
  try {
    for (let i = 0; i < RUNS; i++) {
      const { page, taskMs } = await measuredPage(browser);
      const c0 = processCpuMs(serve.child.pid!);
      const p0 = await taskMs();
      await noteShown(page, { selector: 'article[aria-label="Stage prod-us"] button', text: 'Promote all prod-eu → prod-us' });
      await page.goto(`${serve.url}#/promotions`);
      // The page's own clock, from the navigation's start to the last stage's Promote all shown (see noteShown).
      loads.push(await shownMs(page, 120_000));
      const last = page.getByRole('article', { name: 'Stage prod-us' });
      await last.getByRole('button', { name: 'Promote all prod-eu → prod-us' }).waitFor({ timeout: 1_000 });
      cpu.push(processCpuMs(serve.child.pid!) - c0 + (await taskMs()) - p0);
      gates = Number((await last.textContent())?.match(/soak (\d+) of \d+ soaked/)?.[1] ?? 0);
      await page.close();
      // In the app, as a person moves: the Fleet page open, then Promotions chosen in the navigation.
      const inApp = await measuredPage(browser);
      await inApp.page.goto(`${serve.url}#/fleet`);
      await inApp.page.getByRole('grid', { name: 'Apps by cluster' }).waitFor({ timeout: 120_000 });
      // Once the grid's versions from Git are in (the server renders every app for them the first time): the move is
      // timed alone, not beside that work.
      await inApp.page.getByText('(versions from Git at HEAD)').waitFor({ timeout: 300_000 });
      const s0 = processCpuMs(serve.child.pid!);
      const q0 = await inApp.taskMs();
      // Timed in the page, from the click to the last stage's Promote all in the DOM (no test driver's polling in it).
      navs.push(
        await inApp.page.evaluate(async () => {
          const nav = [...document.querySelectorAll<HTMLButtonElement>('nav[aria-label="Main"] button')].find((b) => b.textContent?.trim() === 'Promotions')!;
          const drawn = (): boolean => [...document.querySelectorAll('article[aria-label="Stage prod-us"] button')].some((b) => b.textContent?.includes('Promote all prod-eu → prod-us'));
          const start = performance.now();
          nav.click();
          while (!drawn()) {
            if (performance.now() - start > 120_000) throw new Error('the pipeline graph was not drawn in 120 s');
            await new Promise((r) => requestAnimationFrame(r));
          }
          return performance.now() - start;
        }),
      );
      navCpu.push(processCpuMs(serve.child.pid!) - s0 + (await inApp.taskMs()) - q0);
      await inApp.page.close();
    }
  } finally {
    await browser.close();
    await serve.stop();
    rmSync(repo, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    rmSync(data, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
  return [
    { name: `promotions page: page load → pipeline graph drawn (${GRAPH_APPS} apps × ${GRAPH_STAGES.length} stages, gates into the last; CPU: server + page)`, median_ms: median(loads), samples: loads, cpu_samples: cpu, extra: { first_ms: Math.round(loads[0]!), soak_gates_passed: gates } },
    { name: 'promotions page: in the app, Fleet → Promotions clicked → pipeline graph drawn (CPU: server + page)', median_ms: median(navs), samples: navs, cpu_samples: navCpu },
  ];
}
