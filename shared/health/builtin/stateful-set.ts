import type { HealthCheck } from '../types';
import { get, gvkString, health, int, str } from '../fields';

/** apps/StatefulSet: gitops-engine's check (observed generation, ready pods, partitioned and rolling updates). */
export const statefulSetHealth: HealthCheck = {
  group: 'apps',
  kind: 'StatefulSet',
  assess(obj) {
    if (obj.apiVersion !== 'apps/v1') return health('Unknown', `unsupported StatefulSet GVK: ${gvkString(obj)}`);
    const observed = int(obj, 'status', 'observedGeneration');
    if (observed === 0 || int(obj, 'metadata', 'generation') > observed) {
      return health('Progressing', 'Waiting for statefulset spec update to be observed...');
    }
    const specReplicas = get(obj, 'spec', 'replicas');
    const ready = int(obj, 'status', 'readyReplicas');
    const updated = int(obj, 'status', 'updatedReplicas');
    if (typeof specReplicas === 'number' && ready < specReplicas) {
      return health('Progressing', `Waiting for ${specReplicas - ready} pods to be ready...`);
    }
    const strategy = str(obj, 'spec', 'updateStrategy', 'type');
    const rolling = get(obj, 'spec', 'updateStrategy', 'rollingUpdate');
    if (strategy === 'RollingUpdate' && rolling !== undefined && rolling !== null) {
      const partition = get(rolling, 'partition');
      if (typeof specReplicas === 'number' && typeof partition === 'number' && updated < specReplicas - partition) {
        return health('Progressing', `Waiting for partitioned roll out to finish: ${updated} out of ${specReplicas - partition} new pods have been updated...`);
      }
      return health('Healthy', `partitioned roll out complete: ${updated} new pods have been updated...`);
    }
    if (strategy === 'OnDelete') return health('Healthy', `statefulset has ${ready} ready pods`);
    const updateRevision = str(obj, 'status', 'updateRevision');
    const currentRevision = str(obj, 'status', 'currentRevision');
    if (updateRevision !== currentRevision) {
      return health('Progressing', `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`);
    }
    return health('Healthy', `statefulset rolling update complete ${int(obj, 'status', 'currentReplicas')} pods at revision ${currentRevision}...`);
  },
};
