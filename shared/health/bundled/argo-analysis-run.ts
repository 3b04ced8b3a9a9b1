import { get, health, optStr, str } from '../fields';
import { check } from './helpers';

/** argoproj.io/AnalysisRun: follows `status.phase`; Inconclusive is Unknown. */
export const analysisRunHealth = check('argoproj.io', 'AnalysisRun', (obj) => {
  const status = get(obj, 'status');
  if (status === undefined || status === null) return health('Progressing', 'Waiting for analysis run to finish: status has not been reconciled.');
  const message = optStr(obj, 'status', 'message');
  switch (str(obj, 'status', 'phase')) {
    case 'Pending': case 'Running': return health('Progressing', 'Analysis run is running');
    case 'Successful': return health('Healthy', message ?? 'Analysis run completed successfully');
    case 'Failed': return health('Degraded', message ?? 'Analysis run failed');
    case 'Error': return health('Degraded', message ?? 'Analysis run had an error');
    case 'Inconclusive': return health('Unknown', message ?? 'Analysis run was inconclusive');
    default: return undefined;
  }
});
