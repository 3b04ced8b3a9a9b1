// The controllers' own view beside Flotilla's, end to end on the real test fleet: the real Argo CD and Flux CRDs
// installed on dev, an Argo CD app and a Flux app of one repository applied there, their Application and
// Kustomization objects given a status through the status subresource as the controllers write it; then
// `flotilla status`, a refresh's grid and the app page show both verdicts side by side.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../../electron/services/api-handlers';
import type { ClusterManager } from '../../../electron/services/cluster/cluster-manager';
import { readControllers } from '../../../electron/services/cluster/controllers';
import { syncApp } from '../../../electron/services/cluster/sync';
import { Session } from '../../../electron/services/session';
import type { KubeObject } from '../../../shared/model/status';
import { unpackGrid } from '../../../shared/fleet/grid-pack';
import { installControllerCrds } from '../../helpers/controller-crds';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { createNamespace, fleetAdmin, freshNamespace, kubeRequest, useKubeFleet } from '../../helpers/kube-fleet';
import { cli } from '../../helpers/run-cli';

const REPO_URL = 'https://git.example.com/team/controllers.git';
const id = `ctl${randomBytes(3).toString('hex')}`;
const argoApp = `${id}-dev`;
const fluxApp = `${id}-flux`;

let fleet: LocalFleetState;
let admin: ClusterManager;
let repo: { dir: string; cleanup: () => void };
let head: string;
/** Where the Argo CD app deploys, where its Application lives, and the Flux Kustomization's own namespace (also its target). */
let appNs: string;
let argoNs: string;
let fluxNs: string;

const kc = (): string[] => ['--kubeconfig', fleet.kubeconfig];

