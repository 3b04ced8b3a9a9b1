import type { HealthCheck } from '../types';
import { arr, health } from '../fields';

function assessIngress(obj: unknown) {
  return arr(obj, 'status', 'loadBalancer', 'ingress').length > 0 ? health('Healthy') : health('Progressing');
}

/** networking.k8s.io/Ingress: Healthy once the load balancer reports an address, Progressing before. */
export const ingressHealth: HealthCheck = { group: 'networking.k8s.io', kind: 'Ingress', assess: assessIngress };

/** extensions/Ingress (the legacy group): same rule as networking.k8s.io. */
export const extensionsIngressHealth: HealthCheck = { group: 'extensions', kind: 'Ingress', assess: assessIngress };
