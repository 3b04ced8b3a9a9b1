import type { ValidationFinding, ValidationInput } from '../finding';
import type { IgnoreRule } from '../suppress';
import { isSuppressed } from '../suppress';
import type { CheckResult, ValidationContext, Validator } from '../types';
import { objectRefOf } from '../types';
import { formatJsonPath } from '../../yaml/node-position';
import { CONTAINER_RULES } from './container-rules';
import { OBJECT_RULES } from './object-rules';
import type { LintRule } from './rule';

/** Every lint rule, by id. */
export const LINT_RULES: readonly LintRule[] = [...CONTAINER_RULES, ...OBJECT_RULES];

/**
 * The lint check: every rule over every object, each finding with its rule's severity and remediation, located at
 * the offending field when the input can say where it is written. Suppressed by `ignore-check.flotilla.dev/<id>` on
 * the object or by the fleet file's ignore rules.
 */
export function lintValidator(ignore: readonly IgnoreRule[] = [], rules: readonly LintRule[] = LINT_RULES): Validator {
  return {
    check: 'lint',
    run(inputs: readonly ValidationInput[], ctx: ValidationContext): CheckResult {
      const scope = { objects: inputs.map((i) => i.object) };
      const findings: ValidationFinding[] = [];
      for (const input of inputs) {
        const object = objectRefOf(input.object);
        for (const rule of rules) {
          for (const hit of rule.check(input.object, scope)) {
            const source = (hit.path ? input.locate?.(hit.path) : undefined) ?? input.source;
            const f: ValidationFinding = {
              check: 'lint', id: rule.id, severity: rule.severity, message: `${object.kind} ${object.name}: ${hit.message}`, remediation: rule.remediation, object,
              ...(hit.path ? { fieldPath: formatJsonPath(hit.path) } : {}), ...(source ? { source } : {}), ...(ctx.cluster ? { cluster: ctx.cluster } : {}), ...(ctx.app ? { app: ctx.app } : {}),
            };
            if (!isSuppressed(f, input.object, ignore)) findings.push(f);
          }
        }
      }
      return { findings, problems: [] };
    },
  };
}
