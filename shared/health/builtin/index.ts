import type { HealthCheck } from '../types';
import { apiServiceHealth } from './api-service';
import { daemonSetHealth } from './daemon-set';
import { deploymentHealth } from './deployment';
import { horizontalPodAutoscalerHealth } from './horizontal-pod-autoscaler';
import { extensionsIngressHealth, ingressHealth } from './ingress';
import { jobHealth } from './job';
import { persistentVolumeClaimHealth } from './persistent-volume-claim';
import { podHealth } from './pod';
import { replicaSetHealth } from './replica-set';
import { serviceHealth } from './service';
import { statefulSetHealth } from './stateful-set';
import { workflowHealth } from './workflow';

/** gitops-engine's built-in checks, one per group/kind. */
export const BUILTIN_CHECKS: readonly HealthCheck[] = [
  deploymentHealth,
  statefulSetHealth,
  daemonSetHealth,
  replicaSetHealth,
  podHealth,
  serviceHealth,
  ingressHealth,
  extensionsIngressHealth,
  persistentVolumeClaimHealth,
  jobHealth,
  horizontalPodAutoscalerHealth,
  apiServiceHealth,
  workflowHealth,
];
