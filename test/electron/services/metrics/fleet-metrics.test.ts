import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetMetrics } from '../../../../electron/services/metrics/fleet-metrics';
import { startMetricsServer } from '../../../../electron/services/metrics/metrics-server';
import { PromotionLog } from '../../../../electron/services/promotion/promotion-log';
import { Session } from '../../../../electron/services/session';
import { FleetStore } from '../../../../electron/store/fleet-store';
import { storeFile } from '../../../../electron/store/location';
import { deadKubeconfig } from '../../../helpers/dead-clusters';
import { exampleRepo, tempDir } from '../../../helpers/git-fixtures';
import { goTestTool, runGoTestTool } from '../../../helpers/test-tools';

// The Go tool is built once (scripts/test-tools.sh; .ci/run builds it up front) before the tests' own deadlines.
beforeAll(() => void goTestTool('prom-parse'));

// The metrics port, scraped over HTTP and parsed by Prometheus' own text parser (github.com/prometheus/common/expfmt
// in test/tools/prom-parse): Argo CD's metric names and labels, and Flotilla's, with values from a real store.

interface Family {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly samples: readonly { readonly labels: Record<string, string>; readonly value: number }[];
}

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('flotilla serve --metrics-port', () => {
  it('serves argocd_app_info, argocd_app_sync_total and flotilla_* in a text format Prometheus parses', async () => {
    const repo = exampleRepo();
    const t = tempDir('flotilla-metrics-');
    cleanups.push(repo.cleanup, t.cleanup);
    const dataDir = t.dir;
    const store = FleetStore.open(storeFile(dataDir));
    const status = (app: string, cluster: string, sync: 'Synced' | 'OutOfSync', health: 'Healthy' | 'Degraded', at: number) => ({
      environment: cluster,
      status: { app, cluster, revision: 'a'.repeat(40), sync, health: { status: health, message: '' }, resources: [], observedAt: new Date(at).toISOString() },
    });
    for (const at of [NOW - 600_000, NOW - 60_000]) {
      store.recordSnapshot({ takenAt: new Date(at).toISOString(), appClusters: [status('frontend-dev', 'dev', 'Synced', 'Healthy', at), status('api-dev', 'dev', 'OutOfSync', 'Degraded', at)] });
    }
    for (const phase of ['Succeeded', 'Succeeded', 'Failed'] as const) store.recordSyncRun({ app: 'frontend-dev', cluster: 'dev', at: new Date(NOW - 30_000).toISOString(), detail: { revision: 'a'.repeat(40), phase } });
    store.close();
    const log = PromotionLog.open(storeFile(dataDir), 'git:test');
    for (const result of ['verified', 'verified', 'blocked'] as const) {
      const id = log.start({ by: 'Pat', pipeline: 'apps', from: 'dev', to: 'staging', apps: ['frontend'], versions: ['1.8.0'] });
      log.finish(id, { result });
    }
    log.close();

    const session = new Session({ repoPath: repo.dir, dataDir, kubeconfig: [await deadKubeconfig(t.dir)] });
    cleanups.push(() => session.close());
    const metrics = new FleetMetrics(session, () => NOW);
    metrics.observeRefresh(1.7, 'fleet');
    metrics.observeRefresh(0.2, 'partial');
    const server = await startMetricsServer(metrics, { host: '127.0.0.1', port: 0 });
    cleanups.push(server.close);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = JSON.parse(runGoTestTool('prom-parse', await res.text())) as Family[];
    const family = (name: string): Family => families.find((f) => f.name === name) ?? expect.fail(`no ${name} in ${families.map((f) => f.name).join(', ')}`);

    const info = family('argocd_app_info');
    expect(info.type).toBe('GAUGE');
    expect(info.samples).toContainEqual({
      labels: { name: 'frontend-dev', namespace: 'argocd', project: 'default', dest_server: 'https://127.0.0.1:16443', dest_namespace: 'frontend', repo: 'https://git.example.com/platform/fleet.git', sync_status: 'Synced', health_status: 'Healthy' },
      value: 1,
    });
    expect(info.samples.find((s) => s.labels.name === 'api-dev')!.labels).toEqual(expect.objectContaining({ sync_status: 'OutOfSync', health_status: 'Degraded' }));
    expect(info.samples.find((s) => s.labels.name === 'frontend-prod')!.labels).toEqual(expect.objectContaining({ sync_status: 'Unknown', health_status: 'Unknown', dest_server: 'https://127.0.0.1:36443' }));

    const syncs = family('argocd_app_sync_total');
    expect(syncs.type).toBe('COUNTER');
    expect(syncs.samples.map((s) => `${s.labels.name} ${s.labels.phase} ${s.labels.dest_server} ${s.value}`).sort()).toEqual([
      'frontend-dev Failed https://127.0.0.1:16443 1', 'frontend-dev Succeeded https://127.0.0.1:16443 2',
    ]);
    expect(family('flotilla_drift_seconds').samples).toEqual([{ labels: { app: 'api-dev', cluster: 'dev' }, value: 600 }]);
    const refresh = family('flotilla_refresh_duration_seconds');
    expect(refresh.type).toBe('HISTOGRAM');
    expect(refresh.samples).toContainEqual({ labels: { scope: 'fleet', __kind__: 'count' }, value: 1 });
    expect(refresh.samples).toContainEqual({ labels: { scope: 'fleet', le: '2.5' }, value: 1 });
    expect(refresh.samples).toContainEqual({ labels: { scope: 'fleet', le: '1' }, value: 0 });
    expect(family('flotilla_promotions_total').samples.map((s) => `${s.labels.outcome} ${s.value}`).sort()).toEqual(['blocked 1', 'verified 2']);
    // The example's clusters point at dead API servers here: each is down, none is left out.
    expect(family('flotilla_cluster_up').samples.map((s) => `${s.labels.cluster} ${s.value}`).sort()).toEqual(['dev 0', 'prod 0', 'staging 0']);

    expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
  }, 60_000);

  it('is a clear error when the metrics port is taken', async () => {
    const t = tempDir('flotilla-metrics-');
    cleanups.push(t.cleanup);
    const session = new Session({ repoPath: t.dir, dataDir: t.dir });
    cleanups.push(() => session.close());
    const metrics = new FleetMetrics(session);
    const first = await startMetricsServer(metrics, { host: '127.0.0.1', port: 0 });
    cleanups.push(first.close);
    const port = Number(new URL(first.url).port);
    await expect(startMetricsServer(metrics, { host: '127.0.0.1', port })).rejects.toThrow(/EADDRINUSE/);
  });
});
