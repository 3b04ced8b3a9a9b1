import { describe, expect, it } from 'vitest';
import { healthCustomizationsFromConfigMap, parseHealthSpec } from '../../../shared/health';

describe('parseHealthSpec (the fleet file spec.health block)', () => {
  it('reads Lua scripts keyed by <group>_<kind>', () => {
    const r = parseHealthSpec({ customizations: { 'argoproj.io_Application': 'return {status="Healthy"}', _Service: 'return nil' } }, 'fleet.yaml');
    expect(r.problems).toEqual([]);
    expect(Object.keys(r.customizations)).toEqual(['argoproj.io_Application', '_Service']);
  });

  it('reports bad keys, non-string scripts and unknown fields with the file, keeping the good entries', () => {
    const r = parseHealthSpec({ customizations: { 'apps/Deployment': 'x', 'apps_StatefulSet': 42, 'apps_DaemonSet': 'return nil' }, extra: 1 }, 'fleet.yaml');
    expect(r.customizations).toEqual({ apps_DaemonSet: 'return nil' });
    expect(r.problems.map((p) => p.message)).toEqual([
      'spec.health.extra: unknown field (expected customizations)',
      'spec.health.customizations.apps/Deployment: expected a key "<group>_<kind>" (e.g. argoproj.io_Application, _Service for the core group)',
      'spec.health.customizations.apps_StatefulSet: expected a Lua script (a string)',
    ]);
    expect(r.problems.every((p) => p.file === 'fleet.yaml')).toBe(true);
  });

  it('accepts an absent block and rejects a non-mapping', () => {
    expect(parseHealthSpec(undefined)).toEqual({ customizations: {}, problems: [] });
    expect(parseHealthSpec('yes').problems).toHaveLength(1);
  });
});

describe('healthCustomizationsFromConfigMap (argocd-cm)', () => {
  it('reads resource.customizations.health.<group>_<kind> keys and the older resource.customizations YAML', () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-cm' },
      data: {
        'resource.customizations.health.argoproj.io_Application': 'return {status="Healthy"}',
        'resource.customizations': 'cert-manager.io/Certificate:\n  health.lua: |\n    return {status="Degraded"}\n',
        'url': 'https://argocd.example.com',
      },
    };
    const r = healthCustomizationsFromConfigMap(cm);
    expect(r.problems).toEqual([]);
    expect(r.customizations).toEqual({
      'cert-manager.io_Certificate': 'return {status="Degraded"}\n',
      'argoproj.io_Application': 'return {status="Healthy"}',
    });
  });
});
