import type { HealthCheck } from '../types';
import { goQuote, gvkString, health, int, str } from '../fields';

/** apps/DaemonSet: gitops-engine's check (observed generation, updated and available pods). */
export const daemonSetHealth: HealthCheck = {
  group: 'apps',
  kind: 'DaemonSet',
  assess(obj) {
    if (obj.apiVersion !== 'apps/v1') return health('Unknown', `unsupported DaemonSet GVK: ${gvkString(obj)}`);
    if (int(obj, 'metadata', 'generation') > int(obj, 'status', 'observedGeneration')) {
      return health('Progressing', 'Waiting for rollout to finish: observed daemon set generation less than desired generation');
    }
    const updated = int(obj, 'status', 'updatedNumberScheduled');
    const desired = int(obj, 'status', 'desiredNumberScheduled');
    const available = int(obj, 'status', 'numberAvailable');
    if (str(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete') {
      return health('Healthy', `daemon set ${updated} out of ${desired} new pods have been updated`);
    }
    const name = goQuote(str(obj, 'metadata', 'name'));
    if (updated < desired) {
      return health('Progressing', `Waiting for daemon set ${name} rollout to finish: ${updated} out of ${desired} new pods have been updated...`);
    }
    if (available < desired) {
      return health('Progressing', `Waiting for daemon set ${name} rollout to finish: ${available} of ${desired} updated pods are available...`);
    }
    return health('Healthy');
  },
};
