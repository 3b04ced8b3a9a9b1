import type { HealthCheck } from '../types';
import { arr, conditions, get, health, str } from '../fields';
import { check } from './helpers';

/** OpenShift, Istio operator, OpenTelemetry operator and OpenFaaS kinds. */
export const OPENSHIFT_CHECKS: readonly HealthCheck[] = [
  check('apps.openshift.io', 'DeploymentConfig', (obj) => {
    if (get(obj, 'status', 'conditions') === undefined) return health('Progressing', 'replication controller is waiting for pods to run');
    // Rolled out once the new replication controller is available (even when scaled to zero, so not Available).
    if (conditions(obj).some((c) => c.type === 'Progressing' && c.status === 'True' && c.reason === 'NewReplicationControllerAvailable')) {
      return health('Healthy', 'replication controller successfully rolled out');
    }
    const trues = conditions(obj).filter((c) => (c.type === 'Available' || c.type === 'Progressing') && c.status === 'True').length;
    if (trues >= 1) return health('Progressing', 'replication controller is waiting for pods to run');
    return health('Degraded', 'Deployment config is degraded');
  }),
  check('route.openshift.io', 'Route', (obj) => {
    const ingress = get(obj, 'status', 'ingress');
    if (!Array.isArray(ingress)) return health('Progressing', 'Route is still getting admitted');
    let admitted = 0;
    let rejected = 0;
    for (const rule of ingress) {
      for (const c of arr(rule, 'conditions')) {
        if (str(c, 'type') === 'Admitted' && str(c, 'status') === 'True') admitted++;
        else if (str(c, 'type') === 'Admitted' && str(c, 'status') === 'False') rejected++;
      }
    }
    if (admitted >= ingress.length) return health('Healthy', 'Route is healthy');
    if (rejected > 0) return health('Degraded', 'Route is degraded');
    return health('Progressing', 'Route is still getting admitted');
  }),
  check('operator.openshift.io', 'IngressController', (obj) => {
    for (const c of conditions(obj)) {
      if (c.type === 'Degraded' && c.status === 'True') return health('Degraded', c.message);
      if (c.type === 'DeploymentReplicasAllAvailable' && c.status === 'False') return health('Progressing', c.message);
      if (c.type === 'Progressing' && c.status === 'True') return health('Progressing', c.reason);
      if (c.type === 'Available' && c.status === 'True') return health('Healthy', 'IngressController is available');
    }
    return health('Progressing', 'Status of IngressController is not known yet');
  }),
  check('ocs.openshift.io', 'StorageCluster', (obj) => {
    const list = conditions(obj);
    const degraded = list.find((c) => c.type === 'Degraded' && c.status === 'True');
    if (degraded) return health('Degraded', degraded.message);
    const progressing = list.find((c) => c.type === 'Progressing' && c.status === 'True');
    if (progressing) return health('Progressing', progressing.message);
    const available = list.find((c) => c.type === 'Available' && c.status === 'True');
    if (available) return health('Healthy', available.message);
    return health('Progressing', 'Waiting for StorageCluster');
  }),
  check('install.istio.io', 'IstioOperator', (obj) => {
    switch (str(obj, 'status', 'status')) {
      case 'HEALTHY': return health('Healthy', 'Component is healthy.');
      case 'UPDATING': return health('Progressing', 'Component is being updated to a different version.');
      case 'RECONCILING': return health('Progressing', 'Controller has started but not yet completed reconciliation loop for the component.');
      case 'ERROR': return health('Degraded', 'Component is in an error state.');
      case 'ACTION_REQUIRED': return health('Degraded', 'Overlay validation failed. Manual action is required.');
      default: return health('Progressing', 'Waiting for Istio Control Plane');
    }
  }),
  check('opentelemetry.io', 'OpenTelemetryCollector', (obj) => {
    const replicas = get(obj, 'status', 'scale', 'statusReplicas');
    if (get(obj, 'status') === undefined) return health('Progressing', 'Waiting for OpenTelemetry Collector status');
    if (typeof replicas !== 'string') {
      return get(obj, 'spec', 'mode') === 'sidecar' ? health('Healthy', 'Collector is running in sidecar mode') : health('Progressing', 'Scale status not available');
    }
    const m = /(\d+)\/(\d+)/.exec(replicas);
    if (!m) return health('Progressing', `Unable to parse replica status: ${replicas}`);
    const ready = Number(m[1]);
    const total = Number(m[2]);
    if (ready === 0) {
      return get(obj, 'spec', 'mode') === 'daemonset' && total === 0 ? health('Healthy', 'DaemonSet has no eligible nodes (0/0)') : health('Degraded', 'No replicas are ready');
    }
    return ready === total ? health('Healthy', 'All replicas are ready') : health('Progressing', 'Replicas are starting up');
  }),
  check('openfaas.com', 'Function', (obj) => {
    const list = conditions(obj);
    const stalled = list.find((c) => c.type === 'Stalled' && c.status === 'True');
    if (stalled) return health('Degraded', stalled.message);
    const ready = list.find((c) => c.type === 'Ready' && c.status === 'True');
    if (ready) {
      if (list.some((c) => c.type === 'Healthy' && c.status === 'False')) return health('Suspended', 'No replicas available');
      return health('Healthy', ready.message);
    }
    return health('Progressing', 'Waiting for Function');
  }),
];
