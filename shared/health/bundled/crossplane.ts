import type { HealthResult, KubeObject } from '../../model/status';
import type { HealthCheck } from '../types';
import { conditions, get, health, isObj } from '../fields';
import { check, withDeletion } from './helpers';

const HAS_NO_STATUS = new Set(['Composition', 'CompositionRevision', 'DeploymentRuntimeConfig', 'ClusterProviderConfig', 'ProviderConfig', 'ProviderConfigUsage', 'ControllerConfig']);
const HEALTHY_TYPES = new Set(['Ready', 'Healthy', 'Offered', 'Established', 'ValidPipeline', 'RevisionHealthy']);

const UPBOUND_HAS_NO_STATUS = new Set(['ClusterProviderConfig', 'ProviderConfig', 'ProviderConfigUsage']);

/**
 * Crossplane's documented check. `*.crossplane.io` stops at the first healthy condition; `*.upbound.io` (the
 * Upbound providers) keeps looking for a later failure. An object without any status is taken as up to date.
 */
function crossplaneRule(noStatusKinds: ReadonlySet<string>, firstHealthyWins: boolean): (obj: KubeObject) => HealthResult {
  return (obj) => {
    let result = health('Progressing', 'Provisioning ...');
    const status = get(obj, 'status');
    const empty = !isObj(status) || Object.keys(status).length === 0;
    if (status === undefined || status === null || (empty && noStatusKinds.has(obj.kind ?? ''))) return health('Healthy', 'Resource is up-to-date.');
    if (empty || get(status, 'conditions') === undefined) {
      if ((obj.kind === 'ProviderConfig' || obj.kind === 'ClusterProviderConfig') && get(status, 'users') !== undefined) return health('Healthy', 'Resource is in use.');
      return result;
    }
    for (const c of conditions(obj)) {
      if ((c.type === 'LastAsyncOperation' || c.type === 'Synced') && c.status === 'False') return health('Degraded', c.message);
      const healthyType = firstHealthyWins ? HEALTHY_TYPES.has(c.type) : c.type === 'Ready';
      if (healthyType && c.status === 'True') {
        result = health('Healthy', 'Resource is up-to-date.');
        if (firstHealthyWins) return result;
      }
    }
    return result;
  };
}

/** Crossplane's documented check for every kind in *.crossplane.io groups. */
export const crossplaneHealth = crossplaneRule(HAS_NO_STATUS, true);

/** The older provider-aws managed resources: Ready and Synced, ReconcilePaused Suspended, ReconcileError Degraded. */
function awsManaged(group: string, kind: string, waitingAvailable: string, waitingCreated: string): HealthCheck {
  return check(group, kind, (obj) => {
    if (get(obj, 'status', 'conditions') === undefined) return health('Progressing', waitingCreated);
    let ready = false;
    let synced = false;
    let suspended = false;
    let readyMessage = '';
    let syncedMessage = '';
    let suspendedMessage = '';
    for (const c of conditions(obj)) {
      if (c.type === 'Ready') {
        ready = c.status === 'True';
        readyMessage = c.reason;
      } else if (c.type === 'Synced') {
        synced = c.status === 'True';
        if (c.reason === 'ReconcileError') syncedMessage = c.message;
        else if (c.reason === 'ReconcilePaused') {
          suspended = true;
          suspendedMessage = c.reason;
        }
      }
    }
    if (ready && synced) return health('Healthy', readyMessage);
    if (!synced && suspended) return health('Suspended', suspendedMessage);
    if (!ready && synced && !suspended) return health('Progressing', waitingAvailable);
    return health('Degraded', syncedMessage);
  });
}

/** stacks.crossplane.io installs (Crossplane v0): the Ready condition of `status.conditionedStatus`. */
function stackInstall(kind: string): HealthCheck {
  return withDeletion('stacks.crossplane.io', kind, (obj) => {
    let result = health('Progressing', 'Waiting for stack to be installed');
    for (const c of conditions(obj, 'status', 'conditionedStatus', 'conditions')) {
      if (c.type !== 'Ready') continue;
      if (c.status === 'True') return health('Healthy', c.reason);
      result = health('Progressing', c.reason);
    }
    return result;
  });
}

/** pkg.crossplane.io/Provider: Installed and Healthy conditions, their reasons as the message. */
const providerHealth = withDeletion('pkg.crossplane.io', 'Provider', (obj) => {
  if (get(obj, 'status', 'conditions') === undefined) return health('Progressing', 'Waiting for provider to be installed');
  let installed = false;
  let healthy = false;
  let installedReason = '';
  let healthyReason = '';
  for (const c of conditions(obj)) {
    if (c.type === 'Installed') { installed = c.status === 'True'; installedReason = c.reason; }
    else if (c.type === 'Healthy') { healthy = c.status === 'True'; healthyReason = c.reason; }
  }
  return health(installed && healthy ? 'Healthy' : 'Degraded', `${installedReason} ${healthyReason}`);
});

/** Crossplane kinds: the wildcard checks and the provider-aws resources Argo CD ships scripts for. */
export const CROSSPLANE_CHECKS: readonly HealthCheck[] = [
  check('*.crossplane.io', '*', crossplaneHealth),
  check('*.upbound.io', '*', crossplaneRule(UPBOUND_HAS_NO_STATUS, false)),
  stackInstall('ClusterStackInstall'),
  providerHealth,
  awsManaged('cloudfront.aws.crossplane.io', 'Distribution', 'Waiting for distribution to be available', 'Waiting for distribution to be created'),
  awsManaged('iam.aws.crossplane.io', 'Policy', 'Waiting for Policy to be available', 'Waiting for Policy to be created'),
  awsManaged('iam.aws.crossplane.io', 'Role', 'Waiting for Role to be available', 'Waiting for Role to be created'),
  awsManaged('iam.aws.crossplane.io', 'RolePolicyAttachment', 'Waiting for RolePolicyAttachment to be available', 'Waiting for RolePolicyAttachment to be created'),
  awsManaged('rds.aws.crossplane.io', 'DBCluster', 'Waiting for DBCluster to be available', 'Waiting for DBCluster to be created'),
  awsManaged('rds.aws.crossplane.io', 'DBInstance', 'Waiting for DBInstance to be available', 'Waiting for DBInstance to be created'),
  awsManaged('route53.aws.crossplane.io', 'ResourceRecordSet', 'Waiting for resourcrecordset to be available', 'Waiting for resourcrecordset to be created'),
  awsManaged('s3.aws.crossplane.io', 'Bucket', 'Waiting for Bucket to be available', 'Waiting for Bucket to be created'),
];
