// Faults on a real fleet of its own (it freezes and kills API servers, so not the shared one): a running sandbox in a
// data folder of the test, a repository deploying one app to dev, staging and prod, then one API server frozen
// (SIGSTOP) and another killed in the middle of a refresh. Exit codes and reports must tell the truth, and the drift
// recorded before must survive. The sandbox's kubeconfig is the default of every command (no --kubeconfig here).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterManager } from '../../../electron/services/cluster/cluster-manager';
import type { LocalFleet } from '../../../electron/services/cluster/local-fleet';
import { syncApp } from '../../../electron/services/cluster/sync';
import type { KubeObject } from '../../../shared/model/status';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import { freshNamespace, startKubeFleet } from '../../helpers/kube-fleet';
import { cli } from '../../helpers/run-cli';

const CLUSTERS = ['dev', 'staging', 'prod'] as const;
const REPO_URL = 'https://git.example.com/team/faults.git';

let fleet: LocalFleet;
let admin: ClusterManager;
let repo: { dir: string; cleanup: () => void };
let data: { dir: string; cleanup: () => void };
const ns = freshNamespace('faults');
const savedEnv = { data: process.env.FLOTILLA_DATA_DIR, kubeconfig: process.env.KUBECONFIG };

const config = (log: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data: { LOG: log } });
const run = (...args: string[]): Promise<{ code: number; out: string; err: string }> => cli([...args, '--repo', repo.dir, '--timeout', '2s']);

interface ReportDoc {
  summary: { appClusters: number; drifted: number; notCompared: number; coverage: string | null };
  entries: { app: string; cluster: string; sync: string; observedAt: string; unreachable: string | null; driftedResources: unknown[] }[];
}

beforeAll(async () => {
  data = tempDir('flotilla-faults-data-');
  // A running sandbox, as `flotilla sandbox up` leaves it: the fleet's folder is the data folder's `sandbox`.
  fleet = await startKubeFleet({ dir: path.join(data.dir, 'sandbox'), clusters: [...CLUSTERS], extraContexts: false });
  process.env.FLOTILLA_DATA_DIR = data.dir;
  delete process.env.KUBECONFIG;
  admin = ClusterManager.fromKubeconfig({ kubeconfigPaths: [fleet.kubeconfig], clusters: fleet.state.clusters.map((c) => ({ name: c.name, context: c.context, labels: {}, annotations: {} })) });
  repo = tempDir('flotilla-faults-repo-');
  git(repo.dir, 'init', '-q', '-b', 'main');
  writeFiles(repo.dir, {
    'flotilla.yaml': [
      'apiVersion: flotilla.dev/v1alpha1', 'kind: Fleet', 'metadata:', '  name: faults', 'spec:', `  repoURL: ${REPO_URL}`, '  applicationSets: [appsets/*.yaml]', '  clusters:',
      ...fleet.state.clusters.flatMap((c) => [`    - name: ${c.name}`, `      context: ${c.context}`, `      server: ${c.server}`, `      environment: ${c.name}`]), '',
    ].join('\n'),
    'appsets/web.yaml': [
      'apiVersion: argoproj.io/v1alpha1', 'kind: ApplicationSet', 'metadata:', '  name: web', 'spec:', '  generators:', '  - clusters: {}', '  template:',
      "    metadata: {name: 'web-{{name}}'}", '    spec:', '      project: default', `      source: {repoURL: ${REPO_URL}, targetRevision: HEAD, path: apps/web}`,
      `      destination: {server: '{{server}}', namespace: ${ns}}`, '',
    ].join('\n'),
    'apps/web/kustomization.yaml': 'resources:\n- configmap.yaml\n',
    'apps/web/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  LOG: info\n',
  });
  commitAll(repo.dir, 'web on every cluster');
  for (const c of CLUSTERS) {
    const r = await syncApp(admin.connection(c), [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, config('info')], { app: `web-${c}`, namespace: ns });
    expect(r.phase).toBe('Succeeded');
  }
}, 180_000);

afterAll(async () => {
  if (savedEnv.data === undefined) delete process.env.FLOTILLA_DATA_DIR;
  else process.env.FLOTILLA_DATA_DIR = savedEnv.data;
  if (savedEnv.kubeconfig !== undefined) process.env.KUBECONFIG = savedEnv.kubeconfig;
  admin?.close();
  try {
    fleet?.pauseApiServer('staging', false);
  } catch {
    // already stopped
  }
  await fleet?.stop();
  repo?.cleanup();
  data?.cleanup();
});

