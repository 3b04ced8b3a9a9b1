import type { HealthCheck } from '../types';
import { conditions, get, health, str } from '../fields';
import { check, field, withDeletion } from './helpers';

/** The 3scale operator's capability kinds: the first True condition decides (Ready/Synced, Failed/Invalid/Orphan, Waiting, In-progress). */
function capability(group: string, kind: string, okType: 'Ready' | 'Synced', suspendedWhen?: (obj: unknown) => string | undefined): HealthCheck {
  const ok = okType === 'Synced' ? 'synced' : 'ready';
  return withDeletion(group, kind, (obj) => {
    const suspended = suspendedWhen?.(obj);
    if (suspended) return health('Suspended', suspended);
    for (const c of conditions(obj)) {
      const message = field(c.raw, 'message');
      if (c.type === 'Ready' && c.status === 'False') return health('Degraded', message ?? `3scale ${kind} is not ready`);
      if (c.status !== 'True') continue;
      if (c.type === okType) return health('Healthy', `3scale ${kind} is ${ok}`);
      if (c.type === 'Invalid') return health('Degraded', message ?? `3scale ${kind} configuration is invalid`);
      if (c.type === 'Orphan') return health('Degraded', message ?? `3scale ${kind} references non-existing resources`);
      if (c.type === 'Failed') return health('Degraded', message ?? `3scale ${kind} synchronization failed`);
      if (c.type === 'Waiting') return health('Suspended', message ?? `3scale ${kind} is waiting`);
      if (c.type === 'In-progress') return health('Progressing', message ?? `3scale ${kind} is in progress`);
    }
    return health('Progressing', `Waiting for 3scale ${kind} status...`);
  });
}

const C = 'capabilities.3scale.net';

/** apps.3scale.net/APIManager: its Available condition (False with a reason is Degraded). */
const apiManager = check('apps.3scale.net', 'APIManager', (obj) => {
  for (const c of conditions(obj)) {
    if (c.type !== 'Available') continue;
    if (c.status === 'True') return health('Healthy', '3scale APIManager is available');
    if (c.status === 'False' && c.reason !== '') return health('Degraded', `3scale APIManager is degraded: ${c.reason}`);
  }
  return health('Progressing', 'Waiting for 3scale APIManager status...');
});

/** 3scale operator kinds. */
export const THREESCALE_CHECKS: readonly HealthCheck[] = [
  apiManager,
  capability(C, 'ActiveDoc', 'Ready'),
  capability(C, 'Application', 'Ready', (o) => (str(o, 'status', 'state') === 'suspended' ? '3scale Application is suspended' : undefined)),
  capability(C, 'ApplicationAuth', 'Ready'),
  capability(C, 'Backend', 'Synced'),
  capability(C, 'CustomPolicyDefinition', 'Ready'),
  capability(C, 'DeveloperAccount', 'Ready'),
  capability(C, 'DeveloperUser', 'Ready', (o) => (get(o, 'status', 'developerUserState') === 'suspended' ? '3scale Developer user is waiting for admin approval' : undefined)),
  capability(C, 'OpenAPI', 'Ready'),
  capability(C, 'Product', 'Synced'),
  capability(C, 'ProxyConfigPromote', 'Ready'),
  capability(C, 'Tenant', 'Ready'),
];
