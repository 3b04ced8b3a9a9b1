import type { Params } from '../../model/params';
import type { AppSetContext } from '../engine';
import { cloneJson, flattenParams, goSprintV, isPlainObject, mergeFillEmpty, mergeOverride } from '../go-values';
import { compileLabelSelector } from '../label-selector';
import { interpolateGenerator } from '../template';
import { clustersGenerator } from './clusters';
import { clusterDecisionResourceGenerator } from './external';
import { gitGenerator } from './git';
import { listGenerator } from './list';
import type { AppSetInfo, GenerateResult, GeneratorFn, GeneratorIssue, GeneratorKind, ParamSet } from './types';
import { GENERATOR_KINDS, isGeneratorKind, issue, paramsLabel } from './types';

/** Matrix errors, worded as Argo CD words them. */
export const ERR_MATRIX_LESS_THAN_TWO = 'found less than two generators, Matrix support only two';
/** Matrix with more than two children. */
export const ERR_MATRIX_MORE_THAN_TWO = 'found more than two generators, Matrix support only two';
/** A matrix/merge child that sets more than one generator kind. */
export const ERR_MORE_THAN_ONE_INNER = 'found more than one generator in matrix.Generators';
/** Merge with fewer than two children. */
export const ERR_MERGE_LESS_THAN_TWO = 'found less than two generators, Merge requires two or more';
/** Merge without mergeKeys. */
export const ERR_NO_MERGE_KEYS = 'no merge keys were specified';

/** What Transform yields per generator kind set in a generator entry: its params (post-selector applied) and template. */
export interface TransformResult {
  readonly kind: GeneratorKind;
  readonly params: readonly ParamSet[];
  /** The generator's own `template`, completed from the ApplicationSet's. */
  readonly template: Record<string, unknown>;
}

/** Transform's results and everything that went wrong. */
export interface TransformOutput {
  readonly results: readonly TransformResult[];
  readonly issues: readonly GeneratorIssue[];
}

const unsupported =
  (kind: string, why: string): GeneratorFn =>
  () => ({ params: [], issues: [issue(`generator ${kind} cannot run locally: ${why}`, [kind])] });

const BUILTIN: Readonly<Record<GeneratorKind, GeneratorFn>> = {
  list: listGenerator,
  clusters: clustersGenerator,
  git: gitGenerator,
  matrix: (gen, info, ctx) => matrixGenerator(gen, info, ctx),
  merge: (gen, info, ctx) => mergeGenerator(gen, info, ctx),
  clusterDecisionResource: clusterDecisionResourceGenerator,
  scmProvider: unsupported('scmProvider', 'it lists repositories through an SCM provider API (GitHub, GitLab, ...)'),
  pullRequest: unsupported('pullRequest', 'it lists open pull requests through an SCM provider API'),
  plugin: unsupported('plugin', 'it calls a plugin service over HTTP inside Argo CD’s cluster'),
};

