import { describe, expect, it } from 'vitest';
import { dropOwnTrackingId } from '../../../shared/diff/normalize';
import type { KubeObject } from '../../../shared/model/status';
import { isOwnTrackingId, TRACKING_ID_ANNOTATION, withArgoTracking } from '../../../shared/sources/tracking';

const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', annotations: { keep: 'me' } } };
const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'extra' } };
const crd: KubeObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' } };

describe("Argo CD's tracking as the repo-server adds it", () => {
  it('writes <app>:<group>/<kind>:<namespace>/<name>, the destination namespace standing in for a missing one', () => {
    expect(withArgoTracking(deployment, 'shop', 'web').metadata).toEqual({ name: 'api', annotations: { keep: 'me', [TRACKING_ID_ANNOTATION]: 'shop:apps/Deployment:web/api' } });
    expect(withArgoTracking({ ...deployment, metadata: { name: 'api', namespace: 'own' } }, 'shop', 'web').metadata?.['annotations']).toEqual({ [TRACKING_ID_ANNOTATION]: 'shop:apps/Deployment:own/api' });
    // The repo-server does not know scopes: a Namespace carries the destination namespace too.
    expect(withArgoTracking(namespace, 'shop', 'web').metadata?.['annotations']).toEqual({ [TRACKING_ID_ANNOTATION]: 'shop:/Namespace:web/extra' });
    expect(withArgoTracking(crd, 'shop', 'web')).toBe(crd);
    expect(deployment.metadata).toEqual({ name: 'api', annotations: { keep: 'me' } });
  });

  it('uses the instance label in label mode, and both in annotation+label mode', () => {
    expect(withArgoTracking(deployment, 'shop', 'web', { method: 'label' }).metadata).toEqual({ name: 'api', annotations: { keep: 'me' }, labels: { 'app.kubernetes.io/instance': 'shop' } });
    const both = withArgoTracking(deployment, 'shop', 'web', { method: 'annotation+label', labelKey: 'team' }).metadata;
    expect(both).toMatchObject({ labels: { team: 'shop' }, annotations: { [TRACKING_ID_ANNOTATION]: 'shop:apps/Deployment:web/api' } });
  });

  it("recognises the app's own id on a live object as Argo CD does, cluster-scoped ones whatever namespace the id names", () => {
    const key = { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: 'extra' };
    expect(isOwnTrackingId('shop:/Namespace:web/extra', 'shop', key)).toBe(true);
    expect(isOwnTrackingId('shop:/Namespace:web/extra', 'cart', key)).toBe(false);
    expect(isOwnTrackingId('shop:apps/Deployment:web/api', 'shop', { group: 'apps', kind: 'Deployment', namespace: 'other', name: 'api' })).toBe(false);
    const live: KubeObject = { ...namespace, metadata: { name: 'extra', annotations: { [TRACKING_ID_ANNOTATION]: 'shop:/Namespace:web/extra' } } };
    expect(dropOwnTrackingId(live, 'shop', key)).toBe(true);
    expect(live.metadata).toEqual({ name: 'extra' });
  });
});
