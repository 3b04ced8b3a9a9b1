import type { Params } from '../../model/params';
import type { KubeObject } from '../../model/status';
import type { AppSetCluster } from '../engine';
import { goSprintV, isPlainObject } from '../go-values';
import { compileLabelSelector, isEmptySelector } from '../label-selector';
import type { GenerateResult, GeneratorFn, ParamSet } from './types';
import { issue } from './types';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from './clusters';

/**
 * What the clusterDecisionResource generator reads from Argo CD's namespace: the duck-type ConfigMap and the
 * decision resources. Flotilla has no such objects on its own; a caller that can read them (a live cluster, or
 * manifests in the repository) provides this.
 */
export interface ClusterDecisionSource {
  /** The data of ConfigMap `name`, or undefined when there is none. */
  configMap(name: string): Readonly<Record<string, string>> | undefined;
  /** The objects of `resource` (plural) in `apiVersion` (group/version). */
  list(apiVersion: string, resource: string): readonly KubeObject[];
}

const PATH = ['clusterDecisionResource'];

/**
 * Argo CD's clusterDecisionResource (duck-type) generator: reads the decision list (`status.<statusListKey>`) of the
 * resources named by `name` or `labelSelector`, and yields name/server of each decided cluster Argo CD knows, plus the
 * decision's own fields (as text) and `values`.
 */
export const clusterDecisionResourceGenerator: GeneratorFn = (gen, info, ctx): GenerateResult => {
  const source = ctx.clusterDecisions;
  if (!source) return { params: [], issues: [issue('generator clusterDecisionResource cannot run locally: the clusterDecisionResource generator needs a live cluster (it reads a duck-typed resource from Argo CD’s namespace); not evaluated offline', PATH)] };
  const fail = (message: string): GenerateResult => ({ params: [], issues: [issue(message, PATH)] });
  const cmName = typeof gen['configMapRef'] === 'string' ? gen['configMapRef'] : '';
  let clusters: readonly AppSetCluster[];
  try {
    clusters = ctx.clusters;
  } catch (err) {
    return fail(`error listing clusters: ${(err as Error).message}`);
  }
  const cm = source.configMap(cmName);
  if (!cm) return fail(`error reading configMapRef: configmaps "${cmName}" not found`);
  const apiVersion = cm['apiVersion'] ?? '';
  const kind = cm['kind'] ?? '';
  const versionIdx = apiVersion.indexOf('/');
  const resourceName = typeof gen['name'] === 'string' ? gen['name'] : '';
  const labelSelector = isPlainObject(gen['labelSelector']) ? gen['labelSelector'] : {};
  if (kind === '' || versionIdx < 1) return fail('there is a problem with the apiVersion, kind or resourceName provided');
  const hasSelector = labelSelector['matchLabels'] != null || labelSelector['matchExpressions'] != null;
  if ((resourceName === '' && !hasSelector) || (resourceName !== '' && hasSelector)) {
    return fail('there is a problem with the definition of the ClusterDecisionResource generator');
  }
  let items: readonly KubeObject[];
  try {
    const all = source.list(apiVersion, kind);
    if (resourceName !== '') items = all.filter((o) => o.metadata?.['name'] === resourceName);
    else {
      const match = isEmptySelector(labelSelector) ? () => true : compileLabelSelector(labelSelector);
      items = all.filter((o) => {
        const labels = o.metadata?.['labels'];
        return match(isPlainObject(labels) ? (labels as Record<string, string>) : {});
      });
    }
  } catch (err) {
    return fail(`failed to get dynamic resources: ${(err as Error).message}`);
  }
  if (items.length === 0) return fail('no clusterDecisionResources found');
  const statusListKey = cm['statusListKey'] || 'clusters';
  const matchKey = cm['matchKey'] ?? '';
  if (matchKey === '') return { params: [], issues: [{ severity: 'warning', message: `matchKey not found in ConfigMap ${cmName}`, path: PATH }] };
  const decisions: unknown[] = [];
  for (const o of items) {
    const status = o['status'];
    if (!isPlainObject(status) || Object.keys(status).length === 0) continue;
    const list = status[statusListKey];
    if (Array.isArray(list)) decisions.push(...list);
  }
  const known = [...clusters.map((c) => ({ name: c.name, server: c.server ?? '' }))];
  if (ctx.inCluster !== false && !clusters.some((c) => c.server === IN_CLUSTER_SERVER)) known.push({ name: IN_CLUSTER_NAME, server: IN_CLUSTER_SERVER });
  const values = isPlainObject(gen['values']) ? gen['values'] : {};
  const params: ParamSet[] = [];
  for (const d of decisions) {
    if (!isPlainObject(d)) continue;
    const mv = d[matchKey];
    if (typeof mv !== 'string' || mv === '') continue;
    const cluster = known.find((c) => c.name === mv);
    if (!cluster) continue;
    const p: Params = { name: cluster.name, server: cluster.server };
    for (const [k, v] of Object.entries(d)) p[k] = goSprintV(v);
    if (Object.keys(values).length > 0) {
      if (info.goTemplate) p['values'] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, goSprintV(v)]));
      else for (const [k, v] of Object.entries(values)) p[`values.${k}`] = goSprintV(v);
    }
    params.push({ params: p, path: PATH });
  }
  return { params, issues: [] };
};
