import type { Problem } from '../problem';
import type { ValidationCheck, ValidationFinding, ValidationInput } from './finding';

// The seam every validation check plugs into: schema, lint, security score and admission policies are each a
// `Validator` in a list; the service runs the list over one app's rendered objects for one cluster.

/** What a check knows of where the objects go. */
export interface ValidationContext {
  readonly cluster?: string;
  readonly app?: string;
}

/** What one check found, and what kept it from checking (a CRD with a broken schema, a policy that does not compile). */
export interface CheckResult {
  readonly findings: readonly ValidationFinding[];
  readonly problems: readonly Problem[];
}

/** One family of checks over rendered objects. */
export interface Validator {
  readonly check: ValidationCheck;
  run(inputs: readonly ValidationInput[], ctx: ValidationContext): CheckResult;
}

/** Runs each validator over the inputs; one that throws becomes a Problem and the others still run. */
export function runValidators(validators: readonly Validator[], inputs: readonly ValidationInput[], ctx: ValidationContext): CheckResult {
  const findings: ValidationFinding[] = [];
  const problems: Problem[] = [];
  for (const v of validators) {
    try {
      const r = v.run(inputs, ctx);
      findings.push(...r.findings);
      problems.push(...r.problems);
    } catch (err) {
      problems.push({ severity: 'error', message: `${v.check} check failed: ${err instanceof Error ? err.message : String(err)}`, ...(ctx.cluster ? { cluster: ctx.cluster } : {}), ...(ctx.app ? { app: ctx.app } : {}) });
    }
  }
  return { findings, problems };
}

/** The `ObjectRef` of a rendered object. */
export function objectRefOf(obj: Record<string, unknown>): ValidationFinding['object'] {
  const meta = typeof obj.metadata === 'object' && obj.metadata !== null ? (obj.metadata as Record<string, unknown>) : {};
  return {
    apiVersion: typeof obj.apiVersion === 'string' ? obj.apiVersion : '',
    kind: typeof obj.kind === 'string' ? obj.kind : '',
    ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
    name: typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? `${meta.generateName}*` : '',
  };
}
