// Whether a policy's matchConstraints or a binding's matchResources select a request, as the API server's admission
// matcher decides it: namespaceSelector, objectSelector, excludeResourceRules, resourceRules (operations, groups,
// versions, resources, resourceNames, scope) and matchPolicy Equivalent over the other served versions of a resource.

import { compileLabelSelector } from '../../appset/label-selector';
import { isRecord } from '../../yaml/documents';
import type { ResourceMapper } from './resources';
import type { AdmissionRequest, GroupVersionResource, KubeJson, MatchResources, ResourceRule } from './types';

/** A match that needs a namespace's labels that are not known offline. */
export class UnknownNamespaceError extends Error {}

/** The result of matching: no, or yes with the resource (and version) matched. */
export type MatchResult = { readonly matches: false } | { readonly matches: true; readonly resource: GroupVersionResource };

const has = (list: readonly string[], v: string): boolean => list.includes('*') || list.includes(v);

function ruleMatches(rule: ResourceRule, req: AdmissionRequest, resource: GroupVersionResource): boolean {
  const isNamespace = resource.group === '' && resource.resource === 'namespaces';
  if (rule.scope === 'Namespaced' && (isNamespace || req.namespace === '')) return false;
  if (rule.scope === 'Cluster' && !(isNamespace || req.namespace === '')) return false;
  if (!has(rule.operations, req.operation)) return false;
  if (!has(rule.apiGroups, resource.group) || !has(rule.apiVersions, resource.version)) return false;
  // No subresources are written by applying manifests: `pods` and `*` match, `pods/status` and `*/status` do not.
  const resOk = rule.resources.some((r) => r === '*' || r === '*/*' || r === resource.resource || r === `${resource.resource}/*`);
  if (!resOk) return false;
  return rule.resourceNames.length === 0 || rule.resourceNames.includes(req.name);
}

function rulesMatch(rules: readonly ResourceRule[], policy: MatchResources['matchPolicy'], req: AdmissionRequest, mapper: ResourceMapper): GroupVersionResource | undefined {
  for (const r of rules) if (ruleMatches(r, req, req.resource)) return req.resource;
  if (policy !== 'Equivalent') return undefined;
  // Another version can only match a rule that names this group and resource.
  if (!rules.some((r) => has(r.apiGroups, req.resource.group) && r.resources.some((x) => x === '*' || x === '*/*' || x === req.resource.resource || x === `${req.resource.resource}/*`))) return undefined;
  for (const version of mapper.versions(req.resource.group, req.resource.resource)) {
    if (version === req.resource.version) continue;
    const equivalent = { ...req.resource, version };
    for (const r of rules) if (ruleMatches(r, req, equivalent)) return equivalent;
  }
  return undefined;
}

function labelsOf(o: KubeJson | null | undefined): Record<string, string> {
  const meta = o?.['metadata'];
  const labels = isRecord(meta) ? meta['labels'] : undefined;
  return isRecord(labels) ? (labels as Record<string, string>) : {};
}

function isEmptySelector(sel: unknown): boolean {
  if (!isRecord(sel)) return true;
  const ml = sel['matchLabels'];
  const me = sel['matchExpressions'];
  return !(isRecord(ml) && Object.keys(ml).length > 0) && !(Array.isArray(me) && me.length > 0);
}

/**
 * Whether `criteria` select `req`. `namespace` is the request's Namespace object (undefined when not known); a
 * non-empty namespaceSelector on a namespaced request with an unknown namespace throws UnknownNamespaceError.
 * Selectors that do not parse throw the SelectorError naming what is wrong.
 */
export function matchResources(criteria: MatchResources, req: AdmissionRequest, namespace: KubeJson | undefined, mapper: ResourceMapper): MatchResult {
  const no = { matches: false } as const;
  const isNamespace = req.kind.group === '' && req.kind.kind === 'Namespace';
  if (!isEmptySelector(criteria.namespaceSelector) && (req.namespace !== '' || isNamespace)) {
    const labels = isNamespace ? labelsOf(req.object) : namespace ? labelsOf(namespace) : undefined;
    if (!labels) throw new UnknownNamespaceError(`the labels of namespace ${req.namespace} are not known (not among the rendered objects nor read from the cluster)`);
    if (!compileLabelSelector(criteria.namespaceSelector)(labels)) return no;
  }
  if (!isEmptySelector(criteria.objectSelector)) {
    const sel = compileLabelSelector(criteria.objectSelector);
    if (!sel(labelsOf(req.object)) && !(req.oldObject && sel(labelsOf(req.oldObject)))) return no;
  }
  if (rulesMatch(criteria.excludeResourceRules, criteria.matchPolicy, req, mapper)) return no;
  if (criteria.resourceRules.length === 0) return { matches: true, resource: req.resource };
  const resource = rulesMatch(criteria.resourceRules, criteria.matchPolicy, req, mapper);
  return resource ? { matches: true, resource } : no;
}
