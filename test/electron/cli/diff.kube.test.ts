// `flotilla diff` and `flotilla status` end to end: a real git repository (fleet file, ApplicationSet, kustomize
// app) and the run's real API servers, synced by Flotilla, then changed in Git.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterManager } from '../../../electron/services/cluster/cluster-manager';
import { syncApp } from '../../../electron/services/cluster/sync';
import type { KubeObject } from '../../../shared/model/status';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { createNamespace, fleetAdmin, freshNamespace, useKubeFleet, webAppSet } from '../../helpers/kube-fleet';
import { cli } from '../../helpers/run-cli';

let fleet: LocalFleetState;
let admin: ClusterManager;
let repo: { dir: string; cleanup: () => void };
let ns: string;

const REPO_URL = 'https://git.example.com/team/fleet.git';

function manifests(log: string, password: string): Record<string, string> {
  return {
    'apps/web/kustomization.yaml': 'resources:\n- service.yaml\n- configmap.yaml\n- secret.yaml\n',
    'apps/web/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 8080\n',
    'apps/web/configmap.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  LOG: ${log}\n  REGION: eu-west-1\n`,
    'apps/web/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-db\nstringData:\n  password: ${password}\n`,
  };
}

const objects = (log: string, password: string): KubeObject[] => [
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data: { LOG: log, REGION: 'eu-west-1' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-db' }, stringData: { password } },
];

const kc = (): string[] => ['--kubeconfig', fleet.kubeconfig];

beforeAll(async () => {
  fleet = await useKubeFleet();
  admin = fleetAdmin(fleet);
  ns = freshNamespace('cli-diff');
  const dev = fleet.clusters.find((c) => c.name === 'dev')!;
  const staging = fleet.clusters.find((c) => c.name === 'staging')!;
  repo = tempDir('flotilla-diff-');
  git(repo.dir, 'init', '-q', '-b', 'main');
  writeFiles(repo.dir, {
    'flotilla.yaml': [
      'apiVersion: flotilla.dev/v1alpha1', 'kind: Fleet', 'metadata:', '  name: t', 'spec:', `  repoURL: ${REPO_URL}`, '  applicationSets:', '  - appsets/*.yaml', '  clusters:',
      `  - name: dev`, `    context: ${dev.context}`, `    server: ${dev.server}`,
      `  - name: staging`, `    context: ${staging.context}`, `    server: ${staging.server}`, '',
    ].join('\n'),
    'appsets/web.yaml': webAppSet(REPO_URL, ns, [dev, staging]),
    ...manifests('info', 'first-pass-1234'),
  });
  commitAll(repo.dir, 'web app');
  for (const cluster of ['dev', 'staging']) {
    await createNamespace(fleet, cluster, ns);
    const r = await syncApp(admin.connection(cluster), objects('info', 'first-pass-1234'), { app: `web-${cluster}`, namespace: ns });
    expect(r.phase).toBe('Succeeded');
  }
});

afterAll(() => {
  admin.close();
  repo.cleanup();
});

describe('flotilla diff and status against real clusters', () => {
  it('exits 0 with no output when every app is in sync, and status shows the grid Synced/Healthy', async () => {
    const d = await cli(['diff', '--repo', repo.dir, ...kc()]);
    expect(d.err).toBe('');
    expect(d.out.trim()).toBe('');
    expect(d.code).toBe(0);
    const server = await cli(['diff', '--server-side-diff', '--repo', repo.dir, ...kc()]);
    expect(server.err).toBe('');
    expect(server.code).toBe(0);
    const s = await cli(['status', '--repo', repo.dir, ...kc()]);
    expect(s.err).toBe('');
    expect(s.code).toBe(0);
    const lines = s.out.trim().split('\n');
    expect(lines[1]).toMatch(/^APP\s+DEV\s+STAGING$/);
    expect(lines[2]).toMatch(/^web\s+Synced\/Healthy\s+Synced\/Healthy$/);
  });

  it('exits 1 and prints argocd-style diffs after a commit changes the app, with the Secret masked', async () => {
    writeFiles(repo.dir, manifests('debug', 'second-pass-5678'));
    commitAll(repo.dir, 'debug logging, new password');
    const d = await cli(['diff', 'web-dev', '--repo', repo.dir, ...kc()]);
    expect(d.err).toBe('');
    expect(d.code).toBe(1);
    expect(d.out).toContain(`===== /ConfigMap ${ns}/web-config ======\n--- web-config-live.yaml\n+++ web-config\n`);
    expect(d.out).toContain('\n-  LOG: info\n+  LOG: debug\n');
    expect(d.out).toContain(`===== /Secret ${ns}/web-db ======`);
    expect(d.out).toContain('\n-  password: ++++++++++++\n+  password: ++++++++\n');
    expect(d.out).not.toContain('Service');
    for (const secret of ['first-pass-1234', 'second-pass-5678', Buffer.from('first-pass-1234').toString('base64'), Buffer.from('second-pass-5678').toString('base64')]) {
      expect(d.out).not.toContain(secret);
    }
    // The server's own dry run finds the same changes (and only those).
    const server = await cli(['diff', 'web-dev', '--server-side-diff', '--repo', repo.dir, ...kc(), '-o', 'json']);
    expect(server.code).toBe(1);
    const serverRows = JSON.parse(server.out) as { resources: { kind: string; changes: { path: string }[] }[] }[];
    expect(serverRows[0]!.resources.map((r) => `${r.kind} ${r.changes.map((c) => c.path).join(',')}`)).toEqual(['ConfigMap /data/LOG', 'Secret /data/password']);
    expect(server.out).not.toContain('second-pass-5678');
    const s = await cli(['status', '--repo', repo.dir, ...kc(), '-o', 'json']);
    expect(s.code).toBe(0);
    const rows = JSON.parse(s.out) as { app: string; cluster: string; sync: string; resources: { kind: string; sync: string; changedPaths?: string[] }[] }[];
    expect(rows.map((r) => `${r.app}@${r.cluster} ${r.sync}`)).toEqual(['web-dev@dev OutOfSync', 'web-staging@staging OutOfSync']);
    // In kustomize's output order (ConfigMaps and Secrets before Services).
    expect(rows[0]!.resources.map((r) => `${r.kind} ${r.sync} ${(r.changedPaths ?? []).join(',')}`)).toEqual(['ConfigMap OutOfSync /data/LOG', 'Secret OutOfSync /data/password', 'Service Synced ']);
    expect(s.out).not.toContain('second-pass-5678');
  });

  it('limits the comparison to one cluster with --cluster and reports in JSON with -o json', async () => {
    await syncApp(admin.connection('staging'), objects('debug', 'second-pass-5678'), { app: 'web-staging', namespace: ns });
    const d = await cli(['diff', '--cluster', 'staging', '--repo', repo.dir, ...kc(), '-o', 'json']);
    expect(d.code).toBe(0);
    expect(JSON.parse(d.out)).toEqual([{ app: 'web-staging', cluster: 'staging', revision: expect.stringMatching(/^[0-9a-f]{40}$/), sync: 'Synced', resources: [] }]);
  });

  it('honours the fleet file\'s ignoreDifferences for every app', async () => {
    const fleetFile = readFileSync(path.join(repo.dir, 'flotilla.yaml'), 'utf8');
    writeFiles(repo.dir, { 'flotilla.yaml': fleetFile + '  ignoreDifferences:\n  - kind: ConfigMap\n    jsonPointers: [/data/LOG]\n  - kind: Secret\n    jqPathExpressions: [.data.password]\n' });
    commitAll(repo.dir, 'ignore LOG and the password');
    const d = await cli(['diff', 'web-dev', '--repo', repo.dir, ...kc(), '-o', 'json']);
    expect(d.err).toBe('');
    expect(d.code).toBe(0);
    expect((JSON.parse(d.out) as { sync: string }[])[0]!.sync).toBe('Synced');
    writeFiles(repo.dir, {
      'flotilla.yaml': fleetFile + '  health:\n    customizations:\n      _ConfigMap: |\n        if obj.data.LOG == "info" then return {status = "Degraded", message = "LOG is info"} end\n        return {status = "Healthy", message = ""}\n',
    });
    commitAll(repo.dir, 'a custom health check');
    const h = await cli(['status', 'web-dev', '--repo', repo.dir, ...kc(), '-o', 'json']);
    const row = (JSON.parse(h.out) as { health: { status: string; message: string }; resources: { kind: string; health?: { status: string } }[] }[])[0]!;
    expect(row.health).toEqual({ status: 'Degraded', message: 'LOG is info' });
    expect(row.resources.map((r) => `${r.kind} ${r.health?.status}`)).toEqual(['ConfigMap Degraded', 'Secret Healthy', 'Service Healthy']);
    writeFiles(repo.dir, { 'flotilla.yaml': fleetFile + '  ignoreDifferences:\n  - kind: ConfigMap\n    jqPathExpressions: [".data | frob"]\n' });
    commitAll(repo.dir, 'a bad expression');
    const bad = await cli(['diff', '--repo', repo.dir, ...kc()]);
    expect(bad.code).toBe(2);
    const line = fleetFile.split('\n').length; // the ignoreDifferences key, appended after the fleet file's lines
    expect(bad.err).toContain(`error: flotilla.yaml:${line}:3: fleet file: spec.ignoreDifferences[0]: jqPathExpressions: jq: function 'frob'`);
    writeFiles(repo.dir, { 'flotilla.yaml': fleetFile });
    commitAll(repo.dir, 'no ignore rules');
  });

  it('exits 2 naming the app when it does not exist, and the cluster when it cannot be reached', async () => {
    const unknown = await cli(['diff', 'nope', '--repo', repo.dir, ...kc()]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no Application named nope');
    expect(unknown.err).toContain('known: web-dev, web-staging');
    const t = tempDir('flotilla-kc-');
    try {
      writeFiles(t.dir, { config: 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n' });
      const d = await cli(['diff', '--repo', repo.dir, '--kubeconfig', `${t.dir}/config`, '--timeout', '3']);
      expect(d.code).toBe(2);
      expect(d.err).toMatch(/error: cluster dev is unreachable: .* \(app web-dev not compared\)/);
      expect(d.err).toMatch(/error: cluster staging is unreachable: .* \(app web-staging not compared\)/);
    } finally {
      t.cleanup();
    }
  });

  it('makes an app whose manifests do not render Unknown, naming the problem, without stopping the others', async () => {
    const dev = fleet.clusters.find((c) => c.name === 'dev')!;
    writeFiles(repo.dir, {
      'appsets/broken.yaml': [
        'apiVersion: argoproj.io/v1alpha1', 'kind: ApplicationSet', 'metadata:', '  name: broken', 'spec:', '  generators:', '  - list:', '      elements:',
        `      - cluster: dev`, `        url: ${dev.server}`, '  template:', "    metadata:", "      name: 'broken-{{cluster}}'", '    spec:', '      project: default',
        `      source: {repoURL: ${REPO_URL}, targetRevision: HEAD, path: apps/nope}`, `      destination: {server: '{{url}}', namespace: ${ns}}`, '',
      ].join('\n'),
    });
    commitAll(repo.dir, 'an app without manifests');
    const s = await cli(['status', '--repo', repo.dir, ...kc(), '--cluster', 'dev', '-o', 'json']);
    expect(s.code).toBe(2);
    const rows = JSON.parse(s.out) as { app: string; sync: string; health: { status: string }; error?: string }[];
    expect(rows.map((r) => `${r.app} ${r.sync} ${r.health.status}`)).toEqual(['broken-dev Unknown Unknown', 'web-dev OutOfSync Healthy']);
    expect(rows[0]!.error).toContain('render failed');
    expect(rows[0]!.error).toContain('apps/nope');
    expect(s.err).toContain('(app broken-dev not compared)');
  });
});
