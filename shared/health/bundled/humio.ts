import type { HealthCheck } from '../types';
import { get, health, str } from '../fields';
import { check } from './helpers';

/** A Humio component kind: `status.state` Exists/NotFound/ConfigError/Unknown. */
function component(kind: string): HealthCheck {
  return check('core.humio.com', kind, (obj) => {
    if (get(obj, 'status') === undefined || get(obj, 'status') === null) return health('Progressing', 'Update in progress');
    const state = str(obj, 'status', 'state');
    const message = `Component state: ${state}.`;
    switch (state) {
      case 'Exists': return health('Healthy', message);
      case 'NotFound': return health('Missing', message);
      case 'ConfigError': return health('Degraded', message);
      case 'Unknown': return health('Unknown', message);
      default: return health('Progressing', 'Update in progress');
    }
  });
}

/** core.humio.com/HumioCluster: its `status.state`. */
const humioCluster = check('core.humio.com', 'HumioCluster', (obj) => {
  const state = str(obj, 'status', 'state');
  switch (state) {
    case 'Running': return health('Healthy', 'Cluster is in a healthy running state');
    case 'Restarting': return health('Progressing', 'Cluster pods are being restarted');
    case 'Upgrading': return health('Progressing', 'Cluster pods are being upgraded');
    case 'Pending': return health('Progressing', 'Cluster is waiting on resources to be provisioned');
    case 'ConfigError': return health('Degraded', str(obj, 'status', 'message') || 'User-provided cluster specification resulted in a configuration error');
    case 'Unknown': return health('Unknown', 'Component state: Unknown.');
    default: return health('Progressing', 'Update in progress');
  }
});

/** Humio operator kinds. */
export const HUMIO_CHECKS: readonly HealthCheck[] = [
  humioCluster,
  ...['HumioAction', 'HumioAlert', 'HumioIngestToken', 'HumioParser', 'HumioRepository', 'HumioView'].map(component),
];
