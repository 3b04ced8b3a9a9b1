import { describe, expect, it } from 'vitest';
import { admissionValidators } from '../../../../electron/services/validate/admission-live';
import type { ValidationInput } from '../../../../shared/validate/finding';

const policy: ValidationInput = {
  object: {
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'require-team-label' },
    spec: {
      matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] },
      validations: [{ expression: "has(object.metadata.labels) && 'team' in object.metadata.labels", message: 'every Deployment needs a team label' }],
    },
  },
  source: { file: 'platform/policies/require-team-label.yaml', line: 1 },
};
const binding: ValidationInput = {
  object: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'require-team-label' }, spec: { policyName: 'require-team-label', validationActions: ['Deny'] } },
};
const api: ValidationInput = { object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: {} }, source: { file: 'apps/shop/overlays/prod/deployment.yaml', line: 1 } };

describe('admission validators per target cluster', () => {
  it("checks an app against the policies another app renders to the same cluster, and only that cluster's", async () => {
    const validators = await admissionValidators([
      { cluster: 'prod', inputs: [policy, binding] },
      { cluster: 'prod', inputs: [api] },
      { cluster: 'dev', inputs: [api] },
    ]);
    expect([...validators.keys()].sort()).toEqual(['dev', 'prod']);
    const prod = validators.get('prod')!.run([api], { cluster: 'prod', app: 'shop' });
    expect(prod.findings.map((f) => f.message)).toEqual(["prod's policy `require-team-label` (binding require-team-label) would deny Deployment api: every Deployment needs a team label"]);
    expect(prod.findings[0]!.source).toEqual({ file: 'apps/shop/overlays/prod/deployment.yaml', line: 1 });
    expect(validators.get('dev')!.run([api], { cluster: 'dev', app: 'shop' }).findings).toEqual([]);
  });
});
