import { get, health, str } from '../fields';
import { withDeletion } from './helpers';

/** argoproj.io/Experiment: follows `status.phase`. */
export const experimentHealth = withDeletion('argoproj.io', 'Experiment', (obj) => {
  const status = get(obj, 'status');
  if (status === undefined || status === null) return health('Progressing', 'Waiting for experiment to finish: status has not been reconciled.');
  switch (str(obj, 'status', 'phase')) {
    case 'Pending': return health('Progressing', 'Experiment is pending');
    case 'Running': return health('Progressing', 'Experiment is running');
    case 'Successful': return health('Healthy', 'Experiment is successful');
    case 'Failed': return health('Degraded', 'Experiment has failed');
    case 'Error': return health('Degraded', 'Experiment had an error');
    default: return undefined;
  }
});
