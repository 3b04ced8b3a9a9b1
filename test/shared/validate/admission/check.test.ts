import { describe, expect, it } from 'vitest';
import type { ValidationInput } from '../../../../shared/validate/finding';
import { admissionChecker, admissionValidator, checkAdmission, inlineAdmissionValidator } from '../../../../shared/validate/admission';
import { MAX_REPLICAS, MAX_REPLICAS_LIMITS, REQUIRE_TEAM_LABEL, yamlInputs } from '../../../helpers/admission-policies';

const inputs = (text: string, file = 'prod/policies.yaml'): ValidationInput[] => yamlInputs(text, file);

const deployment = (name: string, labels: Record<string, string> = {}, extra: Record<string, unknown> = {}): ValidationInput => ({
  object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop', labels }, spec: { template: { spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } }, ...extra } },
  source: { file: 'apps/shop/deployment.yaml', line: 1 },
});

describe('admission policies evaluated offline', () => {
  it("names the cluster, the policy and the object it would deny, with the policy's message", () => {
    const { findings, problems } = checkAdmission([deployment('api'), deployment('web', { team: 'shop' })], { cluster: 'prod', renderedObjects: inputs(REQUIRE_TEAM_LABEL) });
    expect(problems).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      check: 'admission', id: 'require-team-label', severity: 'error', cluster: 'prod',
      object: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: 'shop' },
      source: { file: 'apps/shop/deployment.yaml', line: 1 },
    });
    expect(findings[0]!.message).toBe("prod's policy `require-team-label` (binding require-team-label) would deny Deployment api: every Deployment needs a team label");
  });

  it('leaves kinds the policy does not match alone', () => {
    const cm = { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } } };
    expect(checkAdmission([cm], { renderedObjects: inputs(REQUIRE_TEAM_LABEL) }).findings).toEqual([]);
  });

  it('uses messageExpression, params by name, variables and a Warn binding as warnings', () => {
    const policy = `
${MAX_REPLICAS}---
${MAX_REPLICAS_LIMITS}`;
    const checker = admissionChecker({ renderedObjects: inputs(policy) });
    expect(checker.problems).toEqual([]);
    const big = checker.evaluate(deployment('big', {}, { replicas: 5 }));
    expect(big.verdict.decisions).toEqual([{ policy: 'max-replicas', binding: 'max-replicas-warn', evaluation: 'deny', actions: ['Warn'], message: 'replicas 5 exceeds 3', reason: 'Forbidden', validationIndex: 0 }]);
    expect(checker.findings(deployment('big', {}, { replicas: 5 }))[0]).toMatchObject({ severity: 'warning', message: 'policy `max-replicas` (binding max-replicas-warn) would warn on Deployment big: replicas 5 exceeds 3' });
    // No replicas: the API server defaults them to 1 before admission.
    expect(checker.evaluate(deployment('small')).verdict.decisions).toEqual([]);
  });

  it('denies with the API server\'s text when a Deny param is missing, and reports the binding', () => {
    const text = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: needs-params}
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
    - {apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"]}
  validations:
  - expression: "true"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: needs-params}
spec:
  policyName: needs-params
  validationActions: [Deny]
  paramRef: {name: absent, namespace: nowhere, parameterNotFoundAction: Deny}
`;
    const checker = admissionChecker({ renderedObjects: inputs(text) });
    expect(checker.problems).toHaveLength(1);
    expect(checker.problems[0]).toMatchObject({ severity: 'warning', file: 'prod/policies.yaml', line: 19 });
    expect(checker.problems[0]!.message).toContain('needs-params: its param ConfigMap nowhere/absent is neither rendered nor on the cluster');
    expect(checker.evaluate(deployment('x')).verdict.decisions[0]?.message).toBe('failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction');
  });

  it('reports a policy whose expression does not compile, and still evaluates the others', () => {
    const broken = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: broken}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
  validations:
  - expression: "object.spec.replicas <"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: broken}
spec: {policyName: broken, validationActions: [Deny]}
`;
    const { findings, problems } = checkAdmission([deployment('api')], { renderedObjects: [...inputs(broken, 'prod/broken.yaml'), ...inputs(REQUIRE_TEAM_LABEL)] });
    expect(problems).toHaveLength(1);
    // At the expression itself, not at the start of the policy.
    expect(problems[0]).toMatchObject({ severity: 'error', file: 'prod/broken.yaml', line: 10, column: 5, resource: 'admissionregistration.k8s.io/ValidatingAdmissionPolicy/broken' });
    expect(problems[0]!.message).toMatch(/^ValidatingAdmissionPolicy broken: spec\.validations\[0\]\.expression: compilation failed: .+; the policy is not checked$/);
    expect(findings.map((f) => f.id)).toEqual(['require-team-label']);
  });

  it('matches namespaces by their labels, and says so when the labels are not known', () => {
    const text = REQUIRE_TEAM_LABEL.replace('  failurePolicy: Fail\n', '  failurePolicy: Fail\n  matchConstraints:\n    namespaceSelector: {matchLabels: {env: prod}}\n').replace('  matchConstraints:\n    resourceRules', '    resourceRules');
    const ns = (env: string): ValidationInput => ({ object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { env } } } });
    const prod = checkAdmission([deployment('api')], { renderedObjects: [...inputs(text), ns('prod')] });
    expect(prod.findings.map((f) => f.severity)).toEqual(['error']);
    expect(checkAdmission([deployment('api')], { renderedObjects: [...inputs(text), ns('dev')] }).findings).toEqual([]);
    const unknown = checkAdmission([deployment('api')], { renderedObjects: inputs(text) });
    expect(unknown.findings).toHaveLength(1);
    expect(unknown.findings[0]).toMatchObject({ severity: 'warning' });
    expect(unknown.findings[0]!.message).toContain('could not be checked on Deployment api: the labels of namespace shop are not known');
  });

  it('evaluates an expression error under failurePolicy: Fail as a denial with the error, and ignores it under Ignore', () => {
    const text = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: owner}
spec:
  failurePolicy: FP
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
  validations:
  - expression: object.metadata.annotations.owner != ''
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: owner}
spec: {policyName: owner, validationActions: [Deny]}
`;
    const fail = admissionChecker({ renderedObjects: inputs(text.replace('FP', 'Fail')) }).evaluate(deployment('api'));
    expect(fail.verdict.decisions.map((d) => [d.evaluation, d.message])).toEqual([['error', "expression 'object.metadata.annotations.owner != ''' resulted in error: no such key: annotations"]]);
    expect(admissionChecker({ renderedObjects: inputs(text.replace('FP', 'Ignore')) }).evaluate(deployment('api')).verdict.decisions).toEqual([]);
  });

  it('skips the policy when a matchCondition is false, uses oldObject for updates', () => {
    const text = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: immutable-team}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [UPDATE], resources: [deployments]}
  matchConditions:
  - {name: not-system, expression: "!request.userInfo.username.startsWith('system:')"}
  validations:
  - expression: oldObject.metadata.labels.team == object.metadata.labels.team
    messageExpression: "'team label changed from ' + oldObject.metadata.labels.team"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: immutable-team}
spec: {policyName: immutable-team, validationActions: [Deny, Audit]}
`;
    const live = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop', labels: { team: 'a' } } };
    const state = { renderedObjects: inputs(text), liveObject: () => live };
    expect(admissionChecker(state).evaluate(deployment('api', { team: 'b' })).verdict.decisions.map((d) => d.message)).toEqual(['team label changed from a']);
    expect(admissionChecker(state).evaluate(deployment('api', { team: 'a' })).verdict.decisions).toEqual([]);
    expect(admissionChecker({ ...state, userInfo: { username: 'system:admin', groups: [] } }).evaluate(deployment('api', { team: 'b' })).verdict.decisions).toEqual([]);
    // CREATE: the rule names UPDATE only.
    expect(admissionChecker({ renderedObjects: inputs(text) }).evaluate(deployment('api', { team: 'b' })).verdict.decisions).toEqual([]);
  });
});

