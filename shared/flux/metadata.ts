import type { JsonMap } from '../kustomize/yaml';
import { isMapValue } from '../kustomize/yaml';

// The metadata Flux sets on what it applies: the owner labels (`kustomize.toolkit.fluxcd.io/name|namespace`,
// `helm.toolkit.fluxcd.io/name|namespace`) and `spec.commonMetadata` (labels and annotations, winning over equal keys).

/** Adds labels and annotations to the object's metadata (a copy of the object; existing keys are overridden). */
export function withMetadata(obj: JsonMap, labels: Readonly<Record<string, string>>, annotations: Readonly<Record<string, string>> = {}): JsonMap {
  const meta: JsonMap = isMapValue(obj['metadata']) ? { ...obj['metadata'] } : {};
  if (Object.keys(labels).length > 0) meta['labels'] = { ...(isMapValue(meta['labels']) ? meta['labels'] : {}), ...labels };
  if (Object.keys(annotations).length > 0) meta['annotations'] = { ...(isMapValue(meta['annotations']) ? meta['annotations'] : {}), ...annotations };
  return { ...obj, metadata: meta };
}

/** Owner labels of a Flux object of the given API group. */
export function ownerLabels(group: string, name: string, namespace: string): Record<string, string> {
  return { [`${group}/name`]: name, [`${group}/namespace`]: namespace };
}
