import type { HealthCheck } from '../types';
import { conditions, gvkString, health } from '../fields';

/** apiregistration.k8s.io/APIService: follows its Available condition. */
export const apiServiceHealth: HealthCheck = {
  group: 'apiregistration.k8s.io',
  kind: 'APIService',
  assess(obj) {
    if (obj.apiVersion !== 'apiregistration.k8s.io/v1' && obj.apiVersion !== 'apiregistration.k8s.io/v1beta1') {
      return health('Unknown', `unsupported APIService GVK: ${gvkString(obj)}`);
    }
    for (const c of conditions(obj)) {
      if (c.type === 'Available') return health(c.status === 'True' ? 'Healthy' : 'Progressing', `${c.reason}: ${c.message}`);
    }
    return health('Progressing', 'Waiting to be processed');
  },
};