function implementation(kind: GeneratorKind, ctx: AppSetContext): GeneratorFn {
  return ctx.generatorOverrides?.[kind] ?? BUILTIN[kind];
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The generator kinds set in one generator entry (spec.generators[i]), in the CRD's order; null ones are unset. */
export function generatorKinds(entry: Record<string, unknown>): GeneratorKind[] {
  return GENERATOR_KINDS.filter((k) => entry[k] !== undefined && entry[k] !== null);
}

/**
 * Argo CD's GenerateParams for one generator entry: the params of every generator kind it sets, without the
 * post-selector. Never throws; problems are issues.
 */
export function generateParams(entry: Record<string, unknown>, info: AppSetInfo, ctx: AppSetContext): GenerateResult {
  const params: ParamSet[] = [];
  const issues: GeneratorIssue[] = [];
  for (const kind of generatorKinds(entry)) {
    const body = entry[kind];
    if (!isPlainObject(body)) {
      issues.push(issue(`generator ${kind} must be a map`, [kind]));
      continue;
    }
    const r = runGenerator(kind, body, info, ctx);
    params.push(...r.params);
    issues.push(...r.issues);
  }
  return { params, issues };
}

function runGenerator(kind: GeneratorKind, body: Record<string, unknown>, info: AppSetInfo, ctx: AppSetContext): GenerateResult {
  try {
    return implementation(kind, ctx)(body, info, ctx);
  } catch (err) {
    return { params: [], issues: [issue(errText(err), [kind])] };
  }
}

/**
 * Argo CD's Transform: for each generator kind set in `entry`, merges its `template` over `baseTemplate`, interpolates
 * the entry with `genParams` (matrix's second child), generates params and keeps those the post-selector
 * (`entry.selector`, matched against dotted, text-valued params) accepts.
 */
export function transform(entry: Record<string, unknown>, info: AppSetInfo, ctx: AppSetContext, baseTemplate: Record<string, unknown> = {}, genParams?: Params): TransformOutput {
  const issues: GeneratorIssue[] = [];
  for (const key of Object.keys(entry)) {
    if (key !== 'selector' && !isGeneratorKind(key)) issues.push(issue(`unknown generator '${key}' (known: ${GENERATOR_KINDS.join(', ')})`, [key]));
  }
  const selectorSpec = entry['selector'];
  let selects: ((p: Params) => boolean) | undefined;
  if (selectorSpec !== undefined && selectorSpec !== null) {
    try {
      const m = compileLabelSelector(selectorSpec, false);
      selects = (p) => m(flattenParams(p));
    } catch (err) {
      return { results: [], issues: [...issues, issue(`error parsing label selector: ${errText(err)}`, generatorKinds(entry))] };
    }
  }
  const results: TransformResult[] = [];
  for (const kind of generatorKinds(entry)) {
    const body0 = entry[kind];
    if (!isPlainObject(body0)) {
      issues.push(issue(`generator ${kind} must be a map`, [kind]));
      continue;
    }
    const own = isPlainObject(body0['template']) ? body0['template'] : {};
    const template = mergeFillEmpty(cloneJson(own), baseTemplate) as Record<string, unknown>;
    let body = body0;
    if (genParams && Object.keys(genParams).length > 0) {
      try {
        const interpolated: unknown = interpolateGenerator(entry, genParams, { goTemplate: info.goTemplate, goTemplateOptions: info.goTemplateOptions });
        const b = isPlainObject(interpolated) ? interpolated[kind] : undefined;
        if (!isPlainObject(b)) throw new Error(`interpolated generator has no ${kind}`);
        body = b;
      } catch (err) {
        issues.push(issue(errText(err), [kind], paramsLabel(genParams)));
        continue;
      }
    }
    const r = runGenerator(kind, body, info, ctx);
    issues.push(...r.issues);
    results.push({ kind, template, params: selects ? r.params.filter((p) => selects(p.params)) : r.params });
  }
  return { results, issues };
}

/** The params of one matrix/merge child, or a fatal issue; issues of the child are wrapped with `wrap`. */
function childParams(child: unknown, info: AppSetInfo, ctx: AppSetContext, parent: string, genParams?: Params): { params: readonly ParamSet[]; issues: GeneratorIssue[]; fatal: boolean } {
  if (!isPlainObject(child)) return { params: [], issues: [issue(`${parent} child generator must be a map`, [parent])], fatal: true };
  let entry = child;
  for (const nested of ['matrix', 'merge'] as const) {
    const body = child[nested];
    if (!isPlainObject(body)) continue;
    const gens = Array.isArray(body['generators']) ? body['generators'] : [];
    if (gens.some((g) => isPlainObject(g) && (g['matrix'] != null || g['merge'] != null))) {
      return { params: [], issues: [issue(`a nested ${nested} takes only list, clusters, git, scmProvider, clusterDecisionResource, pullRequest or plugin generators: matrix and merge nest one level only`, [parent, nested])], fatal: true };
    }
    if (!info.applyNestedSelectors && gens.some((g) => isPlainObject(g) && g['selector'] != null)) {
      // Argo CD ignores selectors of a nested matrix/merge's children unless spec.applyNestedSelectors is set.
      const stripped = gens.map((g) => {
        if (!isPlainObject(g)) return g;
        const { selector: _selector, ...rest } = g;
        return rest;
      });
      entry = { ...entry, [nested]: { ...body, generators: stripped } };
    }
  }
  const out = transform(entry, info, ctx, {}, genParams);
  const issues = [...out.issues];
  const errors = issues.filter((i) => i.severity === 'error');
  if (out.results.length === 0) {
    if (errors.length === 0) issues.push(issue('child generator generated no parameters', [parent]));
    return { params: [], issues, fatal: true };
  }
  if (out.results.length > 1) return { params: [], issues: [issue(ERR_MORE_THAN_ONE_INNER, [parent, ...out.results.map((r) => r.kind)])], fatal: true };
  return { params: out.results[0]!.params, issues, fatal: false };
}

function wrapIssues(issues: readonly GeneratorIssue[], prefix: string, path: readonly string[], element?: string): GeneratorIssue[] {
  return issues.map((i) => ({
    ...i,
    message: i.severity === 'error' ? prefix + i.message : i.message,
    path: [...path, ...i.path],
    ...(element !== undefined && i.element === undefined ? { element } : {}),
  }));
}

/** Argo CD's CombineStringMaps: a's and b's entries as text; the same key with two values is an error. */
export function combineStringMaps(a: Params, b: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(a)) out[k] = goSprintV(v);
  for (const [k, v] of Object.entries(b)) {
    const s = goSprintV(v);
    if (Object.prototype.hasOwnProperty.call(out, k) && out[k] !== s) {
      throw new Error(`found duplicate key ${k} with different value, a: ${String(out[k])} ,b: ${s}`);
    }
    out[k] = s;
  }
  return out;
}

