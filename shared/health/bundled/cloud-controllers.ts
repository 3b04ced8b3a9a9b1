import type { HealthCheck } from '../types';
import { conditions, get, health } from '../fields';
import { check } from './helpers';

/** Google Config Connector (every kind in *.cnrm.cloud.google.com): UpToDate, UpdateFailed, dependency reasons. */
const configConnector = check('*.cnrm.cloud.google.com', '*', (obj) => {
  const waiting = health('Progressing', 'Update in progress');
  const status = get(obj, 'status');
  if (status === undefined || status === null) return waiting;
  const observed = get(status, 'observedGeneration');
  const current = observed === undefined || observed === null || observed === get(obj, 'metadata', 'generation');
  const healthy = get(status, 'healthy');
  if ((obj.kind === 'ConfigConnector' || obj.kind === 'ConfigConnectorContext') && healthy !== undefined && healthy !== null && current) {
    return healthy === true ? health('Healthy', `${obj.kind} is healthy`) : health('Degraded', `${obj.kind} is not healthy`);
  }
  if (get(status, 'conditions') === undefined || !current) return waiting;
  for (const c of conditions(obj)) {
    if (c.reason === 'UpToDate' && c.status === 'True') return health('Healthy', c.message);
    if (c.reason === 'UpdateFailed' || c.reason === 'DependencyNotFound') return health('Degraded', c.message);
    if (c.reason === 'DependencyNotReady') return health('Suspended', c.message);
  }
  return waiting;
});

/** AWS Controllers for Kubernetes (every kind in *.services.k8s.aws): ACK.Terminal and Ready. */
const ack = check('*.services.k8s.aws', '*', (obj) => {
  for (const c of conditions(obj)) {
    if (c.type === 'ACK.Terminal' && c.status === 'True') return health('Degraded', c.message);
    if (c.type === 'Ready' && c.status === 'False') return health('Progressing', c.message);
    if (c.type === 'Ready' && c.status === 'True') return health('Healthy', '');
  }
  return health('Progressing', 'Waiting for resource to be ready');
});

/** Cloud provider controllers with wildcard checks. */
export const CLOUD_CONTROLLER_CHECKS: readonly HealthCheck[] = [configConnector, ack];
