import type { JsonPath } from '../yaml/node-position';
import { isRecord } from '../yaml/documents';
import type { IgnoreRule } from './suppress';

/** The fleet file's `spec.validation`: checks switched off for the whole fleet or some apps, kinds or objects. */
export interface FleetValidationSettings {
  readonly ignore: readonly IgnoreRule[];
}

const RULE_FIELDS = ['check', 'app', 'kind', 'name', 'reason'];

/**
 * Reads `spec.validation` of the fleet file:
 * `validation: {ignore: [{check: latest-tag, app: web-dev, kind: Deployment, name: web, reason: "…"}]}`.
 * Bad entries are reported through `bad` with their path and left out.
 */
export function parseFleetValidation(v: unknown, bad: (path: JsonPath, message: string, part?: 'key' | 'value') => void): FleetValidationSettings | undefined {
  if (v === undefined || v === null) return undefined;
  const base: JsonPath = ['spec', 'validation'];
  if (!isRecord(v)) {
    bad(base, 'must be a mapping with `ignore`');
    return undefined;
  }
  for (const k of Object.keys(v)) if (k !== 'ignore') bad([...base, k], `unknown field "${k}" (known: ignore)`, 'key');
  const ignore: IgnoreRule[] = [];
  const list = v.ignore ?? [];
  if (!Array.isArray(list)) bad([...base, 'ignore'], 'must be a list of {check, app, kind, name, reason}');
  else
    list.forEach((r, i) => {
      const at: JsonPath = [...base, 'ignore', i];
      if (!isRecord(r) || typeof r.check !== 'string' || r.check === '') {
        bad(at, 'needs a `check` (the rule id, e.g. latest-tag)');
        return;
      }
      for (const k of Object.keys(r)) if (!RULE_FIELDS.includes(k)) bad([...at, k], `unknown field "${k}" (known: ${RULE_FIELDS.join(', ')})`, 'key');
      const str = (k: 'app' | 'kind' | 'name' | 'reason'): Partial<IgnoreRule> => (typeof r[k] === 'string' ? { [k]: r[k] } : {});
      ignore.push({ check: r.check, ...str('app'), ...str('kind'), ...str('name'), ...str('reason') });
    });
  return { ignore };
}
