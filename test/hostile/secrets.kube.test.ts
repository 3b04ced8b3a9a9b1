// Secrets are masked on every path: a distinctive value planted in a Secret in Git and another in the live Secret on a
// real cluster must appear in no API channel's answer (every channel of the contract, so a new one is covered or fails
// here), no event, no CLI output format, no report format, no log line and no byte of the SQLite database.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../electron/services/api-handlers';
import type { ClusterManager } from '../../electron/services/cluster/cluster-manager';
import { syncApp } from '../../electron/services/cluster/sync';
import { Session } from '../../electron/services/session';
import type { ApiHandlers, Channel, RequestOf } from '../../shared/api/contract';
import { CHANNELS, EVENTS } from '../../shared/api/contract';
import type { KubeObject } from '../../shared/model/status';
import { DRIFT_REPORT_FORMATS } from '../../shared/report';
import { commitAll, git, tempDir, writeFiles } from '../helpers/git-fixtures';
import type { LocalFleetState } from '../helpers/kube-fleet';
import { createNamespace, fleetAdmin, freshNamespace, useKubeFleet, webAppSet } from '../helpers/kube-fleet';
import { cli } from '../helpers/run-cli';

const GIT_SECRET = 'planted-git-secret-9c41d7';
const LIVE_SECRET = 'planted-live-secret-5e27aa';
const REPO_URL = 'https://git.example.com/team/secrets.git';

/** Every form a planted value could leak in: as is, base64 (Secret data), and JSON-escaped inside another string. */
const NEEDLES = [GIT_SECRET, LIVE_SECRET].flatMap((s) => [s, Buffer.from(s).toString('base64')]);

let fleet: LocalFleetState;
let admin: ClusterManager;
let repo: { dir: string; cleanup: () => void };
let data: { dir: string; cleanup: () => void };
let ns: string;
/** Everything any path printed or returned, with where it came from. */
const seen: { where: string; text: string }[] = [];

function record(where: string, value: unknown): void {
  seen.push({ where, text: typeof value === 'string' ? value : JSON.stringify(value) ?? String(value) });
}

function leaks(): string[] {
  return seen.flatMap(({ where, text }) => NEEDLES.filter((n) => text.includes(n)).map((n) => `${where} contains ${n}`));
}

