import { conditions, health } from '../fields';
import { withDeletion } from './helpers';

/** argoproj.io/ApplicationSet: ErrorOccurred or ResourcesUpToDate=False is Degraded, RolloutProgressing Progressing, ResourcesUpToDate Healthy. */
export const applicationSetHealth = withDeletion('argoproj.io', 'ApplicationSet', (obj) => {
  const list = conditions(obj);
  const error = list.find((c) => c.type === 'ErrorOccurred' && c.status === 'True');
  if (error) return health('Degraded', error.message);
  const notUpToDate = list.find((c) => c.type === 'ResourcesUpToDate' && c.status === 'False');
  if (notUpToDate) return health('Degraded', notUpToDate.message);
  const rolling = list.find((c) => c.type === 'RolloutProgressing' && c.status === 'True');
  if (rolling) return health('Progressing', rolling.message);
  const upToDate = list.find((c) => c.type === 'ResourcesUpToDate' && c.status === 'True');
  if (upToDate) return health('Healthy', upToDate.message);
  return health('Progressing', 'Waiting for the status to be reported');
});
