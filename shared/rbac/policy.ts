import { parse } from 'yaml';
import { RE2JS } from 're2js';
import type { Problem } from '../problem';
import { problem } from '../problem';
import { argoGlobMatch } from '../sources/argo-glob';
import type { ConfigOrigin } from '../yaml/config-map';
import { innerPosition } from '../yaml/config-map';

// Argo CD's RBAC configuration, the `argocd-rbac-cm` ConfigMap, read as Argo CD's util/rbac reads it: `policy.csv`
// then every other `policy.<name>.csv` key in key order, one Casbin rule a line (comments `#`, blank lines skipped),
// each line parsed as one CSV record with leading spaces trimmed (Go's encoding/csv, quotes allowed); a `p` line has
// exactly six fields (p, subject, resource, action, object, effect), a `g` line three (g, member, role).
// `policy.default` is the role everybody has, `policy.matchMode` is `glob` (default) or `regex`, `scopes` the claims
// whose values are a user's groups (default [groups]). Argo CD refuses a policy with one bad line as a whole (and
// keeps the one it had); Flotilla reports each bad line at its file:line:col and evaluates the others.

/** The ConfigMap Argo CD's API server reads its RBAC from. */
export const RBAC_CONFIGMAP = 'argocd-rbac-cm';

/** One rule of the policy, with where it is written. */
export interface PolicyRule {
  readonly ptype: 'p' | 'g';
  /** The fields after the type: p → subject, resource, action, object, effect; g → member, role. */
  readonly fields: readonly string[];
  /** The line as written (trimmed). */
  readonly text: string;
  /** `apps/argocd-rbac-cm.yaml:12:5` — or the ConfigMap key and line within it when read from a cluster. */
  readonly at: string;
  readonly where: Omit<Problem, 'message' | 'severity'>;
  /** From Argo CD's built-in policy rather than the ConfigMap. */
  readonly builtin?: boolean;
}

/** The RBAC configuration in force. */
export interface RbacPolicy {
  readonly rules: readonly PolicyRule[];
  /** `policy.default`: a role every user has. */
  readonly defaultRole?: string;
  readonly matchMode: 'glob' | 'regex';
  /** `scopes`: the token claims whose values are the user's groups. */
  readonly scopes: readonly string[];
  /** Where it was read, for people. */
  readonly source: string;
}

/** A CSV record's fields and the 1-based column each starts at; or the error and its column. */
type CsvRecord = { readonly fields: string[]; readonly columns: number[] } | { readonly error: string; readonly column: number };

/** One line as Go's encoding/csv reads it with TrimLeadingSpace (no LazyQuotes): quoted fields, `""` inside them. */
export function readCsvLine(line: string): CsvRecord {
  const fields: string[] = [];
  const columns: number[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    columns.push(i + 1);
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return { error: 'extraneous or missing " in quoted-field', column: line.length + 1 };
        value += line.slice(i, q);
        i = q + 1;
        if (line[i] === '"') {
          value += '"';
          i++;
        } else if (i === line.length || line[i] === ',') break;
        else return { error: 'extraneous or missing " in quoted-field', column: i };
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      const value = line.slice(i, end);
      const bare = value.indexOf('"');
      if (bare >= 0) return { error: 'bare " in non-quoted-field', column: i + bare + 1 };
      fields.push(value);
      i = end;
    }
    if (i >= line.length) return { fields, columns };
    i++; // the comma
  }
}

/** Argo CD's `policy[.overlay].csv` keys in the order it concatenates them: `policy.csv`, then the others sorted. */
export function policyKeys(data: Readonly<Record<string, string>>): string[] {
  const others = Object.keys(data).filter((k) => k.startsWith('policy.') && k.endsWith('.csv') && k !== 'policy.csv').sort();
  return [...('policy.csv' in data ? ['policy.csv'] : []), ...others];
}

