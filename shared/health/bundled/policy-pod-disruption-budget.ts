import { conditions, health } from '../fields';
import { withDeletion } from './helpers';

/** policy/PodDisruptionBudget: a False condition (other than InsufficientPods) is Degraded; any other condition Healthy. */
export const podDisruptionBudgetHealth = withDeletion('policy', 'PodDisruptionBudget', (obj) => {
  let result = health('Progressing', 'Waiting for status');
  for (const c of conditions(obj)) {
    if (c.status === 'False' && c.reason !== 'InsufficientPods') return health('Degraded', `PodDisruptionBudget has ${c.reason}`);
    result = health('Healthy', `PodDisruptionBudget has ${c.reason}`);
  }
  return result;
});
