import type { HealthStatus } from '../../model/status';
import type { HealthCheck } from '../types';
import { conditions, get, health } from '../fields';
import { check, withDeletion } from './helpers';

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** kubevirt.io/VirtualMachine: Paused Suspended; Ready Running; not ready Starting (created) or Stopped; printableStatus as the message. */
const virtualMachine = withDeletion('kubevirt.io', 'VirtualMachine', (obj) => {
  let status: HealthStatus = 'Progressing';
  let message = 'No status available';
  if (!present(get(obj, 'status'))) return health(status, message);
  for (const c of conditions(obj)) {
    if (c.type === 'Paused' && c.status === 'True') return health('Suspended', 'Paused');
    if (c.type === 'Ready') {
      if (c.status === 'True') { status = 'Healthy'; message = 'Running'; }
      else if (get(obj, 'status', 'created') !== undefined && get(obj, 'status', 'created') !== null && get(obj, 'status', 'created') !== false) message = 'Starting';
      else { status = 'Suspended'; message = 'Stopped'; }
    }
  }
  const printable = get(obj, 'status', 'printableStatus');
  if (typeof printable === 'string') message = printable;
  return health(status, message);
});

/** kubevirt.io/VirtualMachineInstance: its phase, then Ready/Paused conditions. */
const virtualMachineInstance = check('kubevirt.io', 'VirtualMachineInstance', (obj) => {
  let status: HealthStatus = 'Progressing';
  let message = 'No status available';
  if (!present(get(obj, 'status'))) return health(status, message);
  const phase = get(obj, 'status', 'phase');
  if (typeof phase === 'string') {
    message = phase;
    if (phase === 'Failed') return health('Degraded', phase);
    if (phase === 'Pending' || phase === 'Scheduling' || phase === 'Scheduled') return health('Progressing', phase);
    if (phase === 'Succeeded') return health('Suspended', phase);
    if (phase === 'Unknown') return health('Unknown', phase);
  }
  for (const c of conditions(obj)) {
    if (c.type === 'Ready') {
      if (c.status === 'True') { status = 'Healthy'; message = 'Running'; }
      else { status = 'Degraded'; message = c.message; }
    } else if (c.type === 'Paused' && c.status === 'True') {
      return health('Suspended', c.message);
    }
  }
  return health(status, message);
});

/** cdi.kubevirt.io/DataVolume: its phase, and a Running=False condition with reason Error. */
const dataVolume = withDeletion('cdi.kubevirt.io', 'DataVolume', (obj) => {
  let status: HealthStatus = 'Progressing';
  let message = 'No status available';
  if (!present(get(obj, 'status'))) return health(status, message);
  const phase = get(obj, 'status', 'phase');
  if (typeof phase === 'string') {
    message = phase;
    if (phase === 'Succeeded') return health('Healthy', phase);
    if (phase === 'Failed' || phase === 'Unknown') status = 'Degraded';
    else if (phase === 'Paused') return health('Suspended', phase);
  }
  const err = conditions(obj).find((c) => c.type === 'Running' && c.status === 'False' && c.reason === 'Error');
  if (err) return health('Degraded', err.message);
  return health(status, message);
});

/** KubeVirt and CDI kinds. */
export const KUBEVIRT_CHECKS: readonly HealthCheck[] = [virtualMachine, virtualMachineInstance, dataVolume];
