import type { AggregatedHealthResult, HealthCheck } from '../types';
import { conditions, gvkString, health } from '../fields';

/** batch/Job: Degraded when Failed, Suspended (counted as Healthy in its app) when suspended, Healthy when Complete, Progressing otherwise. */
export const jobHealth: HealthCheck = {
  group: 'batch',
  kind: 'Job',
  assess(obj) {
    if (obj.apiVersion !== 'batch/v1') return health('Unknown', `unsupported Job GVK: ${gvkString(obj)}`);
    let failed = false;
    let complete = false;
    let suspended = false;
    let failMessage = '';
    let message = '';
    for (const c of conditions(obj)) {
      if (c.type === 'Failed') {
        failed = true;
        complete = true;
        failMessage = c.message;
      } else if (c.type === 'Complete') {
        complete = true;
        message = c.message;
      } else if (c.type === 'Suspended') {
        complete = true;
        message = c.message;
        if (c.status === 'True') suspended = true;
      }
    }
    if (!complete) return health('Progressing', message);
    if (failed) return health('Degraded', failMessage);
    if (suspended) {
      const result: AggregatedHealthResult = { status: 'Suspended', message, aggregateAs: 'Healthy' };
      return result;
    }
    return health('Healthy', message);
  },
};
