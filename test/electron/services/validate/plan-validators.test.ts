import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterForApp } from '../../../../shared/fleet/destination';
import { renderApplication } from '../../../../shared/fleet/render-apps';
import { clusterRenderedObjects, inlineAdmissionValidator } from '../../../../shared/validate/admission';
import type { ValidationInput } from '../../../../shared/validate/finding';
import { FleetService } from '../../../../electron/services/fleet-service';
import { discoverRevision } from '../../../../electron/services/render-service';
import { renderOptions } from '../../../../electron/services/sources/render-options';
import { repositoryAdmission } from '../../../../electron/services/validate/plan-validators';
import { MAX_REPLICAS, MAX_REPLICAS_LIMITS, yamlInputs } from '../../../helpers/admission-policies';
import { commitAll, exampleRepo, writeFiles } from '../../../helpers/git-fixtures';

// The admission check of a promotion plan keeps only what the check reads of each cluster's rendered apps: its findings
// and problems are those of the check over every rendered object of the cluster, also when the promoted state brings
// a policy whose param kind no rendered policy names (its params are another app's).

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: api}
spec:
  replicas: 5
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: example/api:2}]}
`;

describe('repositoryAdmission (the promotion gate\'s admission check)', () => {
  const repo = exampleRepo();
  afterAll(() => repo.cleanup());

  it('finds what the whole rendered cluster finds, with a promoted policy whose params another app renders', async () => {
    // The platform app renders the param for prod (and a ConfigMap the check never reads).
    const kustomization = path.join(repo.dir, 'platform/overlays/prod/kustomization.yaml');
    writeFiles(repo.dir, {
      'platform/overlays/prod/limits.yaml': `${MAX_REPLICAS_LIMITS}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: unrelated, namespace: policy-params}\ndata: {a: b}\n`,
      'platform/overlays/prod/kustomization.yaml': readFileSync(kustomization, 'utf8').replace('  - ../../base\n', '  - ../../base\n  - limits.yaml\n'),
    });
    commitAll(repo.dir, 'prod limits');
    const d = await discoverRevision(await FleetService.open(repo.dir));
    const renderWith = renderOptions(d.scan, d.clusters);
    const prod = d.clusters.find((c) => c.name === 'prod')!;
    const everything = clusterRenderedObjects('prod', d.fleet.apps, ({ application }) => clusterForApp(application, d.clusters)?.name,
      ({ application }) => renderApplication(application, d.git, renderWith).objects.map((object): ValidationInput => ({ object: object as Record<string, unknown> })));
    expect(everything.some((o) => o.object['kind'] === 'ConfigMap' && (o.object['metadata'] as { name: string }).name === 'unrelated')).toBe(true);
    const check = repositoryAdmission(d.fleet.apps, d.git, renderWith)(prod)[0]!;
    const ctx = { cluster: 'prod', app: 'api-prod' };

    // No rendered policy names ConfigMap params: the promoted policy does.
    const promoted = yamlInputs(`${MAX_REPLICAS}---\n${DEPLOYMENT}`, 'apps/api/overlays/prod/policy.yaml');
    const kept = check.run(promoted, ctx);
    expect(kept).toEqual(inlineAdmissionValidator({ cluster: 'prod', renderedObjects: everything }).run(promoted, ctx));
    expect(kept.problems).toEqual([]);
    expect(kept.findings.map((f) => f.message)).toEqual([expect.stringMatching(/policy `max-replicas` .*would warn on Deployment api: replicas 5 exceeds 3$/)]);

    // The Deployment alone: no policy binds it; still the same answer as over every object.
    const alone = yamlInputs(DEPLOYMENT, 'apps/api/overlays/prod/deployment.yaml');
    expect(check.run(alone, ctx)).toEqual(inlineAdmissionValidator({ cluster: 'prod', renderedObjects: everything }).run(alone, ctx));
  });
});
