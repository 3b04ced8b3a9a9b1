import type { Params } from '../../model/params';
import type { AppSetCluster } from '../engine';
import { cloneJson, isPlainObject } from '../go-values';
import { compileLabelSelector, isEmptySelector } from '../label-selector';
import { sanitizeName } from '../template';
import type { GenerateResult, GeneratorFn, GeneratorIssue, ParamSet } from './types';
import { issue } from './types';
import { generatorValues, withValues } from './values';

const PATH = ['clusters'];

/** The API server address of the cluster Argo CD runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
/** The name Argo CD gives the cluster it runs in. */
export const IN_CLUSTER_NAME = 'in-cluster';

/** The labels a cluster is selected by: its labels, plus `environment` from the fleet file when not set as a label. */
export function clusterLabels(c: AppSetCluster): Readonly<Record<string, string>> {
  if (c.environment === undefined || Object.prototype.hasOwnProperty.call(c.labels, 'environment')) return c.labels;
  return { ...c.labels, environment: c.environment };
}

/** Argo CD's cluster parameters: name, nameNormalized, server, project, and the metadata (flat or nested). */
export function clusterParams(c: AppSetCluster, goTemplate: boolean): Params {
  const params: Params = { name: c.name, nameNormalized: sanitizeName(c.name), server: c.server ?? '', project: c.project ?? '' };
  const labels = clusterLabels(c);
  if (goTemplate) {
    const meta: Record<string, unknown> = {};
    if (Object.keys(c.annotations).length > 0) meta['annotations'] = { ...c.annotations };
    if (Object.keys(labels).length > 0) meta['labels'] = { ...labels };
    params['metadata'] = meta;
  } else {
    for (const [k, v] of Object.entries(c.annotations)) params[`metadata.annotations.${k}`] = v;
    for (const [k, v] of Object.entries(labels)) params[`metadata.labels.${k}`] = v;
  }
  return params;
}

/**
 * The clusters generator: one parameter set per cluster whose labels match `selector`, plus Argo CD's implicit
 * `in-cluster` when the selector is empty and no cluster already has its server. `flatList: true` yields one
 * parameter set `{clusters: [...]}` instead.
 */
export const clustersGenerator: GeneratorFn = (gen, info, ctx): GenerateResult => {
  const mode = { goTemplate: info.goTemplate, goTemplateOptions: info.goTemplateOptions };
  const selector = isPlainObject(gen['selector']) ? gen['selector'] : {};
  let matches;
  try {
    matches = compileLabelSelector(selector);
  } catch (err) {
    return { params: [], issues: [issue(`invalid clusters.selector: ${(err as Error).message}`, PATH)] };
  }
  let clusters: readonly AppSetCluster[];
  try {
    clusters = ctx.clusters;
  } catch (err) {
    return { params: [], issues: [issue(`error getting cluster secrets: ${err instanceof Error ? err.message : String(err)}`, PATH)] };
  }
  const values = generatorValues(gen);
  const issues: GeneratorIssue[] = [];
  const out: Params[] = [];
  const add = (params: Params, element: string): void => {
    try {
      out.push(withValues(values, params, mode));
    } catch (err) {
      issues.push(issue(`failed to append templated values: ${(err as Error).message}`, PATH, element));
    }
  };
  const ignoreLocal = !isEmptySelector(selector);
  const hasInCluster = clusters.some((c) => c.server === IN_CLUSTER_SERVER);
  if (!ignoreLocal && ctx.inCluster !== false && !hasInCluster) {
    add({ name: IN_CLUSTER_NAME, nameNormalized: IN_CLUSTER_NAME, server: IN_CLUSTER_SERVER, project: '' }, `cluster ${IN_CLUSTER_NAME}`);
  }
  for (const c of clusters) {
    if (matches(clusterLabels(c))) add(clusterParams(c, info.goTemplate), `cluster ${c.name}`);
  }
  const params: ParamSet[] = gen['flatList'] === true ? [{ params: { clusters: cloneJson(out) }, path: PATH }] : out.map((p) => ({ params: p, path: PATH }));
  return { params, issues };
};
