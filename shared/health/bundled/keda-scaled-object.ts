import type { HealthResult, KubeObject } from '../../model/status';
import { conditions, health } from '../fields';
import { withDeletion } from './helpers';

/** KEDA's rule: Ready=False (or the kind's extra failure) is Degraded; Ready=True Healthy, or Suspended when Paused. */
export function kedaHealth(obj: KubeObject, degradedWhen: (type: string, status: string) => boolean, waiting: string): HealthResult {
  let message = '';
  let healthy = false;
  let degraded = false;
  let suspended = false;
  for (const c of conditions(obj)) {
    if (c.type === 'Ready' && c.status === 'False') { message = c.message; degraded = true; }
    if (c.type === 'Ready' && c.status === 'True') { message = c.message; healthy = true; }
    if (c.type === 'Paused' && c.status === 'True') { message = c.message; suspended = true; }
    if (degradedWhen(c.type, c.status)) { message = c.message; degraded = true; }
  }
  if (degraded) return health('Degraded', message);
  if (healthy) return health(suspended ? 'Suspended' : 'Healthy', message);
  return health('Progressing', waiting);
}

/** keda.sh/ScaledObject: KEDA's rule, with Fallback=True Degraded. */
export const scaledObjectHealth = withDeletion('keda.sh', 'ScaledObject', (obj) =>
  kedaHealth(obj, (type, status) => type === 'Fallback' && status === 'True', 'Creating HorizontalPodAutoscaler Object'));
