// The app page in Chromium for an app of 200 resources (bench/dev-cluster.ts's app: 40 Deployments × 2 Pods, so 320
// nodes in the tree and ~200 events) on the simulated cluster (real API server, controllers, kwok), served by
// `flotilla serve` from a repository whose one generated app renders those objects. Timed from navigation to a deep
// link (`#/apps/web-dev/dev`, `#/apps/web-dev/dev/Tree`): the recorded resources listed; the live tree drawn with
// its events counted; then, in the page, the Events tab clicked → the app's events listed. And in the app (its script
// already started, as a person moves from the Fleet page): app page URL set → resources listed, Tree tab → tree drawn.
// Issue #17: < 300 ms after navigation.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { launchChromium } from '../test/helpers/browser';
import { commitAll, git, writeFiles } from '../test/helpers/git-fixtures';
import { webAppSet } from '../test/helpers/kube-fleet';
import { repoRoot } from '../test/helpers/paths';
import { startServe } from '../test/helpers/serve';
import { syncApp } from '../electron/services/cluster/sync';
import { appOf200Objects, startDevCluster } from './dev-cluster';
import { measuredPage, processCpuMs } from './measured-page';
import type { BenchResult } from './types';
import { median } from './types';

const REPO_URL = 'https://git.example.com/bench/app-page.git';
const NS = 'bench-page';
const APP = 'web-dev';
/** The tree's nodes: the 200 objects, the 40 ReplicaSets and 80 Pods the controllers made. */
const NODES = 200 + 40 + 80;

