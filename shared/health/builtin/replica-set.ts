import type { HealthCheck } from '../types';
import { condition, get, gvkString, health, int } from '../fields';

/** apps/ReplicaSet: gitops-engine's check (observed generation, ReplicaFailure, available replicas). */
export const replicaSetHealth: HealthCheck = {
  group: 'apps',
  kind: 'ReplicaSet',
  assess(obj) {
    if (obj.apiVersion !== 'apps/v1') return health('Unknown', `unsupported ReplicaSet GVK: ${gvkString(obj)}`);
    if (int(obj, 'metadata', 'generation') > int(obj, 'status', 'observedGeneration')) {
      return health('Progressing', 'Waiting for rollout to finish: observed replica set generation less than desired generation');
    }
    const failure = condition(obj, 'ReplicaFailure');
    if (failure?.status === 'True') return health('Degraded', failure.message);
    const specReplicas = get(obj, 'spec', 'replicas');
    const available = int(obj, 'status', 'availableReplicas');
    if (typeof specReplicas === 'number' && available < specReplicas) {
      return health('Progressing', `Waiting for rollout to finish: ${available} out of ${specReplicas} new replicas are available...`);
    }
    return health('Healthy');
  },
};
