import { parse } from 'yaml';
import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import { problem } from '../problem';
import { isObj } from './fields';
import type { HealthCustomizations } from './types';
import { YAML_TO_JS, yamlSizeError } from '../yaml/limits';

/** Custom health checks read from a file, and what was wrong with it. */
export interface ParsedCustomizations {
  readonly customizations: HealthCustomizations;
  readonly problems: readonly Problem[];
}

/** The argocd-cm data key prefix of a health script (`resource.customizations.health.<group>_<kind>`). */
export const ARGOCD_CM_HEALTH_PREFIX = 'resource.customizations.health.';

/** A customization key: `<group>_<kind>` (group may be empty for the core group; `*` globs allowed). */
const KEY = /^[A-Za-z0-9.*-]*_[A-Za-z0-9*]+$/;

/**
 * The fleet file's `spec.health` block:
 * ```yaml
 * spec:
 *   health:
 *     customizations:
 *       argoproj.io_Application: |
 *         hs = {} ... return hs
 * ```
 * Keys are `<group>_<kind>` as in argocd-cm; values are Lua scripts that see `obj` and return `{status, message}`.
 */
export function parseHealthSpec(value: unknown, file?: string): ParsedCustomizations {
  if (value === undefined || value === null) return { customizations: {}, problems: [] };
  if (!isObj(value)) return { customizations: {}, problems: [problem('spec.health: expected a mapping with `customizations`', { file })] };
  const problems: Problem[] = [];
  for (const key of Object.keys(value)) {
    if (key !== 'customizations') problems.push(problem(`spec.health.${key}: unknown field (expected customizations)`, { file }));
  }
  const raw = value.customizations;
  if (raw === undefined || raw === null) return { customizations: {}, problems };
  if (!isObj(raw)) return { customizations: {}, problems: [...problems, problem('spec.health.customizations: expected a mapping of "<group>_<kind>" to a Lua script', { file })] };
  const out: Record<string, string> = {};
  for (const [key, script] of Object.entries(raw)) {
    if (!KEY.test(key)) {
      problems.push(problem(`spec.health.customizations.${key}: expected a key "<group>_<kind>" (e.g. argoproj.io_Application, _Service for the core group)`, { file }));
    } else if (typeof script !== 'string' || script.trim() === '') {
      problems.push(problem(`spec.health.customizations.${key}: expected a Lua script (a string)`, { file }));
    } else {
      out[key] = script;
    }
  }
  return { customizations: out, problems };
}

/**
 * Health scripts from an `argocd-cm` ConfigMap: `data["resource.customizations.health.<group>_<kind>"]`, and the
 * older `data["resource.customizations"]` YAML (`<group>/<kind>: {health.lua: ...}`); the per-key form wins.
 */
export function healthCustomizationsFromConfigMap(cm: KubeObject, file?: string): ParsedCustomizations {
  const data = cm.data;
  if (!isObj(data)) return { customizations: {}, problems: [] };
  const out: Record<string, string> = {};
  const problems: Problem[] = [];
  const legacy = data['resource.customizations'];
  if (typeof legacy === 'string') {
    let parsed: unknown;
    try {
      const tooBig = yamlSizeError(legacy);
      if (tooBig) throw new Error(tooBig);
      parsed = parse(legacy, YAML_TO_JS);
    } catch (err) {
      problems.push(problem(`data["resource.customizations"]: not YAML: ${(err as Error).message.split('\n')[0] ?? ''}`, { file }));
    }
    if (isObj(parsed)) {
      for (const [gk, entry] of Object.entries(parsed)) {
        const script = isObj(entry) ? entry['health.lua'] : undefined;
        if (typeof script !== 'string') continue;
        const slash = gk.lastIndexOf('/');
        out[slash < 0 ? `_${gk}` : `${gk.slice(0, slash)}_${gk.slice(slash + 1)}`] = script;
      }
    }
  }
  for (const [key, script] of Object.entries(data)) {
    if (!key.startsWith(ARGOCD_CM_HEALTH_PREFIX)) continue;
    const gk = key.slice(ARGOCD_CM_HEALTH_PREFIX.length);
    if (typeof script !== 'string') {
      problems.push(problem(`data["${key}"]: expected a Lua script (a string)`, { file }));
      continue;
    }
    out[gk.includes('_') ? gk : `_${gk}`] = script;
  }
  return { customizations: out, problems };
}
