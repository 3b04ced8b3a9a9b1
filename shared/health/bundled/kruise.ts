import type { HealthCheck } from '../types';
import { arr, get, health, int, str } from '../fields';
import { check, len, withDeletion } from './helpers';

const K = 'apps.kruise.io';
/** Lua truthiness: only nil and false are false (0 is true). */
const truthy = (v: unknown): boolean => v !== undefined && v !== null && v !== false;
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** apps.kruise.io/CloneSet: paused, partitioned (needs manual intervention), all updated and available. */
const cloneSet = check(K, 'CloneSet', (obj) => {
  const s = get(obj, 'status');
  if (s === undefined || s === null || get(obj, 'metadata', 'generation') !== get(s, 'observedGeneration')) return health('Progressing', 'Waiting for initialization');
  if (get(obj, 'spec', 'updateStrategy', 'paused') === true || !truthy(get(s, 'updatedAvailableReplicas'))) return health('Suspended', 'Cloneset is paused');
  if (get(obj, 'spec', 'updateStrategy', 'partition') !== 0 && int(obj, 'metadata', 'generation') > 1) {
    if (num(get(s, 'updatedReplicas')) >= num(get(s, 'expectedUpdatedReplicas'))) return health('Suspended', 'Cloneset needs manual intervention');
    return health('Progressing', 'Waiting for initialization');
  }
  if (get(s, 'updatedAvailableReplicas') === get(s, 'replicas')) return health('Healthy', 'All Cloneset workloads are ready and updated');
  return health('Degraded', 'Some replicas are not ready or available');
});

/** apps.kruise.io/StatefulSet (Advanced StatefulSet): like CloneSet, with the rolling-update partition. */
const statefulSet = withDeletion(K, 'StatefulSet', (obj) => {
  const s = get(obj, 'status');
  if (s === undefined || s === null || get(obj, 'metadata', 'generation') !== get(s, 'observedGeneration')) return health('Progressing', 'Waiting for initialization');
  const ru = get(obj, 'spec', 'updateStrategy', 'rollingUpdate');
  if (get(ru, 'paused') === true || !truthy(get(s, 'updatedAvailableReplicas'))) return health('Suspended', 'Statefulset is paused');
  if (get(ru, 'partition') !== 0 && int(obj, 'metadata', 'generation') > 1) {
    if (num(get(s, 'updatedReplicas')) > num(get(s, 'replicas')) - num(get(ru, 'partition'))) return health('Suspended', 'Statefulset needs manual intervention');
    return health('Progressing', 'Waiting for initialization');
  }
  if (get(s, 'updatedAvailableReplicas') === get(s, 'replicas')) return health('Healthy', 'All Statefulset workloads are ready and updated');
  return health('Degraded', 'Some replicas are not ready or available');
});

/** apps.kruise.io/DaemonSet (Advanced DaemonSet). */
const daemonSet = check(K, 'DaemonSet', (obj) => {
  const s = get(obj, 'status');
  if (s === undefined || s === null || get(obj, 'metadata', 'generation') !== get(s, 'observedGeneration')) return health('Progressing', 'Waiting for initialization');
  const ru = get(obj, 'spec', 'updateStrategy', 'rollingUpdate');
  if (get(ru, 'paused') === true || !truthy(get(s, 'updatedNumberScheduled'))) return health('Suspended', 'Daemonset is paused');
  const desired = get(s, 'desiredNumberScheduled');
  if (get(ru, 'partition') !== 0 && int(obj, 'metadata', 'generation') > 1) {
    if (num(get(s, 'updatedNumberScheduled')) > num(desired) - num(get(ru, 'partition'))) return health('Suspended', 'Daemonset needs manual intervention');
    return health('Progressing', 'Waiting for initialization');
  }
  if (get(s, 'updatedNumberScheduled') === desired && get(s, 'numberAvailable') === desired) return health('Healthy', 'All Daemonset workloads are ready and updated');
  if (get(s, 'updatedNumberScheduled') === desired && get(s, 'numberUnavailable') === desired) return health('Degraded', 'Some pods are not ready or available');
  return health('Progressing', 'Waiting for initialization');
});

