import { podTemplateOf } from '../workloads';
import type { KubesecRule } from './kubesec-rules';
import { KUBESEC_RULES } from './kubesec-rules';

/** One workload's kubesec score: the sum of matched rules' points; critical rules matched make it fail. */
export interface SecurityScore {
  readonly score: number;
  /** Negative rules that matched: any one fails the workload. */
  readonly critical: readonly KubesecRule[];
  /** Positive rules that matched (their points are in the score). */
  readonly passed: readonly KubesecRule[];
  /** Positive rules that did not match: what would raise the score. */
  readonly advise: readonly KubesecRule[];
}

/** The score of a workload kubesec scores (Pod, Deployment, StatefulSet, DaemonSet), or undefined for other objects. */
export function securityScore(obj: Record<string, unknown>, rules: readonly KubesecRule[] = KUBESEC_RULES): SecurityScore | undefined {
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const t = podTemplateOf(obj);
  if (!t) return undefined;
  const applicable = rules.filter((r) => r.kinds.includes(kind));
  if (applicable.length === 0) return undefined;
  const critical: KubesecRule[] = [];
  const passed: KubesecRule[] = [];
  const advise: KubesecRule[] = [];
  let score = 0;
  for (const r of applicable) {
    const hit = r.matches(obj, t);
    if (hit) score += r.points;
    if (hit && r.points < 0) critical.push(r);
    else if (hit) passed.push(r);
    else if (r.points >= 0) advise.push(r);
  }
  return { score, critical, passed, advise };
}
