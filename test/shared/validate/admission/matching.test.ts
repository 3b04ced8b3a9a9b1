import { describe, expect, it } from 'vitest';
import { matchResources, UnknownNamespaceError } from '../../../../shared/validate/admission/matching';
import { builtinResources, ResourceMapper } from '../../../../shared/validate/admission/resources';
import type { AdmissionRequest, MatchResources, ResourceRule } from '../../../../shared/validate/admission/types';

const mapper = new ResourceMapper(builtinResources());

const rule = (r: Partial<ResourceRule>): ResourceRule => ({ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: ['*'], resourceNames: [], scope: '*', ...r });
const criteria = (c: Partial<MatchResources>): MatchResources => ({ resourceRules: [], excludeResourceRules: [], matchPolicy: 'Equivalent', ...c });

function request(kind: string, group: string, version: string, resource: string, o: Partial<AdmissionRequest> = {}): AdmissionRequest {
  const namespaced = kind !== 'Namespace' && kind !== 'ClusterRole';
  return {
    operation: 'CREATE', kind: { group, version, kind }, resource: { group, version, resource }, name: 'x', namespace: namespaced ? 'shop' : kind === 'Namespace' ? 'x' : '',
    namespaced, object: { metadata: { name: 'x', labels: { app: 'x' } } }, oldObject: null, userInfo: { username: 'u', groups: [] }, ...o,
  };
}

const deploy = request('Deployment', 'apps', 'v1', 'deployments');
const matches = (c: MatchResources, r: AdmissionRequest = deploy, ns?: Record<string, unknown>): boolean => matchResources(c, r, ns, mapper).matches;

describe('matchConstraints and matchResources as the API server matches them', () => {
  it('matches groups, versions, resources, operations and names', () => {
    expect(matches(criteria({ resourceRules: [rule({ apiGroups: ['apps'], resources: ['deployments'], operations: ['CREATE'] })] }))).toBe(true);
    expect(matches(criteria({ resourceRules: [rule({ apiGroups: [''], resources: ['deployments'] })] }))).toBe(false);
    expect(matches(criteria({ resourceRules: [rule({ resources: ['deployments'], operations: ['UPDATE'] })] }))).toBe(false);
    expect(matches(criteria({ resourceRules: [rule({ resources: ['deployments/*'] })] }))).toBe(true);
    expect(matches(criteria({ resourceRules: [rule({ resources: ['deployments/status'] })] }))).toBe(false);
    expect(matches(criteria({ resourceRules: [rule({ resourceNames: ['y'] })] }))).toBe(false);
    expect(matches(criteria({ resourceRules: [rule({ resourceNames: ['x'] })] }))).toBe(true);
  });

  it('takes Namespace objects as cluster-scoped and labels them by themselves', () => {
    const ns = request('Namespace', '', 'v1', 'namespaces', { object: { metadata: { name: 'x', labels: { env: 'prod' } } } });
    expect(matches(criteria({ resourceRules: [rule({ scope: 'Cluster' })] }), ns)).toBe(true);
    expect(matches(criteria({ resourceRules: [rule({ scope: 'Namespaced' })] }), ns)).toBe(false);
    expect(matches(criteria({ namespaceSelector: { matchLabels: { env: 'prod' } } }), ns)).toBe(true);
    expect(matches(criteria({ namespaceSelector: { matchLabels: { env: 'dev' } } }), ns)).toBe(false);
    // Any other cluster-scoped object is never excluded by a namespaceSelector.
    const role = request('ClusterRole', 'rbac.authorization.k8s.io', 'v1', 'clusterroles');
    expect(matches(criteria({ namespaceSelector: { matchLabels: { env: 'dev' } } }), role)).toBe(true);
  });

  it('selects by namespace and object labels (object or oldObject), and refuses to guess unknown namespace labels', () => {
    const prod = { metadata: { name: 'shop', labels: { env: 'prod' } } };
    expect(matches(criteria({ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] } }), deploy, prod)).toBe(true);
    expect(matches(criteria({ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } }), deploy, prod)).toBe(false);
    expect(() => matches(criteria({ namespaceSelector: { matchLabels: { env: 'prod' } } }))).toThrow(UnknownNamespaceError);
    expect(matches(criteria({ objectSelector: { matchLabels: { app: 'y' } } }))).toBe(false);
    expect(matches(criteria({ objectSelector: { matchLabels: { app: 'y' } } }), { ...deploy, operation: 'UPDATE', oldObject: { metadata: { labels: { app: 'y' } } } })).toBe(true);
  });

  it('excludes by excludeResourceRules and matches other served versions under matchPolicy Equivalent only', () => {
    expect(matches(criteria({ resourceRules: [rule({})], excludeResourceRules: [rule({ apiGroups: ['apps'] })] }))).toBe(false);
    const hpa = request('HorizontalPodAutoscaler', 'autoscaling', 'v2', 'horizontalpodautoscalers');
    const v1Only = rule({ apiGroups: ['autoscaling'], apiVersions: ['v1'], resources: ['horizontalpodautoscalers'] });
    expect(matchResources(criteria({ resourceRules: [v1Only] }), hpa, undefined, mapper)).toEqual({ matches: true, resource: { group: 'autoscaling', version: 'v1', resource: 'horizontalpodautoscalers' } });
    expect(matches(criteria({ resourceRules: [v1Only], matchPolicy: 'Exact' }), hpa)).toBe(false);
  });
});
