import type { HealthCheck } from '../types';
import { health, str } from '../fields';

/** argoproj.io/Workflow: follows `status.phase` (Pending/Running, Succeeded, Failed/Error). */
export const workflowHealth: HealthCheck = {
  group: 'argoproj.io',
  kind: 'Workflow',
  assess(obj) {
    const message = str(obj, 'status', 'message');
    switch (str(obj, 'status', 'phase')) {
      case '': case 'Pending': case 'Running': return health('Progressing', message);
      case 'Succeeded': return health('Healthy', message);
      case 'Failed': case 'Error': return health('Degraded', message);
      default: return health('Unknown', message);
    }
  },
};
