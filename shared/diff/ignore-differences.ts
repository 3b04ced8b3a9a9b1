// Argo CD's `ignoreDifferences` (from an Application spec or the fleet file): which parts of which resources
// are not compared. Matching follows Argo CD: `group` and `kind` are globs (an omitted group is the core group ""),
// `name` and `namespace` match exactly when given; the listed paths are removed from both desired and live.

import { parse as parseYaml } from 'yaml';
import type { Problem } from '../problem';
import { problem } from '../problem';
import type { KubeObject, ResourceKey } from '../model/status';
import type { JqPath } from './jq-path';
import { compileJqPath } from './jq-path';
import type { PathSeg } from './json-path';
import { deleteAll, isPlainObject, parseJsonPointer } from './json-path';
import { managedFieldSet, ownedPaths } from './managed-fields';
import { YAML_TO_JS } from '../yaml/limits';

/** One `ignoreDifferences` entry, as Argo CD's Application spec declares it. */
export interface IgnoreDifference {
  readonly group?: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly jsonPointers?: readonly string[];
  readonly jqPathExpressions?: readonly string[];
  readonly managedFieldsManagers?: readonly string[];
}

/** An `ignoreDifferences` entry made ready to apply to many objects. */
export interface IgnoreRule {
  readonly group: RegExp;
  readonly kind: RegExp;
  readonly name?: string;
  readonly namespace?: string;
  readonly pointers: readonly (readonly string[])[];
  readonly jq: readonly JqPath[];
  readonly managers: readonly string[];
}

/** Compiled rules and the problems of entries (or expressions) that could not be understood; good entries are kept. */
export interface IgnoreRules {
  readonly rules: readonly IgnoreRule[];
  readonly problems: readonly Problem[];
}

/** Where the entries came from, for the problems' location. */
export interface IgnoreSource {
  readonly file?: string;
  readonly line?: number;
  readonly app?: string;
}