/** apps.kruise.io/BroadcastJob: completed, running, failed or paused. */
const broadcastJob = check(K, 'BroadcastJob', (obj) => {
  const s = get(obj, 'status');
  const running = health('Progressing', 'BroadcastJob is still running');
  if (s === undefined || s === null) return running;
  const phase = str(s, 'phase');
  if (get(s, 'desired') === get(s, 'succeeded') && phase === 'completed') return health('Healthy', 'BroadcastJob is completed successfully');
  if (get(s, 'active') !== 0 && phase === 'running') return running;
  if (get(s, 'failed') !== 0 && phase === 'failed') return health('Degraded', 'BroadcastJob failed');
  if (phase === 'paused' && get(obj, 'spec', 'paused') === true) return health('Suspended', 'BroadcastJob is Paused');
  return running;
});

/** apps.kruise.io/AdvancedCronJob: paused before its first run, active jobs, last schedule time. */
const advancedCronJob = withDeletion(K, 'AdvancedCronJob', (obj) => {
  const last = str(obj, 'status', 'lastScheduleTime');
  const scheduled = /(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)Z/.test(last);
  if (!scheduled && get(obj, 'spec', 'paused') === true) return health('Suspended', 'AdvancedCronJob is Paused');
  if (len(get(obj, 'status', 'active')) > 0) return health('Progressing', 'AdvancedCronJobs has active jobs');
  if (!scheduled) return health('Degraded', 'AdvancedCronJobs has not run successfully');
  return health('Healthy', 'AdvancedCronJobs has run successfully');
});

/** rollouts.kruise.io/Rollout: the canary step state and phase. */
const kruiseRollout = withDeletion('rollouts.kruise.io', 'Rollout', (obj) => {
  const progressing = health('Progressing', 'Rollout is still progressing');
  if (get(obj, 'metadata', 'generation') !== get(obj, 'status', 'observedGeneration')) return progressing;
  const step = str(obj, 'status', 'canaryStatus', 'currentStepState');
  const phase = str(obj, 'status', 'phase');
  if (step === 'StepUpgrade' && phase === 'Progressing') return progressing;
  if (step === 'StepPaused' && phase === 'Progressing') return health('Suspended', 'Rollout is Paused need manual intervention');
  if (step === 'Completed' && phase === 'Healthy') return health('Healthy', 'Rollout is Completed');
  if (step === 'StepPaused' && (phase === 'Terminating' || phase === 'Disabled')) return health('Degraded', 'Rollout is Disabled or Terminating');
  return progressing;
});

/** game.kruise.io/GameServer: current versus desired state, pod readiness. */
const gameServer = check('game.kruise.io', 'GameServer', (obj) => {
  const s = get(obj, 'status');
  const waiting = health('Unknown', 'Waiting for GameServer to be ready');
  if (s === undefined || s === null) return waiting;
  const cur = get(s, 'currentState');
  const dest = get(s, 'desiredState');
  if (cur !== dest) return health('Progressing', `State change: ${typeof cur === 'string' ? cur : 'Unknown'} → ${typeof dest === 'string' ? dest : 'Unknown'}`);
  for (const c of arr(s, 'podStatus', 'conditions')) {
    if (str(c, 'type') === 'KruisePodReady' && str(c, 'status') !== 'True') return health('Degraded', 'Pod is not ready: KruisePodReady');
  }
  if (cur === 'Ready' && dest === 'Ready') return health('Healthy', 'GameServer is Ready');
  return waiting;
});

/** game.kruise.io/GameServerSet: paused, partitioned, all updated and ready, ready replicas. */
const gameServerSet = withDeletion('game.kruise.io', 'GameServerSet', (obj) => {
  const s = get(obj, 'status');
  const waiting = health('Progressing', 'Waiting for GameServerSet initialization');
  if (s === undefined || s === null || get(obj, 'metadata', 'generation') !== get(s, 'observedGeneration')) return waiting;
  const ru = get(obj, 'spec', 'updateStrategy', 'rollingUpdate');
  if (get(ru, 'paused') === true) return health('Suspended', 'GameServerSet is paused');
  const partition = num(get(ru, 'partition'));
  const replicas = num(get(s, 'replicas'));
  if (partition !== 0 && num(get(s, 'updatedReplicas')) >= replicas - partition) return health('Suspended', `Partition=${partition}, waiting for manual intervention`);
  if (num(get(s, 'updatedReadyReplicas')) === replicas) return health('Healthy', 'All GameServerSet replicas are updated and ready');
  const ready = num(get(s, 'readyReplicas'));
  if (ready < replicas) return health('Progressing', `ReadyReplicas ${ready}/${replicas}, still progressing`);
  return waiting;
});

/** OpenKruise kinds. */
export const KRUISE_CHECKS: readonly HealthCheck[] = [cloneSet, statefulSet, daemonSet, broadcastJob, advancedCronJob, kruiseRollout, gameServer, gameServerSet];
