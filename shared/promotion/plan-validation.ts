// Validation inside a promotion plan: the promoted objects of each target cluster run through that cluster's
// validators, located in the edited repository, and a stage's `validation:` requirement turned into gate verdicts.

import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import type { FileTree } from '../repo/file-tree';
import type { ValidationFinding, ValidationInput } from '../validate/finding';
import type { StageValidation } from '../validate/gate';
import { validationVerdict } from '../validate/gate';
import { sourceMapOf } from '../validate/source-map';
import type { Validator } from '../validate/types';
import { runValidators } from '../validate/types';
import type { GateResult } from './gates';
import type { AppPlan } from './plan';

/** The validation gate of each app × target cluster that the promotion changes. */
export function validationGates(stage: string, req: StageValidation, apps: readonly AppPlan[]): GateResult[] {
  const out: GateResult[] = [];
  for (const a of apps) {
    if (a.edits.length === 0) continue;
    for (const c of a.clusters) {
      const v = validationVerdict(req, c.findings ?? [], new Set(c.checks ?? []), c.problems);
      out.push({ gate: 'validation', stage, app: a.app, cluster: c.cluster, passed: v.passed, reason: `${a.app} on ${c.cluster}: ${v.reason}` });
    }
  }
  return out;
}

/** Runs the validators over the promoted objects, each located in the edited repository (overlay patch, then base). */
export function validatePromoted(validators: readonly Validator[], objects: readonly KubeObject[], tree: FileTree, sourcePath: string, app: string, cluster: string, application: string | undefined): { findings: readonly ValidationFinding[]; problems: readonly Problem[]; checks: readonly string[] } {
  const map = sourceMapOf(tree, sourcePath.replace(/^\.\/?/, '').replace(/\/+$/, ''));
  const inputs: ValidationInput[] = objects.map((o) => {
    const obj = o as Record<string, unknown>;
    const hit = map.locate(obj);
    return hit ? { object: obj, source: hit.source, locate: hit.locate } : { object: obj, source: { file: sourcePath } };
  });
  const r = runValidators(validators, inputs, { cluster, app: application ?? app });
  return { findings: r.findings, problems: r.problems.map((p) => ({ ...p, app, cluster })), checks: validators.map((v) => v.check) };
}
