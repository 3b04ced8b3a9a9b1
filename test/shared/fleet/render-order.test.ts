import { describe, expect, it } from 'vitest';
import type { AppRow } from '../../../shared/api/contract';
import { bySourceFolder } from '../../../shared/fleet/render-order';
import type { ApplicationSource } from '../../../shared/model/application';

function row(name: string, source?: ApplicationSource, sources?: readonly ApplicationSource[]): AppRow {
  return {
    name,
    appset: 'apps',
    origin: { kind: 'file', file: 'apps.yaml', line: 1 },
    application: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name }, spec: { project: 'default', destination: { name: name.split('-').pop()! }, ...(source ? { source } : {}), ...(sources ? { sources } : {}) } },
  };
}

const repo = 'https://git.example.com/fleet.git';

describe('bySourceFolder', () => {
  it('brings the sibling overlays of an app together, out of the cluster-by-cluster generation order', () => {
    const generated = ['dev', 'staging', 'prod'].flatMap((env) => ['a', 'b'].map((app) => row(`${app}-${env}`, { repoURL: repo, path: `apps/${app}/overlays/${env}` })));
    expect(bySourceFolder(generated).map((r) => r.name)).toEqual(['a-dev', 'a-prod', 'a-staging', 'b-dev', 'b-prod', 'b-staging']);
  });

  it('keeps apps of the same source in their order and sorts multi-source apps by their first source', () => {
    const same = [row('x-2', { repoURL: repo, path: 'apps/x' }), row('x-1', { repoURL: repo, path: 'apps/x' })];
    const multi = row('m', undefined, [{ repoURL: repo, path: 'apps/a' }, { repoURL: repo, path: 'zz' }]);
    expect(bySourceFolder([...same, multi]).map((r) => r.name)).toEqual(['m', 'x-2', 'x-1']);
  });

  it('leaves its input untouched', () => {
    const input = [row('b', { repoURL: repo, path: 'b' }), row('a', { repoURL: repo, path: 'a' })];
    bySourceFolder(input);
    expect(input.map((r) => r.name)).toEqual(['b', 'a']);
  });
});
