import { describe, expect, it } from 'vitest';
import { clusterRenderedObjects } from '../../../../shared/validate/admission';
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
