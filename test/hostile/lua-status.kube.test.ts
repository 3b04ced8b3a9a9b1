// A hostile custom Lua health check from the repository's fleet file, run against a real cluster: `status` answers in
// bounded time with the check Unknown (naming the limit, the kind and the file, line and column of the check), and `serve` exits on SIGTERM while a
// refresh runs it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterManager } from '../../electron/services/cluster/cluster-manager';
import { syncApp } from '../../electron/services/cluster/sync';
import type { KubeObject } from '../../shared/model/status';
import { commitAll, git, tempDir, writeFiles } from '../helpers/git-fixtures';
import type { LocalFleetState } from '../helpers/kube-fleet';
import { createNamespace, fleetAdmin, freshNamespace, useKubeFleet, webAppSet } from '../helpers/kube-fleet';
import { cli } from '../helpers/run-cli';
import { startServe } from '../helpers/serve';

const REPO_URL = 'https://git.example.com/team/lua.git';
/** Never returns from inside string.find: the VM's instruction hook does not run in the pattern matcher. */
const HANG = 'local s = string.find(("a"):rep(2e5), "(.-)(.-)(.-)(.-)b")\nreturn {status="Healthy"}';
/** Doubles a string until it is gigabytes long. */
const BLOWUP = 'local s = "x"\nfor i = 1, 40 do s = s .. s end\nreturn {status="Healthy", message=#s}';

let fleet: LocalFleetState;
let admin: ClusterManager;
let repo: { dir: string; cleanup: () => void };
let data: { dir: string; cleanup: () => void };

beforeAll(async () => {
  fleet = await useKubeFleet();
  const dev = fleet.clusters.find((c) => c.name === 'dev')!;
  admin = fleetAdmin(fleet, { only: ['dev'] });
  const ns = freshNamespace('lua');
  repo = tempDir('flotilla-lua-');
  data = tempDir('flotilla-lua-data-');
  git(repo.dir, 'init', '-q', '-b', 'main');
  const indent = (s: string): string => s.split('\n').map((l) => `        ${l}`).join('\n');
  writeFiles(repo.dir, {
    'flotilla.yaml': [
      'apiVersion: flotilla.dev/v1alpha1', 'kind: Fleet', 'metadata:', '  name: t', 'spec:', `  repoURL: ${REPO_URL}`, '  applicationSets:', '  - appsets/*.yaml',
      '  health:', '    customizations:', '      _ConfigMap: |', indent(HANG), '      _ServiceAccount: |', indent(BLOWUP),
      '  clusters:', '  - name: dev', `    context: ${dev.context}`, `    server: ${dev.server}`, '',
    ].join('\n'),
    'appsets/web.yaml': webAppSet(REPO_URL, ns, [dev]),
    'apps/web/kustomization.yaml': 'resources:\n- objects.yaml\n',
    'apps/web/objects.yaml': [1, 2, 3].map((i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: v\n`).join('---\n') + '---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n',
  });
  commitAll(repo.dir, 'app judged by hostile Lua checks');
  await createNamespace(fleet, 'dev', ns);
  const objects: KubeObject[] = [
    ...[1, 2, 3].map((i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` }, data: { k: 'v' } })),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' } },
  ];
  expect((await syncApp(admin.connection('dev'), objects, { app: 'web-dev', namespace: ns })).phase).toBe('Succeeded');
});

afterAll(() => {
  admin?.close();
  repo?.cleanup();
  data?.cleanup();
});

