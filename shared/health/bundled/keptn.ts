import type { HealthCheck } from '../types';
import { get, health, str } from '../fields';
import { check } from './helpers';

/** A Keptn lifecycle kind judged by one status field: Succeeded is Healthy, Failed Degraded, anything else Progressing. */
function byStatusField(group: string, kind: string, field: string): HealthCheck {
  return check(group, kind, (obj) => {
    const s = str(obj, 'status', field);
    if (s === 'Succeeded') return health('Healthy', `${kind} is healthy`);
    if (s === 'Failed') return health('Degraded', `${kind} is degraded`);
    return health('Progressing', `${kind} is progressing`);
  });
}

/** Keptn lifecycle toolkit and metrics kinds. */
export const KEPTN_CHECKS: readonly HealthCheck[] = [
  byStatusField('lifecycle.keptn.sh', 'KeptnAppVersion', 'status'),
  byStatusField('lifecycle.keptn.sh', 'KeptnEvaluation', 'overallStatus'),
  byStatusField('lifecycle.keptn.sh', 'KeptnTask', 'status'),
  byStatusField('lifecycle.keptn.sh', 'KeptnWorkloadInstance', 'status'),
  byStatusField('lifecycle.keptn.sh', 'KeptnWorkloadVersion', 'status'),
  check('metrics.keptn.sh', 'Analysis', (obj) => {
    const pass = get(obj, 'status', 'pass');
    if (pass === true) return health('Healthy', 'Analysis is healthy');
    if (get(obj, 'status', 'warning') === true) return health('Healthy', 'Analysis is healthy with warnings');
    if (pass === false) return health('Degraded', 'Analysis is degraded');
    return health('Progressing', 'Analysis is progressing');
  }),
  check('metrics.keptn.sh', 'KeptnMetric', (obj) => {
    const err = str(obj, 'status', 'errMsg');
    const value = get(obj, 'status', 'value');
    if (err === '' && value !== undefined && value !== null) return health('Healthy', 'KeptnMetric is healthy');
    if (err !== '') return health('Degraded', 'KeptnMetric is degraded');
    return health('Progressing', 'KeptnMetric is progressing');
  }),
];
