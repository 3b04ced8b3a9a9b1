import type { HealthResult, HealthStatus, KubeObject } from '../../model/status';
import type { HealthCheck } from '../types';
import type { Condition } from '../fields';
import { arr, conditions, get, health, isObj } from '../fields';

/**
 * The deletion answer many of Argo CD's bundled scripts start with: Progressing "Pending deletion",
 * naming the finalizers that block it; undefined when the object is not being deleted.
 */
export function deletionProgress(obj: KubeObject): HealthResult | undefined {
  const ts = get(obj, 'metadata', 'deletionTimestamp');
  if (ts === undefined || ts === null) return undefined;
  const finalizers = arr(obj, 'metadata', 'finalizers').filter((f): f is string => typeof f === 'string');
  return health('Progressing', finalizers.length > 0 ? `Pending deletion; blocked by finalizers: ${finalizers.join(', ')}` : 'Pending deletion');
}

/** A bundled check that answers deletion the way those scripts do, before its own rule. */
export function withDeletion(group: string, kind: string, assess: (obj: KubeObject) => HealthResult | undefined): HealthCheck {
  return { group, kind, handlesDeletion: true, assess: (obj) => deletionProgress(obj) ?? assess(obj) };
}

/** A bundled check with no deletion handling of its own. */
export function check(group: string, kind: string, assess: (obj: KubeObject) => HealthResult | undefined): HealthCheck {
  return { group, kind, assess };
}

/** Whether `status.conditions` is present (a Lua `~= nil` test). */
export function hasConditions(obj: unknown): boolean {
  const c = get(obj, 'status', 'conditions');
  return c !== undefined && c !== null;
}

/**
 * The common "Ready condition" script: the first Ready condition decides (False → Degraded, True → Healthy,
 * with its message); without one, `fallback`.
 */
export function readyCondition(obj: unknown, fallback: HealthResult, type = 'Ready'): HealthResult {
  for (const c of conditions(obj)) {
    if (c.type === type && c.status === 'False') return health('Degraded', c.message);
    if (c.type === type && c.status === 'True') return health('Healthy', c.message);
  }
  return fallback;
}

/**
 * Flux's script family: Suspended when `spec.suspend`; otherwise counts Ready/Reconciling (and kind-specific
 * success conditions) — two "progressing" signals mean Progressing, `needed` successes mean Healthy, else Degraded;
 * the message is the Ready condition's reason.
 */
export function fluxHealth(obj: KubeObject, needed: number, extra?: (c: Condition, state: { message: string; succeeded: number }) => void): HealthResult {
  if (get(obj, 'spec', 'suspend') === true) return health('Suspended', `${obj.kind ?? ''} is suspended`);
  if (!hasConditions(obj)) return health('Progressing', 'Status unknown');
  let progressing = 0;
  const state = { message: '', succeeded: 0 };
  for (const c of conditions(obj)) {
    if (c.type === 'Ready') {
      if (c.status === 'True') state.succeeded++;
      else if (c.status === 'Unknown') progressing++;
      state.message = c.reason;
    } else if (c.type === 'Reconciling' && c.status === 'True') {
      progressing++;
    } else if (extra) {
      extra(c, state);
    }
  }
  if (progressing === 2) return health('Progressing', state.message);
  if (state.succeeded === needed) return health('Healthy', state.message);
  return health('Degraded', state.message);
}

/** Maps a status string to itself when it is a health status (Lua scripts often copy one through). */
export function asStatus(s: string): HealthStatus | undefined {
  switch (s) {
    case 'Healthy': case 'Progressing': case 'Degraded': case 'Suspended': case 'Missing': case 'Unknown': return s;
    default: return undefined;
  }
}

/** Lua's `tonumber` on a JSON value: numbers pass, numeric strings convert, anything else is nil. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim());
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

/** Lua's `#t` for a JSON value (0 for anything but an array). */
export function len(v: unknown): number {
  return Array.isArray(v) ? v.length : 0;
}

/** A string field of a plain object, or undefined (Lua nil). */
export function field(o: unknown, key: string): string | undefined {
  if (!isObj(o)) return undefined;
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}
