import type { HealthCheck } from '../types';
import { conditions, get, health, isObj, str } from '../fields';
import { check } from './helpers';

const truthy = (v: unknown): boolean => v !== undefined && v !== null && v !== false;

/** serving.kserve.io/InferenceService: Stopped, model transition status, then every condition that is not True. */
const inferenceService = check('serving.kserve.io', 'InferenceService', (obj) => {
  const list = conditions(obj);
  if (list.some((c) => c.type === 'Stopped' && c.status === 'True')) return health('Suspended', 'InferenceService is Stopped');
  const transition = get(obj, 'status', 'modelStatus', 'transitionStatus');
  let message = typeof transition === 'string' ? `0: transitionStatus | ${transition}` : '';
  let anyFalse = false;
  let anyUnknown = false;
  list.forEach((c, i) => {
    if (c.status === 'True') return;
    if (c.type === 'Stopped' && c.status === 'False') return;
    message += ` | ${i + 1}: ${c.type} | ${c.status}` + (c.reason !== '' ? ` | ${c.reason}` : '') + (c.message !== '' ? ` | ${c.message}` : '');
    if (c.status === 'False') anyFalse = true;
    else anyUnknown = true;
  });
  if (transition === 'BlockedByFailedLoad') return health('Degraded', message);
  if (transition === 'InProgress') return health('Progressing', message);
  if (list.length === 0) return health('Progressing', 'Waiting for status update.');
  if (anyFalse) return health('Degraded', message);
  if (anyUnknown) return health('Progressing', message);
  return health('Healthy', 'InferenceService is healthy.');
});

/** sparkoperator.k8s.io/SparkApplication: its application state (RUNNING once the executors run). */
const sparkApplication = check('sparkoperator.k8s.io', 'SparkApplication', (obj) => {
  const state = get(obj, 'status', 'applicationState', 'state');
  const error = str(obj, 'status', 'applicationState', 'errorMessage');
  switch (state) {
    case '': return health('Progressing', 'SparkApplication was added, enqueuing it for submission');
    case 'RUNNING': {
      const executors = get(obj, 'status', 'executorState');
      if (!isObj(executors)) break;
      const running = Object.values(executors).filter((s) => s === 'RUNNING').length;
      const wanted = get(obj, 'spec', 'executor', 'instances');
      // Without a fixed executor count (dynamic allocation, possibly configured outside the spec) any running executor will do.
      const dynamic = wanted === undefined || wanted === null || truthy(get(obj, 'spec', 'dynamicAllocation', 'enabled'))
        || get(obj, 'spec', 'sparkConf', 'spark.dynamicAllocation.enabled') === 'true'
        || get(obj, 'spec', 'sparkConf', 'spark.streaming.dynamicAllocation.enabled') === 'true';
      if (wanted === running || (dynamic && running > 0)) return health('Healthy', 'SparkApplication is Running');
      break;
    }
    case 'SUBMITTED': return health('Progressing', 'SparkApplication was submitted successfully');
    case 'COMPLETED': return health('Healthy', 'SparkApplication was Completed');
    case 'FAILED': case 'SUBMISSION_FAILED': case 'FAILING': return health('Degraded', error);
    case 'PENDING_RERUN': return health('Progressing', 'SparkApplication is Pending Rerun');
    case 'INVALIDATING': return health('Missing', 'SparkApplication is in InvalidatingState');
    case 'SUCCEEDING':
      return health('Progressing', 'The driver pod has been completed successfully. The executor pods terminate and are cleaned up.\n                                Under this circumstances, we assume the executor pod are completed.');
    case 'UNKNOWN': return health('Progressing', 'SparkApplication is in UnknownState because either driver pod or one or all executor pods in unknown state  ');
  }
  return health('Progressing', 'Waiting for Executor pods');
});

/** flink.apache.org/FlinkDeployment: reconciliation success or DEPLOYED, job manager deploying or in error. */
const flinkDeployment = check('flink.apache.org', 'FlinkDeployment', (obj) => {
  const rec = get(obj, 'status', 'reconciliationStatus');
  if (isObj(rec)) {
    if (truthy(rec.success) || rec.state === 'DEPLOYED') return health('Healthy', '');
    const jm = str(obj, 'status', 'jobManagerDeploymentStatus');
    if (jm === 'DEPLOYED_NOT_READY' || jm === 'DEPLOYING') return health('Progressing', 'Waiting for deploying');
    if (jm === 'ERROR') return health('Degraded', str(rec, 'error'));
  }
  return health('Progressing', 'Waiting for Flink operator');
});

/** Data and ML platform kinds: KServe, Spark operator, Flink operator. */
export const DATA_PLATFORM_CHECKS: readonly HealthCheck[] = [inferenceService, sparkApplication, flinkDeployment];