/** Server-side apply as another field manager (a controller) would. */
async function apply(obj: KubeObject, manager: string): Promise<void> {
  const m = obj.metadata as { name: string; namespace?: string };
  const [group, version] = (obj.apiVersion ?? '').includes('/') ? obj.apiVersion!.split('/') : ['', obj.apiVersion];
  const plural = `${obj.kind!.toLowerCase()}s`;
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const res = await kubeRequest(fleet, 'dev', 'PATCH', `${base}/namespaces/${m.namespace}/${plural}/${m.name}?fieldManager=${manager}&force=true`, obj, { contentType: 'application/apply-patch+yaml' });
  if (res.status !== 200 && res.status !== 201) throw new Error(`apply ${obj.kind} ${m.name}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
}

/**
 * Writes an object's status as its controller does: Flux's controllers through the status subresource; Argo CD's
 * Application CRD has none (`subresources: {}`), so its application controller patches the object itself.
 */
async function writeStatus(path: string, status: Record<string, unknown>, subresource = true): Promise<void> {
  const res = await kubeRequest(fleet, 'dev', 'PATCH', subresource ? `${path}/status` : path, { status }, { contentType: 'application/merge-patch+json' });
  if (res.status !== 200) throw new Error(`status of ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
}

/** Creates a controller object once its CRD is served (a new CRD takes a moment after Established). */
async function create(path: string, obj: Record<string, unknown>): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await kubeRequest(fleet, 'dev', 'POST', path, obj);
    if (res.status === 201) return;
    if (res.status !== 404 || Date.now() > deadline) throw new Error(`create ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

type StatusRow = { app: string; cluster: string; sync: string; controller?: Record<string, unknown>; controllerSays?: string; controllerAgreement?: string; resources: { kind: string; name: string; sync: string; extra?: boolean }[] };

async function statusRows(): Promise<StatusRow[]> {
  const s = await cli(['status', '--repo', repo.dir, ...kc(), '-o', 'json']);
  expect(s.code, s.err).toBe(0);
  return JSON.parse(s.out) as StatusRow[];
}

beforeAll(async () => {
  fleet = await useKubeFleet();
  admin = fleetAdmin(fleet, { only: ['dev'] });
  await installControllerCrds(fleet, 'dev');
  appNs = freshNamespace('ctl-app');
  argoNs = freshNamespace('ctl-argocd');
  fluxNs = freshNamespace('ctl-flux');
  for (const ns of [appNs, argoNs, fluxNs]) await createNamespace(fleet, 'dev', ns);
  const dev = fleet.clusters.find((c) => c.name === 'dev')!;
  repo = tempDir('flotilla-controllers-');
  git(repo.dir, 'init', '-q', '-b', 'main');
  writeFiles(repo.dir, {
    'flotilla.yaml': ['apiVersion: flotilla.dev/v1alpha1', 'kind: Fleet', 'metadata:', '  name: t', 'spec:', `  repoURL: ${REPO_URL}`, '  applicationSets:', '  - appsets/*.yaml', '  - clusters/**/*.yaml', '  clusters:', '  - name: dev', `    context: ${dev.context}`, `    server: ${dev.server}`, ''].join('\n'),
    'appsets/web.yaml': [
      'apiVersion: argoproj.io/v1alpha1', 'kind: ApplicationSet', 'metadata:', `  name: ${id}`, 'spec:', '  generators:', '  - list:', '      elements:', '      - cluster: dev', `        url: ${dev.server}`,
      '  template:', '    metadata:', `      name: '${id}-{{cluster}}'`, '    spec:', '      project: default', `      source: {repoURL: ${REPO_URL}, targetRevision: HEAD, path: apps/web}`, `      destination: {server: '{{url}}', namespace: ${appNs}}`, '',
    ].join('\n'),
    'apps/web/kustomization.yaml': 'resources:\n- configmap.yaml\n',
    'apps/web/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  LOG: info\n',
    'clusters/dev/status.yaml': [
      'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', `  name: ${fluxApp}`, `  namespace: ${fluxNs}`, 'spec:', '  interval: 10m', '  path: ./flux/status', '  prune: true',
      '  sourceRef: {kind: GitRepository, name: flux-system}', `  targetNamespace: ${fluxNs}`, '  postBuild:', '    substitute: {greeting: hello}', '',
    ].join('\n'),
    'flux/status/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: status-page\ndata:\n  GREETING: ${greeting}\n',
  });
  head = commitAll(repo.dir, 'an Argo CD app and a Flux app');

  // The Argo CD app as Argo CD applies it (tracking id); the Flux app as kustomize-controller applies what it renders.
  const sync = await syncApp(admin.connection('dev'), [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data: { LOG: 'info' } }], { app: argoApp, namespace: appNs });
  expect(sync.phase).toBe('Succeeded');
  const rendered = await cli(['render', '--app', fluxApp, '--repo', repo.dir]);
  expect(rendered.code, rendered.err).toBe(0);
  for (const doc of parseAllDocuments(rendered.out)) await apply(doc.toJS() as KubeObject, 'kustomize-controller');

  // The controllers' own objects, with their status written through the status subresource.
  const appPath = `/apis/argoproj.io/v1alpha1/namespaces/${argoNs}/applications`;
  await create(appPath, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: argoApp }, spec: { project: 'default', source: { repoURL: REPO_URL, path: 'apps/web', targetRevision: 'HEAD' }, destination: { server: dev.server, namespace: appNs } } });
  await writeStatus(`${appPath}/${argoApp}`, {
    sync: { status: 'Synced', revision: head, comparedTo: { source: { repoURL: REPO_URL, path: 'apps/web', targetRevision: 'HEAD' }, destination: { server: dev.server, namespace: appNs } } },
    health: { status: 'Healthy' },
    operationState: { phase: 'Succeeded', message: 'successfully synced (all tasks run)', startedAt: '2026-12-05T10:00:00Z', finishedAt: '2026-12-05T10:00:04Z', operation: { sync: { revision: head } }, syncResult: { revision: head } },
  }, false);
  const ksPath = `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${fluxNs}/kustomizations`;
  await create(ksPath, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: fluxApp }, spec: { interval: '10m', path: './flux/status', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, targetNamespace: fluxNs } });
  await writeStatus(`${ksPath}/${fluxApp}`, {
    conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: main@sha1:${head}`, lastTransitionTime: '2026-12-05T10:00:00Z', observedGeneration: 1 }],
    lastAppliedRevision: `main@sha1:${head}`, lastAttemptedRevision: `main@sha1:${head}`,
    inventory: { entries: [{ id: `${fluxNs}_status-page__ConfigMap`, v: 'v1' }] },
  });
});

