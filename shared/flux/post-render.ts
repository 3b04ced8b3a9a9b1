import { kustomizeBuild } from '../kustomize';
import type { JsonMap } from '../kustomize/yaml';
import { isMapValue } from '../kustomize/yaml';
import { MemoryFileTree } from '../repo/file-tree';
import { printObjects } from '../sources/manifests';

// A HelmRelease's `spec.postRenderers` as helm-controller runs them (internal/postrender): each `kustomize` entry is a
// kustomization over the release manifest (`resources: [helm-output.yaml]`, its `images` and `patches`), built with
// no load restriction, in order; then commonMetadata and the origin labels (helm-release.ts). Hooks and the chart's
// `crds/` are not post-rendered, as Helm does not pass them to post-renderers.

const SELECTOR_FIELDS = ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const;
const IMAGE_FIELDS = ['name', 'newName', 'newTag', 'digest'] as const;

/** The kustomization one `postRenderers[].kustomize` entry makes, as helm-controller marshals it (empty fields left out). */
function kustomizationOf(k: JsonMap, at: string): { kustomization: JsonMap } | { error: string } {
  const out: JsonMap = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' };
  const images = k['images'];
  if (images !== undefined && images !== null) {
    if (!Array.isArray(images)) return { error: `${at}.images: expected a list` };
    out['images'] = images.map((im) => (isMapValue(im) ? Object.fromEntries(IMAGE_FIELDS.filter((f) => typeof im[f] === 'string' && im[f] !== '').map((f) => [f, im[f]!])) : {}));
  }
  out['resources'] = ['helm-output.yaml'];
  const patches = k['patches'];
  if (patches !== undefined && patches !== null) {
    if (!Array.isArray(patches)) return { error: `${at}.patches: expected a list` };
    const list: JsonMap[] = [];
    for (const [i, p] of patches.entries()) {
      if (!isMapValue(p) || typeof p['patch'] !== 'string') return { error: `${at}.patches[${i}].patch: expected a string` };
      const t = isMapValue(p['target']) ? p['target'] : undefined;
      const target = t ? Object.fromEntries(SELECTOR_FIELDS.filter((f) => typeof t[f] === 'string' && t[f] !== '').map((f) => [f, t[f]!])) : undefined;
      list.push({ patch: p['patch'], ...(target && Object.keys(target).length ? { target } : {}) });
    }
    out['patches'] = list;
  }
  return { kustomization: out };
}

/** Runs the HelmRelease's kustomize post-renderers over the release manifest, in order. */
export function runPostRenderers(manifests: readonly JsonMap[], postRenderers: unknown): { objects: JsonMap[] } | { error: string } {
  if (postRenderers === undefined || postRenderers === null) return { objects: [...manifests] };
  if (!Array.isArray(postRenderers)) return { error: 'spec.postRenderers: expected a list' };
  let objects: JsonMap[] = [...manifests];
  for (const [i, pr] of postRenderers.entries()) {
    const k = isMapValue(pr) ? pr['kustomize'] : undefined;
    if (!isMapValue(k)) continue;
    const made = kustomizationOf(k, `spec.postRenderers[${i}].kustomize`);
    if ('error' in made) return made;
    const tree = new MemoryFileTree({ 'helm-output.yaml': printObjects(objects), 'kustomization.yaml': JSON.stringify(made.kustomization) });
    const built = kustomizeBuild(tree, '.', { loadRestrictor: 'none' });
    if (built.problems.length > 0) return { error: `spec.postRenderers[${i}].kustomize: ${built.problems[0]!.message}` };
    objects = built.resources as JsonMap[];
  }
  return { objects };
}