/**
 * The matrix generator: every parameter set of the first child combined with every parameter set the second child
 * produces once interpolated with it (goTemplate: deep merge, the first child wins; fasttemplate: conflicting keys
 * are an error).
 */
export function matrixGenerator(gen: Record<string, unknown>, info: AppSetInfo, ctx: AppSetContext): GenerateResult {
  const path = ['matrix'];
  const children = Array.isArray(gen['generators']) ? gen['generators'] : [];
  if (children.length < 2) return { params: [], issues: [issue(ERR_MATRIX_LESS_THAN_TWO, path)] };
  if (children.length > 2) return { params: [], issues: [issue(ERR_MATRIX_MORE_THAN_TWO, path)] };
  const issues: GeneratorIssue[] = [];
  const first = childParams(children[0], info, ctx, 'matrix');
  issues.push(...wrapIssues(first.issues, 'error failed to get params for first generator in matrix generator: ', path));
  if (first.fatal) return { params: [], issues };
  const params: ParamSet[] = [];
  for (const a of first.params) {
    const second = childParams(children[1], info, ctx, 'matrix', a.params);
    if (second.issues.length > 0) issues.push(...wrapIssues(second.issues, 'failed to get params for second generator in the matrix generator: ', path, paramsLabel(a.params)));
    // The explanation's generator path, one array per path of the second child (usually one), not per combination.
    let bPath: readonly string[] | undefined;
    let chain: readonly string[] = [];
    for (const b of second.params) {
      try {
        const combined = info.goTemplate ? mergeOverride(b.params, a.params) : combineStringMaps(a.params, b.params);
        if (b.path !== bPath) {
          bPath = b.path;
          chain = [...path, ...a.path, ...b.path];
        }
        params.push({ params: combined, path: chain });
      } catch (err) {
        issues.push(issue(`failed to combine string maps with merging params for the matrix generator: ${errText(err)}`, path, paramsLabel(a.params)));
      }
    }
  }
  return { params, issues };
}

function mergeKeyOf(keys: readonly string[], p: Params): string {
  const o: Record<string, unknown> = {};
  for (const k of [...new Set(keys)].sort()) o[k] = p[k] ?? null;
  return JSON.stringify(o);
}

/**
 * The merge generator: the first child's parameter sets, each overridden by the sets of later children that share
 * the values of `mergeKeys` (later children win). Sets of one child must be unique by the merge keys.
 */
export function mergeGenerator(gen: Record<string, unknown>, info: AppSetInfo, ctx: AppSetContext): GenerateResult {
  const path = ['merge'];
  const children = Array.isArray(gen['generators']) ? gen['generators'] : [];
  if (children.length < 2) return { params: [], issues: [issue(ERR_MERGE_LESS_THAN_TWO, path)] };
  const issues: GeneratorIssue[] = [];
  const sets: (readonly ParamSet[])[] = [];
  let fatal = false;
  children.forEach((child, i) => {
    const r = childParams(child, info, ctx, 'merge');
    issues.push(...wrapIssues(r.issues, `error getting param sets from generators: error getting params from generator ${i + 1} of ${children.length}: `, path));
    fatal ||= r.fatal;
    sets.push(r.params);
  });
  if (fatal) return { params: [], issues };
  const keys = Array.isArray(gen['mergeKeys']) ? gen['mergeKeys'].filter((k): k is string => typeof k === 'string') : [];
  if (keys.length === 0) return { params: [], issues: [...issues, issue(`error getting param sets by merge key: ${ERR_NO_MERGE_KEYS}`, path)] };
  const byKey = (list: readonly ParamSet[], n: number): Map<string, ParamSet> | undefined => {
    const m = new Map<string, ParamSet>();
    for (const p of list) {
      const k = mergeKeyOf(keys, p.params);
      if (m.has(k)) {
        issues.push(issue(`error getting param sets by merge key: the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was ${k}`, path, `generator ${n + 1} of ${children.length}`));
        return undefined;
      }
      m.set(k, p);
    }
    return m;
  };
  const base = byKey(sets[0]!, 0);
  if (!base) return { params: [], issues };
  for (let i = 1; i < sets.length; i++) {
    const over = byKey(sets[i]!, i);
    if (!over) return { params: [], issues };
    for (const [k, b] of base) {
      const o = over.get(k);
      if (!o) continue;
      const merged = info.goTemplate ? mergeOverride(b.params, o.params) : combineAllowDuplicates(b.params, o.params);
      // The explanation names every child that contributed, base first.
      base.set(k, { params: merged, path: [...b.path, ...o.path] });
    }
  }
  return { params: [...base.values()].map((p) => ({ params: p.params, path: [...path, ...p.path] })), issues };
}

function combineAllowDuplicates(a: Params, b: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(a)) out[k] = goSprintV(v);
  for (const [k, v] of Object.entries(b)) out[k] = goSprintV(v);
  return out;
}
