import type { HealthCheck } from '../types';
import { conditions, get, health, str } from '../fields';
import { check } from './helpers';

const PROGRESSIVE = 'numaplane.numaproj.io/progressive-result-state';

interface NumaflowRule {
  readonly kind: string;
  /** Phases that read as paused (Healthy "<kind> is paused"). */
  readonly paused: readonly string[];
  /** Whether a failed progressive upgrade (numaplane label) is Degraded. */
  readonly progressive: boolean;
  /** Degraded message for a False condition: the condition's own, or a fixed text. */
  readonly conditionMessage: 'own' | 'subresources';
}

/** A Numaflow kind: observed generation, False conditions, Failed phase, failed progressive upgrade, Paused/Running phases. */
function numaflow(rule: NumaflowRule): HealthCheck {
  const { kind } = rule;
  return check('numaflow.numaproj.io', kind, (obj) => {
    const waiting = health('Progressing', `Waiting for ${kind} status`);
    if (get(obj, 'status') === undefined || get(obj, 'status') === null) return waiting;
    let falseMessage: string | undefined;
    for (const c of conditions(obj)) if (c.status === 'False') falseMessage = c.message;
    if (get(obj, 'metadata', 'generation') !== get(obj, 'status', 'observedGeneration')) return waiting;
    const phase = str(obj, 'status', 'phase');
    const progressiveFailed = rule.progressive && get(obj, 'metadata', 'labels', PROGRESSIVE) === 'failed';
    if (falseMessage !== undefined || phase === 'Failed' || progressiveFailed) {
      if (phase === 'Failed') return health('Degraded', str(obj, 'status', 'message'));
      if (progressiveFailed) return health('Degraded', 'Failed progressive upgrade');
      return health('Degraded', rule.conditionMessage === 'own' ? falseMessage ?? '' : 'Subresources are unhealthy');
    }
    if (rule.paused.includes(phase)) return health('Healthy', `${kind} is paused`);
    if (phase === 'Running') return health('Healthy', `${kind} is healthy`);
    return waiting;
  });
}

/** Numaflow kinds. */
export const NUMAFLOW_CHECKS: readonly HealthCheck[] = [
  numaflow({ kind: 'InterStepBufferService', paused: [], progressive: true, conditionMessage: 'own' }),
  numaflow({ kind: 'MonoVertex', paused: ['Paused'], progressive: true, conditionMessage: 'subresources' }),
  numaflow({ kind: 'Pipeline', paused: ['Paused', 'Pausing'], progressive: true, conditionMessage: 'subresources' }),
  numaflow({ kind: 'Vertex', paused: ['Paused'], progressive: false, conditionMessage: 'own' }),
];
