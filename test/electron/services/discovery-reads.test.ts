// After a new commit, the first `fleet:status` of a new process builds its grid from the app list kept for an earlier
// commit exactly when the commit changed nothing discovery read of that commit's tree, and is then the very grid a
// fresh discovery gives; whatever the commit changed that discovery read (a folder a git directories generator lists,
// a git files generator's file, an ApplicationSet, the fleet file, a file an app of apps renders, a file deleted, a
// branch of other content) is reflected, and a check git cannot answer means only that discovery runs. Real git
// repositories and stores; discovery is counted at FleetService.discovery.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FleetStatusPacked } from '../../../shared/api/contract';
import { createApiHandlers } from '../../../electron/services/api-handlers';
import { FleetService, forgetDiscoveries } from '../../../electron/services/fleet-service';
import { GridCache } from '../../../electron/services/grid-cache';
import { Session } from '../../../electron/services/session';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import { recordRunning } from '../../helpers/signed-fleet';

const URL = 'https://git.example.com/reads/fleet.git';
const overlay = (app: string, env: string, tag = '1.0.0'): string => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../base]
images:
  - name: registry.example.com/${app}
    newTag: ${tag}
`;
const base = (app: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${app}}
spec: {template: {spec: {containers: [{name: ${app}, image: registry.example.com/${app}}]}}}
`;

/** A fleet of two clusters: a git directories generator over apps/*, a git files generator over config/*.json, and an app of apps. */
const FLEET: Record<string, string> = {
  'flotilla.yaml': `apiVersion: flotilla.dev/v1alpha1
kind: Fleet
metadata: {name: reads}
spec:
  repoURL: ${URL}
  applicationSets: [appsets/*.yaml, applications/*.yaml]
  pipelines: [pipeline.yaml]
  clusters:
    - {name: dev, context: dev, server: 'https://10.0.0.1:6443', environment: dev}
    - {name: prod, context: prod, server: 'https://10.0.0.2:6443', environment: prod}
`,
  'appsets/apps.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: apps, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - matrix:
        generators:
          - clusters: {selector: {matchExpressions: [{key: environment, operator: Exists}]}}
          - git: {repoURL: '${URL}', revision: HEAD, directories: [{path: 'apps/*'}]}
  template:
    metadata: {name: '{{.path.basename}}-{{.name}}'}
    spec:
      project: default
      source: {repoURL: '${URL}', targetRevision: HEAD, path: '{{.path.path}}/overlays/{{.name}}'}
      destination: {name: '{{.name}}', namespace: '{{.path.basename}}'}
`,
  'appsets/services.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: services, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - git: {repoURL: '${URL}', revision: HEAD, files: [{path: 'config/*.json'}]}
  template:
    metadata: {name: 'svc-{{.name}}'}
    spec:
      project: default
      source: {repoURL: '${URL}', targetRevision: HEAD, path: 'services/{{.name}}'}
      destination: {name: '{{.cluster}}', namespace: services}
`,
  'config/cache.json': '{"name": "cache", "cluster": "dev"}\n',
  'config/queue.json': '{"name": "queue", "cluster": "prod"}\n',
  'applications/root.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: root, namespace: argocd}
spec:
  project: default
  source: {repoURL: '${URL}', targetRevision: HEAD, path: children}
  destination: {name: dev, namespace: argocd}
`,
  'children/child.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: child-a, namespace: argocd}
spec:
  project: default
  source: {repoURL: '${URL}', targetRevision: HEAD, path: apps/web/overlays/dev}
  destination: {name: dev, namespace: child}
`,
  'README.md': 'A fleet.\n',
};
for (const app of ['web', 'api']) {
  FLEET[`apps/${app}/base/kustomization.yaml`] = 'resources: [deployment.yaml]\n';
  FLEET[`apps/${app}/base/deployment.yaml`] = base(app);
  for (const env of ['dev', 'prod']) FLEET[`apps/${app}/overlays/${env}/kustomization.yaml`] = overlay(app, env);
}

const cleanups: (() => void)[] = [];
let repo = '';
let work = '';
let first = '';
let n = 0;

beforeAll(() => {
  const r = tempDir('flotilla-reads-repo-');
  const w = tempDir('flotilla-reads-');
  cleanups.push(r.cleanup, w.cleanup);
  repo = r.dir;
  work = w.dir;
  git(repo, 'init', '-q', '-b', 'main');
  writeFiles(repo, FLEET);
  first = commitAll(repo, 'A fleet');
});
afterAll(() => {
  while (cleanups.length) cleanups.pop()!();
});

const sessions: Session[] = [];
afterEach(() => {
  while (sessions.length) sessions.pop()!.close();
  vi.restoreAllMocks();
  // Every case starts from the first commit on main.
  git(repo, 'checkout', '-q', '-f', 'main');
  git(repo, 'reset', '-q', '--hard', first);
  git(repo, 'clean', '-q', '-fdx');
});

