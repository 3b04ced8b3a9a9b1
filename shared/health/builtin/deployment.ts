import type { HealthCheck } from '../types';
import { condition, get, goQuote, gvkString, health, int, str } from '../fields';

/** apps/Deployment: gitops-engine's rollout check (paused, progress deadline, updated/old/available replicas). */
export const deploymentHealth: HealthCheck = {
  group: 'apps',
  kind: 'Deployment',
  assess(obj) {
    if (obj.apiVersion !== 'apps/v1') return health('Unknown', `unsupported Deployment GVK: ${gvkString(obj)}`);
    if (get(obj, 'spec', 'paused') === true) return health('Suspended', 'Deployment is paused');
    const generation = int(obj, 'metadata', 'generation');
    const observed = int(obj, 'status', 'observedGeneration');
    if (generation > observed) {
      return health('Progressing', 'Waiting for rollout to finish: observed deployment generation less than desired generation');
    }
    const progressing = condition(obj, 'Progressing');
    const specReplicas = get(obj, 'spec', 'replicas');
    const updated = int(obj, 'status', 'updatedReplicas');
    const replicas = int(obj, 'status', 'replicas');
    const available = int(obj, 'status', 'availableReplicas');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      return health('Degraded', `Deployment ${goQuote(str(obj, 'metadata', 'name'))} exceeded its progress deadline`);
    }
    if (typeof specReplicas === 'number' && updated < specReplicas) {
      return health('Progressing', `Waiting for rollout to finish: ${updated} out of ${specReplicas} new replicas have been updated...`);
    }
    if (replicas > updated) {
      return health('Progressing', `Waiting for rollout to finish: ${replicas - updated} old replicas are pending termination...`);
    }
    if (available < updated) {
      return health('Progressing', `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`);
    }
    return health('Healthy');
  },
};
