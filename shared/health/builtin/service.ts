import type { HealthCheck } from '../types';
import { arr, gvkString, health, str } from '../fields';

/** v1/Service: a LoadBalancer is Progressing until it has an ingress address; every other Service is Healthy. */
export const serviceHealth: HealthCheck = {
  group: '',
  kind: 'Service',
  assess(obj) {
    if (obj.apiVersion !== 'v1') return health('Unknown', `unsupported Service GVK: ${gvkString(obj)}`);
    if (str(obj, 'spec', 'type') === 'LoadBalancer' && arr(obj, 'status', 'loadBalancer', 'ingress').length === 0) {
      return health('Progressing');
    }
    return health('Healthy');
  },
};
