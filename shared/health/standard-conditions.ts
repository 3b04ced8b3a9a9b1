import type { HealthResult, KubeObject } from '../model/status';
import type { Condition } from './fields';
import { conditions, get, health } from './fields';

/**
 * Health from the conventions most controllers follow (kstatus), for kinds with no rule of their own:
 * a controller that has not observed the latest generation is Progressing; Stalled=True is Degraded;
 * Reconciling=True is Progressing; Ready (or else Available) False is Degraded and Unknown Progressing;
 * anything else is Healthy.
 */
export function standardConditionsHealth(obj: KubeObject): HealthResult {
  const generation = get(obj, 'metadata', 'generation');
  const observed = get(obj, 'status', 'observedGeneration');
  if (typeof generation === 'number' && typeof observed === 'number' && observed < generation) {
    return health('Progressing', 'Waiting for the controller to observe the latest spec');
  }
  const list = conditions(obj);
  const byType = (t: string): Condition | undefined => list.find((c) => c.type === t);
  const stalled = byType('Stalled');
  if (stalled?.status === 'True') return health('Degraded', stalled.message);
  const reconciling = byType('Reconciling');
  if (reconciling?.status === 'True') return health('Progressing', reconciling.message);
  const ready = byType('Ready') ?? byType('Available');
  if (ready?.status === 'False') return health('Degraded', ready.message);
  if (ready?.status === 'Unknown') return health('Progressing', ready.message);
  return health('Healthy', ready?.message ?? '');
}
