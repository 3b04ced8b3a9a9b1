import { conditions, health } from '../fields';
import { check, field } from './helpers';

/** monitoring.coreos.com/Prometheus: follows its Available condition (SomePodsNotReady is Progressing). */
export const prometheusHealth = check('monitoring.coreos.com', 'Prometheus', (obj) => {
  let result = health('Progressing', 'Waiting for initialization');
  for (const c of conditions(obj)) {
    if (c.type !== 'Available') continue;
    if (c.status === 'True') result = health('Healthy', 'All instances are available');
    else result = health(c.reason === 'SomePodsNotReady' ? 'Progressing' : 'Degraded', field(c.raw, 'message') ?? c.reason);
  }
  return result;
});
