import { describe, expect, it } from 'vitest';
import { substituteObject } from '../../../shared/flux/substitute';
import { decodeKustomization, objectStore } from '../../../shared/flux/types';
import type { FluxKustomizationSpec } from '../../../shared/flux/types';
import { emitYaml, readYaml } from '../../../shared/kustomize/yaml';
import type { JsonMap } from '../../../shared/kustomize/yaml';

// An object with no `$` skips the YAML round trip: it must come out exactly as the round trip would give it, strings
// that YAML 1.1 reads as other types included (the emitter quotes them).

const spec = (decodeKustomization({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'k', namespace: 'flux-system' }, spec: { path: './', sourceRef: { kind: 'GitRepository', name: 'r' }, postBuild: { substitute: { region: 'eu' } } } }) as { spec: FluxKustomizationSpec }).spec;

describe('substituteObject without a $ in the object', () => {
  it('returns the object the round trip would give, tricky YAML 1.1 strings kept strings', () => {
    const obj: JsonMap = {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { on: 'yes' } },
      data: { a: 'yes', b: 'on', c: '0777', d: '1e3', e: '0x1F', f: 'null', g: '~', h: 'true', i: '1_000', j: '.5', k: '012', l: 'y', m: '-.inf', n: '' },
      list: [1, 2.5, true, null, 'No'],
    };
    const r = substituteObject(obj, spec, 'flux-system', objectStore([]));
    expect(r).toEqual({ obj });
    const { docs } = readYaml(emitYaml(obj), '', { duplicateKeys: 'lastWins', schema: 'yaml11' });
    expect(docs[0]!.value).toEqual(obj);
  });

  it('still substitutes an object that has one', () => {
    const r = substituteObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { region: '${region}', n: '${count:=3}' } }, spec, 'flux-system', objectStore([]));
    expect(r).toEqual({ obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { region: 'eu', n: 3 } } });
  });
});
