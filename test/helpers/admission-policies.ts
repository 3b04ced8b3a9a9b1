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

/** The documents of a YAML text as validation inputs located in `file` (line and field), as a repository file gives them; the text must parse cleanly. */
export function yamlInputs(text: string, file: string): ValidationInput[] {
  const parsed = parseYamlDocuments(text, file);
  expect(parsed.problems).toEqual([]);
  return parsed.docs.map((d) => ({ object: d.value as Record<string, unknown>, source: { file, line: d.line }, locate: (p) => ({ file, ...d.at(p) }) }));
}
