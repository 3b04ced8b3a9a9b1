import type { Problem } from '../problem';
import type { ValidationFinding } from './finding';

/** What was validated for one app on one cluster (or one path), and what was found. */
export interface ValidationTarget {
  readonly app?: string;
  readonly cluster?: string;
  /** A repository path validated as written (`flotilla validate PATH`). */
  readonly path?: string;
  /** The Kubernetes version whose schemas were used (`1.32.3`). */
  readonly kubernetesVersion: string;
  /** Where those schemas came from (bundled spec, or the cluster's /openapi/v3). */
  readonly schemaSource: string;
  readonly objects: number;
  readonly findings: readonly ValidationFinding[];
  /** What kept a check from running (an app that failed to render, a CRD with a broken schema). */
  readonly problems: readonly Problem[];
}

/** A validation run: every target, and problems that belong to none. */
export interface ValidationReport {
  readonly targets: readonly ValidationTarget[];
  readonly problems: readonly Problem[];
}

/** Every finding of a report. */
export function allFindings(r: ValidationReport): ValidationFinding[] {
  return r.targets.flatMap((t) => t.findings);
}

/** Findings counted by severity (the `kubesec-score` summary of a passing workload is `info` and not a problem). */
export function countFindings(findings: readonly ValidationFinding[]): { readonly error: number; readonly warning: number; readonly info: number } {
  let error = 0;
  let warning = 0;
  let info = 0;
  for (const f of findings) {
    if (f.severity === 'error') error++;
    else if (f.severity === 'warning') warning++;
    else info++;
  }
  return { error, warning, info };
}
