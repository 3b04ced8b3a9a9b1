import type { HealthResult, KubeObject } from '../../model/status';
import { conditions, health } from '../fields';
import { withDeletion } from './helpers';

/** Strimzi's rule: NotReady=True (unless still Creating) is Degraded, Ready=True Healthy, otherwise waiting. */
export function strimziHealth(obj: KubeObject, waiting: string): HealthResult {
  for (const c of conditions(obj)) {
    if (c.type === 'NotReady' && c.status === 'True' && c.reason !== 'Creating') return health('Degraded', c.message);
    if (c.type === 'Ready' && c.status === 'True') return health('Healthy', '');
  }
  return health('Progressing', waiting);
}

/** kafka.strimzi.io/Kafka: Strimzi's rule. */
export const strimziKafkaHealth = withDeletion('kafka.strimzi.io', 'Kafka', (obj) => strimziHealth(obj, 'Waiting for Kafka Cluster'));
