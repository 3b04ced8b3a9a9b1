/**
 * The validation contract: every check (schema, lint, security score, admission policy) turns rendered objects into
 * findings of this one shape, so the CLI, the promotion gates and the UI show them alike.
 */

/** Which family of check produced a finding. */
export type ValidationCheck = 'schema' | 'lint' | 'score' | 'admission';

/** How bad a finding is; `error` fails a gate at any level, `warning` fails a gate set to `lint: warning`. */
export type FindingSeverity = 'error' | 'warning' | 'info';

/** The object a finding is about, as the API server names it. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** Where in the repository the offending node was written (repository-relative POSIX path, 1-based line/column). */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** One thing a check found on one object. */
export interface ValidationFinding {
  readonly check: ValidationCheck;
  /** Stable id of the rule, e.g. `unknown-field`, `latest-tag`, `privileged`, or the policy name for admission. */
  readonly id: string;
  readonly severity: FindingSeverity;
  readonly message: string;
  /** One line on how to fix it (lint and score rules have one). */
  readonly remediation?: string;
  readonly object: ObjectRef;
  /** JSON path of the offending field inside the object, e.g. `spec.template.spec.containers[0].image`. */
  readonly fieldPath?: string;
  readonly source?: SourceLocation;
  /** The cluster the object was validated for (its Kubernetes version, its policies). */
  readonly cluster?: string;
  readonly app?: string;
  /** The security score of the workload (the `score` check's summary finding, id `kubesec-score`). */
  readonly score?: number;
}

/** A rendered object with where it came from, the input of every check. */
export interface ValidationInput {
  readonly object: Record<string, unknown>;
  readonly source?: SourceLocation;
  /** Where a field of the object is written (`['spec', 'replicas']`), when the source is known field by field. */
  readonly locate?: (path: readonly (string | number)[]) => SourceLocation | undefined;
}
