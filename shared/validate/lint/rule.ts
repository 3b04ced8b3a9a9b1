import type { FindingSeverity } from '../finding';
import type { JsonPath } from '../../yaml/node-position';

/** What a lint rule found on one object. */
export interface LintHit {
  readonly message: string;
  /** Path of the offending field. */
  readonly path?: JsonPath;
}

/** Everything a rule may look at besides its object: the other objects of the same app and cluster. */
export interface LintScope {
  readonly objects: readonly Record<string, unknown>[];
}

/** One lint rule, after a KubeLinter default check of the same id. */
export interface LintRule {
  readonly id: string;
  readonly severity: FindingSeverity;
  readonly description: string;
  readonly remediation: string;
  check(obj: Record<string, unknown>, scope: LintScope): readonly LintHit[];
}
