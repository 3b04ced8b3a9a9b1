import type { GitReader } from '../../../shared/appset/engine';
import { clusterForApp } from '../../../shared/fleet/destination';
import type { RenderOptions } from '../../../shared/fleet/render-apps';
import { renderApplication } from '../../../shared/fleet/render-apps';
import type { Application } from '../../../shared/model/application';
import type { ClusterSpec } from '../../../shared/model/fleet';
import { clusterRenderedObjects, inlineAdmissionValidator, isAdmissionObject, policyParamKinds } from '../../../shared/validate/admission';
import type { ValidationInput } from '../../../shared/validate/finding';
import type { FileTree } from '../../../shared/repo/file-tree';
import type { IgnoreRule } from '../../../shared/validate/suppress';
import { lintValidator } from '../../../shared/validate/lint/lint-check';
import { schemaValidator } from '../../../shared/validate/schema/schema-check';
import { SchemaSet } from '../../../shared/validate/schema/schema-set';
import { scoreValidator } from '../../../shared/validate/score/score-check';
import type { Validator } from '../../../shared/validate/types';
import { bundledSchemasFor } from './bundled-schemas';
import { crdsInTree } from './validate-service';

/** Extra validators per cluster (the admission-policy check plugs in here). */
export type ExtraValidators = (cluster: ClusterSpec) => readonly Validator[];

/**
 * The validators of each target cluster of a promotion plan: schemas of the cluster's Kubernetes version (bundled)
 * with the CRDs of the repository at the plan's base, lint and the security score with the fleet file's ignore rules,
 * then the extras. Each cluster's schema set is built once.
 */
export function planValidators(tree: FileTree, clusters: readonly ClusterSpec[], ignore: readonly IgnoreRule[], extra?: ExtraValidators): (cluster: string) => readonly Validator[] {
  let crds: ReturnType<typeof crdsInTree> | undefined;
  const sets = new Map<string, SchemaSet>();
  return (name) => {
    const cluster = clusters.find((c) => c.name === name);
    let set = sets.get(name);
    if (!set) {
      crds ??= crdsInTree(tree);
      set = new SchemaSet(bundledSchemasFor(cluster?.kubernetesVersion).bundle, crds.schemas, crds.problems);
      sets.set(name, set);
    }
    return [schemaValidator(set), lintValidator(ignore), scoreValidator(ignore), ...(cluster && extra ? extra(cluster) : [])];
  };
}

/**
 * The admission check of a promotion plan whose target stage requires it: each target cluster's policies, bindings,
 * params and Namespaces as the repository renders them at the plan's base (every app deploying there, rendered once
 * per cluster), so the plan says which of that cluster's policies would deny the promoted state. A policy the promoted
 * app itself changes is checked as it will be after the promotion (the validator adds the promoted objects).
 *
 * Of each cluster's rendered objects only those the check reads are kept (isAdmissionObject: policies, bindings,
 * Namespaces, CRDs, params of the kinds the policies name), as `validate --app` keeps them. A promoted policy may name
 * a param kind no rendered policy names: then the cluster is rendered again to keep that kind's params too, so the
 * findings are those of the whole rendered cluster.
 */
export function repositoryAdmission(apps: readonly { readonly application: Application }[], git: GitReader, renderWith: RenderOptions): ExtraValidators {
  const byCluster = new Map<string, { readonly paramKinds: ReadonlySet<string>; readonly objects: ValidationInput[] }>();
  const admissionObjects = (cluster: string, needed: ReadonlySet<string>): ValidationInput[] => {
    const kept = byCluster.get(cluster);
    if (kept && [...needed].every((k) => kept.paramKinds.has(k))) return kept.objects;
    const rendered = clusterRenderedObjects(cluster, apps, ({ application }) => clusterForApp(application, renderWith.clusters)?.name,
      ({ application }) => renderApplication(application, git, renderWith).objects.map((object) => ({ object: object as Record<string, unknown> })));
    // A param may be rendered by an app before the policy naming it: the param kinds are the whole cluster's.
    const paramKinds = new Set([...policyParamKinds(rendered.map((r) => r.object)), ...needed]);
    const objects = rendered.filter((r) => isAdmissionObject(r.object, paramKinds));
    byCluster.set(cluster, { paramKinds, objects });
    return objects;
  };
  return (cluster) => [{
    check: 'admission',
    run: (inputs, ctx) => inlineAdmissionValidator({ cluster: cluster.name, renderedObjects: admissionObjects(cluster.name, policyParamKinds(inputs.map((i) => i.object))) }).run(inputs, ctx),
  }];
}
