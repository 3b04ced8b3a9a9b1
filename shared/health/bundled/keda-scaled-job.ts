import { kedaHealth } from './keda-scaled-object';
import { withDeletion } from './helpers';

/** keda.sh/ScaledJob: KEDA's rule, with Ready=Unknown Degraded. */
export const scaledJobHealth = withDeletion('keda.sh', 'ScaledJob', (obj) =>
  kedaHealth(obj, (type, status) => type === 'Ready' && status === 'Unknown', 'Waiting for ScaledJob'));