afterAll(() => {
  admin?.close();
  repo?.cleanup();
});

describe("the controllers' own view beside Flotilla's", () => {
  it('reads Applications, Kustomizations and HelmReleases through the real CRDs, status as the controllers wrote it', async () => {
    const hrPath = `/apis/helm.toolkit.fluxcd.io/v2/namespaces/${fluxNs}/helmreleases`;
    await create(hrPath, { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'podinfo' }, spec: { interval: '10m', chart: { spec: { chart: 'podinfo', version: '6.5.0', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } } });
    await writeStatus(`${hrPath}/podinfo`, {
      conditions: [{ type: 'Ready', status: 'False', reason: 'UpgradeFailed', message: 'Helm upgrade failed: timed out waiting for the condition', lastTransitionTime: '2026-12-05T10:00:00Z' }],
      lastAttemptedRevision: '6.5.1',
      history: [{ name: 'podinfo', namespace: fluxNs, version: 1, status: 'deployed', chartName: 'podinfo', chartVersion: '6.5.0', appVersion: '6.5.0', configDigest: 'sha256:00', digest: 'sha256:01', firstDeployed: '2026-12-05T09:00:00Z', lastDeployed: '2026-12-05T09:00:00Z' }],
    });
    const read = await readControllers(admin.connection('dev'));
    expect(read.problems).toEqual([]);
    const mine = read.objects.filter((o) => [argoNs, fluxNs].includes(o.namespace));
    expect(mine).toEqual([
      {
        controller: 'Argo CD', kind: 'Application', cluster: 'dev', namespace: argoNs, name: argoApp, sync: 'Synced', health: 'Healthy', revision: head,
        operation: { phase: 'Succeeded', message: 'successfully synced (all tasks run)', startedAt: '2026-12-05T10:00:00Z', finishedAt: '2026-12-05T10:00:04Z', revision: head },
        destination: { server: fleet.clusters.find((c) => c.name === 'dev')!.server, namespace: appNs },
      },
      { controller: 'Flux', kind: 'HelmRelease', cluster: 'dev', namespace: fluxNs, name: 'podinfo', ready: { status: 'False', reason: 'UpgradeFailed', message: 'Helm upgrade failed: timed out waiting for the condition', lastTransitionTime: '2026-12-05T10:00:00Z' }, lastAttemptedRevision: '6.5.1', revision: 'podinfo@6.5.0' },
      { controller: 'Flux', kind: 'Kustomization', cluster: 'dev', namespace: fluxNs, name: fluxApp, ready: { status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: main@sha1:${head}`, lastTransitionTime: '2026-12-05T10:00:00Z' }, lastAttemptedRevision: `main@sha1:${head}`, revision: `main@sha1:${head}`, inventory: 1 },
    ]);
  });

  it('flotilla status -o json puts each controller\'s word beside Flotilla\'s, and the table marks a disagreement', async () => {
    const short = head.slice(0, 7);
    let rows = await statusRows();
    const row = (app: string): StatusRow => rows.find((r) => r.app === app)!;
    expect(rows.map((r) => `${r.app} ${r.sync} ${r.controllerAgreement}`)).toEqual([`${argoApp} Synced agree`, `${fluxApp} Synced agree`]);
    expect(row(argoApp).controllerSays).toBe(`Argo CD says Synced, Healthy at ${short}; Flotilla sees it in sync`);
    expect(row(fluxApp).controllerSays).toBe(`Flux says Ready (ReconciliationSucceeded) at main@sha1:${short}; Flotilla sees it in sync`);
    expect(row(fluxApp).controller).toMatchObject({ kind: 'Kustomization', namespace: fluxNs, name: fluxApp, inventory: 1 });

    // Someone edits the Argo CD app's ConfigMap by hand: Argo CD has not noticed yet, Flotilla has.
    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: appNs }, data: { LOG: 'debug' } }, 'kubectl-edit');
    rows = await statusRows();
    expect(row(argoApp)).toMatchObject({ sync: 'OutOfSync', controllerAgreement: 'disagree', controllerSays: `Argo CD says Synced, Healthy at ${short}; Flotilla sees 1 object differing` });
    const table = await cli(['status', '--repo', repo.dir, ...kc()]);
    expect(table.out).toMatch(new RegExp(`${id}\\s+OutOfSync/Healthy \\(1\\) \\[Argo CD: Synced ≠\\]`));
    expect(table.out).toMatch(new RegExp(`${fluxApp}\\s+Synced/Healthy \\[Flux: Ready\\]`));

    // Flux fails its next build: it says so, at the revision it last applied and the one it attempted.
    const next = 'f'.repeat(40);
    await writeStatus(`/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${fluxNs}/kustomizations/${fluxApp}`, {
      conditions: [{ type: 'Ready', status: 'False', reason: 'BuildFailed', message: 'kustomize build failed: accumulating resources', lastTransitionTime: '2026-12-05T11:00:00Z', observedGeneration: 1 }],
      lastAttemptedRevision: `main@sha1:${next}`,
    });
    rows = await statusRows();
    expect(row(fluxApp)).toMatchObject({
      sync: 'Synced', controllerAgreement: 'disagree',
      controllerSays: `Flux says not Ready (BuildFailed: kustomize build failed: accumulating resources) at main@sha1:${short}; last attempted main@sha1:fffffff; Flotilla sees it in sync`,
    });
  });

  it("a refresh records the controller's view: the grid and the app page show it", async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'flotilla-controllers-data-'));
    const session = new Session({ repoPath: repo.dir, dataDir: data, kubeconfig: [fleet.kubeconfig] });
    try {
      const api = createApiHandlers(session);
      const view = await api['fleet:refresh']({});
      const cells = unpackGrid(view.grid).rows.flatMap((r) => Object.values(r.cells));
      const argoCell = cells.find((c) => c.app === argoApp)!;
      expect(argoCell.controller).toMatchObject({ controller: 'Argo CD', sync: 'Synced', revision: head });
      expect(argoCell.sync).toBe('OutOfSync');
      expect(cells.find((c) => c.app === fluxApp)!.controller).toMatchObject({ controller: 'Flux', ready: { status: 'False', reason: 'BuildFailed' } });
      const detail = await api['app:detail']({ app: fluxApp, cluster: 'dev' });
      expect(detail.status?.controller).toMatchObject({ kind: 'Kustomization', name: fluxApp, namespace: fluxNs, revision: `main@sha1:${head}` });
      // Read back from the store, not only from the refresh's answer.
      expect(unpackGrid((await api['fleet:status']({})).grid).rows.flatMap((r) => Object.values(r.cells)).find((c) => c.app === argoApp)!.controller?.sync).toBe('Synced');
    } finally {
      session.close();
      rmSync(data, { recursive: true, force: true });
    }
  });
});

describe("a Flux app's live state: its owner labels and inventory", () => {
  it('diff shows a hand edit, an object labelled as the Kustomization\'s and one its inventory lists as extra; drift-report records them', async () => {
    const ksPath = `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${fluxNs}/kustomizations/${fluxApp}`;
    // Back to Ready at HEAD, with an inventory that also lists a Lease Flux applied earlier (not a kind searched by default).
    await writeStatus(ksPath, {
      conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: main@sha1:${head}`, lastTransitionTime: '2026-12-05T12:00:00Z', observedGeneration: 1 }],
      lastAppliedRevision: `main@sha1:${head}`, lastAttemptedRevision: `main@sha1:${head}`,
      inventory: { entries: [{ id: `${fluxNs}_status-page__ConfigMap`, v: 'v1' }, { id: `${fluxNs}_old-lock_coordination.k8s.io_Lease`, v: 'v1' }] },
    });
    const clean = await cli(['diff', fluxApp, '--repo', repo.dir, ...kc()]);
    expect(clean.out).toBe('');
    // The one thing said: the Kustomization's GitRepository is taken as the open repository.
    expect(clean.err.trim().split('\n')).toEqual([expect.stringMatching(/GitRepository .*flux-system is not declared in the repository; taken as the open repository/)]);
    expect(clean.code).toBe(0);

    const owner = { 'kustomize.toolkit.fluxcd.io/name': fluxApp, 'kustomize.toolkit.fluxcd.io/namespace': fluxNs };
    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leftover', namespace: fluxNs, labels: owner }, data: { old: 'yes' } }, 'kustomize-controller');
    await apply({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'old-lock', namespace: fluxNs }, spec: { holderIdentity: 'someone' } }, 'kustomize-controller');
    // An object labelled for another Kustomization is not this app's.
    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-mine', namespace: fluxNs, labels: { ...owner, 'kustomize.toolkit.fluxcd.io/name': 'other' } }, data: {} }, 'kustomize-controller');
    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'status-page', namespace: fluxNs, labels: owner }, data: { GREETING: 'edited by hand' } }, 'kubectl-edit');

    const d = await cli(['diff', fluxApp, '--repo', repo.dir, ...kc(), '-o', 'json']);
    expect(d.code, d.err).toBe(1);
    const [row] = JSON.parse(d.out) as { app: string; sync: string; resources: { kind: string; name: string; sync: string; extra?: boolean; changes?: { path: string }[] }[] }[];
    expect(row!.app).toBe(fluxApp);
    expect(row!.resources.map((r) => `${r.kind} ${r.name} ${r.sync}${r.extra ? ' extra' : ''} ${(r.changes ?? []).map((c) => c.path).join(',')}`).sort()).toEqual([
      'ConfigMap leftover OutOfSync extra ',
      'ConfigMap status-page OutOfSync /data/GREETING',
      'Lease old-lock OutOfSync extra ',
    ]);
    const text = await cli(['diff', fluxApp, '--repo', repo.dir, ...kc()]);
    expect(text.out).toContain(`===== /ConfigMap ${fluxNs}/status-page ======`);
    expect(text.out).toContain('-  GREETING: edited by hand\n+  GREETING: hello\n');

    const refreshed = await cli(['refresh', '--repo', repo.dir, ...kc()]);
    expect(refreshed.code, refreshed.err).toBe(0);
    const report = await cli(['drift-report', '--offline', '--repo', repo.dir, '-f', 'json']);
    const entries = (JSON.parse(report.out) as { entries: { app: string; cluster: string; sync: string; driftedResources: { kind: string; name: string }[] }[] }).entries;
    const flux = entries.find((e) => e.app === fluxApp)!;
    expect(flux).toMatchObject({ cluster: 'dev', sync: 'OutOfSync' });
    expect(flux.driftedResources.map((r) => `${r.kind} ${r.name}`).sort()).toEqual(['ConfigMap leftover', 'ConfigMap status-page', 'Lease old-lock']);
    expect(entries.find((e) => e.app === argoApp)).toMatchObject({ sync: 'OutOfSync' });
    const history = await cli(['history', fluxApp, '--cluster', 'dev', '-o', 'json']);
    expect(history.code, history.err).toBe(0);
    const [h] = JSON.parse(history.out) as { app: string; timeline: { sync: string; driftedCount: number }[]; events: { kind: string; detail: { driftedResources?: number } }[] }[];
    expect(h!.app).toBe(fluxApp);
    expect(h!.timeline.at(-1)).toMatchObject({ sync: 'OutOfSync', driftedCount: 3 });
    expect(h!.events.filter((e) => e.kind === 'drift-began').map((e) => e.detail.driftedResources)).toEqual([3]);
  });
});
