// `flotilla refresh`, then `history` and `drift-report` end to end: a real git repository (fleet file with
// environments, ApplicationSet, kustomize app with a Secret) and the run's real API servers; the data folder's
// SQLite store is read back and its bytes searched for the Secret's values.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterManager } from '../../../electron/services/cluster/cluster-manager';
import { syncApp } from '../../../electron/services/cluster/sync';
import { FleetStore } from '../../../electron/store/fleet-store';
import type { KubeObject } from '../../../shared/model/status';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { createNamespace, fleetAdmin, freshNamespace, useKubeFleet, webAppSet } from '../../helpers/kube-fleet';
import { cli } from '../../helpers/run-cli';

let fleet: LocalFleetState;
let admin: ClusterManager;
let repo: { dir: string; cleanup: () => void };
let data: { dir: string; cleanup: () => void };
let ns: string;

const REPO_URL = 'https://git.example.com/team/fleet.git';
const PASSWORDS = ['refresh-first-pass-1234', 'refresh-second-pass-5678'];

function manifests(log: string, password: string): Record<string, string> {
  return {
    'apps/web/kustomization.yaml': 'resources:\n- configmap.yaml\n- secret.yaml\n',
    'apps/web/configmap.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  LOG: ${log}\n`,
    'apps/web/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-db\nstringData:\n  password: ${password}\n`,
  };
}

const objects = (log: string, password: string): KubeObject[] => [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data: { LOG: log } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-db' }, stringData: { password } },
];

const args = (...a: string[]): string[] => [...a, '--repo', repo.dir, '--kubeconfig', fleet.kubeconfig, '--data-dir', data.dir];

beforeAll(async () => {
  fleet = await useKubeFleet();
  admin = fleetAdmin(fleet);
  ns = freshNamespace('cli-refresh');
  const dev = fleet.clusters.find((c) => c.name === 'dev')!;
  const staging = fleet.clusters.find((c) => c.name === 'staging')!;
  repo = tempDir('flotilla-refresh-');
  data = tempDir('flotilla-refresh-data-');
  git(repo.dir, 'init', '-q', '-b', 'main');
  writeFiles(repo.dir, {
    'flotilla.yaml': [
      'apiVersion: flotilla.dev/v1alpha1', 'kind: Fleet', 'metadata:', '  name: t', 'spec:', `  repoURL: ${REPO_URL}`, '  applicationSets:', '  - appsets/*.yaml', '  clusters:',
      `  - name: dev`, `    environment: development`, `    context: ${dev.context}`, `    server: ${dev.server}`,
      `  - name: staging`, `    environment: staging`, `    context: ${staging.context}`, `    server: ${staging.server}`, '',
    ].join('\n'),
    'appsets/web.yaml': webAppSet(REPO_URL, ns, [dev, staging]),
    ...manifests('info', PASSWORDS[0]!),
  });
  commitAll(repo.dir, 'web app');
  for (const cluster of ['dev', 'staging']) {
    await createNamespace(fleet, cluster, ns);
    const r = await syncApp(admin.connection(cluster), objects('info', PASSWORDS[0]!), { app: `web-${cluster}`, namespace: ns });
    expect(r.phase).toBe('Succeeded');
  }
});

afterAll(() => {
  admin?.close();
  repo?.cleanup();
  data?.cleanup();
});

