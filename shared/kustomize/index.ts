/** Kustomize-compatible overlay rendering in pure TypeScript: `kustomizeBuild` renders like `kustomize build`. */
export { kustomizeBuild } from './build';
export type { HelmRunner, HelmTemplateRequest, KustomizeOptions, KustomizeResult } from './build';
export type { KubeObject } from '../model/status';
export { isClusterScoped, parseApiVersion } from './resource';
export { KustomizeCache } from './cache';
export { emitYaml, readYaml } from './yaml';
export type { Json, JsonMap } from './yaml';
