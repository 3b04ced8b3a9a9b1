// `flotilla clusters` and `flotilla sync` end to end on the run's real API servers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { freshNamespace, kubeRequest, useKubeFleet } from '../../helpers/kube-fleet';
import { cli } from '../../helpers/run-cli';

let fleet: LocalFleetState;
let tmp: string;

beforeAll(async () => {
  fleet = await useKubeFleet();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'flotilla-cli-clusters-'));
});

describe('flotilla clusters', () => {
  it('lists every kubeconfig context with its state and version, and exits 0 when all are ready', async () => {
    const r = await cli(['clusters', '--kubeconfig', fleet.kubeconfig, '-o', 'json'], tmp);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const data = JSON.parse(r.out) as { clusters: { cluster: string; state: string; version: string }[] };
    expect(data.clusters.map((c) => c.cluster)).toEqual(fleet.clusters.flatMap((c) => [c.context, c.restrictedContext, c.certContext]));
    expect(data.clusters.every((c) => c.state === 'ready' && /^v1\.32\./.test(c.version))).toBe(true);
    expect(r.out).not.toContain(fleet.adminToken);
  });

  it('exits 1 and names the reason when a cluster cannot be reached', async () => {
    const file = path.join(tmp, 'with-dead.yaml');
    const dev = fleet.clusters.find((c) => c.name === 'dev')!;
    writeFileSync(file, JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'dev',
      clusters: [{ name: 'dev', cluster: { server: dev.server, 'insecure-skip-tls-verify': true } }, { name: 'gone', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'admin', user: { token: fleet.adminToken } }],
      contexts: [{ name: 'dev', context: { cluster: 'dev', user: 'admin' } }, { name: 'gone', context: { cluster: 'gone', user: 'admin' } }],
    }));
    const r = await cli(['clusters', '--kubeconfig', file, '--timeout', '2s'], tmp);
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^CLUSTER\s+CONTEXT\s+ENVIRONMENT\s+STATE\s+VERSION\s+SERVER\s+REASON$/);
    expect(lines[1]).toMatch(/^dev\s+dev\s+ready\s+v1\.32\.\d+\s+https:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[2]).toMatch(/^gone\s+gone\s+unreachable\s+https:\/\/127\.0\.0\.1:1\s+gone: .*connection refused/);
  });
});

describe('flotilla sync', () => {
  // A name of its own: prune removes every object tracked as the app's, in any namespace of the shared fleet.
  const app = freshNamespace('web');
  it('applies manifest files to the chosen clusters, then reports a re-run as unchanged', async () => {
    const ns = freshNamespace('cli-sync');
    const file = path.join(tmp, `${ns}.yaml`);
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  annotations:\n    argocd.argoproj.io/sync-wave: "-1"\ndata:\n  color: blue\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n');
    const args = ['sync', '--kubeconfig', fleet.kubeconfig, '--cluster', 'flotilla-dev', 'flotilla-prod', '--app', app, '-f', file, '-n', ns, '--create-namespace'];
    const first = await cli(args, tmp);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    // The Namespace row has no namespace column value, so whitespace-splitting shifts it left by one.
    const rows = first.out.trim().split('\n').slice(1).map((l) => l.split(/\s+/).slice(0, 6).join(' '));
    expect(rows).toEqual([
      `flotilla-dev Namespace ${ns} -1 created`, `flotilla-dev ConfigMap ${ns} settings -1 created`, `flotilla-dev Service ${ns} web 0 created`,
      `flotilla-prod Namespace ${ns} -1 created`, `flotilla-prod ConfigMap ${ns} settings -1 created`, `flotilla-prod Service ${ns} web 0 created`,
    ]);
    for (const c of ['dev', 'prod']) expect((await kubeRequest(fleet, c, 'GET', `/api/v1/namespaces/${ns}/configmaps/settings`)).status).toBe(200);
    expect((await kubeRequest(fleet, 'staging', 'GET', `/api/v1/namespaces/${ns}/configmaps/settings`)).status).toBe(404);

    const again = await cli([...args, '-o', 'json'], tmp);
    expect(again.code).toBe(0);
    const results = JSON.parse(again.out) as { cluster: string; phase: string; resources: { kind: string; action: string }[] }[];
    expect(results.map((r) => [r.cluster, r.phase, r.resources.map((x) => `${x.kind}:${x.action}`)])).toEqual([
      ['flotilla-dev', 'Succeeded', ['ConfigMap:unchanged', 'Service:unchanged']],
      ['flotilla-prod', 'Succeeded', ['ConfigMap:unchanged', 'Service:unchanged']],
    ]);
  });

  it('exits 1 with the permissions a user without rights lacks (refused before anything is sent), and 2 on a manifest that is not an object', async () => {
    const ns = freshNamespace('cli-denied');
    const file = path.join(tmp, `${ns}.yaml`);
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n');
    const denied = await cli(['sync', '--kubeconfig', fleet.kubeconfig, '--cluster', 'flotilla-staging-restricted', '--app', app, '-f', file, '-n', ns], tmp);
    expect(denied.code).toBe(1);
    expect(denied.out).toMatch(new RegExp(`flotilla-staging-restricted\\s+configmaps\\s+${ns}\\s+get denied\\s+`));
    expect(denied.out).toContain(`sync refused on flotilla-staging-restricted: refused before anything was sent: you may not get configmaps in namespace ${ns} on flotilla-staging-restricted`);

    const bad = path.join(tmp, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\n- just\n- a list\n');
    const broken = await cli(['sync', '--kubeconfig', fleet.kubeconfig, '--app', app, '-f', bad], tmp);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain(`${bad}:6: expected a Kubernetes object with apiVersion and kind`);
  });
});
