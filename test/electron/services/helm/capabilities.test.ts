import { describe, expect, it } from 'vitest';
import { DiscoveryCache } from '../../../../electron/services/cluster/discovery';
import { helmApiVersions } from '../../../../electron/services/helm/capabilities';

describe('Helm capabilities of a cluster', () => {
  it('lists every served group/version and group/version/Kind, in every version, as Argo CD passes --api-versions', () => {
    const disc = new DiscoveryCache([
      { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true, verbs: [] },
      { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true, verbs: [] },
      { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers', namespaced: true, verbs: [] },
      { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers', namespaced: true, verbs: [] },
    ]);
    expect(helmApiVersions(disc.allVersions())).toEqual(['apps/v1', 'apps/v1/Deployment', 'autoscaling/v1', 'autoscaling/v1/HorizontalPodAutoscaler', 'autoscaling/v2', 'autoscaling/v2/HorizontalPodAutoscaler', 'v1', 'v1/ConfigMap']);
  });
});
