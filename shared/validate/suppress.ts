import type { ValidationFinding } from './finding';
import { annotationsOf } from './workloads';

/** The annotation prefix that switches a check off for one object: `ignore-check.flotilla.dev/<id>: "<reason>"`. */
export const IGNORE_ANNOTATION_PREFIX = 'ignore-check.flotilla.dev/';

/** A check switched off in the fleet file (`spec.validation.ignore`), for every object or those matching. */
export interface IgnoreRule {
  /** The rule id (`latest-tag`, `run-as-non-root`, …). */
  readonly check: string;
  /** Only in this app (exact name). */
  readonly app?: string;
  /** Only on objects of this kind. */
  readonly kind?: string;
  /** Only on objects of this name. */
  readonly name?: string;
  readonly reason?: string;
}

/** Whether a finding on an object is switched off by the object's annotation or by a fleet-file rule. */
export function isSuppressed(finding: ValidationFinding, obj: Record<string, unknown>, ignore: readonly IgnoreRule[]): boolean {
  if (`${IGNORE_ANNOTATION_PREFIX}${finding.id}` in annotationsOf(obj)) return true;
  return ignore.some((r) => r.check === finding.id && (r.app === undefined || r.app === finding.app) && (r.kind === undefined || r.kind === finding.object.kind) && (r.name === undefined || r.name === finding.object.name));
}
