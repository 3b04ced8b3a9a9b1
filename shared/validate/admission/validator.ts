// The admission check as one validator of the validation pipeline (shared/validate/types.ts): built once per target
// cluster (its policies compiled once), run per app over that app's rendered objects.

import type { Validator } from '../types';
import type { AdmissionChecker, AdmissionClusterState } from './check';
import { admissionChecker } from './check';

/**
 * Wraps a cluster's checker as a validator. The problems of the policies themselves (a binding without its policy,
 * an expression that does not compile) belong to the cluster, not to an app: they are reported by the first run only.
 */
export function admissionValidator(checker: AdmissionChecker): Validator {
  let reported = 0;
  return {
    check: 'admission',
    run(inputs, ctx) {
      const findings = inputs.flatMap((i) => checker.findings(i, ctx.app));
      // Problems found while checking (an unknown kind) are added to the checker's list as they appear.
      const problems = checker.problems.slice(reported);
      reported = checker.problems.length;
      return { findings, problems };
    },
  };
}

/**
 * An admission validator that takes the policies among the objects it is given on each run (plus those of `state`:
 * a cluster's live policies, or every app's rendered ones). For callers that validate one app's objects at a time and
 * cannot gather a cluster's objects first, such as a promotion plan checking a promoted state: a policy the promoted
 * app itself changes is checked as it will be after the promotion.
 */
export function inlineAdmissionValidator(state: AdmissionClusterState): Validator {
  return {
    check: 'admission',
    run(inputs, ctx) {
      const checker = admissionChecker({ ...state, ...(ctx.cluster && !state.cluster ? { cluster: ctx.cluster } : {}), renderedObjects: [...(state.renderedObjects ?? []), ...inputs] });
      return { findings: inputs.flatMap((i) => checker.findings(i, ctx.app)), problems: checker.problems };
    },
  };
}
