import { describe, expect, it } from 'vitest';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import { scanRepository } from '../../../shared/repo/scan';

const appset = (name: string) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: ${name}
spec:
  generators:
    - list:
        elements: [{cluster: dev}]
  template:
    metadata: {name: '${name}-{{cluster}}'}
    spec: {project: default, destination: {server: https://x}}
`;

describe('scanRepository', () => {
  it('finds ApplicationSets in the globs of the fleet file and reads its clusters, with environment as a label', () => {
    const tree = new MemoryFileTree({
      'flotilla.yaml': `apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata: {name: f}\nspec:\n  applicationSets: [appsets/*.yaml]\n  clusters:\n    - name: dev\n      environment: dev\n      labels: {region: eu}\n`,
      'appsets/a.yaml': appset('a'),
      'other/b.yaml': appset('b'),
    });
    const scan = scanRepository(tree);
    expect(scan.problems).toEqual([]);
    expect(scan.applicationSets.map((d) => d.value.metadata)).toEqual([{ name: 'a' }]);
    expect(scan.fleet.clusters[0]).toMatchObject({ name: 'dev', environment: 'dev', labels: { environment: 'dev', region: 'eu' } });
  });

  it('reports a YAML file that does not parse with its path, line and column, and keeps the other files', () => {
    const tree = new MemoryFileTree({
      'appsets/good.yaml': appset('good'),
      'appsets/bad.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: [unclosed\n',
    });
    const scan = scanRepository(tree);
    expect(scan.applicationSets.map((d) => d.file)).toEqual(['appsets/good.yaml']);
    expect(scan.problems).toHaveLength(1);
    expect(scan.problems[0]).toMatchObject({ severity: 'error', file: 'appsets/bad.yaml' });
    expect(scan.problems[0]!.line).toBeGreaterThanOrEqual(4);
    expect(scan.problems[0]!.column).toBeGreaterThan(0);
  });

  it('reports a fleet file that is not a Fleet document', () => {
    const scan = scanRepository(new MemoryFileTree({ 'flotilla.yaml': 'kind: Something\n' }));
    expect(scan.problems[0]).toMatchObject({ file: 'flotilla.yaml', message: expect.stringContaining('kind Fleet') });
  });

  it('collects Argo CD cluster Secrets', () => {
    const scan = scanRepository(
      new MemoryFileTree({
        'clusters/prod.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: prod\n  labels:\n    argocd.argoproj.io/secret-type: cluster\nstringData:\n  name: prod\n  server: https://prod\n`,
      }),
    );
    expect(scan.clusterSecrets.map((d) => d.file)).toEqual(['clusters/prod.yaml']);
  });
});
