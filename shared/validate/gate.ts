import type { Problem } from '../problem';
import type { ValidationFinding } from './finding';
import { SCORE_FINDING_ID } from './score/score-check';

/** A pipeline stage's `validation:` requirement: what the promoted state of each target cluster must pass. */
export interface StageValidation {
  /** Schema errors (unknown fields, wrong types, missing required fields, bad enums) block. */
  readonly schema: boolean;
  /** Which lint findings block: `error` ones, `warning` and worse, or none. */
  readonly lint: 'error' | 'warning' | 'off';
  /** Every workload's security score must reach this (and no critical score rule may match). */
  readonly minScore?: number;
  /** The target cluster's admission policies must admit every object. */
  readonly admission: boolean;
}

/** The verdict of a stage's validation requirement on one app × cluster, with the findings that decide it. */
export interface ValidationVerdict {
  readonly passed: boolean;
  readonly reason: string;
  readonly blocking: readonly ValidationFinding[];
}

/** Reads a stage's `validation:` mapping; bad fields are reported through `bad` (path relative to the mapping). */
export function parseStageValidation(raw: unknown, bad: (path: readonly (string | number)[], message: string) => void): StageValidation | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    bad([], 'expected a mapping {schema, lint, minScore, admission}');
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!['schema', 'lint', 'minScore', 'admission'].includes(k)) bad([k], `unknown field "${k}" (known: schema, lint, minScore, admission)`);
  const bool = (k: string, dflt: boolean): boolean => {
    if (r[k] === undefined) return dflt;
    if (typeof r[k] !== 'boolean') bad([k], 'expected true or false');
    return r[k] === true;
  };
  const lint = r.lint === undefined ? 'error' : r.lint;
  if (lint !== 'error' && lint !== 'warning' && lint !== 'off') bad(['lint'], `expected error, warning or off, got ${JSON.stringify(r.lint)}`);
  if (r.minScore !== undefined && (typeof r.minScore !== 'number' || !Number.isFinite(r.minScore))) bad(['minScore'], `expected a number, got ${JSON.stringify(r.minScore)}`);
  return {
    schema: bool('schema', true),
    lint: lint === 'warning' || lint === 'off' ? lint : 'error',
    ...(typeof r.minScore === 'number' ? { minScore: r.minScore } : {}),
    admission: bool('admission', false),
  };
}

/**
 * Whether the findings on a promoted app × cluster pass a stage's requirement. Unknown is never success: a check the
 * requirement asks for that did not run (`ran` lacks it), or problems that kept validation from running, fail it.
 */
export function validationVerdict(req: StageValidation, findings: readonly ValidationFinding[], ran: ReadonlySet<string>, problems: readonly Problem[] = []): ValidationVerdict {
  const blocking: ValidationFinding[] = [];
  const missing: string[] = [];
  if (req.schema) {
    if (!ran.has('schema')) missing.push('schema');
    blocking.push(...findings.filter((f) => f.check === 'schema' && f.severity === 'error'));
  }
  if (req.lint !== 'off') {
    if (!ran.has('lint')) missing.push('lint');
    blocking.push(...findings.filter((f) => f.check === 'lint' && (f.severity === 'error' || (req.lint === 'warning' && f.severity === 'warning'))));
  }
  if (req.minScore !== undefined) {
    if (!ran.has('score')) missing.push('score');
    blocking.push(...findings.filter((f) => f.check === 'score' && (f.id !== SCORE_FINDING_ID ? f.severity === 'error' : (f.score ?? Number.NEGATIVE_INFINITY) < req.minScore!)));
  }
  if (req.admission) {
    if (!ran.has('admission')) missing.push('admission');
    blocking.push(...findings.filter((f) => f.check === 'admission' && f.severity === 'error'));
  }
  const errors = problems.filter((p) => p.severity === 'error');
  if (missing.length > 0) return { passed: false, reason: `validation required ${missing.join(', ')}, which did not run${missing.includes('admission') ? ' (no admission-policy check is available for this cluster)' : ''}`, blocking };
  if (errors.length > 0) return { passed: false, reason: `validation could not run: ${errors[0]!.message}`, blocking };
  if (blocking.length === 0) return { passed: true, reason: `validation passed (${describe(req)})`, blocking };
  const first = blocking[0]!;
  const where = first.source ? ` at ${first.source.file}${first.source.line ? `:${first.source.line}` : ''}` : '';
  return { passed: false, reason: `${blocking.length} finding${blocking.length === 1 ? '' : 's'} block${blocking.length === 1 ? 's' : ''} (${describe(req)}): ${first.check}/${first.id}: ${first.message}${where}`, blocking };
}

function describe(req: StageValidation): string {
  return [req.schema ? 'schema' : '', req.lint !== 'off' ? `lint ${req.lint}` : '', req.minScore !== undefined ? `score ≥ ${req.minScore}` : '', req.admission ? 'admission' : ''].filter(Boolean).join(', ');
}