describe('a fleet that fails under the refresh', () => {
  it("uses the running sandbox's kubeconfig by default, and says so", async () => {
    const c = await run('clusters', '-o', 'json');
    expect(c.code).toBe(0);
    expect(c.err).toBe(`kubeconfig: ${fleet.kubeconfig} (the running sandbox's; --kubeconfig or $KUBECONFIG override it)\n`);
    expect((JSON.parse(c.out) as { clusters: { cluster: string; state: string }[] }).clusters.map((x) => [x.cluster, x.state])).toEqual(CLUSTERS.map((n) => [n, 'ready']));
    const s = await run('status');
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/^web\s+Synced\/Healthy\s+Synced\/Healthy\s+Synced\/Healthy$/m);
    // Every cell was read in this run: current, dated now.
    const before = Date.now();
    const j = await run('status', '-o', 'json');
    expect(j.code).toBe(0);
    const rows = JSON.parse(j.out) as { cluster: string; freshness: string; observedAt: string; ageSeconds: number }[];
    expect(rows.map((x) => [x.cluster, x.freshness]).sort()).toEqual(CLUSTERS.map((c) => [c, 'current']).sort());
    for (const x of rows) {
      expect(Date.parse(x.observedAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(x.ageSeconds).toBeLessThan(30);
    }
  });

  it('records drift on staging and prod while everything answers', async () => {
    await syncApp(admin.connection('staging'), [config('debug')], { app: 'web-staging', namespace: ns });
    await syncApp(admin.connection('prod'), [config('trace')], { app: 'web-prod', namespace: ns });
    const r = await run('refresh');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('2 drifted, 0 unknown');
  });

  it('one API server frozen (SIGSTOP) and another killed mid-refresh: partial coverage, exit 1, the drift kept', async () => {
    fleet.pauseApiServer('staging', true);
    const refreshing = run('refresh');
    await new Promise((r) => setTimeout(r, 300));
    await fleet.stopApiServer('dev');
    const started = Date.now();
    const r = await refreshing;
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(r.code, r.err).toBe(1);
    // staging never answered; dev may have been read before it died — either way the line says what was not compared.
    expect(r.err).toMatch(/^warning: (1|2) of 3 app × cluster\(s\) could not be compared: .*cluster staging unreachable/m);
    expect(r.out).not.toContain('0 drifted');

    const report = await cli(['drift-report', '--offline', '-f', 'json']);
    expect(report.code).toBe(1);
    const doc = JSON.parse(report.out) as ReportDoc;
    const staging = doc.entries.find((e) => e.cluster === 'staging')!;
    expect(staging).toMatchObject({ sync: 'OutOfSync', unreachable: expect.stringMatching(/^cluster staging is unreachable/) });
    expect(staging.driftedResources).toHaveLength(1);
    expect(doc.entries.find((e) => e.cluster === 'prod')).toMatchObject({ sync: 'OutOfSync', unreachable: null });
    expect(doc.summary.coverage).toMatch(/could not be compared: .*cluster staging unreachable/);
  });

  it('with every API server gone, refresh and drift-report exit 2 ("could not look"), and the drifts recorded before survive', async () => {
    await fleet.stopApiServer('prod');
    const r = await run('refresh');
    expect(r.code).toBe(2);
    // The sandbox (its etcd still up) stays the default kubeconfig: each cluster reads as unreachable, not as unknown.
    expect(r.err).toContain(`kubeconfig: ${fleet.kubeconfig} (the running sandbox's`);
    expect(r.err).toMatch(/^error: 3 of 3 app × cluster\(s\) could not be compared: cluster dev unreachable.*cluster prod unreachable.*cluster staging unreachable/m);
    const online = await run('drift-report', '-f', 'md');
    expect(online.code).toBe(2);
    expect(online.out).not.toContain('No drift');
    expect(online.out).toContain('**Could not look**: none of the 3 app × cluster(s) could be compared; as last recorded, 2 had drifted (2 resource(s)).');
    const offline = await cli(['drift-report', '--offline', '-f', 'json']);
    expect(offline.code).toBe(2);
    const doc = JSON.parse(offline.out) as ReportDoc;
    expect(doc.summary.notCompared).toBe(3);
    expect(doc.entries.filter((e) => e.sync === 'OutOfSync').map((e) => e.cluster).sort()).toEqual(['prod', 'staging']);
    expect(doc.entries.every((e) => e.unreachable !== null && Date.parse(e.observedAt) < Date.now())).toBe(true);
    // status: every cell not read now, each showing its last observation (prod's drift) with its age; never Synced.
    const st = await run('status');
    expect(st.code).toBe(2);
    expect(st.out).toMatch(/^web\s+unreachable \(last \S+ \d+[sm] ago\)\s+unreachable \(last OutOfSync\/Healthy \d+[sm] ago\)\s+unreachable \(last OutOfSync\/Healthy \d+[sm] ago\)$/m);
    const sj = JSON.parse((await run('status', '-o', 'json')).out) as { cluster: string; sync: string; freshness: string; lastObserved?: { sync: string; ageSeconds: number } }[];
    expect(sj.every((x) => x.sync === 'Unknown' && x.freshness === 'stale')).toBe(true);
    expect(sj.find((x) => x.cluster === 'prod')!.lastObserved).toMatchObject({ sync: 'OutOfSync', ageSeconds: expect.any(Number) });
  });
});