/** A data folder with a store recording one cell; its grid cache then holds the grid and app list of HEAD now. */
async function keptAtHead(): Promise<string> {
  const data = path.join(work, `data-${n++}`);
  recordRunning(data, [{ app: 'web-dev', cluster: 'dev', environment: 'dev', revision: first }]);
  await firstStatus(data);
  return data;
}

/** A new process's first `fleet:status` (with the grid cache of `data`, or none), and how often discovery ran for it. */
async function firstStatus(data: string, opts: { cache?: boolean; log?: string[] } = {}): Promise<{ view: FleetStatusPacked; discoveries: number }> {
  forgetDiscoveries();
  const discovery = vi.spyOn(FleetService.prototype, 'discovery');
  try {
    const session = new Session({ repoPath: repo, dataDir: data, kubeconfig: [path.join(work, 'no-kubeconfig')] });
    sessions.push(session);
    const gridCache = opts.cache === false ? undefined : new GridCache({ dir: path.join(data, 'cache'), build: 'build-1', log: (line) => opts.log?.push(line), writeAfterMs: 0 });
    const view = await createApiHandlers(session, gridCache ? { gridCache } : {})['fleet:status']({});
    // The grid built (and the app list) is written once the answer is sent.
    await new Promise((r) => setTimeout(r, 20));
    return { view, discoveries: discovery.mock.calls.length };
  } finally {
    discovery.mockRestore();
  }
}

/** After a commit: the first answer with the cache, and the grid a fresh discovery gives (same store). */
async function afterCommit(data: string, log?: string[]): Promise<{ view: FleetStatusPacked; discoveries: number; fresh: FleetStatusPacked }> {
  const kept = await firstStatus(data, log ? { log } : {});
  const fresh = await firstStatus(data, { cache: false });
  expect(fresh.discoveries).toBe(1);
  expect(kept.view.revision).toBe(git(repo, 'rev-parse', 'HEAD').trim());
  expect(JSON.stringify(kept.view)).toBe(JSON.stringify(fresh.view));
  return { ...kept, fresh: fresh.view };
}

function appsOf(v: FleetStatusPacked): string[] {
  return v.grid.rows.map((r) => v.grid.strings[r[0]]!).sort();
}

function edit(file: string, change: (text: string) => string): void {
  const abs = path.join(repo, file);
  writeFileSync(abs, change(readFileSync(abs, 'utf8')));
}

