import type { HealthCheck } from '../types';
import { conditions, get, health, str } from '../fields';
import { check, withDeletion } from './helpers';

const A = 'astra.netapp.io';
const NO_STATUS = health('Progressing', 'No status available');

/** An Astra data-protection run (Backup, Snapshot, ...): `status.state` Completed, Running, or the failure state. */
function run(kind: string): HealthCheck {
  return check(A, kind, (obj) => {
    const state = get(obj, 'status', 'state');
    if (typeof state !== 'string') return NO_STATUS;
    if (state === 'Completed') return health('Healthy', `${kind} Completed`);
    if (state === 'Running') return health('Progressing', `${kind} Running`);
    return health('Degraded', state);
  });
}

/** NetApp Astra Control kinds. */
export const ASTRA_CHECKS: readonly HealthCheck[] = [
  ...['Backup', 'ExecHooksRun', 'ResourceBackup', 'ResticVolumeBackup', 'Snapshot'].map(run),
  check(A, 'AppVault', (obj) => {
    const state = get(obj, 'status', 'state');
    if (state === 'available') return health('Healthy', 'AppVault Available');
    if (state === 'failed') return health('Degraded', 'AppVault Failed');
    return NO_STATUS;
  }),
  check(A, 'Application', (obj) => {
    for (const c of conditions(obj)) {
      if (c.type === 'Ready' && c.status === 'True') return health('Healthy', `Astra Application Ready, protectionState: ${str(obj, 'status', 'protectionState')}`);
      if (c.type === 'Ready' && c.status === 'False') return health('Degraded', `Astra Application Degraded, message: ${c.message}`);
    }
    return NO_STATUS;
  }),
  check(A, 'ExecHook', (obj) => {
    const enabled = get(obj, 'spec', 'enabled');
    if (enabled === true) return health('Healthy', 'ExecHook enabled');
    if (enabled === false) return health('Suspended', 'ExecHook disabled');
    return NO_STATUS;
  }),
  withDeletion(A, 'Schedule', (obj) => {
    const last = get(obj, 'status', 'lastScheduleTime');
    return health('Healthy', typeof last === 'string' ? `Protection policy lastScheduleTime: ${last}` : 'Protection policy not yet executed');
  }),
];
