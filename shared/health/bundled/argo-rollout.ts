import { get, health, int, str } from '../fields';
import type { KubeObject } from '../../model/status';
import { asStatus, check, len, toNumber } from './helpers';

/** Whether the controller has seen the current spec; a non-numeric or larger value is a legacy (v0.9) hash. */
function generationObserved(obj: KubeObject): boolean {
  const raw = get(obj, 'status', 'observedGeneration');
  if (raw === undefined || raw === null) return false;
  const observed = toNumber(raw);
  const generation = toNumber(get(obj, 'metadata', 'generation'));
  if (observed === undefined || (generation !== undefined && observed > generation)) return true;
  return observed === generation;
}

/** Whether the controller has seen the current referenced workload (`workloadRef` rollouts). */
function workloadGenerationObserved(obj: KubeObject): boolean {
  const wanted = toNumber(get(obj, 'metadata', 'annotations', 'rollout.argoproj.io/workload-generation'));
  if (wanted === undefined) return true;
  return toNumber(get(obj, 'status', 'workloadObservedGeneration')) === wanted;
}

/** argoproj.io/Rollout: observed generation, InvalidSpec/aborted/deadline, pause, replicas, then blue-green or canary cut-over. */
export const rolloutHealth = check('argoproj.io', 'Rollout', (obj) => {
  if (!generationObserved(obj) || !workloadGenerationObserved(obj)) {
    return health('Progressing', 'Waiting for rollout spec update to be observed');
  }
  // Argo Rollouts v1.0+ records its own phase and message: surface them (Paused reads as Suspended).
  const phase = get(obj, 'status', 'phase');
  if (typeof phase === 'string') {
    const status = phase === 'Paused' ? 'Suspended' : asStatus(phase);
    return status ? health(status, str(obj, 'status', 'message')) : health('Unknown', 'Lua returned an invalid health status');
  }
  for (const c of (get(obj, 'status', 'conditions') as unknown[] | undefined) ?? []) {
    const type = str(c, 'type');
    const reason = str(c, 'reason');
    if (type === 'InvalidSpec') return health('Degraded', str(c, 'message'));
    if (type === 'Progressing' && (reason === 'RolloutAborted' || reason === 'ProgressDeadlineExceeded')) return health('Degraded', str(c, 'message'));
  }
  const paused = get(obj, 'spec', 'paused');
  if (len(get(obj, 'status', 'pauseConditions')) > 0 || (paused !== undefined && paused !== null && paused !== false)) {
    return health('Suspended', 'Rollout is paused');
  }
  const podHash = get(obj, 'status', 'currentPodHash');
  if (podHash === undefined || podHash === null) return health('Progressing', 'Waiting for rollout to finish: status has not been reconciled.');
  const desired = toNumber(get(obj, 'spec', 'replicas')) ?? 1;
  const statusReplicas = int(obj, 'status', 'replicas');
  const updated = int(obj, 'status', 'updatedReplicas');
  const available = int(obj, 'status', 'availableReplicas');
  if (updated < desired) return health('Progressing', 'Waiting for roll out to finish: More replicas need to be updated');
  if (available < updated) return health('Progressing', 'Waiting for roll out to finish: updated replicas are still becoming available');
  const stableRS = str(obj, 'status', 'stableRS') || str(obj, 'status', 'canary', 'stableRS');
  const strategy = get(obj, 'spec', 'strategy');
  if (get(strategy, 'blueGreen') !== undefined && get(strategy, 'blueGreen') !== null) {
    if (get(obj, 'status', 'blueGreen', 'activeSelector') !== podHash) return health('Progressing', 'active service cutover pending');
    if (stableRS !== '' && stableRS !== podHash) return health('Progressing', 'waiting for analysis to complete');
  } else if (get(strategy, 'canary') !== undefined && get(strategy, 'canary') !== null) {
    if (statusReplicas > updated) return health('Progressing', 'Waiting for roll out to finish: old replicas are pending termination');
    if (stableRS === '' || stableRS !== podHash) return health('Progressing', 'Waiting for rollout to finish steps');
  }
  return health('Healthy', '');
});