describe('grid inputs kept across a commit', () => {
  it('are the new HEAD\'s when the commit changed only an overlay no generator reads (no discovery), and are kept for it', async () => {
    const data = await keptAtHead();
    const before = appsOf((await firstStatus(data, { cache: false })).view);
    expect(before).toEqual(['api', 'child-a', 'root', 'svc-cache', 'svc-queue', 'web']);
    edit('apps/web/overlays/prod/kustomization.yaml', (t) => t.replace('newTag: 1.0.0', 'newTag: 1.0.1'));
    edit('README.md', (t) => `${t}More.\n`);
    commitAll(repo, 'Promote web to 1.0.1 in prod');
    const { discoveries, fresh } = await afterCommit(data);
    expect(discoveries).toBe(0);
    expect(appsOf(fresh)).toEqual(before);
    // Kept for the new HEAD: the next commit that changes nothing read starts from it.
    edit('apps/api/overlays/dev/kustomization.yaml', (t) => t.replace('newTag: 1.0.0', 'newTag: 2.0.0'));
    commitAll(repo, 'Promote api to 2.0.0 in dev');
    expect((await afterCommit(data)).discoveries).toBe(0);
  });

  it('are the new HEAD\'s when a git generator at `main` moved with HEAD', async () => {
    edit('appsets/services.yaml', (t) => t.replace('revision: HEAD', 'revision: main'));
    commitAll(repo, 'Services from main');
    const data = await keptAtHead();
    edit('apps/web/overlays/prod/kustomization.yaml', (t) => t.replace('newTag: 1.0.0', 'newTag: 1.0.1'));
    commitAll(repo, 'Promote web to 1.0.1 in prod');
    expect((await afterCommit(data)).discoveries).toBe(0);
    // And not when the file main's generator reads changed.
    edit('config/cache.json', (t) => t.replace('"cache"', '"memcache"'));
    commitAll(repo, 'Rename the cache');
    const moved = await afterCommit(data);
    expect(moved.discoveries).toBe(1);
    expect(appsOf(moved.view)).toContain('svc-memcache');
  });

  it("with the fleet file's default globs (every YAML file scanned): reused after an overlay's promotion, not after a file that now holds an Application", async () => {
    edit('flotilla.yaml', (t) => t.replace('  applicationSets: [appsets/*.yaml, applications/*.yaml]\n  pipelines: [pipeline.yaml]\n', ''));
    commitAll(repo, 'Scan every file');
    const data = await keptAtHead();
    const before = appsOf((await firstStatus(data, { cache: false })).view);
    edit('apps/web/overlays/prod/kustomization.yaml', (t) => t.replace('newTag: 1.0.0', 'newTag: 1.0.1'));
    commitAll(repo, 'Promote web to 1.0.1 in prod');
    const promoted = await afterCommit(data);
    expect(promoted.discoveries).toBe(0);
    expect(appsOf(promoted.view)).toEqual(before);
    // The scan found nothing in this file before; now it holds an Application, which is an app of the fleet.
    edit('apps/api/overlays/dev/kustomization.yaml', (t) => `${t}---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: sneaky, namespace: argocd}\nspec:\n  project: default\n  source: {repoURL: '${URL}', targetRevision: HEAD, path: apps/api/base}\n  destination: {name: dev, namespace: sneaky}\n`);
    commitAll(repo, 'An Application inside an overlay');
    const found = await afterCommit(data);
    expect(found.discoveries).toBe(1);
    expect(appsOf(found.view)).toContain('sneaky');
  });

  it('reflect an app folder added under a git directories generator', async () => {
    const data = await keptAtHead();
    writeFiles(repo, { 'apps/shop/base/kustomization.yaml': 'resources: []\n', 'apps/shop/overlays/dev/kustomization.yaml': overlay('shop', 'dev') });
    commitAll(repo, 'A shop');
    const moved = await afterCommit(data);
    expect(moved.discoveries).toBe(1);
    expect(appsOf(moved.view)).toContain('shop');
  });

  it('reflect a git files generator\'s file modified', async () => {
    const data = await keptAtHead();
    edit('config/queue.json', (t) => t.replace('"queue"', '"bus"'));
    commitAll(repo, 'The queue is a bus');
    const renamed = await afterCommit(data);
    expect(renamed.discoveries).toBe(1);
    expect(appsOf(renamed.view)).toContain('svc-bus');
    expect(appsOf(renamed.view)).not.toContain('svc-queue');
  });

  it('reflect a file read that was deleted', async () => {
    const data = await keptAtHead();
    rmSync(path.join(repo, 'config', 'cache.json'));
    commitAll(repo, 'No cache');
    const deleted = await afterCommit(data);
    expect(deleted.discoveries).toBe(1);
    expect(appsOf(deleted.view)).not.toContain('svc-cache');
  });

  it('reflect an ApplicationSet or the fleet file modified', async () => {
    const data = await keptAtHead();
    edit('appsets/apps.yaml', (t) => t.replace("name: '{{.path.basename}}-{{.name}}'", "name: 'app-{{.path.basename}}-{{.name}}'"));
    commitAll(repo, 'Prefixed names');
    const appset = await afterCommit(data);
    expect(appset.discoveries).toBe(1);
    expect(appsOf(appset.view)).toContain('app-web');
    edit('flotilla.yaml', (t) => t.replace('environment: prod}', 'environment: production}'));
    commitAll(repo, 'prod is production');
    const fleet = await afterCommit(data);
    expect(fleet.discoveries).toBe(1);
    expect(fleet.view.grid.environments).toContain('production');
  });

  it('reflect a file an app of apps renders', async () => {
    const data = await keptAtHead();
    edit('children/child.yaml', (t) => t.replace('name: child-a', 'name: child-b'));
    commitAll(repo, 'The child is b');
    const moved = await afterCommit(data);
    expect(moved.discoveries).toBe(1);
    expect(appsOf(moved.view)).toContain('child-b');
    expect(appsOf(moved.view)).not.toContain('child-a');
  });

  it('reflect a new commit in apps an app of apps stamps with its revision ($ARGOCD_APP_REVISION_SHORT), though no file read changed', async () => {
    writeFiles(repo, {
      'applications/stamped.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: stamped, namespace: argocd}
spec:
  project: default
  source:
    repoURL: '${URL}'
    targetRevision: HEAD
    path: stamped
    kustomize: {commonLabels: {revision: $ARGOCD_APP_REVISION_SHORT}}
  destination: {name: dev, namespace: argocd}
`,
      'stamped/kustomization.yaml': 'resources: [child.yaml]\n',
      'stamped/child.yaml': (FLEET['children/child.yaml'] ?? '').replace('name: child-a', 'name: stamped-child'),
    });
    const stamped = commitAll(repo, 'An app of apps stamped with its revision');
    const data = await keptAtHead();
    expect(readFileSync(path.join(data, 'cache', readdirSync(path.join(data, 'cache')).find((f) => f.startsWith('fleet-apps-'))!), 'utf8')).toContain(`"revision":"${stamped.slice(0, 7)}"`);
    edit('apps/web/overlays/prod/kustomization.yaml', (t) => t.replace('newTag: 1.0.0', 'newTag: 1.0.1'));
    const head = commitAll(repo, 'Promote web to 1.0.1 in prod');
    const moved = await afterCommit(data);
    expect(moved.discoveries).toBe(1);
    expect(JSON.stringify(moved.view)).toContain(head.slice(0, 7));
    expect(JSON.stringify(moved.view)).not.toContain(stamped.slice(0, 7));
  });

  it('serve a running server\'s next answer after such a commit too, and discover after one that adds an app', async () => {
    const data = path.join(work, `data-${n++}`);
    recordRunning(data, [{ app: 'web-dev', cluster: 'dev', environment: 'dev', revision: first }]);
    forgetDiscoveries();
    const session = new Session({ repoPath: repo, dataDir: data, kubeconfig: [path.join(work, 'no-kubeconfig')] });
    sessions.push(session);
    const api = createApiHandlers(session, { gridCache: new GridCache({ dir: path.join(data, 'cache'), build: 'build-1', writeAfterMs: 0 }) });
    // Counted here, then restored before a fresh grid is made to compare with (firstStatus counts its own).
    const counted = async (): Promise<{ view: FleetStatusPacked; discoveries: number }> => {
      const discovery = vi.spyOn(FleetService.prototype, 'discovery');
      try {
        const view = await api['fleet:status']({});
        // The grid built (and the app list) is written once the answer is sent.
        await new Promise((r) => setTimeout(r, 20));
        return { view, discoveries: discovery.mock.calls.length };
      } finally {
        discovery.mockRestore();
      }
    };
    expect((await counted()).discoveries).toBe(1);
    edit('apps/web/overlays/prod/kustomization.yaml', (t) => t.replace('newTag: 1.0.0', 'newTag: 1.0.1'));
    const promoted = commitAll(repo, 'Promote web to 1.0.1 in prod');
    const kept = await counted();
    expect(kept.discoveries).toBe(0);
    expect(kept.view.revision).toBe(promoted);
    expect(JSON.stringify(kept.view)).toBe(JSON.stringify((await firstStatus(data, { cache: false })).view));
    writeFiles(repo, { 'apps/shop/base/kustomization.yaml': 'resources: []\n', 'apps/shop/overlays/dev/kustomization.yaml': overlay('shop', 'dev') });
    commitAll(repo, 'A shop');
    const { view: added, discoveries } = await counted();
    expect(discoveries).toBe(1);
    expect(appsOf(added)).toContain('shop');
    expect(JSON.stringify(added)).toBe(JSON.stringify((await firstStatus(data, { cache: false })).view));
  });

  it('follow HEAD to a branch that is no descendant: reused when its tree differs only where nothing was read, else discovered', async () => {
    const data = await keptAtHead();
    git(repo, 'checkout', '-q', '--orphan', 'elsewhere');
    edit('apps/web/overlays/prod/kustomization.yaml', (t) => t.replace('newTag: 1.0.0', 'newTag: 9.9.9'));
    commitAll(repo, 'The same fleet, another history');
    expect(() => git(repo, 'merge-base', 'main', 'elsewhere')).toThrow();
    expect((await afterCommit(data)).discoveries).toBe(0);
    // The app list kept is now of elsewhere's commit; side's commit is no descendant of it.
    git(repo, 'checkout', '-q', '-f', '-b', 'side', first);
    rmSync(path.join(repo, 'apps', 'api'), { recursive: true });
    commitAll(repo, 'No api');
    const side = await afterCommit(data);
    expect(side.discoveries).toBe(1);
    expect(appsOf(side.view)).not.toContain('api');
  });

  it('are not reused, and nothing is said to the user, when git cannot say what changed (the earlier commit is unknown)', async () => {
    const data = await keptAtHead();
    edit('apps/web/overlays/prod/kustomization.yaml', (t) => t.replace('newTag: 1.0.0', 'newTag: 1.0.1'));
    commitAll(repo, 'Promote web to 1.0.1 in prod');
    // The app list of a commit this repository does not have (pruned, or the cache of another clone).
    const dir = path.join(data, 'cache');
    const file = path.join(dir, readdirSync(dir).find((f) => f.startsWith('fleet-apps-'))!);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { key: { head: string } };
    doc.key.head = 'f'.repeat(40);
    writeFileSync(file, JSON.stringify(doc));
    const log: string[] = [];
    const moved = await afterCommit(data, log);
    expect(moved.discoveries).toBe(1);
    expect(log.join('')).toMatch(/app list of ffffffffffff is not reused .*git could not say what changed/);
    expect(JSON.stringify(moved.view.problems)).not.toMatch(/git|cache/i);
  });
});