describe('the admission validator of the pipeline', () => {
  it('reports the policies\' problems once per cluster and the findings of each app', () => {
    const broken = REQUIRE_TEAM_LABEL + '---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: {name: orphan}\nspec: {policyName: gone, validationActions: [Deny]}\n';
    const validator = admissionValidator(admissionChecker({ cluster: 'prod', renderedObjects: inputs(broken) }));
    const shop = validator.run([deployment('api')], { cluster: 'prod', app: 'shop' });
    expect(shop.findings.map((f) => [f.app, f.object.name])).toEqual([['shop', 'api']]);
    expect(shop.problems.map((p) => p.message)).toEqual(['ValidatingAdmissionPolicyBinding orphan binds policy gone, which does not exist; the binding has no effect']);
    const web = validator.run([deployment('web'), { object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } } }], { cluster: 'prod', app: 'web' });
    expect(web.findings.map((f) => f.object.name)).toEqual(['web']);
    expect(web.problems.map((p) => p.message)).toEqual(['admission policies not checked for example.com/v1 Widget: its resource is not known (no CRD among the rendered objects, not served by the cluster)']);
  });
});

describe('Secret values in admission findings', () => {
  it('masks the values of the Secret being checked and of Secrets used as params', () => {
    const text = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: leaky}
spec:
  paramKind: {apiVersion: v1, kind: Secret}
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [secrets]}
  validations:
  - expression: "false"
    messageExpression: "'password ' + object.data.password + ' / ' + object.stringData.token + ' / param ' + params.data.key + ' / ' + object.data.short"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: leaky}
spec:
  policyName: leaky
  validationActions: [Deny]
  paramRef: {name: policy-key, namespace: shop, parameterNotFoundAction: Deny}
`;
    const param: ValidationInput = { object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'policy-key', namespace: 'shop' }, data: { key: 'c2lnbmluZy1rZXk=' } } };
    // "hunter2hunter2" and "signing-key", base64-encoded.
    const secret: ValidationInput = { object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data: { password: 'aHVudGVyMmh1bnRlcjI=', short: 'YQ==' }, stringData: { token: 'tok-12345' } } };
    const checker = admissionChecker({ renderedObjects: [...inputs(text), param] });
    expect(checker.evaluate(secret).verdict.decisions[0]?.message).toBe('password aHVudGVyMmh1bnRlcjI= / tok-12345 / param c2lnbmluZy1rZXk= / YQ==');
    const [finding] = checker.findings(secret);
    expect(finding!.message).toBe('policy `leaky` (binding leaky) would deny Secret db: password ++++++++ / ++++++++ / param ++++++++ / ++++++++');
  });
});

describe('the inline admission validator (one app at a time, as a promotion plan validates)', () => {
  it("uses the cluster's live policies and the policies among the objects it is given", () => {
    const live = inputs(REQUIRE_TEAM_LABEL).map((i) => i.object);
    const validator = inlineAdmissionValidator({ liveObjects: live });
    const r = validator.run([deployment('api')], { cluster: 'prod', app: 'shop' });
    expect(r.findings.map((f) => f.message)).toEqual(["prod's policy `require-team-label` (binding require-team-label) would deny Deployment api: every Deployment needs a team label"]);
    // The promoted app relaxes the policy itself: checked as it will be.
    const relaxed = inputs(REQUIRE_TEAM_LABEL.replace("has(object.metadata.labels) && 'team' in object.metadata.labels", 'true'));
    expect(validator.run([...relaxed, deployment('api')], { cluster: 'prod', app: 'platform' }).findings).toEqual([]);
  });
});
