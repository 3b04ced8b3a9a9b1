/**
 * The kustomize build: accumulate resources from a kustomization and everything it reaches, run generators,
 * components and transformers per kustomization, then hash names, fix name references, resolve vars and sort.
 */
export type { HelmRunner, HelmTemplateRequest, KustomizeOptions, KustomizeResult } from './build-types';
import type { Problem } from '../problem';
import { problem } from '../problem';
import type { FileTree } from '../repo/file-tree';
import type { KustomizeOptions, KustomizeResult } from './build-types';
import { BuildError } from './build-types';
import { Builder } from './builder';

/** Builds the kustomization (or plain manifest folder) at `path` like `kustomize build path`. */
export function kustomizeBuild(tree: FileTree, path: string, options: KustomizeOptions = {}): KustomizeResult {
  const b = new Builder(tree, options);
  try {
    return b.build(path);
  } catch (e) {
    const p: Problem =
      e instanceof BuildError
        ? e.problem
        : problem(`kustomize build failed: ${e instanceof Error ? e.message : String(e)}`, { file: path });
    return { resources: [], yaml: '', problems: [p], files: [...b.files].sort() };
  }
}
