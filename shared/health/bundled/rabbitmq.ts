import type { HealthCheck } from '../types';
import { conditions, get, health } from '../fields';
import { check } from './helpers';

/** The messaging-topology kinds: their Ready condition, Unknown without one. */
function topology(kind: string, noun: string): HealthCheck {
  return check('rabbitmq.com', kind, (obj) => {
    for (const c of conditions(obj)) {
      if (c.type === 'Ready' && c.status === 'True') return health('Healthy', `RabbitMQ ${noun} ready`);
      if (c.type === 'Ready' && c.status === 'False') return health('Degraded', `RabbitMQ ${noun} failed to be created or updated`);
    }
    return health('Unknown', `RabbitMQ ${noun} status is unknown`);
  });
}

/** rabbitmq.com/RabbitmqCluster: reconcile failures, cluster formation, replica readiness, scale to zero. */
const rabbitmqCluster = check('rabbitmq.com', 'RabbitmqCluster', (obj) => {
  const list = conditions(obj);
  if (get(obj, 'status', 'conditions') === undefined) return health('Progressing', 'Waiting for RabbitMQ Operator');
  const failed = list.find((c) => c.type === 'ReconcileSuccess' && c.status === 'False');
  if (failed) return health('Degraded', failed.message);
  let available: string | undefined;
  let replicas: { status: string; reason: string } | undefined;
  for (const c of list) {
    if (c.type === 'ClusterAvailable') available = c.status;
    if (c.type === 'AllReplicasReady') replicas = { status: c.status, reason: c.reason };
  }
  if (available === 'Unknown' || replicas?.status === 'Unknown') return health('Progressing', 'Waiting for RabbitMQ cluster readiness (conditions unknown)');
  if (replicas?.reason === 'ScaledToZero' && replicas.status === 'False' && get(obj, 'spec', 'replicas') === 0) {
    return health('Suspended', 'RabbitmqCluster is scaled to 0 replicas');
  }
  if (available === 'False') return health('Progressing', 'Waiting for RabbitMQ cluster formation');
  if (replicas?.status === 'False') return health('Progressing', 'Waiting for RabbitMQ instances ready');
  if (available === 'True' && replicas?.status === 'True') return health('Healthy', 'RabbitMQ cluster ready');
  return health('Progressing', 'Waiting for RabbitMQ Operator');
});

/** rabbitmq.com kinds (cluster operator and messaging topology operator). */
export const RABBITMQ_CHECKS: readonly HealthCheck[] = [
  rabbitmqCluster,
  topology('Binding', 'binding'),
  topology('Exchange', 'exchange'),
  topology('Permission', 'permission'),
  topology('Policy', 'policy'),
  topology('Queue', 'queue'),
  topology('Shovel', 'shovel'),
  topology('User', 'user'),
  topology('Vhost', 'vhost'),
];
