import type { ClusterSpec } from '../../../shared/model/fleet';
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
