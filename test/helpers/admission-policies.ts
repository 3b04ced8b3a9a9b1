// Admission-policy fixtures shared by the admission tests (offline check, `flotilla validate`, the promotion gate).
import { expect } from 'vitest';
import type { ValidationInput } from '../../shared/validate/finding';
import { parseYamlDocuments } from '../../shared/yaml/documents';

/** A ValidatingAdmissionPolicy and its Deny binding, as a platform repository writes them: every Deployment needs a team label. */
export const REQUIRE_TEAM_LABEL = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: require-team-label}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
  - expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
    message: every Deployment needs a team label
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: require-team-label}
spec:
  policyName: require-team-label
  validationActions: [Deny]
`;

/** A policy bound as a warning whose limit is a ConfigMap param (`policy-params/limits`): at most `maxReplicas` replicas per Deployment. */
export const MAX_REPLICAS = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: max-replicas}
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  variables:
  - {name: limit, expression: "int(params.data.maxReplicas)"}
  validations:
  - expression: object.spec.replicas <= variables.limit
    messageExpression: "'replicas ' + string(object.spec.replicas) + ' exceeds ' + string(variables.limit)"
    reason: Forbidden
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: max-replicas-warn}
spec:
  policyName: max-replicas
  validationActions: [Warn]
  paramRef: {name: limits, namespace: policy-params, parameterNotFoundAction: Deny}
`;

/** MAX_REPLICAS's param: at most 3 replicas. */
export const MAX_REPLICAS_LIMITS = `apiVersion: v1
kind: ConfigMap
metadata: {name: limits, namespace: policy-params}
data: {maxReplicas: "3"}
`;

/** The documents of a YAML text as validation inputs located in `file` (line and field), as a repository file gives them; the text must parse cleanly. */
export function yamlInputs(text: string, file: string): ValidationInput[] {
  const parsed = parseYamlDocuments(text, file);
  expect(parsed.problems).toEqual([]);
  return parsed.docs.map((d) => ({ object: d.value as Record<string, unknown>, source: { file, line: d.line }, locate: (p) => ({ file, ...d.at(p) }) }));
}