/** Whether a pattern compiles in the match mode; the error when it does not. */
function patternError(mode: 'glob' | 'regex', pattern: string): string | undefined {
  if (mode === 'glob') return undefined;
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Parses one policy text (a `policy*.csv` value, or the built-in policy) into rules; each bad line is a Problem. */
export function parsePolicyText(text: string, place: (line: number, column: number) => { at: string; where: Omit<Problem, 'message' | 'severity'> }, mode: 'glob' | 'regex', problems: Problem[], builtin = false): PolicyRule[] {
  const rules: PolicyRule[] = [];
  text.split('\n').forEach((raw, idx) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const lead = raw.length - raw.trimStart().length;
    const at = (col: number): ReturnType<typeof place> => place(idx + 1, lead + col);
    const bad = (message: string, col: number, severity: 'error' | 'warning' = 'error'): void => {
      const p = at(col);
      problems.push({ ...problem(`${message} (line "${line}")${p.where.file ? '' : ` at ${p.at}`}`, p.where), severity });
    };
    const rec = readCsvLine(line);
    if ('error' in rec) return bad(`invalid RBAC policy line: ${rec.error}`, rec.column);
    const [type, ...fields] = rec.fields;
    if (type !== 'p' && type !== 'g') return bad(`invalid RBAC policy line: it must start with p (a permission) or g (a group or role assignment), not "${type ?? ''}"`, 1);
    // A line with too many fields is placed at the first extra one; with too few, where the missing one would start.
    const fieldCountAt = (expected: number): number => (rec.fields.length > expected ? rec.columns[expected]! : line.length + 1);
    if (type === 'p' && rec.fields.length !== 6) return bad(`invalid RBAC policy line: a p line has 6 fields (p, subject, resource, action, object, allow|deny), this one has ${rec.fields.length}`, fieldCountAt(6));
    if (type === 'g' && rec.fields.length !== 3) return bad(`invalid RBAC policy line: a g line has 3 fields (g, user or group, role), this one has ${rec.fields.length}`, fieldCountAt(3));
    if (type === 'p') {
      const eft = fields[4]!;
      if (eft !== 'allow' && eft !== 'deny') bad(`the effect "${eft}" is neither allow nor deny: Argo CD's policy effect counts neither, so this line grants and refuses nothing`, rec.columns[5]!, 'warning');
      for (const f of [1, 2, 3]) {
        const err = patternError(mode, fields[f]!);
        if (err) bad(`invalid regular expression (policy.matchMode: regex): ${err}; Argo CD fails every check this line takes part in`, rec.columns[f + 1]!);
      }
    }
    const p = at(1);
    rules.push({ ptype: type, fields, text: line, at: p.at, where: p.where, ...(builtin ? { builtin: true } : {}) });
  });
  return rules;
}

/** Reads `argocd-rbac-cm`'s data: the policy rules in Argo CD's order, the default role, match mode and scopes. */
export function parseRbacConfig(data: Readonly<Record<string, string>>, origin: ConfigOrigin): { policy: RbacPolicy; problems: Problem[] } {
  const problems: Problem[] = [];
  const mode = data['policy.matchMode'] === 'regex' ? 'regex' : 'glob';
  if (data['policy.matchMode'] !== undefined && !['glob', 'regex'].includes(data['policy.matchMode'])) {
    problems.push({ ...problem(`policy.matchMode "${data['policy.matchMode']}" is neither glob nor regex: Argo CD uses glob`, innerPosition(origin, 'policy.matchMode', undefined)), severity: 'warning' });
  }
  const rules: PolicyRule[] = [];
  for (const key of policyKeys(data)) {
    const place = (line: number, column: number): { at: string; where: Omit<Problem, 'message' | 'severity'> } => {
      const where = innerPosition(origin, key, { line, column });
      return { at: where.file ? `${where.file}:${where.line ?? line}:${where.column ?? column}` : `${origin.source} data.${key} line ${line}`, where };
    };
    rules.push(...parsePolicyText(data[key]!, place, mode, problems));
  }
  let scopes: string[] = ['groups'];
  if (data.scopes !== undefined) {
    try {
      const v: unknown = parse(data.scopes);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) scopes = v as string[];
      else throw new Error('expected a list of claim names, e.g. [groups, email]');
    } catch (e) {
      problems.push(problem(`scopes: ${e instanceof Error ? e.message : String(e)}`, innerPosition(origin, 'scopes', undefined)));
    }
  }
  const defaultRole = data['policy.default']?.trim();
  return { policy: { rules, ...(defaultRole ? { defaultRole } : {}), matchMode: mode, scopes, source: origin.source }, problems };
}

/** Argo CD's `globOrRegexMatch(value, pattern)`: its glob (`*` crosses `/`), or an unanchored Go regular expression. */
export function policyMatcher(mode: 'glob' | 'regex'): (value: string, pattern: string) => boolean {
  if (mode === 'glob') return (value, pattern) => argoGlobMatch(pattern, value);
  const compiled = new Map<string, RE2JS | null>();
  return (value, pattern) => {
    let re = compiled.get(pattern);
    if (re === undefined) {
      try {
        re = RE2JS.compile(pattern);
      } catch {
        re = null;
      }
      compiled.set(pattern, re);
    }
    return re !== null && re.matcher(value).find();
  };
}

/** The object Argo CD checks for an Application: `<project>/<name>`, or `<project>/<namespace>/<name>` outside the control plane. */
export function applicationObject(project: string, name: string, namespace?: string, controlPlane = 'argocd'): string {
  return namespace && namespace !== controlPlane ? `${project}/${namespace}/${name}` : `${project}/${name}`;
}