describe('flotilla refresh, history and drift-report against real clusters', () => {
  it('records a snapshot of every app × cluster; an offline report then finds no drift', async () => {
    const r = await cli(args('refresh'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`recorded snapshot #1 at `);
    expect(r.out).toContain('2 app × cluster(s) at revision');
    expect(r.out).toContain('2 changed, 0 unchanged; 0 drifted, 0 unknown');
    const report = await cli(['drift-report', '--offline', '--data-dir', data.dir, '-f', 'junit']);
    expect(report.code).toBe(0);
    expect(report.out).toContain('<testsuites name="flotilla drift" tests="2" failures="0" errors="0"');
    expect(report.out).toContain('<property name="environment" value="development"/>');
    // The rendered desired state and the live state are both recorded, Secret values masked.
    const store = FleetStore.open(path.join(data.dir, 'flotilla.db'), { readonly: true });
    try {
      const m = store.manifestsAt('web-dev', 'dev')!;
      expect(m.map((x) => `${x.kind} ${x.desired ? 'desired' : '-'} ${x.live ? 'live' : '-'}`)).toEqual(['ConfigMap desired live', 'Secret desired live']);
      expect(m[0]!.desired).toMatchObject({ data: { LOG: 'info' } });
      expect(m[0]!.live).toMatchObject({ data: { LOG: 'info' } });
      expect(m[1]!.desired).toMatchObject({ stringData: { password: '++++++++' } });
      expect(m[1]!.live).toMatchObject({ data: { password: '++++++++' } });
    } finally {
      store.close();
    }
  });

  it('a second refresh of an unchanged fleet changes nothing', async () => {
    const r = await cli(args('refresh', '-o', 'json'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ snapshot: { id: 2 }, changed: 0, unchanged: 2, events: 0, appClusters: 2 });
  });

  it('after a commit, records the drift; history shows when it began; the offline report exits 1 with the diffs, masked', async () => {
    writeFiles(repo.dir, manifests('debug', PASSWORDS[1]!));
    commitAll(repo.dir, 'debug logging, new password');
    const r = await cli(args('refresh'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 changed, 0 unchanged; 2 drifted, 0 unknown; 2 event(s)');

    const h = await cli(['history', 'web-dev', '--data-dir', data.dir, '-o', 'json']);
    expect(h.code).toBe(0);
    const [dev] = JSON.parse(h.out) as { cluster: string; environment: string; timeline: { sync: string }[]; events: { kind: string }[]; driftEpisodes: { ended?: string }[] }[];
    expect(dev).toMatchObject({ cluster: 'dev', environment: 'development' });
    expect(dev!.timeline.map((t) => t.sync)).toEqual(['Synced', 'OutOfSync']);
    expect(dev!.events.map((e) => e.kind)).toEqual(['drift-began']);
    expect(dev!.driftEpisodes).toHaveLength(1);

    const out = path.join(data.dir, 'drift.html');
    const report = await cli(['drift-report', '--offline', '--data-dir', data.dir, '-f', 'html', '-o', out]);
    expect(report.code).toBe(1);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('2 app × cluster(s) drifted, 4 resource(s) in all.');
    expect(html).toContain('<span class="a">+  LOG: debug</span>');
    const json = await cli(['drift-report', '--offline', '--data-dir', data.dir, '-f', 'json']);
    const doc = JSON.parse(json.out) as { entries: { app: string; driftedResources: { kind: string; changedPaths: string[] }[] }[] };
    expect(doc.entries.find((e) => e.app === 'web-dev')!.driftedResources.map((d) => `${d.kind} ${d.changedPaths.join(',')}`)).toEqual(['ConfigMap /data/LOG', 'Secret /data/password']);

    const file = path.join(data.dir, 'flotilla.db');
    const bytes = [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f));
    for (const text of [html, json.out, ...bytes.map((b) => b.toString('latin1'))]) {
      for (const p of PASSWORDS) {
        expect(text).not.toContain(p);
        expect(text).not.toContain(Buffer.from(p).toString('base64'));
      }
    }
  });

  it('drift-report without --offline refreshes first, then reports from the new snapshot', async () => {
    await syncApp(admin.connection('staging'), objects('debug', PASSWORDS[1]!), { app: 'web-staging', namespace: ns });
    const r = await cli(args('drift-report', '-f', 'md'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^snapshot #4 \(.*\): 1 of 2 app × cluster\(s\) drifted, 2 resource\(s\); 0 unknown$/m);
    expect(r.out).toContain('(live)');
    const h = await cli(['history', 'web-staging', '--data-dir', data.dir]);
    expect(h.out).toMatch(/drift ended at [0-9a-f]{7} after \d+s/);
  });

  it('--retention-days 0 keeps only the newest snapshot of the day, and every event', async () => {
    const before = await cli(['history', 'web-staging', '--data-dir', data.dir, '-o', 'json']);
    const r = await cli(args('refresh', '--retention-days', '0'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/retention: compacted 4 old snapshot\(s\), \d+ manifest\(s\) no longer needed/);
    const after = await cli(['history', 'web-staging', '--data-dir', data.dir, '-o', 'json']);
    const events = (out: string): unknown => (JSON.parse(out) as { events: unknown[] }[])[0]!.events;
    expect(events(after.out)).toEqual(events(before.out));
    expect((JSON.parse(after.out) as { driftEpisodes: { durationMs?: number }[] }[])[0]!.driftEpisodes[0]!.durationMs).toBeGreaterThan(0);
  });

  it('an unreachable fleet is "could not look" (exit 2), never a fresh all-Unknown state: the drift last recorded survives', async () => {
    const t = tempDir('flotilla-kc-');
    try {
      const before = JSON.parse((await cli(['drift-report', '--offline', '--data-dir', data.dir, '-f', 'json'])).out) as { entries: { app: string; sync: string; observedAt: string }[] };
      const devBefore = before.entries.find((e) => e.app === 'web-dev')!;
      expect(devBefore.sync).toBe('OutOfSync');
      writeFiles(t.dir, { config: 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n' });
      const r = await cli(['refresh', '--repo', repo.dir, '--kubeconfig', `${t.dir}/config`, '--timeout', '3', '--data-dir', data.dir]);
      expect(r.code).toBe(2);
      expect(r.out).toContain('2 app × cluster(s) not read: their last observed state was kept');
      expect(r.err).toMatch(/error: cluster dev is unreachable/);
      expect(r.err).toMatch(/^error: 2 of 2 app × cluster\(s\) could not be compared: cluster dev unreachable.*; cluster staging unreachable/m);
      const online = await cli(['drift-report', '--repo', repo.dir, '--kubeconfig', `${t.dir}/config`, '--timeout', '3', '--data-dir', data.dir, '-f', 'md']);
      expect(online.code).toBe(2);
      expect(online.out).not.toContain('No drift');
      expect(online.out).toContain('could not be compared: cluster dev unreachable');
      const report = await cli(['drift-report', '--offline', '--data-dir', data.dir, '-f', 'json']);
      expect(report.code).toBe(2);
      const doc = JSON.parse(report.out) as { summary: { notCompared: number; coverage: string }; entries: { app: string; sync: string; observedAt: string; unreachable: string | null; driftedResources: unknown[] }[] };
      expect(doc.summary.notCompared).toBe(2);
      const dev = doc.entries.find((e) => e.app === 'web-dev')!;
      // The drift recorded before the failed refresh is still shown, with the time it was observed (its age).
      expect(dev).toMatchObject({ sync: 'OutOfSync', observedAt: devBefore.observedAt, unreachable: expect.stringMatching(/cluster dev is unreachable/) });
      expect(dev.driftedResources.length).toBe(2);
      const md = await cli(['drift-report', '--offline', '--data-dir', data.dir, '-f', 'md']);
      // (Markdown escapes the parentheses.)
      expect(md.out).toMatch(/not read in this snapshot \\\(cluster dev is unreachable.*\\\); last observed \d+[smh].* ago/);
    } finally {
      t.cleanup();
      rmSync(path.join(data.dir, 'drift.html'), { force: true });
    }
  });
});