describe('hostile Lua health checks from the fleet file against a real cluster', () => {
  it('status answers in bounded time; each check is Unknown naming the limit, the kind and flotilla.yaml', async () => {
    const started = Date.now();
    const r = await cli(['status', '--repo', repo.dir, '--kubeconfig', fleet.kubeconfig, '-o', 'json']);
    const ms = Date.now() - started;
    expect(ms).toBeLessThan(30_000);
    const rows = JSON.parse(r.out) as { resources?: { kind: string; name: string; health?: { status: string; message?: string } }[] }[];
    const resources = rows.flatMap((row) => row.resources ?? []);
    const cm = resources.filter((x) => x.kind === 'ConfigMap');
    expect(cm).toHaveLength(3);
    for (const c of cm) {
      expect(c.health?.status).toBe('Unknown');
      expect(c.health?.message).toMatch(/^health check for ConfigMap \(flotilla\.yaml:11:7\) failed: time limit of 1000 ms exceeded/);
    }
    // The check is marked failed for the session: one Problem at its key in the fleet file, not one per object.
    const stopped = r.err.split('\n').filter((l) => l.includes('custom health check'));
    expect(stopped).toEqual([expect.stringMatching(/^error: flotilla\.yaml:11:7: custom health check _ConfigMap failed: time limit of 1000 ms exceeded .* not run again in this session/)]);
    const sa = resources.find((x) => x.kind === 'ServiceAccount');
    expect(sa?.health).toMatchObject({ status: 'Unknown', message: expect.stringContaining('memory limit of 64 MiB (strings) exceeded') });
  });

  it('serve exits promptly on SIGTERM while a refresh is evaluating the checks', async () => {
    const serve = await startServe(repo.dir, path.join(data.dir, 'serve'), { KUBECONFIG: fleet.kubeconfig });
    const base = new URL(serve.url).origin;
    const token = new URL(serve.url).searchParams.get('token')!;
    const refresh = fetch(`${base}/api/invoke/fleet:refresh`, { method: 'POST', body: '{}', headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 700));
    const exited = new Promise<number | null>((resolve) => serve.child.once('exit', (code) => resolve(code)));
    const started = Date.now();
    serve.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    await refresh;
  });

  it('serve answers other requests promptly (median within 200 ms, none held for the check) while a refresh runs the hostile checks', async () => {
    const serve = await startServe(repo.dir, path.join(data.dir, 'serve-busy'), { KUBECONFIG: fleet.kubeconfig });
    try {
      const base = new URL(serve.url).origin;
      const headers = { Authorization: `Bearer ${new URL(serve.url).searchParams.get('token')!}` };
      const invoke = (channel: string, body: unknown): Promise<Response> => fetch(`${base}/api/invoke/${channel}`, { method: 'POST', body: JSON.stringify(body), headers });
      // Warm up what a first cluster call loads (the Kubernetes client modules, connections): not what is measured here.
      expect((await invoke('clusters:list', {})).status).toBe(200);
      let refreshed = false;
      let refreshMs = 0;
      const refreshStarted = Date.now();
      type View = { ok: boolean; result: { problems: { file?: string; line?: number; column?: number; message: string }[] } };
      let view: View | undefined;
      const refresh = invoke('fleet:refresh', {}).then(async (r) => {
        refreshed = true;
        refreshMs = Date.now() - refreshStarted;
        expect(r.status).toBe(200);
        view = (await r.json()) as View;
      });
      const latencies: number[] = [];
      while (!refreshed) {
        const started = Date.now();
        const r = await invoke('appset:source', { file: 'appsets/web.yaml' });
        expect(r.status).toBe(200);
        await r.text();
        latencies.push(Date.now() - started);
        await new Promise((done) => setTimeout(done, 25));
      }
      await refresh;
      // The refresh ran the hostile check to its deadline (1,000 ms + grace) and recorded it...
      const detail = await (await invoke('app:detail', { app: 'web-dev', cluster: 'dev' })).text();
      expect(detail).toContain('time limit of 1000 ms exceeded');
      expect(latencies.length).toBeGreaterThan(20);
      // ...while other requests were answered promptly: the median within 200 ms, and none waited out the check (a main
      // thread blocked by it holds a request for the whole deadline, 1,250 ms). Single slower answers are the refresh's
      // own work and the shared two-core machine (load average above 12 while this was written).
      const why = `latencies (ms): ${latencies.join(', ')}`;
      const sorted = [...latencies].sort((a, b) => a - b);
      expect(sorted[Math.floor(sorted.length / 2)], why).toBeLessThan(200);
      expect(Math.max(...latencies), why).toBeLessThan(1_000);
      expect(refreshMs).toBeGreaterThanOrEqual(1_000);
      // The grid carries one Problem for the check, at its key in flotilla.yaml; the next refresh does not run it again.
      const checkProblem = { file: 'flotilla.yaml', line: 11, column: 7, message: expect.stringMatching(/^custom health check _ConfigMap failed: time limit of 1000 ms exceeded .*not run again in this session/) };
      expect(view!.result.problems).toEqual(expect.arrayContaining([expect.objectContaining(checkProblem)]));
      const again = Date.now();
      const second = (await (await invoke('fleet:refresh', {})).json()) as View;
      expect(Date.now() - again).toBeLessThan(refreshMs);
      expect(second, JSON.stringify(second)).toMatchObject({ ok: true });
      expect(second.result.problems).toEqual(expect.arrayContaining([expect.objectContaining(checkProblem)]));
    } finally {
      await serve.stop();
    }
  });
});
