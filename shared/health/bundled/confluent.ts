import type { HealthCheck } from '../types';
import { arr, get, health, str } from '../fields';
import { check, withDeletion } from './helpers';

const P = 'platform.confluent.io';

/** A Confluent for Kubernetes platform component: RUNNING is Healthy, PROVISIONING Progressing. */
function component(kind: string): HealthCheck {
  return check(P, kind, (obj) => {
    const phase = str(obj, 'status', 'phase');
    if (phase === 'RUNNING') return health('Healthy', `${kind} running`);
    if (phase === 'PROVISIONING') return health('Progressing', `${kind} provisioning`);
    return health('Progressing', `Waiting for ${kind}`);
  });
}

/** platform.confluent.io/Connector: created and running, ERROR state, failed tasks. */
const connector = withDeletion(P, 'Connector', (obj) => {
  const s = get(obj, 'status');
  const state = str(s, 'state');
  const failedTasks = get(s, 'failedTasksCount');
  if (state === 'CREATED' && str(s, 'connectorState') === 'RUNNING' && (failedTasks === undefined || failedTasks === null)) return health('Healthy', 'Connector running');
  if (state === 'ERROR') {
    const first = arr(s, 'conditions')[0];
    return health('Degraded', first !== undefined ? str(first, 'message') : 'No conditions available');
  }
  if (typeof failedTasks === 'number' && failedTasks > 0) return health('Degraded', 'Connector has failed tasks');
  return health('Progressing', 'Waiting for Kafka Connector');
});

/** Confluent for Kubernetes kinds. */
export const CONFLUENT_CHECKS: readonly HealthCheck[] = [
  ...['Connect', 'ControlCenter', 'Kafka', 'KsqlDB', 'SchemaRegistry', 'Zookeeper'].map(component),
  connector,
];
