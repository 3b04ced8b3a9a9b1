import type { HealthResult, KubeObject } from '../model/status';
import type { Condition } from './fields';
import { conditions, health } from './fields';

/**
 * Health from the conditions most controllers write, for kinds with no rule of their own:
 * Stalled=True is Degraded; Ready (or else Available) False is Degraded and Unknown Progressing;
 * Reconciling=True is Progressing; otherwise Healthy.
 */
export function standardConditionsHealth(obj: KubeObject): HealthResult {
  const list = conditions(obj);
  const byType = (t: string): Condition | undefined => list.find((c) => c.type === t);
  const stalled = byType('Stalled');
  if (stalled?.status === 'True') return health('Degraded', stalled.message);
  const ready = byType('Ready') ?? byType('Available');
  if (ready?.status === 'False') return health('Degraded', ready.message);
  if (ready?.status === 'Unknown') return health('Progressing', ready.message);
  const reconciling = byType('Reconciling');
  if (reconciling?.status === 'True') return health('Progressing', reconciling.message);
  return health('Healthy', ready?.message ?? '');
}
