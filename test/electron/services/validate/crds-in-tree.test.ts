import { describe, expect, it } from 'vitest';
import { MemoryFileTree } from '../../../../shared/repo/file-tree';
import { crdsInTree, crdsInTreeSliced } from '../../../../electron/services/validate/validate-service';
import { SLICE_MS } from '../../../../electron/services/event-loop-slices';

const crd = (kind: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ${kind.toLowerCase()}s.example.com}
spec:
  group: example.com
  names: {kind: ${kind}, plural: ${kind.toLowerCase()}s}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {size: {type: integer}}}
`;

/** A repository of many files read slowly (as from git objects at fleet scale): 1 ms a read. */
function slowTree(): MemoryFileTree {
  const files: Record<string, string> = { 'crds/widget.yaml': crd('Widget'), 'apps/z/crd.yaml': crd('Gadget') };
  for (let i = 0; i < 120; i++) files[`apps/app-${i}/deployment.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${i}}\n`;
  const tree = new MemoryFileTree(files);
  const read = tree.read.bind(tree);
  tree.read = (p: string) => {
    const until = performance.now() + 1;
    while (performance.now() < until);
    return read(p);
  };
  return tree;
}

describe("the repository's CRDs as the server reads them", () => {
  it('finds what the synchronous scan finds, schemas and problems in the same order', async () => {
    const tree = slowTree();
    const sliced = await crdsInTreeSliced(tree);
    expect(sliced).toEqual(crdsInTree(tree));
    expect(sliced.schemas.map((c) => c.key).sort()).toEqual(['example.com/v1/Gadget', 'example.com/v1/Widget']);
  });

  it('answers other calls while it reads: it yields to the event loop between slices of files', async () => {
    const tree = slowTree();
    // 122 reads of at least 1 ms each: several slices of SLICE_MS, so other callbacks run between them.
    let between = 0;
    let done = false;
    const tick = (): void => {
      if (done) return;
      between++;
      setImmediate(tick);
    };
    setImmediate(tick);
    await crdsInTreeSliced(tree).finally(() => (done = true));
    expect(between).toBeGreaterThanOrEqual(Math.floor(122 / SLICE_MS) - 1);
  });
});
