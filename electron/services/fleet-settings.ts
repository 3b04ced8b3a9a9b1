import type { IgnoreRules } from '../../shared/diff/ignore-differences';
import { compileIgnoreDifferences } from '../../shared/diff/ignore-differences';
import type { HealthCustomizations } from '../../shared/health';
import { parseHealthSpec } from '../../shared/health';
import { isFleetDoc } from '../../shared/model/fleet-file';
import type { Problem } from '../../shared/problem';
import { problem } from '../../shared/problem';
import { FLEET_FILE } from '../../shared/repo/scan';
import { isRecord, parseYamlDocuments } from '../../shared/yaml/documents';
import type { SourcePosition } from '../../shared/yaml/node-position';
import { LuaHealthRunner } from './lua-health';

// What the fleet file says about comparing and judging every app: its ignoreDifferences and its custom Lua health
// checks. The fleet comparison, the app page's tree and a sync read them alike.

/** The fleet file's `spec.ignoreDifferences` (same entries as an Application's, applied to every app) and `spec.health` checks. */
export function fleetCompareSettings(text: string | undefined): {
  readonly ignore: IgnoreRules;
  readonly health: HealthCustomizations;
  /** Where each health check's key is written in the fleet file. */
  readonly healthPositions: Readonly<Record<string, SourcePosition>>;
  readonly problems: readonly Problem[];
} {
  const none = { ignore: { rules: [], problems: [] }, health: {}, healthPositions: {}, problems: [] };
  if (text === undefined) return none;
  const doc = parseYamlDocuments(text, FLEET_FILE).docs.find((d) => isFleetDoc(d.value));
  const spec = doc && isRecord(doc.value) && isRecord(doc.value['spec']) ? doc.value['spec'] : undefined;
  if (!spec) return none;
  // Problems about the rules point at the spec.ignoreDifferences key (line and column), not at the document's start.
  const where = { file: FLEET_FILE, ...(doc ? doc.at(['spec', 'ignoreDifferences']) : {}) };
  const problems: Problem[] = [];
  let ignore: IgnoreRules = { rules: [], problems: [] };
  const raw = spec['ignoreDifferences'];
  if (Array.isArray(raw)) {
    const compiled = compileIgnoreDifferences(raw, where);
    ignore = { rules: compiled.rules, problems: [] };
    problems.push(...compiled.problems.map((p) => ({ ...p, message: `fleet file: spec.${p.message}` })));
  } else if (raw !== undefined && raw !== null) {
    problems.push(problem('fleet file: spec.ignoreDifferences must be a list', where));
  }
  const health = parseHealthSpec(spec['health'], FLEET_FILE);
  problems.push(...health.problems);
  const healthPositions: Record<string, SourcePosition> = {};
  for (const key of Object.keys(health.customizations)) healthPositions[key] = doc!.at(['spec', 'health', 'customizations', key], 'key');
  return { ignore, health: health.customizations, healthPositions, problems };
}

/**
 * The fleet file's custom health checks as a runner (a Lua worker, closed by the caller), or undefined when it has
 * none. Problems in them are reported by the fleet comparison, not by every reader.
 */
export function fleetHealthChecks(health: HealthCustomizations, positions?: Readonly<Record<string, SourcePosition>>): LuaHealthRunner | undefined {
  return Object.keys(health).length > 0 ? new LuaHealthRunner(health, undefined, FLEET_FILE, positions) : undefined;
}
