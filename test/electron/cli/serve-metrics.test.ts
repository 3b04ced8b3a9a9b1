import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadKubeconfig } from '../../helpers/dead-clusters';
import { exampleRepo, tempDir } from '../../helpers/git-fixtures';
import type { ServeProcess } from '../../helpers/serve';
import { startServe } from '../../helpers/serve';
import { goTestTool, runGoTestTool } from '../../helpers/test-tools';

// The Go tool is built once (scripts/test-tools.sh; .ci/run builds it up front) before the tests' own deadlines.
beforeAll(() => void goTestTool('prom-parse'));

// `flotilla serve --metrics-port`, the built CLI as a user starts it: the metrics port answers on loopback with a body
// Prometheus' own text parser (expfmt, in test/tools/prom-parse) reads.

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface Family {
  readonly name: string;
  readonly type: string;
  readonly samples: readonly { readonly labels: Record<string, string>; readonly value: number }[];
}

describe('flotilla serve --metrics-port', () => {
  it('prints the metrics URL and serves metrics Prometheus parses', async () => {
    const repo = exampleRepo();
    const data = tempDir('flotilla-serve-metrics-');
    cleanups.push(repo.cleanup, data.cleanup);
    const serve: ServeProcess = await startServe(repo.dir, data.dir, { KUBECONFIG: await deadKubeconfig(data.dir) }, ['--metrics-port', '0']);
    cleanups.push(() => serve.stop());
    const url = /Metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(serve.output())?.[1];
    expect(url, serve.output()).toBeDefined();
    const res = await fetch(url!);
    expect(res.status).toBe(200);
    const body = await res.text();
    const families = JSON.parse(runGoTestTool('prom-parse', body)) as Family[];
    // Nothing synced, promoted or refreshed yet: those families are declared without samples (the parser drops them).
    expect(families.map((f) => `${f.name} ${f.type}`).sort()).toEqual(['argocd_app_info GAUGE', 'flotilla_cluster_up GAUGE']);
    for (const declared of ['argocd_app_sync_total counter', 'flotilla_promotions_total counter', 'flotilla_refresh_duration_seconds histogram', 'flotilla_drift_seconds gauge']) {
      expect(body).toContain(`# TYPE ${declared}\n`);
    }
    const info = families.find((f) => f.name === 'argocd_app_info')!;
    // Nothing refreshed yet: every app of the example is known, its status Unknown.
    expect(info.samples.map((s) => s.labels.name)).toEqual(expect.arrayContaining(['frontend-dev', 'api-staging', 'worker-prod']));
    expect(new Set(info.samples.map((s) => `${s.labels.sync_status}/${s.labels.health_status}`))).toEqual(new Set(['Unknown/Unknown']));
    expect(families.find((f) => f.name === 'flotilla_cluster_up')!.samples.map((s) => `${s.labels.cluster}=${s.value}`).sort()).toEqual(['dev=0', 'prod=0', 'staging=0']);
  }, 60_000);
});
