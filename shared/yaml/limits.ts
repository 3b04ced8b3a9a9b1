/**
 * Cost limits for every YAML file Flotilla reads from a repository (kustomize resources and kustomizations,
 * ApplicationSets, fleet files, pipelines, generator files, health customizations): one set, named in each error.
 * A YAML "billion laughs" (aliases of aliases) or an oversized file stops at once with a clear Problem instead of
 * exhausting memory.
 */
export const YAML_LIMITS = {
  /**
   * Largest YAML file read, in characters (16 MiB). Argo CD's repo server refuses more than 10 MB of manifests in a
   * directory by default; etcd stores objects of at most 1.5 MiB.
   */
  maxFileBytes: 16 * 1024 * 1024,
  /** Aliases one document may resolve (the yaml package's `maxAliasCount`: resolutions × aliases inside each target). */
  maxAliasCount: 1000,
  /** Nodes one document may hold once its aliases are expanded. */
  maxNodes: 1_000_000,
} as const;

/** Options for `Document.toJS` that apply the alias limit. */
export const YAML_TO_JS = { maxAliasCount: YAML_LIMITS.maxAliasCount } as const;

/** The error text when a file is over the size limit, or undefined when it is within it. */
export function yamlSizeError(text: string): string | undefined {
  if (text.length <= YAML_LIMITS.maxFileBytes) return undefined;
  return `file is ${mib(text.length)} MiB, over the limit of ${mib(YAML_LIMITS.maxFileBytes)} MiB for a YAML file (YAML_LIMITS.maxFileBytes)`;
}

/** The error text when aliases expand beyond a limit. */
export function yamlAliasError(what: 'aliases' | 'nodes'): string {
  return what === 'aliases'
    ? `aliases expand beyond ${YAML_LIMITS.maxAliasCount} resolutions in one document (YAML_LIMITS.maxAliasCount; an alias bomb?)`
    : `document expands to more than ${YAML_LIMITS.maxNodes} nodes (YAML_LIMITS.maxNodes; an alias bomb?)`;
}

/** The yaml package's own message for too many aliases, reworded to name the limit; other messages pass unchanged. */
export function yamlLimitMessage(message: string): string {
  return /Excessive alias count/.test(message) ? yamlAliasError('aliases') : message;
}

function mib(n: number): string {
  const v = n / (1024 * 1024);
  return v >= 10 ? v.toFixed(0) : v.toFixed(1);
}
