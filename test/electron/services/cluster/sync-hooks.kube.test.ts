import { describe, expect, it } from 'vitest';
import { syncApp } from '../../../../electron/services/cluster/sync';
import type { ResourceSyncResult } from '../../../../electron/services/cluster/sync';
import type { KubeObject } from '../../../../shared/model/status';
import { freshNamespace, kubeRequest, useFleetAdmin } from '../../../helpers/kube-fleet';

// Argo CD's resource hooks on a fleet whose controllers run Jobs and roll Deployments out (kwok: `:crash` images exit 1).

const kube = useFleetAdmin();

const job = (name: string, image: string, annotations: Record<string, string>): KubeObject => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name, annotations },
  spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image }] } } },
});
const deployment = (name: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, annotations },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
});
/** `Phase Kind/name: action` of each resource, in the order reported. */
const lines = (rs: readonly ResourceSyncResult[]): string[] => rs.map((r) => `${r.phase} ${r.kind}/${r.name}: ${r.action}`);
const get = async (ns: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> => await kubeRequest(kube.fleet, 'dev', 'GET', path.replace('NS', ns));
const created = (o: Record<string, unknown>): number => new Date((o.metadata as { creationTimestamp: string }).creationTimestamp).getTime();

describe('resource hooks', () => {
  it('runs a PreSync Job to completion before the Deployment is applied, and a PostSync Job after it is healthy', async () => {
    const ns = freshNamespace('hooks');
    const desired = [
      deployment('web'),
      job('migrate', 'busybox:1.36', { 'argocd.argoproj.io/hook': 'PreSync' }),
      job('smoke', 'busybox:1.36', { 'argocd.argoproj.io/hook': 'PostSync' }),
    ];
    const res = await syncApp(kube.dev, desired, { app: 'hooked', namespace: ns, createNamespace: true, waitForHealthy: { timeoutMs: 30_000 } });
    expect(res.phase).toBe('Succeeded');
    expect(lines(res.resources)).toEqual([`PreSync Namespace/${ns}: created`, 'PreSync Job/migrate: succeeded', 'Sync Deployment/web: created', 'PostSync Job/smoke: succeeded']);
    expect(res.resources.filter((r) => r.hook).map((r) => r.name)).toEqual(['migrate', 'smoke']);
    const migrate = (await get(ns, '/apis/batch/v1/namespaces/NS/jobs/migrate')).body as { status: { completionTime: string } };
    const web = (await get(ns, '/apis/apps/v1/namespaces/NS/deployments/web')).body;
    const smoke = (await get(ns, '/apis/batch/v1/namespaces/NS/jobs/smoke')).body;
    // Second-precision timestamps: the Deployment is not older than the PreSync Job's completion, the PostSync Job not older than the Deployment.
    expect(created(web)).toBeGreaterThanOrEqual(new Date(migrate.status.completionTime).getTime());
    expect(created(smoke)).toBeGreaterThanOrEqual(created(web));
    expect((web.status as { availableReplicas: number }).availableReplicas).toBe(1);

    // BeforeHookCreation (the default policy): the next sync deletes the finished Job and runs it again.
    const uid = (migrate as unknown as { metadata: { uid: string } }).metadata.uid;
    const again = await syncApp(kube.dev, desired, { app: 'hooked', namespace: ns, waitForHealthy: { timeoutMs: 30_000 } });
    expect(lines(again.resources)).toEqual(['PreSync Job/migrate: succeeded', 'Sync Deployment/web: unchanged', 'PostSync Job/smoke: succeeded']);
    expect(((await get(ns, '/apis/batch/v1/namespaces/NS/jobs/migrate')).body.metadata as { uid: string }).uid).not.toBe(uid);
  });

  it('stops at a failing PreSync hook: nothing of the Sync phase is applied, SyncFail hooks run, delete policies apply', async () => {
    const ns = freshNamespace('hookfail');
    const desired = [
      deployment('web'),
      job('migrate', 'busybox:crash', { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookFailed' }),
      job('cleanup', 'busybox:1.36', { 'argocd.argoproj.io/hook': 'SyncFail', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }),
      job('never', 'busybox:1.36', { 'argocd.argoproj.io/hook': 'PostSync' }),
    ];
    const res = await syncApp(kube.dev, desired, { app: 'hookfail', namespace: ns, createNamespace: true, waitForHealthy: { timeoutMs: 30_000 } });
    expect(res.phase).toBe('Failed');
    expect(res.message).toMatch(/^PreSync wave 0 did not become healthy \(Job\/migrate: Degraded/);
    expect(lines(res.resources)).toEqual([`PreSync Namespace/${ns}: created`, 'PreSync Job/migrate: failed', 'Sync Deployment/web: skipped', 'PostSync Job/never: skipped', 'SyncFail Job/cleanup: succeeded']);
    expect((await get(ns, '/apis/apps/v1/namespaces/NS/deployments/web')).status).toBe(404);
    expect((await get(ns, '/apis/batch/v1/namespaces/NS/jobs/never')).status).toBe(404);
    // HookFailed deleted the failed Job, HookSucceeded the SyncFail Job once it completed.
    await expect.poll(async () => (await get(ns, '/apis/batch/v1/namespaces/NS/jobs/migrate')).status, { timeout: 10_000 }).toBe(404);
    await expect.poll(async () => (await get(ns, '/apis/batch/v1/namespaces/NS/jobs/cleanup')).status, { timeout: 10_000 }).toBe(404);
  });

  it('maps Helm hooks as Argo CD does: pre-install is PreSync with hook-weight as wave, pre-delete is never applied', async () => {
    const ns = freshNamespace('helmhooks');
    const desired = [
      deployment('web'),
      job('first', 'busybox:1.36', { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-5', 'helm.sh/hook-delete-policy': 'hook-succeeded' }),
      job('second', 'busybox:1.36', { 'helm.sh/hook': 'pre-install' }),
      job('teardown', 'busybox:1.36', { 'helm.sh/hook': 'pre-delete' }),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crd-like', annotations: { 'helm.sh/hook': 'crd-install' } }, data: { a: '1' } },
    ];
    const res = await syncApp(kube.dev, desired, { app: 'helmhooks', namespace: ns, createNamespace: true, waitForHealthy: { timeoutMs: 30_000 } });
    expect(res.phase).toBe('Succeeded');
    expect(res.resources.map((r) => `${r.phase}/${r.wave} ${r.kind}/${r.name}: ${r.action}`)).toEqual([
      `PreSync/-5 Namespace/${ns}: created`, 'PreSync/-5 Job/first: succeeded', 'PreSync/0 Job/second: succeeded', 'Sync/0 ConfigMap/crd-like: created', 'Sync/0 Deployment/web: created',
    ]);
    expect((await get(ns, '/apis/batch/v1/namespaces/NS/jobs/teardown')).status).toBe(404);
    await expect.poll(async () => (await get(ns, '/apis/batch/v1/namespaces/NS/jobs/first')).status, { timeout: 10_000 }).toBe(404);
  });

  it('runs no hooks in a selective sync, and applies only the chosen resources', async () => {
    const ns = freshNamespace('select');
    const desired = [deployment('web'), deployment('api'), job('migrate', 'busybox:1.36', { 'argocd.argoproj.io/hook': 'PreSync' })];
    const res = await syncApp(kube.dev, desired, { app: 'select', namespace: ns, createNamespace: true, resources: [{ group: 'apps', kind: 'Deployment', namespace: '', name: 'api' }] });
    expect(lines(res.resources)).toEqual([`PreSync Namespace/${ns}: created`, 'Sync Deployment/api: created']);
    expect((await get(ns, '/apis/apps/v1/namespaces/NS/deployments/web')).status).toBe(404);
    expect((await get(ns, '/apis/batch/v1/namespaces/NS/jobs/migrate')).status).toBe(404);
  });
});
