import type { HealthResult, KubeObject } from '../../model/status';
import type { HealthCheck } from '../types';
import { conditions, get, health } from '../fields';
import { check, withDeletion } from './helpers';

const NO_INFO = health('Progressing', 'No status info available');
const hasConditions = (obj: KubeObject): boolean => get(obj, 'status', 'conditions') !== undefined && get(obj, 'status', 'conditions') !== null;

/** The MariaDB operator's server rule: the first False condition is Progressing (Degraded when its reason is Failed). */
function server(obj: KubeObject): HealthResult {
  if (!hasConditions(obj)) return NO_INFO;
  let message = '';
  for (const c of conditions(obj)) {
    message = c.message;
    if (c.status === 'False') return health(c.reason === 'Failed' ? 'Degraded' : 'Progressing', message);
  }
  return health('Healthy', message);
}

/** The MariaDB operator's SQL object rule (User, Database, Grant): the Ready condition. */
function sqlObject(obj: KubeObject): HealthResult {
  let message = NO_INFO.message;
  for (const c of conditions(obj)) {
    message = c.message;
    if (c.type === 'Ready') return health(c.status === 'True' ? 'Healthy' : 'Degraded', message);
  }
  return health('Progressing', message);
}

const M = 'k8s.mariadb.com';

/** MariaDB operator kinds (current and the older mariadb.mmontes.io group). */
export const MARIADB_CHECKS: readonly HealthCheck[] = [
  check(M, 'MariaDB', server),
  check('mariadb.mmontes.io', 'MariaDB', server),
  withDeletion(M, 'User', sqlObject),
  withDeletion(M, 'Database', sqlObject),
  withDeletion(M, 'Grant', sqlObject),
  check(M, 'Backup', (obj) => {
    if (!hasConditions(obj)) return NO_INFO;
    let message = '';
    for (const c of conditions(obj)) {
      message = `${c.reason} ${c.message}`;
      if (c.status === 'False') return health(c.reason === 'CronJobScheduled' && c.message === 'Failed' ? 'Degraded' : 'Progressing', message);
    }
    return health('Healthy', message);
  }),
  withDeletion(M, 'SqlJob', (obj) => {
    let message = NO_INFO.message;
    for (const c of conditions(obj)) {
      message = `${c.reason} ${c.message}`;
      if (c.reason === 'JobComplete' && c.status === 'True') return health('Healthy', message);
      if (c.reason === 'JobFailed' && c.status === 'True') return health('Degraded', message);
    }
    return health('Progressing', message);
  }),
];
