// The cold first load of the Fleet page: `flotilla serve` spawned, Chromium (already running, as a person's browser
// is) opening the printed URL the moment it appears, timed to the interactive grid from the spawn and from the
// navigation. Several builds (checkouts with a built dist/, e.g. the baseline's and this one) are measured paired and
// interleaved, round by round, on one fleet and store: each build has its own copy of the data folder.
//
// Four cases per build and round: "no cache" (the data folder's cache/ removed first: the first start ever, or after an
// upgrade), "restart" (the data folder as the previous start of that build left it), "new snapshot" (a snapshot
// recorded since the previous start, as `flotilla refresh` records one) and "new commit" (a commit since the previous
// start that changes one overlay's image tag, as a promotion does; made untimed, in a clone of the fleet repository).
// A build that keeps no cache measures the same thing four times. The V8 compile cache of bin/flotilla.js is warmed by
// an untimed start of each build first (a person has run flotilla before).

import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { FleetStore } from '../electron/store/fleet-store';
import { storeFile } from '../electron/store/location';
import { launchChromium, screenshotDir } from '../test/helpers/browser';
import { repoRoot } from '../test/helpers/paths';
import { gridShownMs, measuredPage, noteGridShown, processCpuMs } from './measured-page';
import { syntheticStatuses, writeSyntheticFleet } from './synthetic-fleet';
import type { BenchResult } from './types';
import { median } from './types';
import { servedProcess } from '../test/helpers/serve';

const SHAPE = { apps: 10_000, clustersPerEnv: 1, environments: ['dev', 'staging', 'prod'] };

/** One timed cold load. */
interface ColdSample {
  /** Spawn of `flotilla serve` → interactive grid (ms). */
  readonly fromSpawn: number;
  /** Navigation (the printed URL opened) → interactive grid (ms). */
  readonly fromNav: number;
  /** Spawn → URL printed (ms). */
  readonly toUrl: number;
  /** CPU (ms) of serve (since its spawn, with the git processes it waited for) and of the page's main thread, to the grid (read just after it: a little more). */
  readonly cpu: number;
  readonly serveCpu: number;
  readonly load1: number;
}

/**
 * UI_BENCH_ONLY=cold. UI_BENCH_COLD_BUILDS: checkouts to compare, comma-separated (default: this one);
 * UI_BENCH_REPO: the fleet repository (default: a synthetic 10,000 apps × 3 clusters written here);
 * UI_BENCH_ROUNDS: rounds (default 5).
 */
