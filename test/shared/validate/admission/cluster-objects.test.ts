import { describe, expect, it } from 'vitest';
import { clusterRenderedObjects, isAdmissionObject, policyParamKinds } from '../../../../shared/validate/admission';
import type { ValidationInput } from '../../../../shared/validate/finding';

const cm = (name: string): ValidationInput => ({ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } });

describe("a cluster's rendered objects", () => {
  it("gathers every app's objects for that cluster in app order, and renders only that cluster's apps", () => {
    const apps = [
      { app: 'platform', cluster: 'prod', objects: [cm('policy'), cm('binding')] },
      { app: 'api', cluster: 'dev', objects: [cm('api-dev')] },
      { app: 'api', cluster: 'prod', objects: [cm('api-prod')] },
      { app: 'orphan', cluster: undefined, objects: [cm('orphan')] },
    ];
    const rendered: string[] = [];
    const objects = clusterRenderedObjects('prod', apps, (a) => a.cluster, (a) => (rendered.push(`${a.app}@${a.cluster}`), a.objects));
    expect(objects.map((o) => (o.object['metadata'] as { name: string }).name)).toEqual(['policy', 'binding', 'api-prod']);
    expect(rendered).toEqual(['platform@prod', 'api@prod']);
    expect(clusterRenderedObjects('staging', apps, (a) => a.cluster, (a) => a.objects)).toEqual([]);
  });
});

describe("the objects of another app that a cluster's admission check reads", () => {
  it('are policies, bindings, Namespaces, CRDs and the params of any policy of the cluster; nothing else', () => {
    const policy = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'max-replicas' }, spec: { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } } };
    const kinds = policyParamKinds([policy, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'plain' }, spec: {} }]);
    expect([...kinds]).toEqual(['v1/ConfigMap']);
    const keep = (o: Record<string, unknown>, k: ReadonlySet<string> = kinds): boolean => isAdmissionObject(o, k);
    expect(keep(policy)).toBe(true);
    expect(keep({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'b' } })).toBe(true);
    expect(keep({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } })).toBe(true);
    expect(keep({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' } })).toBe(true);
    expect(keep(cm('limits').object)).toBe(true);
    expect(keep(cm('limits').object, new Set())).toBe(false);
    expect(keep({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'worker' } })).toBe(false);
    expect(keep({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'm' } })).toBe(false);
  });
});
