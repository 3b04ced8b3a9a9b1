import { describe, expect, it } from 'vitest';
import { controllerFor } from '../../../shared/controllers/match';
import { fluxInventoryKeys, parseControllerObject } from '../../../shared/controllers/parse';
import { agreement, controllerSays, controllerWord, verdictsBeside } from '../../../shared/controllers/summary';
import type { Application } from '../../../shared/model/application';
import type { ClusterSpec } from '../../../shared/model/fleet';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const OTHER = 'fedcba9876543210fedcba9876543210fedcba98';

const argoApp = (status: Record<string, unknown>, destination: Record<string, unknown> = { name: 'prod', namespace: 'shop' }) =>
  parseControllerObject('Application', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'shop-prod', namespace: 'argocd' }, spec: { project: 'default', destination }, status }, 'hub');

const kustomization = (status: Record<string, unknown>, suspend = false) =>
  parseControllerObject('Kustomization', { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: { suspend }, status }, 'prod');

describe("reading a controller object's own status", () => {
  it("reads an Argo CD Application's sync, health, revision and last operation", () => {
    const c = argoApp({
      sync: { status: 'OutOfSync', revision: SHA }, health: { status: 'Degraded', message: 'Deployment web exceeded its progress deadline' },
      operationState: { phase: 'Failed', message: 'one or more objects failed to apply', startedAt: '2026-12-05T10:00:00Z', finishedAt: '2026-12-05T10:00:05Z', syncResult: { revision: SHA } },
    });
    expect(c).toEqual({
      controller: 'Argo CD', kind: 'Application', cluster: 'hub', namespace: 'argocd', name: 'shop-prod', sync: 'OutOfSync', health: 'Degraded',
      healthMessage: 'Deployment web exceeded its progress deadline', revision: SHA,
      operation: { phase: 'Failed', message: 'one or more objects failed to apply', startedAt: '2026-12-05T10:00:00Z', finishedAt: '2026-12-05T10:00:05Z', revision: SHA },
      destination: { name: 'prod', namespace: 'shop' },
    });
    expect(controllerSays(c)).toBe('Argo CD says OutOfSync, Degraded at 0123456; last sync Failed: one or more objects failed to apply');
  });

  it('reads an Application Argo CD has not reconciled yet as Unknown, never as in sync', () => {
    const c = argoApp({});
    expect(c).toMatchObject({ sync: 'Unknown', health: 'Unknown' });
    expect(agreement(c, { sync: 'Synced', drifted: 0 })).toBe('unknown');
  });

  it("reads a Kustomization's Ready condition, revisions and inventory", () => {
    const c = kustomization({
      conditions: [{ type: 'Reconciling', status: 'False', reason: 'x' }, { type: 'Ready', status: 'False', reason: 'BuildFailed', message: 'kustomize build failed: missing resource', lastTransitionTime: '2026-12-05T10:00:00Z' }],
      lastAppliedRevision: `main@sha1:${OTHER}`, lastAttemptedRevision: `main@sha1:${SHA}`,
      inventory: { entries: [{ id: 'shop_web_apps_Deployment', v: 'v1' }, { id: '_system__leader_rbac.authorization.k8s.io_ClusterRole', v: 'v1' }] },
    });
    expect(c).toEqual({
      controller: 'Flux', kind: 'Kustomization', cluster: 'prod', namespace: 'flux-system', name: 'apps',
      ready: { status: 'False', reason: 'BuildFailed', message: 'kustomize build failed: missing resource', lastTransitionTime: '2026-12-05T10:00:00Z' },
      revision: `main@sha1:${OTHER}`, lastAttemptedRevision: `main@sha1:${SHA}`, inventory: 2,
    });
    expect(controllerSays(c)).toBe('Flux says not Ready (BuildFailed: kustomize build failed: missing resource) at main@sha1:fedcba9; last attempted main@sha1:0123456');
    expect(controllerWord(c)).toBe('Flux: not Ready');
  });

  it("reads a Kustomization's inventory ids as object keys, a `__` in a name being a colon", () => {
    const obj = { status: { inventory: { entries: [{ id: 'shop_web_apps_Deployment', v: 'v1' }, { id: '_system__leader_rbac.authorization.k8s.io_ClusterRole', v: 'v1' }, { id: 'shop_web-config__ConfigMap', v: 'v1' }, { id: 'bad' }] } } };
    expect(fluxInventoryKeys(obj)).toEqual(['apps/Deployment/shop/web', 'rbac.authorization.k8s.io/ClusterRole//system:leader', '/ConfigMap/shop/web-config']);
  });

  it("reads a HelmRelease's Ready condition and its latest release's chart and version", () => {
    const c = parseControllerObject('HelmRelease', {
      metadata: { name: 'podinfo', namespace: 'podinfo' },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'InstallSucceeded', message: 'Helm install succeeded for release podinfo/podinfo.v1 with chart podinfo@6.5.0' }], lastAttemptedRevision: '6.5.0', history: [{ chartName: 'podinfo', chartVersion: '6.5.0', status: 'deployed', version: 1 }] },
    }, 'staging');
    expect(c).toMatchObject({ controller: 'Flux', kind: 'HelmRelease', ready: { status: 'True', reason: 'InstallSucceeded' }, revision: 'podinfo@6.5.0', lastAttemptedRevision: '6.5.0' });
    expect(controllerSays(c)).toBe('Flux says Ready (InstallSucceeded) at podinfo@6.5.0');
    expect(agreement(c, { sync: 'Synced', drifted: 0 })).toBe('agree');
  });

  it('says a suspended Flux object is suspended, and takes no side', () => {
    const c = kustomization({ conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' }], lastAppliedRevision: `main@sha1:${SHA}` }, true);
    expect(controllerSays(c)).toBe('Flux says Kustomization flux-system/apps is suspended at main@sha1:0123456');
    expect(agreement(c, { sync: 'OutOfSync', drifted: 3 })).toBe('unknown');
  });
});