/** Opens the app page of 200 resources `runs` times (after one untimed warm-up); medians with CPU (server + page). */
export async function appPage(runs: number): Promise<BenchResult[]> {
  const dev = await startDevCluster();
  const repo = mkdtempSync(path.join(os.tmpdir(), 'flotilla-app-page-bench-'));
  const data = mkdtempSync(path.join(os.tmpdir(), 'flotilla-app-page-bench-data-'));
  try {
    const cluster = dev.fleet.cluster('dev');
    const objects = appOf200Objects();
    git(repo, 'init', '-q', '-b', 'main');
    writeFiles(repo, {
      'flotilla.yaml': ['apiVersion: flotilla.dev/v1alpha1', 'kind: Fleet', 'metadata:', '  name: bench', 'spec:', `  repoURL: ${REPO_URL}`, '  applicationSets:', '  - appsets/*.yaml', '  clusters:', '  - name: dev', `    context: ${cluster.context}`, `    server: ${cluster.server}`, ''].join('\n'),
      'appsets/web.yaml': webAppSet(REPO_URL, NS, [cluster]),
      'apps/web/kustomization.yaml': 'resources:\n- objects.yaml\n',
      'apps/web/objects.yaml': objects.map((o) => stringify(o)).join('---\n'),
    });
    commitAll(repo, 'One app of 200 objects on the dev cluster');
    // Synced once (as app-tree.bench does), every Deployment Available; then one refresh records the app's status.
    const synced = await syncApp(dev.manager.connection('dev'), objects, { app: APP, namespace: NS, createNamespace: true, waitForHealthy: { timeoutMs: 120_000, intervalMs: 200 } });
    if (synced.phase !== 'Succeeded') throw new Error(`sync failed: ${synced.message ?? synced.resources.find((x) => x.problem)?.problem?.message}`);
    execFileSync(process.execPath, [path.join(repoRoot, 'bin', 'flotilla.js'), 'refresh', '--repo', repo, '--kubeconfig', dev.fleet.kubeconfig], { env: { ...process.env, FLOTILLA_DATA_DIR: data }, stdio: ['ignore', 'ignore', 'inherit'] });
    return await measure(repo, data, dev.fleet.kubeconfig, runs);
  } finally {
    await dev.stop();
    rmSync(repo, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    rmSync(data, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

async function measure(repo: string, data: string, kubeconfig: string, runs: number): Promise<BenchResult[]> {
  const serve = await startServe(repo, data, { KUBECONFIG: kubeconfig });
  const browser = await launchChromium();
  const base = `${serve.url}#/apps/${APP}/dev`;
  const listed: number[] = [];
  const listedCpu: number[] = [];
  const tree: number[] = [];
  const treeCpu: number[] = [];
  const events: number[] = [];
  const eventsCpu: number[] = [];
  const inAppListed: number[] = [];
  const inAppListedCpu: number[] = [];
  const inAppTree: number[] = [];
  const inAppTreeCpu: number[] = [];
  /** Of the in-app figures' CPU, the server's alone (the rest is the page's main thread). */
  const inAppListedServer: number[] = [];
  const inAppTreeServer: number[] = [];
  let counts = { nodes: 0, events: 0 };
  const pid = serve.child.pid!;
  try {
    // Warm-up, untimed: until the tree holds every ReplicaSet and Pod the controllers make.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { page } = await measuredPage(browser);
      await page.goto(`${base}/Tree`);
      const header = await page.getByText(/ resources · \d+ events/).textContent({ timeout: 60_000 });
      await page.close();
      if (Number(/· (\d+) resources/.exec(header ?? '')?.[1]) === NODES) break;
      if (Date.now() > deadline) throw new Error(`the tree never showed ${NODES} resources: "${header}"`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    for (let i = 0; i < runs; i++) {
      // Deep link to the app page: the recorded resources listed (200, under their kinds).
      const a = await measuredPage(browser);
      let c0 = processCpuMs(pid);
      let p0 = await a.taskMs();
      let t0 = performance.now();
      await a.page.goto(base);
      await a.page.waitForFunction((n) => document.querySelectorAll('ul[aria-label="Resources"] > li > ul > li').length === n, 200, { timeout: 60_000, polling: 'raf' });
      listed.push(performance.now() - t0);
      listedCpu.push(processCpuMs(pid) - c0 + (await a.taskMs()) - p0);
      await a.page.close();

      // Deep link to the Tree tab: the cluster read (live state, tree, events) and 320 rows drawn with the events counted.
      const b = await measuredPage(browser);
      c0 = processCpuMs(pid);
      p0 = await b.taskMs();
      t0 = performance.now();
      await b.page.goto(`${base}/Tree`);
      await b.page.waitForFunction((n) => document.querySelectorAll('table[aria-label="Resource tree"] tbody tr').length === n, NODES, { timeout: 60_000, polling: 'raf' });
      tree.push(performance.now() - t0);
      treeCpu.push(processCpuMs(pid) - c0 + (await b.taskMs()) - p0);
      const header = (await b.page.getByText(/ resources · \d+ events/).textContent()) ?? '';
      counts = { nodes: Number(/· (\d+) resources/.exec(header)?.[1]), events: Number(/· (\d+) events/.exec(header)?.[1]) };
      if (counts.events === 0) throw new Error(`the tree shows no events: "${header}"`);

      // In the page: the Events tab clicked → the app's events listed (timed in the page, from the click).
      c0 = processCpuMs(pid);
      p0 = await b.taskMs();
      events.push(
        await b.page.evaluate(async () => {
          const tab = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')].find((x) => x.textContent?.trim() === 'Events')!;
          const start = performance.now();
          tab.click();
          while (document.querySelectorAll('table[aria-label="Events"] tbody tr').length === 0) {
            if (performance.now() - start > 60_000) throw new Error('the Events tab listed no events in 60 s');
            await new Promise((r) => requestAnimationFrame(r));
          }
          return performance.now() - start;
        }),
      );
      eventsCpu.push(processCpuMs(pid) - c0 + (await b.taskMs()) - p0);
      await b.page.close();

      // In the app, as a person moves (the app's script already loaded and started): the Fleet page open, then the
      // app page's URL (as a grid cell or the palette sets it) → resources listed; then the Tree tab clicked → tree drawn.
      const c = await measuredPage(browser);
      await c.page.goto(`${serve.url}#/fleet`);
      await c.page.getByRole('grid', { name: 'Apps by cluster' }).getByRole('rowheader').first().waitFor({ timeout: 60_000 });
      c0 = processCpuMs(pid);
      p0 = await c.taskMs();
      inAppListed.push(
        await c.page.evaluate(async (hash) => {
          const start = performance.now();
          window.location.hash = hash;
          while (document.querySelectorAll('ul[aria-label="Resources"] > li > ul > li').length !== 200) {
            if (performance.now() - start > 60_000) throw new Error('the app page listed no 200 resources in 60 s');
            await new Promise((r) => requestAnimationFrame(r));
          }
          return performance.now() - start;
        }, `#/apps/${APP}/dev`),
      );
      inAppListedServer.push(processCpuMs(pid) - c0);
      inAppListedCpu.push(inAppListedServer.at(-1)! + (await c.taskMs()) - p0);
      c0 = processCpuMs(pid);
      p0 = await c.taskMs();
      inAppTree.push(
        await c.page.evaluate(async (n) => {
          const tab = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')].find((x) => x.textContent?.trim() === 'Tree')!;
          const start = performance.now();
          tab.click();
          while (document.querySelectorAll('table[aria-label="Resource tree"] tbody tr').length !== n) {
            if (performance.now() - start > 60_000) throw new Error(`the Tree tab drew no ${n} rows in 60 s`);
            await new Promise((r) => requestAnimationFrame(r));
          }
          return performance.now() - start;
        }, NODES),
      );
      inAppTreeServer.push(processCpuMs(pid) - c0);
      inAppTreeCpu.push(inAppTreeServer.at(-1)! + (await c.taskMs()) - p0);
      await c.page.close();
    }
  } finally {
    await browser.close();
    await serve.stop();
  }
  return [
    { name: 'app page: navigation (deep link) → 200 recorded resources listed (CPU: server + page)', median_ms: median(listed), samples: listed, cpu_samples: listedCpu },
    { name: `app page: navigation (deep link to Tree) → live tree of ${NODES} nodes drawn with its events counted (CPU: server + page)`, median_ms: median(tree), samples: tree, cpu_samples: treeCpu, extra: counts },
    { name: 'app page: in the app, Fleet page → app page URL set → 200 resources listed (timed in the page; CPU: server + page)', median_ms: median(inAppListed), samples: inAppListed, cpu_samples: inAppListedCpu, extra: { server_cpu_ms: median(inAppListedServer) } },
    { name: `app page: in the app, Tree tab clicked → live tree of ${NODES} nodes drawn (timed in the page; CPU: server + page)`, median_ms: median(inAppTree), samples: inAppTree, cpu_samples: inAppTreeCpu, extra: { server_cpu_ms: median(inAppTreeServer) } },
    { name: 'app page: Tree → Events tab clicked → the app\'s events listed (timed in the page; CPU: server + page)', median_ms: median(events), samples: events, cpu_samples: eventsCpu },
  ];
}
