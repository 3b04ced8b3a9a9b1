import type { HealthCheck } from '../types';
import { get, gvkString, health, isObj, str } from '../fields';

/** v1/PersistentVolumeClaim: Bound is Healthy, Pending Progressing while provisioning (Healthy while it waits for a consumer), Lost Degraded, anything else Unknown. */
export const persistentVolumeClaimHealth: HealthCheck = {
  group: '',
  kind: 'PersistentVolumeClaim',
  assess(obj) {
    if (obj.apiVersion !== 'v1') return health('Unknown', `unsupported PersistentVolumeClaim GVK: ${gvkString(obj)}`);
    switch (str(obj, 'status', 'phase')) {
      case 'Lost': return health('Degraded');
      case 'Pending':
        // A claim with a provisioner annotation is being provisioned; one without waits for a consumer.
        return isObj(get(obj, 'metadata', 'annotations')) && get(obj, 'metadata', 'annotations', 'volume.beta.kubernetes.io/storage-provisioner') !== undefined
          ? health('Progressing', 'Provisioning volume')
          : health('Healthy', 'Waiting for consumer');
      case 'Bound': return health('Healthy');
      default: return health('Unknown');
    }
  },
};
