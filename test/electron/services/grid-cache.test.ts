// The fleet grid kept on disk between runs of `flotilla serve`: a new process answers its first `fleet:status` from
// it only while everything the grid depends on is as it was (HEAD's commit, the store's latest state, the build, the
// repository), and that answer is the very one a grid built afresh gives. Real git repositories, real SQLite stores,
// real SSH-signed commits (so signatures are added to the cached grid as to a built one).
//
// Whether the cache was used is told by a marker: a problem written into the cached grid on disk. It shows in the
// answer only when the file was served.
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FleetStatusPacked } from '../../../shared/api/contract';
import { createApiHandlers } from '../../../electron/services/api-handlers';
import { forgetDiscoveries } from '../../../electron/services/fleet-service';
import { FleetService } from '../../../electron/services/fleet-service';
import { GridCache } from '../../../electron/services/grid-cache';
import { Session } from '../../../electron/services/session';
import { FleetStore } from '../../../electron/store/fleet-store';
import { storeFile } from '../../../electron/store/location';
import { commitAll, exampleRepo, git, tempDir } from '../../helpers/git-fixtures';
import type { SignedFleet } from '../../helpers/signed-fleet';
import { recordRunning, signFleet } from '../../helpers/signed-fleet';

const cleanups: (() => void)[] = [];
let repo = '';
let base = '';
let f: SignedFleet;
let n = 0;