/** Compiles raw `ignoreDifferences` entries (as parsed from YAML) into rules; a bad entry becomes a Problem, never an exception. */
export function compileIgnoreDifferences(raw: readonly unknown[] | undefined, where: IgnoreSource = {}): IgnoreRules {
  const rules: IgnoreRule[] = [];
  const problems: Problem[] = [];
  (raw ?? []).forEach((entry, i) => {
    const at = `ignoreDifferences[${i}]`;
    const fail = (message: string): void => {
      problems.push(problem(`${at}: ${message}`, where));
    };
    if (!isPlainObject(entry)) return fail('expected a mapping with kind and jsonPointers, jqPathExpressions or managedFieldsManagers');
    if (typeof entry['kind'] !== 'string' || entry['kind'] === '') return fail('expected `kind` (a kind or a glob such as "*")');
    const strings = (field: string): string[] | undefined => {
      const v = entry[field];
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
        fail(`expected \`${field}\` to be a list of strings`);
        return undefined;
      }
      return v as string[];
    };
    const ptrs = strings('jsonPointers');
    const jqs = strings('jqPathExpressions');
    const managers = strings('managedFieldsManagers');
    if (!ptrs || !jqs || !managers) return;
    const pointers: string[][] = [];
    for (const p of ptrs) {
      const parsed = parseJsonPointer(p);
      if (parsed === undefined) fail(`jsonPointers: "${p}" is not a JSON pointer (expected it to start with "/")`);
      else pointers.push(parsed);
    }
    const jq: JqPath[] = [];
    for (const e of jqs) {
      const c = compileJqPath(e);
      if (c.ok) jq.push(c.path);
      else fail(`jqPathExpressions: ${c.error}`);
    }
    const opt = (field: string): string | undefined => (typeof entry[field] === 'string' && entry[field] !== '' ? (entry[field] as string) : undefined);
    const name = opt('name');
    const namespace = opt('namespace');
    rules.push({
      group: globToRegExp(typeof entry['group'] === 'string' ? entry['group'] : ''),
      kind: globToRegExp(entry['kind']),
      ...(name !== undefined ? { name } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
      pointers,
      jq,
      managers,
    });
  });
  return { rules, problems };
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const c of glob) re += c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${re}$`);
}

/** The rules that apply to a resource. */
export function matchingRules(rules: readonly IgnoreRule[], key: ResourceKey): IgnoreRule[] {
  return rules.filter(
    (r) =>
      r.group.test(key.group) &&
      r.kind.test(key.kind) &&
      (r.name === undefined || r.name === key.name) &&
      (r.namespace === undefined || r.namespace === key.namespace),
  );
}

/**
 * Removes the ignored fields from a (normalised, mutable) desired/live pair in place. `rawLive` is the live object
 * before normalisation: its managedFields tell which fields the `managedFieldsManagers` own.
 */
export function applyIgnoreRules(rules: readonly IgnoreRule[], desired: KubeObject | undefined, live: KubeObject | undefined, rawLive: KubeObject | undefined): void {
  if (rules.length === 0) return;
  const managers = new Set(rules.flatMap((r) => r.managers));
  const owned = managers.size > 0 && rawLive ? managedFieldSet(rawLive, (m) => managers.has(m)) : undefined;
  for (const obj of [desired, live]) {
    if (!obj) continue;
    const paths: PathSeg[][] = [];
    for (const r of rules) {
      for (const p of r.pointers) paths.push([...p]);
      for (const q of r.jq) paths.push(...q.paths(obj));
    }
    if (owned) paths.push(...ownedPaths(owned, obj));
    deleteAll(obj, paths);
  }
}

/** The argocd-cm data key prefix of system-level ignore rules (`resource.customizations.ignoreDifferences.<group>_<kind>` or `.all`). */
export const ARGOCD_CM_IGNORE_PREFIX = 'resource.customizations.ignoreDifferences.';

/**
 * System-level `ignoreDifferences` from an Argo CD `argocd-cm` ConfigMap, as entries for `compileIgnoreDifferences`:
 * `data["resource.customizations.ignoreDifferences.<group>_<kind>"]` (a core kind is written without group and `_`;
 * `.all` applies to every resource), and the older `data["resource.customizations"]` YAML
 * (`<group>/<kind>: {ignoreDifferences: <YAML>}`). A value that is not YAML becomes a Problem naming its key.
 */
export function ignoreDifferencesFromConfigMap(cm: KubeObject, file?: string): { readonly entries: readonly IgnoreDifference[]; readonly problems: readonly Problem[] } {
  const data = isPlainObject(cm['data']) ? cm['data'] : {};
  const entries: IgnoreDifference[] = [];
  const problems: Problem[] = [];
  const where = file !== undefined ? { file } : {};
  const add = (groupKind: string, text: unknown, key: string): void => {
    let spec: unknown;
    try {
      spec = typeof text === 'string' ? parseYaml(text, YAML_TO_JS) : text;
    } catch (err) {
      problems.push(problem(`data["${key}"]: not YAML: ${firstLine(err)}`, where));
      return;
    }
    if (!isPlainObject(spec)) {
      problems.push(problem(`data["${key}"]: expected a mapping with jsonPointers, jqPathExpressions or managedFieldsManagers`, where));
      return;
    }
    const [group, kind] = groupKind === 'all' ? ['*', '*'] : splitGroupKind(groupKind);
    entries.push({ ...(spec as Omit<IgnoreDifference, 'kind'>), group, kind });
  };
  const legacy = data['resource.customizations'];
  if (typeof legacy === 'string') {
    try {
      const parsed = parseYaml(legacy, YAML_TO_JS);
      if (isPlainObject(parsed)) {
        for (const [gk, v] of Object.entries(parsed)) {
          if (isPlainObject(v) && v['ignoreDifferences'] !== undefined) add(gk.replace('/', '_'), v['ignoreDifferences'], 'resource.customizations');
        }
      }
    } catch (err) {
      problems.push(problem(`data["resource.customizations"]: not YAML: ${firstLine(err)}`, where));
    }
  }
  for (const [key, v] of Object.entries(data)) if (key.startsWith(ARGOCD_CM_IGNORE_PREFIX)) add(key.slice(ARGOCD_CM_IGNORE_PREFIX.length), v, key);
  return { entries, problems };
}

function splitGroupKind(gk: string): [string, string] {
  const i = gk.lastIndexOf('_');
  return i < 0 ? ['', gk] : [gk.slice(0, i), gk.slice(i + 1)];
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
