import { get, health } from '../fields';
import { conditions } from '../fields';
import { check } from './helpers';

/** serving.knative.dev/Service: Healthy when ConfigurationsReady, RoutesReady and Ready are all True; lists every False/Unknown condition. */
export const knativeServiceHealth = check('serving.knative.dev', 'Service', (obj) => {
  const list = get(obj, 'status', 'conditions');
  if (list === undefined || list === null) return health('Progressing', 'Waiting for status update.');
  let trues = 0;
  let falses = 0;
  let unknowns = 0;
  let message = '';
  for (const c of conditions(obj)) {
    if (c.status === 'True' && (c.type === 'ConfigurationsReady' || c.type === 'RoutesReady' || c.type === 'Ready')) {
      trues++;
    } else if (c.status === 'False' || c.status === 'Unknown') {
      let m = `${c.type} is ${c.status}`;
      if (c.reason !== '') m += `, since ${c.reason}.`;
      if (c.message !== '') m += ` ${c.message}`;
      message += `${m}\n`;
      if (c.status === 'False') falses++;
      else unknowns++;
    }
  }
  if (trues === 3 && falses === 0 && unknowns === 0) return health('Healthy', 'Knative Service is healthy.');
  return health(falses > 0 ? 'Degraded' : 'Progressing', message);
});
