import type { ValidationFinding, ValidationInput } from '../finding';
import type { IgnoreRule } from '../suppress';
import { isSuppressed } from '../suppress';
import type { CheckResult, ValidationContext, Validator } from '../types';
import { objectRefOf } from '../types';
import { securityScore } from './score';

/** The id of the summary finding that carries a workload's score. */
export const SCORE_FINDING_ID = 'kubesec-score';

/**
 * The security-score check: per workload, one `kubesec-score` finding carrying the score and the points earned
 * (`info` when no critical rule matched, `error` when one did), and one `error` finding per critical rule matched
 * (id = kubesec's rule id, e.g. `Privileged`), suppressible like lint findings.
 */
export function scoreValidator(ignore: readonly IgnoreRule[] = []): Validator {
  return {
    check: 'score',
    run(inputs: readonly ValidationInput[], ctx: ValidationContext): CheckResult {
      const findings: ValidationFinding[] = [];
      const base = { check: 'score' as const, ...(ctx.cluster ? { cluster: ctx.cluster } : {}), ...(ctx.app ? { app: ctx.app } : {}) };
      for (const input of inputs) {
        const s = securityScore(input.object);
        if (!s) continue;
        const object = objectRefOf(input.object);
        const src = input.source ? { source: input.source } : {};
        const critical = s.critical.map((r): ValidationFinding => ({ ...base, id: r.id, severity: 'error', message: `${object.kind} ${object.name}: ${r.id} (${r.points} points): ${r.reason}`, remediation: `Remove what matches ${r.selector}`, object, ...src }))
          .filter((f) => !isSuppressed(f, input.object, ignore));
        findings.push(...critical);
        const earned = s.passed.map((r) => `+${r.points} ${r.id}`).join(', ') || 'none';
        findings.push({
          ...base, id: SCORE_FINDING_ID, severity: critical.length > 0 ? 'error' : 'info', score: s.score, object, ...src,
          message: `${object.kind} ${object.name}: security score ${s.score} (${critical.length > 0 ? `failed: ${critical.map((c) => c.id).join(', ')}` : 'passed'}); points: ${earned}`,
          ...(s.advise.length > 0 ? { remediation: `To raise it: ${s.advise.map((r) => `${r.id} (+${r.points})`).join(', ')}` } : {}),
        });
      }
      return { findings, problems: [] };
    },
  };
}
