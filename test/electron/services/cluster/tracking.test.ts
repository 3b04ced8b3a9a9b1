import { describe, expect, it } from 'vitest';
import { INSTANCE_LABEL, TRACKING_ID_ANNOTATION, keyOf, parseTrackingId, syncWave, trackedApp, trackingIdFor, withTracking } from '../../../../electron/services/cluster/tracking';

describe('Argo CD resource tracking', () => {
  it('writes and reads tracking ids as Argo CD does, core group and cluster scope included', () => {
    expect(trackingIdFor('shop', { group: 'apps', kind: 'Deployment', namespace: 'web', name: 'api' })).toBe('shop:apps/Deployment:web/api');
    expect(trackingIdFor('shop', { group: '', kind: 'Namespace', namespace: '', name: 'web' })).toBe('shop:/Namespace:/web');
    expect(parseTrackingId('shop:apps/Deployment:web/api')).toEqual({ app: 'shop', group: 'apps', kind: 'Deployment', namespace: 'web', name: 'api' });
    expect(parseTrackingId('shop:/Namespace:/web')).toEqual({ app: 'shop', group: '', kind: 'Namespace', namespace: '', name: 'web' });
    expect(parseTrackingId('just-a-name')).toBeUndefined();
  });

  it('claims an object for an app only when the tracking id names that very object', () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns', annotations: { [TRACKING_ID_ANNOTATION]: 'shop:/ConfigMap:ns/cfg' } } };
    expect(trackedApp(obj)).toBe('shop');
    const copied = { ...obj, metadata: { ...obj.metadata, name: 'copy' } };
    expect(trackedApp(copied)).toBeUndefined();
    expect(trackedApp({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { [INSTANCE_LABEL]: 'shop' } } })).toBeUndefined();
    expect(trackedApp({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { [INSTANCE_LABEL]: 'shop' } } }, { method: 'label' })).toBe('shop');
    expect(trackedApp({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { team: 'shop' } } }, { method: 'label', labelKey: 'team' })).toBe('shop');
  });

  it('marks desired objects without touching their other metadata', () => {
    const obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', labels: { a: 'b' }, annotations: { keep: 'me' } } };
    const key = keyOf(obj, 'web');
    expect(key).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'web', name: 'api' });
    expect(withTracking(obj, 'shop', key).metadata).toEqual({ name: 'api', labels: { a: 'b' }, annotations: { keep: 'me', [TRACKING_ID_ANNOTATION]: 'shop:apps/Deployment:web/api' } });
    expect(withTracking(obj, 'shop', key, { method: 'label' }).metadata).toEqual({ name: 'api', labels: { a: 'b', [INSTANCE_LABEL]: 'shop' }, annotations: { keep: 'me' } });
    expect(obj.metadata.annotations).toEqual({ keep: 'me' });
  });

  it('marks cluster-scoped objects with the destination namespace and leaves CRDs unmarked, as Argo CD does', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'extra' } };
    const marked = withTracking(ns, 'shop', keyOf(ns), { method: 'annotation' }, 'web');
    expect((marked.metadata as { annotations: Record<string, string> }).annotations[TRACKING_ID_ANNOTATION]).toBe('shop:/Namespace:web/extra');
    // Argo CD claims a cluster-scoped live object whatever namespace its id carries.
    expect(trackedApp(marked)).toBe('shop');
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' } };
    expect(withTracking(crd, 'shop', keyOf(crd), { method: 'annotation' }, 'web')).toEqual(crd);
  });

  it('reads sync waves, defaulting to 0', () => {
    expect(syncWave({ metadata: { annotations: { 'argocd.argoproj.io/sync-wave': '-3' } } })).toBe(-3);
    expect(syncWave({ metadata: {} })).toBe(0);
    expect(syncWave({ metadata: { annotations: { 'argocd.argoproj.io/sync-wave': 'soon' } } })).toBe(0);
  });
});