describe("the controller's word beside Flotilla's", () => {
  it('puts both verdicts in one sentence and sees when they disagree', () => {
    const synced = argoApp({ sync: { status: 'Synced', revision: SHA }, health: { status: 'Healthy' } });
    expect(verdictsBeside(synced, { sync: 'OutOfSync', drifted: 2, revision: SHA })).toBe('Argo CD says Synced, Healthy at 0123456; Flotilla sees 2 objects differing');
    expect(agreement(synced, { sync: 'OutOfSync', drifted: 2 })).toBe('disagree');
    expect(agreement(synced, { sync: 'Synced', drifted: 0 })).toBe('agree');
    // Flotilla compared another commit than the one Argo CD synced: said so.
    expect(verdictsBeside(synced, { sync: 'Synced', drifted: 0, revision: OTHER })).toBe('Argo CD says Synced, Healthy at 0123456; Flotilla sees it in sync at fedcba9');
    expect(verdictsBeside(synced, { sync: 'Unknown', drifted: 0, error: 'cluster prod is unreachable' })).toBe('Argo CD says Synced, Healthy at 0123456; Flotilla could not compare (cluster prod is unreachable)');
  });

  it('a Flux Kustomization Ready at another revision than it last attempted is not in sync', () => {
    const c = kustomization({ conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' }], lastAppliedRevision: `main@sha1:${OTHER}`, lastAttemptedRevision: `main@sha1:${SHA}` });
    expect(agreement(c, { sync: 'Synced', drifted: 0 })).toBe('disagree');
  });
});

describe('which controller object speaks for an app', () => {
  const clusters: ClusterSpec[] = [
    { name: 'prod', server: 'https://prod.example.com:6443', labels: {}, annotations: {} },
    { name: 'hub', server: 'https://hub.example.com:6443', labels: {}, annotations: {} },
  ];
  const app = (name: string, source: Record<string, unknown> = { repoURL: 'r', path: 'p' }): Application => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name }, spec: { project: 'default', source, destination: { name: 'prod' } } } as unknown as Application);

  it('an Argo CD app: the Application of its name whose destination is that cluster, wherever Argo CD runs', () => {
    const byName = argoApp({ sync: { status: 'Synced' } });
    const byServer = { ...argoApp({ sync: { status: 'OutOfSync' } }, { server: 'https://prod.example.com:6443/' }), cluster: 'elsewhere' };
    const inCluster = { ...argoApp({ sync: { status: 'Synced' } }, { server: 'https://kubernetes.default.svc' }), cluster: 'prod' };
    expect(controllerFor('shop-prod', app('shop-prod'), 'prod', [byName], clusters)).toBe(byName);
    expect(controllerFor('shop-prod', app('shop-prod'), 'prod', [byServer], clusters)).toBe(byServer);
    expect(controllerFor('shop-prod', app('shop-prod'), 'prod', [inCluster], clusters)).toBe(inCluster);
    // In-cluster of the hub is the hub, not prod; and another name is another app.
    expect(controllerFor('shop-prod', app('shop-prod'), 'prod', [{ ...inCluster, cluster: 'hub' }], clusters)).toBeUndefined();
    expect(controllerFor('shop-dev', app('shop-dev'), 'prod', [byName], clusters)).toBeUndefined();
  });

  it('a Flux app: its own kind, namespace and name on that cluster', () => {
    const flux = app('apps', { repoURL: 'r', path: '', flux: { kind: 'Kustomization', object: { metadata: { name: 'apps', namespace: 'flux-system' } } } });
    const k = kustomization({ conditions: [{ type: 'Ready', status: 'True' }] });
    expect(controllerFor('apps', flux, 'prod', [k], clusters)).toBe(k);
    expect(controllerFor('apps', flux, 'hub', [k], clusters)).toBeUndefined();
    expect(controllerFor('apps', flux, 'prod', [{ ...k, kind: 'HelmRelease' }], clusters)).toBeUndefined();
  });
});
