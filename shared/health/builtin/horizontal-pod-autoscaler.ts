import type { HealthResult } from '../../model/status';
import type { HealthCheck } from '../types';
import { conditions, get, gvkString, health, isObj, str } from '../fields';

interface HpaCondition { readonly type: string; readonly reason: string; readonly message: string; readonly status: string }

const WAITING = health('Progressing', 'Waiting to Autoscale');

const DEGRADED: readonly (readonly [string, string])[] = [
  ['AbleToScale', 'FailedGetScale'],
  ['AbleToScale', 'FailedUpdateScale'],
  ['ScalingActive', 'FailedGetResourceMetric'],
  ['ScalingActive', 'FailedGetObjectMetric'],
  ['ScalingActive', 'FailedGetPodsMetric'],
  ['ScalingActive', 'FailedGetExternalMetric'],
  ['ScalingActive', 'FailedGetContainerResourceMetric'],
  ['ScalingActive', 'InvalidSelector'],
];

function fromConditions(list: readonly HpaCondition[]): HealthResult {
  // Any failure wins over a healthy condition, wherever it sits in the list.
  for (const c of list) {
    if (DEGRADED.some(([type, reason]) => c.type === type && c.reason === reason)) return health('Degraded', c.message);
  }
  for (const c of list) {
    if ((c.type === 'AbleToScale' || c.type === 'ScalingLimited') && c.status === 'True') return health('Healthy', c.message);
  }
  return WAITING;
}

/** autoscaling/HorizontalPodAutoscaler (v1 via its conditions annotation, v2 via status.conditions). */
export const horizontalPodAutoscalerHealth: HealthCheck = {
  group: 'autoscaling',
  kind: 'HorizontalPodAutoscaler',
  assess(obj) {
    if (obj.apiVersion === 'autoscaling/v2') return fromConditions(conditions(obj));
    if (obj.apiVersion !== 'autoscaling/v1') return health('Unknown', `unsupported HPA GVK: ${gvkString(obj)}`);
    const annotations = get(obj, 'metadata', 'annotations');
    const text = isObj(annotations) ? annotations['autoscaling.alpha.kubernetes.io/conditions'] : undefined;
    if (typeof text !== 'string') return WAITING;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      return health('Unknown', `failed to convert conditions annotation to typed: ${(err as Error).message}`);
    }
    if (!Array.isArray(parsed) || parsed.length === 0) return WAITING;
    return fromConditions(parsed.map((c) => ({ type: str(c, 'type'), reason: str(c, 'reason'), message: str(c, 'message'), status: str(c, 'status') })));
  },
};
