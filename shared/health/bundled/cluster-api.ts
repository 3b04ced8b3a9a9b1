import type { HealthCheck } from '../types';
import { conditions, get, health, str } from '../fields';
import { check, withDeletion } from './helpers';

const truthy = (v: unknown): boolean => v !== undefined && v !== null && v !== false;

/** cluster.x-k8s.io/Cluster: paused is Suspended; Provisioned Healthy, Failed Degraded; a False Ready condition is Degraded. */
const clusterHealth = check('cluster.x-k8s.io', 'Cluster', (obj) => {
  if (truthy(get(obj, 'spec', 'paused'))) return health('Suspended', 'Cluster is paused');
  let result = health('Progressing', 'Waiting for clusters');
  const phase = str(obj, 'status', 'phase');
  if (phase === 'Provisioned') result = health('Healthy', 'Cluster is running');
  if (phase === 'Failed') result = health('Degraded', '');
  // Only an error-severity Ready=False is a failure; Info/Warning severities are steps of provisioning.
  const notReady = conditions(obj).find((c) => c.type === 'Ready' && c.status === 'False');
  if (notReady && (get(notReady.raw, 'severity') === undefined || get(notReady.raw, 'severity') === 'Error')) return health('Degraded', notReady.message);
  return result;
});

/** cluster.x-k8s.io/Machine: Running is Healthy; otherwise the Ready condition's message. */
const machineHealth = withDeletion('cluster.x-k8s.io', 'Machine', (obj) => {
  const phase = str(obj, 'status', 'phase');
  if (phase === 'Running') return health('Healthy', 'Machine is running');
  const notReady = conditions(obj).find((c) => c.type === 'Ready' && c.status === 'False');
  return health(phase === 'Failed' ? 'Degraded' : 'Progressing', notReady ? notReady.message : 'Condition is unknown');
});

/** cluster.x-k8s.io/MachineDeployment: paused, scaling up/down, failed, or running with every replica updated and ready. */
const machineDeploymentHealth = check('cluster.x-k8s.io', 'MachineDeployment', (obj) => {
  if (truthy(get(obj, 'spec', 'paused'))) return health('Suspended', 'MachineDeployment is paused');
  const s = get(obj, 'status');
  switch (str(s, 'phase')) {
    case 'Running':
      if (get(s, 'replicas') === get(s, 'updatedReplicas') && get(s, 'replicas') === get(s, 'readyReplicas')) return health('Healthy', 'Machines are running under this deployment');
      break;
    case 'ScalingUp': return health('Progressing', 'Cluster is spawning machines');
    case 'ScalingDown': return health('Progressing', 'Cluster is stopping machines');
    case 'Failed': return health('Degraded', 'MachineDeployment is failed');
  }
  return health('Progressing', 'Waiting for machines');
});

/** cluster.x-k8s.io/MachineHealthCheck: Healthy when every expected machine is healthy. */
const machineHealthCheckHealth = check('cluster.x-k8s.io', 'MachineHealthCheck', (obj) => {
  const current = get(obj, 'status', 'currentHealthy');
  if (current === undefined || current === null) return health('Progressing', '');
  return health(get(obj, 'status', 'expectedMachines') === current ? 'Healthy' : 'Degraded', '');
});

/** cluster.x-k8s.io/MachinePool: its phase, followed by every False condition. */
const machinePoolHealth = withDeletion('cluster.x-k8s.io', 'MachinePool', (obj) => {
  let status: 'Healthy' | 'Degraded' | 'Progressing' = 'Progressing';
  let message = '';
  const phase = get(obj, 'status', 'phase');
  if (typeof phase === 'string') {
    message = `MachinePool is ${phase}`;
    if (phase === 'Running' || phase === 'Scaling') status = 'Healthy';
    if (phase === 'Failed' || phase === 'Unknown') status = 'Degraded';
  }
  const extra = conditions(obj)
    .filter((c) => c.type !== '' && c.status === 'False')
    .map((c) => `Not ${c.type}` + (get(c.raw, 'reason') !== undefined ? ` (${c.reason})` : ''));
  if (extra.length > 0) message += `: ${extra.join(', ')}`;
  return health(status, message);
});

/** addons.cluster.x-k8s.io/ClusterResourceSet: its ResourcesApplied condition. */
const clusterResourceSetHealth = withDeletion('addons.cluster.x-k8s.io', 'ClusterResourceSet', (obj) => {
  for (const c of conditions(obj)) {
    if (c.type === 'ResourcesApplied' && c.status === 'True') return health('Healthy', 'cluster resource set is applied');
    if (c.type === 'ResourcesApplied' && c.status === 'False') return health('Degraded', c.message);
  }
  return health('Progressing', 'Initializing cluster resource set');
});

/** controlplane.cluster.x-k8s.io/AWSManagedControlPlane: failure message, updating, Ready, error-severity conditions. */
const awsManagedControlPlaneHealth = check('controlplane.cluster.x-k8s.io', 'AWSManagedControlPlane', (obj) => {
  const failure = str(obj, 'status', 'failureMessage');
  if (failure !== '') return health('Degraded', failure);
  if (get(obj, 'status', 'conditions') === undefined) return health('Progressing', 'Provisioning...');
  const observed = get(obj, 'status', 'observedGeneration');
  if (observed !== undefined && observed !== get(obj, 'metadata', 'generation')) return health('Progressing', 'Waiting for the control plane spec to be reconciled');
  const list = conditions(obj);
  if (list.some((c) => c.type === 'EKSControlPlaneUpdating' && c.status === 'True')) return health('Progressing', 'EKS control plane is updating');
  let errors = '';
  let degraded = false;
  for (const c of list) {
    if (c.type === 'Ready' && c.status === 'True') return health('Healthy', 'Control plane is ready');
    if (c.status === 'False' && get(c.raw, 'severity') === 'Error') {
      degraded = true;
      errors += `${c.message} `;
    }
  }
  if (degraded) return health('Degraded', errors);
  if (get(obj, 'status', 'ready') === false) return health('Progressing', 'Control plane is not ready (.status.ready is false)');
  return health('Progressing', 'Control plane is not ready');
});

/** Cluster API kinds. */
export const CLUSTER_API_CHECKS: readonly HealthCheck[] = [
  clusterHealth, machineHealth, machineDeploymentHealth, machineHealthCheckHealth, machinePoolHealth, clusterResourceSetHealth, awsManagedControlPlaneHealth,
];
