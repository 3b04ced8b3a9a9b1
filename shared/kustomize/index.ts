/** Kustomize-compatible overlay rendering in pure TypeScript: `kustomizeBuild` renders like `kustomize build`. */
export { kustomizeBuild } from './build';
export type { HelmRunner, HelmTemplateRequest, KubeObject, KustomizeOptions, KustomizeResult } from './build';
export { KustomizeCache } from './cache';
export { emitYaml, readYaml } from './yaml';
export type { Json, JsonMap } from './yaml';