beforeAll(async () => {
  fleet = await useKubeFleet();
  const dev = fleet.clusters.find((c) => c.name === 'dev')!;
  admin = fleetAdmin(fleet, { only: ['dev'] });
  ns = freshNamespace('secrets');
  repo = tempDir('flotilla-secrets-');
  data = tempDir('flotilla-secrets-data-');
  git(repo.dir, 'init', '-q', '-b', 'main');
  writeFiles(repo.dir, {
    'flotilla.yaml': [
      'apiVersion: flotilla.dev/v1alpha1', 'kind: Fleet', 'metadata:', '  name: t', 'spec:', `  repoURL: ${REPO_URL}`, '  applicationSets:', '  - appsets/*.yaml', '  clusters:',
      '  - name: dev', '    environment: development', `    context: ${dev.context}`, `    server: ${dev.server}`, '',
    ].join('\n'),
    'appsets/web.yaml': webAppSet(REPO_URL, ns, [dev]),
    'apps/web/kustomization.yaml': 'resources:\n- secret.yaml\n- configmap.yaml\n',
    'apps/web/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  LOG: info\n',
    'apps/web/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-db\nstringData:\n  password: ${GIT_SECRET}\n`,
  });
  commitAll(repo.dir, 'web app with a Secret');
  await createNamespace(fleet, 'dev', ns);
  // The live Secret holds another value, so the app drifts and every diff path has both values to leak.
  const live: KubeObject[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data: { LOG: 'info' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-db' }, stringData: { password: LIVE_SECRET } },
  ];
  const r = await syncApp(admin.connection('dev'), live, { app: 'web-dev', namespace: ns });
  expect(r.phase).toBe('Succeeded');
});

afterAll(() => {
  admin?.close();
  repo?.cleanup();
  data?.cleanup();
});

describe('a planted Secret value appears nowhere outside the cluster and the repository', () => {
  it('every CLI command that prints objects, in every output format', async () => {
    const kc = ['--kubeconfig', fleet.kubeconfig];
    const dd = ['--data-dir', data.dir];
    const refresh = await cli(['refresh', '--repo', repo.dir, ...kc, ...dd]);
    expect(refresh.code).toBe(0);
    record('refresh', refresh);
    const commands: string[][] = [
      ['apps', '--repo', repo.dir],
      ['generate', '--repo', repo.dir],
      ['status', '--repo', repo.dir, ...kc],
      ['diff', '--repo', repo.dir, ...kc],
      ['refresh', '--repo', repo.dir, ...kc, ...dd],
      ['history', 'web-dev', ...dd],
      ['clusters', '--repo', repo.dir, ...kc],
      ['sync', 'web-dev', '--dry-run', '--repo', repo.dir, ...kc],
      ['promotions', ...dd],
      ['health', '-f', path.join(repo.dir, 'apps/web/secret.yaml')],
    ];
    for (const c of commands) {
      for (const format of ['table', 'json', 'yaml']) {
        const r = await cli([...c, '-o', format], repo.dir);
        record(`flotilla ${c[0]} -o ${format} (exit ${r.code})`, r);
      }
    }
    expect(seen.length).toBeGreaterThan(commands.length * 3);
    expect(leaks()).toEqual([]);
  });

  it('every drift report format, online and offline', async () => {
    for (const format of DRIFT_REPORT_FORMATS) {
      const online = await cli(['drift-report', '--repo', repo.dir, '--kubeconfig', fleet.kubeconfig, '--data-dir', data.dir, '-f', format]);
      record(`drift-report -f ${format}`, online);
      expect(online.code).toBe(1); // the live Secret differs from Git: drift, shown masked
      const offline = await cli(['drift-report', '--offline', '--data-dir', data.dir, '-f', format]);
      record(`drift-report --offline -f ${format}`, offline);
    }
    expect(leaks()).toEqual([]);
  });

  it('every channel of the UI contract, and every pushed event', async () => {
    const session = new Session({ repoPath: repo.dir, dataDir: data.dir, kubeconfig: [fleet.kubeconfig] });
    const api: ApiHandlers = createApiHandlers(session);
    for (const e of EVENTS) session.events.on(e, (payload: unknown) => record(`event ${e}`, payload));
    const appset = readFileSync(path.join(repo.dir, 'appsets/web.yaml'), 'utf8');
    const fleetFile = readFileSync(path.join(repo.dir, 'flotilla.yaml'), 'utf8');
    const ask = { from: 'development', to: 'staging', apps: 'all' } as const;
    // One request per channel; a channel added to the contract without a request here fails the test.
    const requests: { [C in Channel]: RequestOf<C> } = {
      'fleet:overview': {},
      'repo:open': { path: repo.dir },
      'appset:source': { file: 'appsets/web.yaml' },
      'appset:preview': { file: 'appsets/web.yaml', text: appset },
      'appset:save': { file: 'appsets/web.yaml', text: appset },
      'fleet:status': {},
      'fleet:versions': {},
      'repo:remote-status': {},
      'repo:fetch': {},
      'fleet:refresh': {},
      'fleet:cancel': {},
      'app:detail': { app: 'web-dev', cluster: 'dev' },
      'app:tree': { app: 'web-dev', cluster: 'dev' },
      'app:logs': { app: 'web-dev', cluster: 'dev', namespace: ns, pod: 'none' },
      'app:manifest': { app: 'web-dev', cluster: 'dev', group: '', kind: 'Secret', namespace: ns, name: 'web-db' },
      'app:validate': { app: 'web-dev', cluster: 'dev' },
      'fleet:validation': {},
      'app:sync': { app: 'web-dev', cluster: 'dev', dryRun: true },
      'app:access': { app: 'web-dev', cluster: 'dev' },
      'clusters:contexts': {},
      'cluster:detail': { cluster: 'dev' },
      'clusters:save': { name: 'dev', context: fleet.clusters.find((c) => c.name === 'dev')!.context, environment: 'development', labels: {} },
      'clusters:list': {},
      'promotion:pipelines': {},
      'promotion:stage-validation': { pipeline: 'apps', stage: 'staging' },
      'promotion:plan': ask,
      'promotion:execute': ask,
      'promotion:history': {},
      'promotion:rollback': { id: 1 },
      'promotion:rollback-plan': { id: 1 },
      'promotion:approve': { promotion: ask, digest: `sha256:${'0'.repeat(64)}` },
      'history:app': { app: 'web-dev' },
      'history:snapshots': {},
      'report:drift': { format: 'json' },
      'notify:history': {},
    };
    expect(Object.keys(requests).sort()).toEqual([...CHANNELS].sort());
    try {
      for (const channel of CHANNELS) {
        const call = api[channel] as (req: unknown) => Promise<unknown>;
        try {
          record(`api ${channel}`, await call(requests[channel]));
        } catch (err) {
          record(`api ${channel} (error)`, err instanceof Error ? err.message : err);
        }
      }
      for (const format of DRIFT_REPORT_FORMATS) record(`api report:drift ${format}`, await api['report:drift']({ format }));
    } finally {
      session.close();
    }
    // app:detail shows the rendered Secret, masked.
    const detail = seen.find((s) => s.where === 'api app:detail')!;
    expect(detail.text).toContain('kind: Secret');
    expect(detail.text).toContain('++++++++');
    // app:manifest shows the desired and the live Secret, both masked.
    const manifest = seen.find((s) => s.where === 'api app:manifest')!;
    expect(manifest.text).toContain('kind: Secret');
    expect(manifest.text.match(/\+\+\+\+\+\+\+\+/g)?.length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(path.join(repo.dir, 'flotilla.yaml'), 'utf8')).toContain(fleetFile.split('\n')[0]!);
    expect(leaks()).toEqual([]);
  });

  it('the data folder: the SQLite database (with its WAL) and any log file', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(data.dir);
    expect(files.some((f) => f.endsWith('flotilla.db'))).toBe(true);
    for (const f of files.filter(existsSync)) record(`file ${path.relative(data.dir, f)}`, readFileSync(f).toString('latin1'));
    expect(leaks()).toEqual([]);
  });

  it('render prints the manifests as kubectl kustomize does, Secret included: the user asked for them (documented)', async () => {
    const r = await cli(['render', 'apps/web'], repo.dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain(GIT_SECRET);
  });
});