export async function coldGrid(): Promise<BenchResult[]> {
  const builds = (process.env.UI_BENCH_COLD_BUILDS ?? repoRoot).split(',').map((b) => path.resolve(b.trim()));
  for (const b of builds) if (!existsSync(path.join(b, 'dist', 'cli.js'))) throw new Error(`${b} is not built (no dist/cli.js)`);
  const rounds = Number(process.env.UI_BENCH_ROUNDS ?? 5);
  const work = mkdtempSync(path.join(os.tmpdir(), 'flotilla-ui-cold-'));
  // The "new commit" case commits into the fleet: a repository given is cloned first (locally: objects hard-linked).
  const repo = path.join(work, 'repo');
  if (process.env.UI_BENCH_REPO) execFileSync('git', ['clone', '-q', '--local', path.resolve(process.env.UI_BENCH_REPO), repo]);
  else {
    mkdirSync(repo);
    writeSyntheticFleet(repo, { ...SHAPE, packed: true });
  }
  // One store, copied into each build's data folder.
  const seed = path.join(work, 'seed');
  const store = FleetStore.open(storeFile(seed));
  const recorded = syntheticStatuses(SHAPE, '0'.repeat(40));
  store.recordSnapshot({ appClusters: recorded.map((r) => ({ ...r, status: { ...r.status, version: 'recorded' } })) });
  store.close();
  const dataOf = builds.map((_, i) => {
    const d = path.join(work, `data-${i}`);
    mkdirSync(d);
    copyFileSync(storeFile(seed), storeFile(d));
    return d;
  });
  const browser = await launchChromium();
  const samples = builds.map(() => ({ fresh: [] as ColdSample[], restart: [] as ColdSample[], snapshot: [] as ColdSample[], commit: [] as ColdSample[] }));
  let promotions = 0;
  const statuses = recorded.map((r) => ({ ...r, status: { ...r.status, version: 'recorded' } }));
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  try {
    // Untimed: warms each build's V8 compile cache (and leaves its grid cache, if it keeps one).
    for (let b = 0; b < builds.length; b++) await coldLoad(browser, builds[b]!, repo, dataOf[b]!);
    for (let round = 0; round < rounds; round++) {
      // Alternate the order of builds each round, so neither always runs right after the other.
      const order = builds.map((_, i) => i);
      if (round % 2) order.reverse();
      for (const b of order) {
        rmSync(path.join(dataOf[b]!, 'cache'), { recursive: true, force: true });
        samples[b]!.fresh.push(await coldLoad(browser, builds[b]!, repo, dataOf[b]!, round === 0 ? `cold-${b}-fresh` : undefined));
        samples[b]!.restart.push(await coldLoad(browser, builds[b]!, repo, dataOf[b]!, round === 0 ? `cold-${b}-restart` : undefined));
        // The same statuses recorded again: a new snapshot (untimed).
        const s = FleetStore.open(storeFile(dataOf[b]!));
        s.recordSnapshot({ appClusters: statuses });
        s.close();
        samples[b]!.snapshot.push(await coldLoad(browser, builds[b]!, repo, dataOf[b]!, round === 0 ? `cold-${b}-snapshot` : undefined));
        // A promotion: one overlay's image tag changed, committed (untimed).
        promote(repo, ++promotions);
        samples[b]!.commit.push(await coldLoad(browser, builds[b]!, repo, dataOf[b]!, round === 0 ? `cold-${b}-commit` : undefined));
      }
    }
  } finally {
    await browser.close();
    rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
  const out: BenchResult[] = [];
  builds.forEach((b, i) => {
    for (const kind of ['fresh', 'restart', 'snapshot', 'commit'] as const) {
      const s = samples[i]![kind];
      const what = { fresh: 'no cache in the data folder', restart: 'restart (data folder as the last start left it)', snapshot: 'a new snapshot recorded since the last start', commit: 'a new commit (one overlay promoted) since the last start' }[kind];
      const extra = { build: b, head: head.slice(0, 7), url_ms: Math.round(median(s.map((x) => x.toUrl))), serve_cpu_ms: Math.round(median(s.map((x) => x.serveCpu))), load1: s.map((x) => x.load1.toFixed(1)).join(' ') };
      out.push({ name: `cold fleet page, ${what}: serve spawned → interactive grid (10,000 apps × 3 clusters; CPU: serve + page) [${path.basename(b)}]`, median_ms: median(s.map((x) => x.fromSpawn)), samples: s.map((x) => x.fromSpawn), cpu_samples: s.map((x) => x.cpu), extra });
      out.push({ name: `cold fleet page, ${what}: navigation → interactive grid [${path.basename(b)}]`, median_ms: median(s.map((x) => x.fromNav)), samples: s.map((x) => x.fromNav) });
    }
  });
  return out;
}

/** One overlay of the fleet (the first app's, its overlays' last by name) given a new image tag, committed. */
function promote(repo: string, n: number): void {
  const app = readdirSync(path.join(repo, 'apps')).sort()[0];
  const envs = app === undefined ? [] : readdirSync(path.join(repo, 'apps', app, 'overlays')).sort();
  if (app === undefined || envs.length === 0) throw new Error(`${repo} has no apps/<app>/overlays/<env> to promote in`);
  const file = path.join(repo, 'apps', app, 'overlays', envs[envs.length - 1]!, 'kustomization.yaml');
  const text = readFileSync(file, 'utf8');
  if (!/newTag: \S+/.test(text)) throw new Error(`${file} names no image tag (newTag) to promote`);
  writeFileSync(file, text.replace(/newTag: \S+/, `newTag: 9.${n}.0`));
  const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=Flotilla Bench', '-c', 'user.email=bench@flotilla.invalid', ...args], { cwd: repo, encoding: 'utf8' });
  git('add', path.relative(repo, file));
  git('commit', '-q', '-m', `Promote ${app} to 9.${n}.0`);
}

/** Spawns `flotilla serve` of `build`, opens its URL as soon as it is printed, waits for the grid; stops serve. */
async function coldLoad(browser: Browser, build: string, repo: string, data: string, shot?: string): Promise<ColdSample> {
  const { page, taskMs } = await measuredPage(browser);
  await noteGridShown(page);
  const p0 = await taskMs();
  const load1 = os.loadavg()[0]!;
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(build, 'bin', 'flotilla.js'), 'serve', '--repo', repo], {
    env: { ...process.env, FLOTILLA_DATA_DIR: data },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const { url } = await servedProcess(child);
    const t1 = performance.now();
    await page.goto(url);
    // The page's own clock, from the navigation's start to the grid shown (see noteGridShown).
    const fromNav = await gridShownMs(page);
    const serveCpu = processCpuMs(child.pid!);
    const cpu = serveCpu + (await taskMs()) - p0;
    if (shot) await page.screenshot({ path: path.join(screenshotDir, `${shot}.png`) });
    return { fromSpawn: t1 - t0 + fromNav, fromNav, toUrl: t1 - t0, cpu, serveCpu, load1 };
  } finally {
    await page.close();
    await new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  }
}

