import { describe, expect, it } from 'vitest';
import { compareApp, compareAppDetailed } from '../../../shared/diff/compare-app';
import type { HealthResult, KubeObject } from '../../../shared/model/status';
import { desiredDeployment, desiredService, liveDeployment, liveService } from './fixtures';

const base = { app: 'guestbook', cluster: 'prod-eu', revision: '4f2a9c1', observedAt: '2026-11-23T14:00:00Z' };

/** A small health assessor standing in for shared/health: Deployments by ready replicas, everything else Healthy. */
function health(o: KubeObject): HealthResult {
  if (o.kind !== 'Deployment') return { status: 'Healthy', message: '' };
  const s = (o.status ?? {}) as { readyReplicas?: number };
  const want = (o.spec as { replicas?: number }).replicas ?? 1;
  return (s.readyReplicas ?? 0) >= want ? { status: 'Healthy', message: '' } : { status: 'Progressing', message: `${s.readyReplicas ?? 0} of ${want} ready` };
}

const configMap = (name: string, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'guestbook', uid: 'u-' + name, ...(annotations ? { annotations } : {}) },
  data: { k: 'v' },
});

describe('compareApp', () => {
  it('is Synced and Healthy when every desired resource is live and unchanged', () => {
    const s = compareApp({ ...base, desired: [desiredDeployment(), desiredService()], live: [liveDeployment(), liveService()], extra: [], assessHealth: health });
    expect(s.sync).toBe('Synced');
    expect(s.health).toEqual({ status: 'Healthy', message: '' });
    expect(s.resources.map((r) => `${r.group}/${r.kind} ${r.namespace}/${r.name} ${r.sync} ${r.health?.status}`)).toEqual([
      'apps/Deployment guestbook/guestbook-ui Synced Healthy',
      '/Service guestbook/guestbook-ui Synced Healthy',
    ]);
    expect(s).toMatchObject(base);
    expect(s.error).toBeUndefined();
  });

  it('is OutOfSync when any resource drifted, with the drifted resource\'s paths and diff', () => {
    const s = compareApp({ ...base, desired: [desiredDeployment({ replicas: 5 }), desiredService()], live: [liveDeployment(), liveService()], extra: [], assessHealth: health });
    expect(s.sync).toBe('OutOfSync');
    expect(s.resources[0]).toMatchObject({ kind: 'Deployment', sync: 'OutOfSync', changedPaths: ['/spec/replicas'], changes: [{ path: '/spec/replicas', live: 3, desired: 5 }] });
    expect(s.resources[0]!.diff).toContain('===== apps/Deployment guestbook/guestbook-ui ======');
    expect(s.resources[1]).toMatchObject({ kind: 'Service', sync: 'Synced' });
    expect(s.resources[1]!.diff).toBeUndefined();
  });

  it('marks a desired object that is not live as missing, with Missing health making the app Missing', () => {
    const s = compareApp({ ...base, desired: [desiredDeployment(), desiredService()], live: [liveDeployment(), undefined], extra: [], assessHealth: health });
    expect(s.sync).toBe('OutOfSync');
    expect(s.resources[1]).toMatchObject({ kind: 'Service', sync: 'OutOfSync', missing: true, health: { status: 'Missing' } });
    expect(s.health.status).toBe('Missing');
  });

  it('marks a tracked live object that is not desired as extra (to be pruned), without letting its health decide the app\'s', () => {
    const oldDeploy = { ...liveDeployment(), metadata: { ...liveDeployment().metadata, name: 'old-ui' }, status: { readyReplicas: 0 } };
    const s = compareApp({ ...base, desired: [desiredService()], live: [liveService()], extra: [oldDeploy], assessHealth: health });
    expect(s.sync).toBe('OutOfSync');
    expect(s.resources[1]).toMatchObject({ kind: 'Deployment', name: 'old-ui', sync: 'OutOfSync', extra: true, health: { status: 'Progressing' } });
    expect(s.health.status).toBe('Healthy');
  });

  it('lets an extra resource annotated IgnoreExtraneous stay extra without making the app OutOfSync', () => {
    const s = compareApp({ ...base, desired: [desiredService()], live: [liveService()], extra: [configMap('generated', { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' })] });
    expect(s.resources[1]).toMatchObject({ name: 'generated', extra: true, sync: 'OutOfSync' });
    expect(s.sync).toBe('Synced');
  });

  it('leaves resource hooks out of the sync status, desired or live, as Argo CD does', () => {
    const migrate: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'guestbook', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
      spec: { template: { spec: { containers: [{ name: 'm', image: 'migrate:1' }], restartPolicy: 'Never' } } },
    };
    const helmTest = { ...migrate, metadata: { name: 'smoke', namespace: 'guestbook', annotations: { 'helm.sh/hook': 'test' } } };
    const s = compareApp({ ...base, desired: [desiredService(), migrate], live: [liveService(), undefined], extra: [helmTest] });
    expect(s.resources.map((r) => r.kind)).toEqual(['Service']);
    expect(s.sync).toBe('Synced');
  });

  it('is Unknown, with the reason, when the cluster could not be read', () => {
    const s = compareApp({ ...base, desired: [desiredDeployment(), desiredService()], live: [], extra: [], error: 'cluster prod-eu unreachable: connect ECONNREFUSED 10.0.0.1:6443', assessHealth: health });
    expect(s.sync).toBe('Unknown');
    expect(s.health.status).toBe('Unknown');
    expect(s.error).toBe('cluster prod-eu unreachable: connect ECONNREFUSED 10.0.0.1:6443');
    expect(s.resources.map((r) => [r.kind, r.sync])).toEqual([['Deployment', 'Unknown'], ['Service', 'Unknown']]);
  });

  it('marks one unreadable resource Unknown and the app Unknown when nothing else is OutOfSync', () => {
    const s = compareApp({ ...base, desired: [desiredDeployment(), desiredService()], live: [liveDeployment(), undefined], liveErrors: [undefined, 'services is forbidden'], extra: [] });
    expect(s.resources.map((r) => r.sync)).toEqual(['Synced', 'Unknown']);
    expect(s.sync).toBe('Unknown');
    const drift = compareApp({ ...base, desired: [desiredDeployment({ replicas: 1 }), desiredService()], live: [liveDeployment(), undefined], liveErrors: [undefined, 'forbidden'], extra: [] });
    expect(drift.sync).toBe('OutOfSync');
  });

  it('honours ignoreDifferences and reports bad entries as problems without stopping', () => {
    const s = compareApp({
      ...base,
      desired: [desiredDeployment({ replicas: 5 })],
      live: [liveDeployment()],
      extra: [],
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }, { group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec | bogus('] }],
    });
    expect(s.sync).toBe('Synced');
    expect(s.problems?.length).toBe(1);
    expect(s.problems?.[0]).toMatchObject({ severity: 'error', app: 'guestbook', cluster: 'prod-eu' });
    expect(s.problems?.[0]?.message).toContain('ignoreDifferences[1]: jqPathExpressions:');
  });

  it('says health was not assessed when no assessor is given', () => {
    const s = compareApp({ ...base, desired: [desiredService()], live: [liveService()], extra: [] });
    expect(s.resources[0]!.health).toBeUndefined();
    expect(s.health).toEqual({ status: 'Unknown', message: 'health was not assessed' });
  });

  it('keeps each resource\'s masked live and predicted objects in the detailed comparison', () => {
    const c = compareAppDetailed({ ...base, desired: [desiredDeployment({ replicas: 5 })], live: [liveDeployment()], extra: [] });
    expect((c.diffs[0]!.live!.spec as { replicas: number }).replicas).toBe(3);
    expect((c.diffs[0]!.predicted!.spec as { replicas: number }).replicas).toBe(5);
    expect(c.diffs[0]!.live!.status).toBeUndefined();
  });
});
