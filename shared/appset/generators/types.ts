import type { Params } from '../../model/params';
import type { AppSetContext } from '../engine';

/** What every generator needs to know about its ApplicationSet. */
export interface AppSetInfo {
  readonly name: string;
  readonly namespace?: string;
  /** spec.goTemplate. */
  readonly goTemplate: boolean;
  /** spec.goTemplateOptions, e.g. ["missingkey=error"]. */
  readonly goTemplateOptions?: readonly string[];
  /** spec.applyNestedSelectors: selectors inside a nested matrix/merge only apply when true. */
  readonly applyNestedSelectors?: boolean;
}

/** One parameter set and the generator chain that made it (e.g. ["matrix", "clusters", "git"]). */
export interface ParamSet {
  readonly params: Params;
  readonly path: readonly string[];
}

/** Something a generator could not do for one element (a file, a list element, a parameter set) or at all. */
export interface GeneratorIssue {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Generator chain where it happened. */
  readonly path: readonly string[];
  /** The element at fault, readable: `file apps/a/config.json`, `elements[2]`, `params {"name":"dev"}`. */
  readonly element?: string;
}

/** Params a generator produced, and what went wrong on the way; the params of the elements that worked are kept. */
export interface GenerateResult {
  readonly params: readonly ParamSet[];
  readonly issues: readonly GeneratorIssue[];
}

/** One generator implementation: `gen` is the generator's own body (e.g. the value under `list:`). */
export type GeneratorFn = (gen: Record<string, unknown>, info: AppSetInfo, ctx: AppSetContext) => GenerateResult;

/** The generator kinds of the ApplicationSet CRD, in the CRD's field order. */
export const GENERATOR_KINDS = ['list', 'clusters', 'git', 'scmProvider', 'clusterDecisionResource', 'pullRequest', 'matrix', 'merge', 'plugin'] as const;

/** A generator kind of the ApplicationSet CRD. */
export type GeneratorKind = (typeof GENERATOR_KINDS)[number];

/** Whether a key of a generator entry names a generator kind. */
export function isGeneratorKind(k: string): k is GeneratorKind {
  return (GENERATOR_KINDS as readonly string[]).includes(k);
}

/** An error issue at `path`. */
export function issue(message: string, path: readonly string[], element?: string): GeneratorIssue {
  return element === undefined ? { severity: 'error', message, path } : { severity: 'error', message, path, element };
}

/** The first error issue of a result, if any. */
export function firstError(r: GenerateResult): GeneratorIssue | undefined {
  return r.issues.find((i) => i.severity === 'error');
}

/** Short, stable text of a parameter set for messages (keys sorted, long values cut). */
/** Keys that identify a parameter set best, in order: what a person recognises an element by. */
const IDENTIFYING = ['name', 'cluster', 'path.basename', 'path', 'url', 'server', 'env', 'environment', 'app', 'branch', 'number'];

/**
 * A short label of a parameter set for a message: up to three identifying values, each cut to 40 characters, and how
 * many more there are (`params name="dev", url="https://…" (+12 more)`). Never the whole set on one line.
 */
export function paramsLabel(params: Params): string {
  const keys = Object.keys(params);
  const chosen = [...IDENTIFYING.filter((k) => k in params), ...keys.filter((k) => !IDENTIFYING.includes(k)).sort()].slice(0, 3);
  const parts = chosen.map((k) => {
    let v = JSON.stringify(params[k]) ?? 'null';
    if (v.length > 40) v = `${v.slice(0, 39)}…`;
    return `${k}=${v}`;
  });
  const rest = keys.length - chosen.length;
  return `params ${parts.join(', ') || '(none)'}${rest > 0 ? ` (+${rest} more)` : ''}`;
}

/** The parameter set as compact JSON, cut at about 240 characters (for explain output and logs). */
export function describeParams(params: Params): string {
  const keys = Object.keys(params).sort();
  const parts: string[] = [];
  for (const k of keys) {
    let v = JSON.stringify(params[k]) ?? 'null';
    if (v.length > 60) v = `${v.slice(0, 57)}...`;
    parts.push(`${JSON.stringify(k)}:${v}`);
    if (parts.join(',').length > 240) {
      parts.push('...');
      break;
    }
  }
  return `params {${parts.join(',')}}`;
}
