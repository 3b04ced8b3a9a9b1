import type { HealthCheck } from '../types';
import { check } from './helpers';
import { strimziHealth } from './strimzi-kafka';

/** The other Strimzi kinds: Strimzi's Ready/NotReady rule with each kind's waiting message. */
export const STRIMZI_OTHER_CHECKS: readonly HealthCheck[] = [
  check('kafka.strimzi.io', 'KafkaBridge', (obj) => strimziHealth(obj, 'Waiting for KafkaBridge')),
  check('kafka.strimzi.io', 'KafkaConnect', (obj) => strimziHealth(obj, 'Waiting for Kafka Connect')),
  check('kafka.strimzi.io', 'KafkaConnector', (obj) => strimziHealth(obj, 'Waiting for KafkaConnector')),
  check('kafka.strimzi.io', 'KafkaTopic', (obj) => strimziHealth(obj, 'Waiting for Kafka Topic')),
  check('kafka.strimzi.io', 'KafkaUser', (obj) => strimziHealth(obj, 'Waiting for Kafka User')),
];
