import { describe, expect, it } from 'vitest';
import { admissionValidators } from '../../../../electron/services/validate/admission-live';
import type { ValidationInput } from '../../../../shared/validate/finding';
import { REQUIRE_TEAM_LABEL, yamlInputs } from '../../../helpers/admission-policies';

const [policy, binding] = yamlInputs(REQUIRE_TEAM_LABEL, 'platform/policies/require-team-label.yaml') as [ValidationInput, ValidationInput];
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
