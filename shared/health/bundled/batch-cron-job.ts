import { get, health, str } from '../fields';
import { check, len } from './helpers';

/** batch/CronJob: Healthy (noting it) when suspended; Degraded when the last run did not succeed; otherwise Healthy. */
export const cronJobHealth = check('batch', 'CronJob', (obj) => {
  if (get(obj, 'spec', 'suspend') === true) return health('Healthy', 'CronJob is Suspended');
  const status = get(obj, 'status');
  if (status === undefined || status === null) return health('Progressing', 'Waiting for CronJob');
  const lastSchedule = get(obj, 'status', 'lastScheduleTime');
  if (lastSchedule === undefined || lastSchedule === null) return health('Healthy', 'CronJob has not been scheduled yet');
  const lastSuccess = get(obj, 'status', 'lastSuccessfulTime');
  if (lastSuccess === undefined || lastSuccess === null) return health('Healthy', 'The CronJob never completed successfully. It may not be healthy');
  if (len(get(obj, 'status', 'active')) > 0) return health('Healthy', 'The job is running. Its last execution may not have been successful');
  if (str(obj, 'status', 'lastSuccessfulTime') < str(obj, 'status', 'lastScheduleTime')) {
    return health('Degraded', 'CronJob has not completed its last execution successfully');
  }
  return health('Healthy', 'CronJob has completed its last execution successfully');
});
