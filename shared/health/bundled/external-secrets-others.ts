import type { HealthCheck } from '../types';
import { conditions, health } from '../fields';
import { check, readyCondition } from './helpers';

/** external-secrets.io ClusterExternalSecret and PushSecret. */
export const EXTERNAL_SECRETS_OTHER_CHECKS: readonly HealthCheck[] = [
  check('external-secrets.io', 'ClusterExternalSecret', (obj) => {
    const list = conditions(obj);
    const ready = list.find((c) => c.type === 'Ready' && c.status === 'True');
    if (ready) return health('Healthy', ready.message);
    const failed = list.find((c) => (c.type === 'NotReady' || c.type === 'PartiallyReady') && c.status === 'True');
    if (failed) return health('Degraded', failed.message);
    return health('Progressing', 'Waiting for ClusterExternalSecret');
  }),
  check('external-secrets.io', 'PushSecret', (obj) => readyCondition(obj, health('Progressing', 'Waiting for PushSecret'))),
];
