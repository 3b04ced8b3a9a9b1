import type { HealthCheck } from '../types';
import { arr, get, gvkString, health, isObj, str } from '../fields';

/** Annotation that makes a finite (Never/OnFailure) pod be judged like a long-running one, unless it is a hook. */
const IGNORE_RESTART_POLICY = 'argocd.argoproj.io/ignore-restart-policy';

function restartPolicy(obj: unknown): string {
  const policy = str(obj, 'spec', 'restartPolicy');
  const annotations = get(obj, 'metadata', 'annotations');
  if (isObj(annotations) && annotations[IGNORE_RESTART_POLICY] === 'true' && annotations['argocd.argoproj.io/hook'] === undefined) {
    return 'Always';
  }
  return policy;
}

function failMessage(ctr: unknown): string {
  const terminated = get(ctr, 'state', 'terminated');
  if (!isObj(terminated)) return '';
  const message = str(terminated, 'message');
  if (message !== '') return message;
  if (str(terminated, 'reason') === 'OOMKilled') return 'OOMKilled';
  const code = get(terminated, 'exitCode');
  if (typeof code === 'number' && code !== 0) return `container ${JSON.stringify(str(ctr, 'name'))} failed with exit code ${code}`;
  return '';
}

function isReady(obj: unknown): boolean {
  return arr(obj, 'status', 'conditions').some((c) => str(c, 'type') === 'Ready' && str(c, 'status') === 'True');
}

/** v1/Pod: gitops-engine's check (waiting errors of long-running pods, phase, readiness, restarts). */
export const podHealth: HealthCheck = {
  group: '',
  kind: 'Pod',
  assess(obj) {
    if (obj.apiVersion !== 'v1') return health('Unknown', `unsupported Pod GVK: ${gvkString(obj)}`);
    const policy = restartPolicy(obj);
    const statuses = arr(obj, 'status', 'containerStatuses');
    const message = str(obj, 'status', 'message');
    // Only long-running pods: a hook pod must not fail on an image pull back-off that may still resolve.
    if (policy === 'Always') {
      const messages: string[] = [];
      for (const cs of statuses) {
        const reason = str(cs, 'state', 'waiting', 'reason');
        if (isObj(get(cs, 'state', 'waiting')) && (reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff'))) {
          messages.push(str(cs, 'state', 'waiting', 'message'));
        }
      }
      if (messages.length > 0) return health('Degraded', messages.join(', '));
    }
    switch (str(obj, 'status', 'phase')) {
      case 'Pending': return health('Progressing', message);
      case 'Succeeded': return health('Healthy', message);
      case 'Failed': {
        if (message !== '') return health('Degraded', message);
        for (const ctr of [...arr(obj, 'status', 'initContainerStatuses'), ...statuses]) {
          const m = failMessage(ctr);
          if (m !== '') return health('Degraded', m);
        }
        return health('Degraded');
      }
      case 'Running':
        if (policy === 'Always') {
          if (isReady(obj)) return health('Healthy', message);
          if (statuses.some((cs) => isObj(get(cs, 'lastState', 'terminated')))) return health('Degraded', message);
          return health('Progressing', message);
        }
        if (policy === 'OnFailure' || policy === 'Never') return health('Progressing', message);
        break;
    }
    return health('Unknown', message);
  },
};
