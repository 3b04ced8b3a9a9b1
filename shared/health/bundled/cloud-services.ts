import type { HealthCheck } from '../types';
import { conditions, get, health, isObj, str } from '../fields';
import { check, field, withDeletion } from './helpers';

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** Atlas operator kinds: the Ready condition's reason; Reconciling is Progressing. */
function atlas(kind: string): HealthCheck {
  return check('db.atlasgo.io', kind, (obj) => {
    const ready = conditions(obj).find((c) => c.type === 'Ready');
    if (!ready) return health('Progressing', `Waiting for ${kind}`);
    if (ready.status === 'True') return health('Healthy', ready.reason);
    return health(ready.reason === 'Reconciling' ? 'Progressing' : 'Degraded', ready.reason);
  });
}

/** Coralogix operator kinds: the RemoteSynced condition. */
function coralogix(kind: string): HealthCheck {
  return check('coralogix.com', kind, (obj) => {
    const synced = conditions(obj).find((c) => c.type === 'RemoteSynced');
    if (synced?.status === 'True') return health('Healthy', 'Resource is ready');
    if (synced?.status === 'False') return health('Degraded', synced.message);
    return health('Progressing', 'Waiting for status to be updated');
  });
}

/** Seconds since an RFC 3339 UTC timestamp (a very long time when it does not parse). */
function ageSeconds(ts: unknown): number {
  const t = typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
  return Number.isNaN(t) ? 10_000 : (Date.now() - t) / 1000;
}

/** SaaS and cloud-integration kinds: Gardener, SpinKube, Datadog, Atlas, Coralogix, keikoproj IAM, Koperator, kubernetes-external-secrets. */
export const CLOUD_SERVICE_CHECKS: readonly HealthCheck[] = [
  atlas('AtlasMigration'),
  atlas('AtlasSchema'),
  coralogix('Alert'),
  coralogix('RecordingRuleGroupSet'),
  check('core.gardener.cloud', 'Shoot', (obj) => {
    switch (get(obj, 'metadata', 'labels', 'shoot.gardener.cloud/status')) {
      case 'healthy': return health('Healthy', 'Component state: Healthy');
      case 'progressing': return health('Progressing', 'Component state: Update in progress');
      case 'unknown': return health('Unknown', 'Component state: Unknown');
      case 'unhealthy': {
        // Unhealthy for less than 15 minutes is still reconciling (avoids alerts on short blips).
        const failing = conditions(obj).find((c) => c.status !== 'True');
        if (failing) {
          return ageSeconds(get(failing.raw, 'lastTransitionTime')) < 900
            ? health('Progressing', 'Component state: Reconcile - status unhealthy (< 15 minutes)')
            : health('Degraded', 'Component state: Unhealthy (> 15 minutes)');
        }
        return health('Degraded', 'Component state: Unhealthy');
      }
      default: return health('Progressing', 'Update in progress');
    }
  }),
  check('core.spinkube.dev', 'SpinApp', (obj) => {
    if (!present(get(obj, 'status'))) return health('Progressing', 'Waiting for status to be available');
    let available = false;
    let progressing = false;
    let availableMessage = 'Application availability status';
    let progressingMessage = 'Application progress status';
    for (const c of conditions(obj)) {
      if (c.type === 'Available') {
        available = c.status === 'True';
        availableMessage = field(c.raw, 'message') ?? availableMessage;
      } else if (c.type === 'Progressing') {
        if (c.reason === 'ProgressDeadlineExceeded') return health('Degraded', c.message);
        progressing = c.status === 'True';
        progressingMessage = field(c.raw, 'message') ?? progressingMessage;
      }
    }
    const ready = typeof get(obj, 'status', 'readyReplicas') === 'number' ? (get(obj, 'status', 'readyReplicas') as number) : 0;
    const desired = typeof get(obj, 'spec', 'replicas') === 'number' ? (get(obj, 'spec', 'replicas') as number) : 1;
    if (!available) return health('Degraded', availableMessage);
    if (ready < desired) return health('Progressing', `Waiting for replicas to be ready (${ready}/${desired})`);
    if (progressing) return health('Progressing', progressingMessage);
    return health('Healthy', `Application is healthy with ${ready}/${desired} replicas ready`);
  }),
  check('datadoghq.com', 'DatadogMetric', (obj) => {
    const list = conditions(obj);
    const error = list.find((c) => c.type === 'Error' && c.status === 'True');
    if (error) {
      const message = field(error.raw, 'message') ?? 'DatadogMetric reported an error';
      return health('Degraded', error.reason !== '' ? `${error.reason}: ${message}` : message);
    }
    const invalid = list.find((c) => c.type === 'Valid' && c.status === 'False');
    if (invalid) return health('Degraded', field(invalid.raw, 'message') ?? 'DatadogMetric is not valid');
    return health('Healthy', 'DatadogMetric is healthy');
  }),
  withDeletion('iammanager.keikoproj.io', 'Iamrole', (obj) => {
    const s = get(obj, 'status');
    if (!isObj(s)) return health('Progressing', 'Waiting for Iamrole to be reconciled');
    const name = field(s, 'roleName') ?? '<none>';
    const arn = field(s, 'roleARN') ?? '<none>';
    const id = field(s, 'roleID') ?? '<none>';
    const state = str(s, 'state');
    if (state === 'Ready') return health('Healthy', `Role '${name}' exists with ARN '${arn}' and ID '${id}'.`);
    if (state === 'Error' || state === 'RolesMaxLimitReached' || state === 'PolicyNotAllowed' || state === 'RoleNameNotAvailable') {
      const retries = get(s, 'retryCount');
      let message = 'Failed to reconcile the Iamrole ' + (typeof retries === 'number' && retries > 0 ? `(retry ${retries}) ` : '');
      message += `for role '${name}' with ARN '${arn}' and ID '${id}'.`;
      const description = field(s, 'errorDescription');
      if (description !== undefined) message += ` Reconciliation error was: ${description}`;
      return health('Degraded', message);
    }
    return health('Progressing', 'Waiting for Iamrole to be reconciled');
  }),
  check('kafka.banzaicloud.io', 'KafkaCluster', (obj) => {
    const brokers = get(obj, 'status', 'brokersState');
    if (isObj(brokers)) {
      const state = str(obj, 'status', 'state');
      if (state === 'ClusterReconciling') return health('Progressing', 'Kafka Cluster is Reconciling.');
      if (state === 'ClusterRollingUpgrading') return health('Progressing', 'Kafka Cluster is Rolling Upgrading.');
      const inSync = Object.values(brokers).every((b) => {
        const cc = str(b, 'gracefulActionState', 'cruiseControlState');
        return str(b, 'configurationState') === 'ConfigInSync' && (cc === 'GracefulUpscaleSucceeded' || cc === 'GracefulDownscaleSucceeded');
      });
      if (!inSync) return health('Degraded', 'Broker Config is out of Sync or CruiseControlState is not Ready');
      if (get(obj, 'status', 'cruiseControlTopicStatus') === 'CruiseControlTopicReady' && state === 'ClusterRunning') {
        return health('Healthy', 'Kafka Brokers, CruiseControl and cluster are in Healthy State.');
      }
    }
    return health('Progressing', 'Waiting for KafkaCluster');
  }),
  check('kubernetes-client.io', 'ExternalSecret', (obj) => {
    const s = get(obj, 'status', 'status');
    if (typeof s !== 'string') return health('Progressing', 'Waiting for ExternalSecret.');
    if (s === 'SUCCESS') return health('Healthy', 'Fetched ExternalSecret.');
    return health('Degraded', s.replace(/^ERROR,\s*/, ''));
  }),
];
