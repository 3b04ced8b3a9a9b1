import { formatJsonPath } from '../../yaml/node-position';
import type { ValidationFinding, ValidationInput } from '../finding';
import type { CheckResult, ValidationContext, Validator } from '../types';
import { objectRefOf } from '../types';
import type { SchemaViolation } from './compile';
import type { SchemaSet } from './schema-set';

/** Finding ids of the schema check: the violations, an object with no apiVersion/kind, and a kind no schema declares. */
export type SchemaFindingId = SchemaViolation | 'missing-kind' | 'no-schema';

/**
 * Validates every object against the schema of its kind in the set, strictly (unknown fields are errors, as
 * `kubectl --validate=strict` and the API server's strict field validation report them). A kind with no schema is a
 * `no-schema` finding (a warning: the object is not known to be valid), never a silent pass.
 */
export function schemaValidator(set: SchemaSet): Validator {
  return {
    check: 'schema',
    run(inputs: readonly ValidationInput[], ctx: ValidationContext): CheckResult {
      const findings: ValidationFinding[] = [];
      const path: (string | number)[] = [];
      const base = { check: 'schema' as const, ...(ctx.cluster ? { cluster: ctx.cluster } : {}), ...(ctx.app ? { app: ctx.app } : {}) };
      for (const input of inputs) {
        const obj = input.object;
        const object = objectRefOf(obj);
        const src = input.source ? { source: input.source } : {};
        if (!object.apiVersion || !object.kind) {
          findings.push({ ...base, id: 'missing-kind', severity: 'error', message: `the object has no ${object.apiVersion ? 'kind' : 'apiVersion'}`, object, ...src });
          continue;
        }
        const schema = set.lookup(object.apiVersion, object.kind);
        if (!schema) {
          findings.push({ ...base, id: 'no-schema', severity: 'warning', message: `no schema for ${object.apiVersion} ${object.kind} in Kubernetes ${set.bundle.kubernetesVersion} or any known CRD; not validated`, object, ...src });
          continue;
        }
        path.length = 0;
        schema.validate(obj, path, (id, at, message) => {
          const located = input.locate?.(at);
          const source = located ?? input.source;
          const fieldPath = formatJsonPath(at);
          findings.push({ ...base, id, severity: 'error', message: `${fieldPath}: ${message}`, object, fieldPath, ...(source ? { source } : {}) });
        });
      }
      return { findings, problems: set.problems };
    },
  };
}
