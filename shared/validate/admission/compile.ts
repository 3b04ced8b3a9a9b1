// Compiles the CEL expressions of admission policies once (parse + type check in the admission environment); a policy
// with an expression that does not compile is a Problem naming the policy, the field and its file, and is left out.

import type { Problem } from '../../problem';
import { problem } from '../../problem';
import { admissionCelEnvironment } from './cel-library';
import type { AdmissionPolicy, NamedExpression, Validation } from './types';
import { whereIs } from './where';

/** A compiled expression: evaluates against an activation (throws on a runtime error). */
export type CelProgram = (activation: Readonly<Record<string, unknown>>) => unknown;

/** A compiled validation with its optional message expression. */
export interface CompiledValidation {
  readonly validation: Validation;
  readonly run: CelProgram;
  readonly message?: CelProgram;
}

/** A policy whose every expression compiled. */
export interface CompiledPolicy {
  readonly policy: AdmissionPolicy;
  readonly matchConditions: readonly (NamedExpression & { readonly run: CelProgram })[];
  readonly variables: readonly (NamedExpression & { readonly run: CelProgram })[];
  readonly validations: readonly CompiledValidation[];
  readonly auditAnnotations: readonly { readonly key: string; readonly run: CelProgram }[];
}

class CompileError extends Error {}

function compile(expression: string, field: string, want?: 'bool' | 'string'): CelProgram {
  const env = admissionCelEnvironment();
  let program: ReturnType<typeof env.parse>;
  try {
    program = env.parse(expression);
  } catch (err) {
    throw new CompileError(`${field}: compilation failed: ${firstLine(err)}`);
  }
  let checked: ReturnType<typeof program.check>;
  try {
    checked = program.check();
  } catch (err) {
    throw new CompileError(`${field}: compilation failed: ${firstLine(err)}`);
  }
  if (!checked.valid) {
    const text = firstLine(checked.error);
    const hint = /authorizer/.test(text) ? ' (authorizer checks need the cluster; offline checking cannot evaluate them)' : '';
    throw new CompileError(`${field}: compilation failed: ${text}${hint}`);
  }
  if (want && checked.type !== want && checked.type !== 'dyn') throw new CompileError(`${field}: must evaluate to ${want}, not ${checked.type ?? 'unknown'}`);
  return program as CelProgram;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

/** Compiles one policy, or throws the first expression that does not compile (as a message naming the field). */
function compilePolicy(policy: AdmissionPolicy): CompiledPolicy {
  return {
    policy,
    matchConditions: policy.matchConditions.map((m, i) => ({ ...m, run: compile(m.expression, `spec.matchConditions[${i}] (${m.name})`, 'bool') })),
    variables: policy.variables.map((v, i) => ({ ...v, run: compile(v.expression, `spec.variables[${i}] (${v.name})`) })),
    validations: policy.validations.map((v, i) => ({
      validation: v,
      run: compile(v.expression, `spec.validations[${i}].expression`, 'bool'),
      ...(v.messageExpression ? { message: compile(v.messageExpression, `spec.validations[${i}].messageExpression`, 'string') } : {}),
    })),
    auditAnnotations: policy.auditAnnotations.map((a, i) => ({ key: a.key, run: compile(a.valueExpression, `spec.auditAnnotations[${i}].valueExpression`) })),
  };
}

/** Compiles every policy; those that do not compile are reported and left out, the others are returned. */
export function compilePolicies(policies: Iterable<AdmissionPolicy>): { readonly compiled: Map<string, CompiledPolicy>; readonly problems: Problem[] } {
  const compiled = new Map<string, CompiledPolicy>();
  const problems: Problem[] = [];
  for (const p of policies) {
    try {
      compiled.set(p.name, compilePolicy(p));
    } catch (err) {
      if (!(err instanceof CompileError)) throw err;
      problems.push(problem(`ValidatingAdmissionPolicy ${p.name}: ${err.message}; the policy is not checked`, {
        ...whereIs(p, err.message), resource: `admissionregistration.k8s.io/ValidatingAdmissionPolicy/${p.name}`,
      }));
    }
  }
  return { compiled, problems };
}