beforeAll(() => {
  const r = exampleRepo();
  const t = tempDir('flotilla-gridcache-');
  cleanups.push(r.cleanup, t.cleanup);
  repo = r.dir;
  base = t.dir;
  f = signFleet(repo, path.join(t.dir, 'keys'));
});
afterAll(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A data folder with a store recording a few cells (signed, unsigned and absent commits); the rest are never refreshed. */
function dataFolder(): string {
  const data = path.join(base, `data-${n++}`);
  recordRunning(data, [
    { app: 'frontend-dev', cluster: 'dev', environment: 'dev', revision: f.signed },
    { app: 'frontend-staging', cluster: 'staging', environment: 'staging', revision: f.untrusted },
    { app: 'frontend-prod', cluster: 'prod', environment: 'prod', revision: f.unsigned },
    { app: 'worker-dev', cluster: 'dev', environment: 'dev', revision: f.signed, controller: { controller: 'Flux', kind: 'Kustomization', cluster: 'dev', namespace: 'flux-system', name: 'worker', ready: { status: 'True' }, revision: `main@sha1:${f.absent}` } },
  ]);
  return data;
}

const sessions: Session[] = [];
afterEach(() => {
  while (sessions.length) sessions.pop()!.close();
});

/** A new process's first `fleet:status`, as `flotilla serve` asks it: with the grid cache of `data` (or none). */
async function firstStatus(data: string, opts: { build?: string; cache?: boolean; log?: string[] } = {}): Promise<FleetStatusPacked> {
  // A new process has no discovery in memory.
  forgetDiscoveries();
  const session = new Session({ repoPath: repo, dataDir: data, kubeconfig: [path.join(base, 'no-kubeconfig')] });
  sessions.push(session);
  const gridCache = opts.cache === false ? undefined : new GridCache({ dir: path.join(data, 'cache'), build: opts.build ?? 'build-1', log: (line) => opts.log?.push(line), writeAfterMs: 0 });
  const view = await createApiHandlers(session, gridCache ? { gridCache } : {})['fleet:status']({});
  // The grid built is written once the answer is sent.
  await new Promise((r) => setTimeout(r, 20));
  return view;
}

/** The cache file of the grid (fleet-grid-*) or of what it takes from discovery (fleet-apps-*). */
function cacheFile(data: string, kind: 'grid' | 'apps' = 'grid'): string {
  const dir = path.join(data, 'cache');
  const files = existsSync(dir) ? readdirSync(dir).filter((x) => x.startsWith(`fleet-${kind}-`) && x.endsWith('.json')) : [];
  expect(files).toHaveLength(1);
  return path.join(dir, files[0]!);
}

const MARKER = 'served from the grid cache';
const INPUTS_MARKER = 'built from the app list kept';
/** Marks the cached grid (or app list), so an answer from it can be told from a grid built afresh. */
function mark(data: string, kind: 'grid' | 'apps' = 'grid'): void {
  const file = cacheFile(data, kind);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { value: { problems: unknown[] } };
  doc.value.problems.push({ severity: 'warning', message: kind === 'grid' ? MARKER : INPUTS_MARKER });
  writeFileSync(file, JSON.stringify(doc));
}
const served = (v: FleetStatusPacked): boolean => v.problems.some((p) => p.message === MARKER);
const fromInputs = (v: FleetStatusPacked): boolean => v.problems.some((p) => p.message === INPUTS_MARKER);

describe('the fleet grid cache', () => {
  it('answers a new process\'s first grid with exactly the grid built afresh (signatures and never-refreshed cells included)', async () => {
    const data = dataFolder();
    const built = await firstStatus(data);
    const file = cacheFile(data);
    const fromCache = await firstStatus(data);
    const fresh = await firstStatus(data, { cache: false });
    // What the UI receives is the JSON of the answer.
    expect(JSON.stringify(fromCache)).toBe(JSON.stringify(fresh));
    expect(JSON.stringify(built)).toBe(JSON.stringify(fresh));
    expect(fresh.grid.signatures.map((s) => s.commit).sort()).toEqual([f.signed, f.untrusted, f.unsigned, f.absent].sort());
    // Unknown is never success: a cell never refreshed is Unknown, from the cache as when built.
    const strings = fromCache.grid.strings;
    const api = fromCache.grid.rows.find((r) => strings[r[0]] === 'api')!;
    expect(api[4].map((c) => [strings[c[2]], strings[c[3]]])).toEqual(api[4].map(() => ['Unknown', 'Unknown']));
    // It was the file that answered: marked, the answer carries the mark.
    mark(data);
    expect(served(await firstStatus(data))).toBe(true);
    // The file holds the grid without signatures and nothing the UI is not sent.
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { value: { grid: { signatures: unknown[]; strings: string[] } } };
    expect(doc.value.grid.signatures).toEqual([]);
    for (const s of doc.value.grid.strings) expect(fresh.grid.strings).toContain(s);
  });

  it('keeps answering from the cache while HEAD and the store stay as they were, and builds the grid once they move', async () => {
    const data = dataFolder();
    await firstStatus(data);
    mark(data);
    forgetDiscoveries();
    const session = new Session({ repoPath: repo, dataDir: data, kubeconfig: [path.join(base, 'no-kubeconfig')] });
    sessions.push(session);
    const api = createApiHandlers(session, { gridCache: new GridCache({ dir: path.join(data, 'cache'), build: 'build-1', writeAfterMs: 0 }) });
    expect(served(await api['fleet:status']({}))).toBe(true);
    expect(served(await api['fleet:status']({}))).toBe(true);
    recordRunning(data, [{ app: 'frontend-dev', cluster: 'dev', environment: 'dev', revision: f.unsigned }]);
    const after = await api['fleet:status']({});
    expect(served(after)).toBe(false);
    expect(JSON.stringify(after)).toBe(JSON.stringify(await firstStatus(data, { cache: false })));
  });

  it('is not served after a new commit (the fleet file changed), and the grid of the new HEAD is kept instead', async () => {
    const data = dataFolder();
    await firstStatus(data);
    mark(data);
    const fleetFile = path.join(repo, 'flotilla.yaml');
    const before = readFileSync(fleetFile, 'utf8');
    try {
      writeFileSync(fleetFile, before.replace(/environment: prod\b/, 'environment: production'));
      commitAll(repo, 'prod is production');
      const view = await firstStatus(data);
      expect(served(view)).toBe(false);
      expect(view.revision).toBe(git(repo, 'rev-parse', 'HEAD').trim());
      expect(JSON.stringify(view)).toBe(JSON.stringify(await firstStatus(data, { cache: false })));
      // The file now holds the new HEAD's grid.
      mark(data);
      expect(served(await firstStatus(data))).toBe(true);
    } finally {
      git(repo, 'reset', '-q', '--hard', 'HEAD~1');
    }
  });

  it('is not served after a new snapshot is recorded, by another build, or for a store replaced by a copy', async () => {
    const data = dataFolder();
    await firstStatus(data);
    mark(data);
    expect(served(await firstStatus(data, { build: 'build-2' }))).toBe(false);
    // build-2's grid replaced build-1's.
    mark(data);
    expect(served(await firstStatus(data, { build: 'build-1' }))).toBe(false);
    mark(data);
    // The same snapshots, ids and times, in another file (a backup restored).
    copyFileSync(storeFile(data), `${storeFile(data)}.copy`);
    rmSync(storeFile(data));
    copyFileSync(`${storeFile(data)}.copy`, storeFile(data));
    expect(served(await firstStatus(data))).toBe(false);
    mark(data);
    recordRunning(data, [{ app: 'api-dev', cluster: 'dev', environment: 'dev', revision: f.signed }]);
    const view = await firstStatus(data);
    expect(served(view)).toBe(false);
    expect(JSON.stringify(view)).toBe(JSON.stringify(await firstStatus(data, { cache: false })));
  });

  it('after a new snapshot, builds the grid from the app list kept for HEAD (no app generated again): the very grid built afresh', async () => {
    const data = dataFolder();
    await firstStatus(data);
    recordRunning(data, [{ app: 'api-prod', cluster: 'prod', environment: 'prod', revision: f.untrusted }]);
    const view = await firstStatus(data);
    expect(served(view)).toBe(false);
    expect(JSON.stringify(view)).toBe(JSON.stringify(await firstStatus(data, { cache: false })));
    // It was the kept app list that the grid was built from; then the grid itself is kept.
    mark(data, 'apps');
    recordRunning(data, [{ app: 'api-prod', cluster: 'prod', environment: 'prod', revision: f.signed }]);
    expect(fromInputs(await firstStatus(data))).toBe(true);
    mark(data);
    expect(served(await firstStatus(data))).toBe(true);
    // Not for another build. After a new commit that changes nothing discovery read (here: nothing at all), the app
    // list kept is the new HEAD's (what a commit changes: discovery-reads.test.ts).
    recordRunning(data, [{ app: 'api-prod', cluster: 'prod', environment: 'prod', revision: f.unsigned }]);
    mark(data, 'apps');
    expect(fromInputs(await firstStatus(data, { build: 'build-2' }))).toBe(false);
    mark(data, 'apps');
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'Nothing but a commit');
    try {
      recordRunning(data, [{ app: 'api-prod', cluster: 'prod', environment: 'prod', revision: f.signed }]);
      const moved = await firstStatus(data, { build: 'build-2' });
      expect(fromInputs(moved)).toBe(true);
      expect(moved.revision).toBe(git(repo, 'rev-parse', 'HEAD').trim());
      const unmarked = { ...moved, problems: moved.problems.filter((p) => p.message !== INPUTS_MARKER) };
      expect(JSON.stringify(unmarked)).toBe(JSON.stringify(await firstStatus(data, { cache: false })));
    } finally {
      git(repo, 'reset', '-q', '--hard', 'HEAD~1');
    }
  });

  it('ignores a corrupt, truncated or foreign file, says so in the log (not in the answer), and builds the grid', async () => {
    const data = dataFolder();
    const fresh = await firstStatus(data, { cache: false });
    await firstStatus(data);
    const file = cacheFile(data);
    const whole = readFileSync(file, 'utf8');
    const cases: [string, string, RegExp][] = [
      ['truncated', whole.slice(0, whole.length / 2), /corrupt \(not JSON\)/],
      ['foreign', JSON.stringify({ hello: 'world' }), /not a Flotilla fleet grid cache/],
      ['an app list', readFileSync(cacheFile(data, 'apps'), 'utf8'), /not a Flotilla fleet grid cache/],
      ['of another format', whole.replace('"flotilla-fleet-grid-cache":2', '"flotilla-fleet-grid-cache":99'), /format 99/],
      ['not whole', whole.replace('"rows":', '"rowz":'), /not whole/],
    ];
    for (const [what, text, said] of cases) {
      writeFileSync(file, text);
      const log: string[] = [];
      const view = await firstStatus(data, { log });
      expect(JSON.stringify(view), what).toBe(JSON.stringify(fresh));
      expect(log.join(''), what).toMatch(said);
      expect(log.join(''), what).toContain(file);
      expect(JSON.stringify(view.problems), what).not.toMatch(/cache/);
    }
    // The app list alike, after a new snapshot (the grid's file then does not hold).
    const apps = cacheFile(data, 'apps');
    writeFileSync(apps, readFileSync(apps, 'utf8').replace('"apps":', '"appz":'));
    recordRunning(data, [{ app: 'api-dev', cluster: 'dev', environment: 'dev', revision: f.signed }]);
    const log: string[] = [];
    const view = await firstStatus(data, { log });
    expect(JSON.stringify(view)).toBe(JSON.stringify(await firstStatus(data, { cache: false })));
    expect(log.join('')).toContain(`ignoring ${apps}: corrupt (the app list is not whole)`);
  });

  it('is keyed by the other revisions discovery read (a git generator at main): main moving, HEAD unmoved, makes the grid be built', async () => {
    writeFileSync(path.join(repo, 'appsets', 'branch.yaml'), `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: branch
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - list: {elements: [{cluster: dev}]}
    - git:
        repoURL: https://git.example.com/platform/fleet.git
        revision: main
        files:
          - path: pipeline.yaml
  template:
    metadata:
      name: 'branch-{{.path.basename}}-{{.metadata.name}}'
    spec:
      project: default
      source: {repoURL: 'https://git.example.com/platform/fleet.git', targetRevision: main, path: apps}
      destination: {name: dev, namespace: default}
`);
    const before = git(repo, 'rev-parse', 'HEAD').trim();
    commitAll(repo, 'An ApplicationSet at main');
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    try {
      forgetDiscoveries();
      expect((await (await FleetService.open(repo)).discovery()).revisions).toEqual({ main: head });
      const data = dataFolder();
      await firstStatus(data);
      mark(data);
      expect(served(await firstStatus(data))).toBe(true);
      mark(data);
      // main moves on; HEAD stays at the commit the grid was built from (detached there).
      git(repo, 'checkout', '-q', '--detach');
      git(repo, 'commit', '-q', '--allow-empty', '-m', 'main moves on');
      git(repo, 'branch', '-f', 'main', 'HEAD');
      git(repo, 'checkout', '-q', '--detach', head);
      const view = await firstStatus(data);
      expect(served(view)).toBe(false);
      expect(view.revision).toBe(head);
      expect(JSON.stringify(view)).toBe(JSON.stringify(await firstStatus(data, { cache: false })));
    } finally {
      git(repo, 'checkout', '-q', '-f', 'main');
      git(repo, 'reset', '-q', '--hard', before);
    }
  });

  it('is not written when discovery read more than commits of the repository (a repoURL only the origin remote could name)', async () => {
    const appset = path.join(repo, 'appsets', 'elsewhere.yaml');
    writeFileSync(appset, `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: elsewhere
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - git:
        repoURL: https://git.elsewhere.example/team/apps.git
        revision: HEAD
        directories:
          - path: apps/*
  template:
    metadata:
      name: 'elsewhere-{{.path.basename}}'
    spec:
      project: default
      source: {repoURL: 'https://git.elsewhere.example/team/apps.git', targetRevision: HEAD, path: '{{.path.path}}'}
      destination: {name: dev, namespace: default}
`);
    commitAll(repo, 'An ApplicationSet of another repository');
    try {
      forgetDiscoveries();
      expect((await (await FleetService.open(repo)).discovery()).revisions).toBeUndefined();
      const data = dataFolder();
      await firstStatus(data);
      expect(existsSync(path.join(data, 'cache'))).toBe(false);
    } finally {
      git(repo, 'reset', '-q', '--hard', 'HEAD~1');
    }
  });

  it('writes a grid a moment after it was built, or at once when flushed (as the server stops)', async () => {
    const data = dataFolder();
    forgetDiscoveries();
    const session = new Session({ repoPath: repo, dataDir: data, kubeconfig: [path.join(base, 'no-kubeconfig')] });
    sessions.push(session);
    const gridCache = new GridCache({ dir: path.join(data, 'cache'), build: 'build-1', writeAfterMs: 60_000 });
    await createApiHandlers(session, { gridCache })['fleet:status']({});
    expect(existsSync(path.join(data, 'cache'))).toBe(false);
    gridCache.flush();
    mark(data);
    expect(served(await firstStatus(data))).toBe(true);
  });

  it('keys the store by its latest state: a record moves it, a read does not', () => {
    const data = dataFolder();
    const store = FleetStore.open(storeFile(data));
    try {
      const g = store.generation();
      store.fleetAt();
      expect(store.generation()).toEqual(g);
      store.recordSnapshot({ appClusters: [], partial: true });
      expect(store.generation()).not.toEqual(g);
    } finally {
      store.close();
    }
  });
});
