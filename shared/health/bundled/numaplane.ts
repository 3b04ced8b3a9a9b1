import type { HealthCheck } from '../types';
import { conditions, get, health, str } from '../fields';
import { check } from './helpers';

/** A Numaplane rollout kind: reconciled generation, Failed/Pending phase, progressive upgrade, pause, child health. */
function rollout(kind: string): HealthCheck {
  return check('numaplane.numaproj.io', kind, (obj) => {
    const waiting = health('Progressing', 'Not yet reconciled');
    const status = get(obj, 'status');
    if (status === undefined || status === null || get(obj, 'metadata', 'generation') !== get(status, 'observedGeneration')) return waiting;
    const phase = str(status, 'phase');
    if (phase === 'Failed') return health('Degraded', str(status, 'message'));
    if (phase === 'Pending') return health('Progressing', 'Update in progress');
    const list = conditions(obj);
    if (list.some((c) => c.type === 'ProgressiveUpgradeSucceeded' && c.status === 'False')) return health('Degraded', 'Progressive upgrade failed');
    const paused = list.find((c) => c.type.endsWith('PausingOrPaused') && c.status === 'True');
    if (paused) return health('Healthy', paused.message);
    const children = list.find((c) => c.type === 'ChildResourcesHealthy');
    if (children?.status === 'False') return children.reason === 'Progressing' ? health('Progressing', 'Child Progressing') : health('Degraded', children.message);
    if (children?.status === 'True') return health('Healthy', 'Healthy');
    return waiting;
  });
}

/** Numaplane rollout kinds. */
export const NUMAPLANE_CHECKS: readonly HealthCheck[] = ['ISBServiceRollout', 'MonoVertexRollout', 'NumaflowControllerRollout', 'PipelineRollout'].map(rollout);
