import { conditions, health } from '../fields';
import { check } from './helpers';

/** argoproj.io/CronWorkflow: a SpecError or SubmissionError condition is Degraded; otherwise Healthy. */
export const cronWorkflowHealth = check('argoproj.io', 'CronWorkflow', (obj) => {
  for (const c of conditions(obj)) {
    if (c.status !== 'True') continue;
    if (c.type === 'SpecError' || c.type === 'SubmissionError') return health('Degraded', c.message);
    if (c.type === 'Completed') return health('Healthy', c.message);
  }
  return health('Healthy', 'CronWorkflow is healthy.');
});
