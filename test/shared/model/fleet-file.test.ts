import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../../shared/problem';
import { scanRepository } from '../../../shared/repo/scan';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import { parseYamlDocuments } from '../../../shared/yaml/documents';
import { didYouMean, editDistance } from '../../../shared/yaml/strict-fields';

const FLEET = [
  'apiVersion: flotilla.dev/v1alpha1', // 1
  'kind: Fleet', // 2
  'metadata:', // 3
  '  name: t', // 4
  'spec:', // 5
  '  applicationSets: [appsets/*.yaml]', // 6
  '  clusterz: []', // 7
  '  loadRestrictor: sometimes', // 8
  '  clusters:', // 9
  '    - name: dev', // 10
  '      context: flotilla-dev', // 11
  '      enviroment: dev', // 12
  '    - name: prod', // 13
  '      server: [not, a, url]', // 14
  '', //
].join('\n');

describe('the fleet file schema', () => {

  it('refuses unknown fields with a "did you mean", and points every problem at the offending node', () => {
    const scan = scanRepository(new MemoryFileTree([['flotilla.yaml', FLEET]], 'a'.repeat(40)));
    expect(scan.problems.map(formatProblem)).toEqual([
      'flotilla.yaml:7:3: fleet file: spec.clusterz: unknown field "clusterz" (did you mean "clusters"?)',
      'flotilla.yaml:12:7: fleet file: spec.clusters[0].enviroment: unknown field "enviroment" (did you mean "environment"?)',
      'flotilla.yaml:14:15: fleet file: spec.clusters[1].server: expected a non-empty string, got ["not","a","url"]',
      'flotilla.yaml:8:19: fleet file: spec.loadRestrictor: must be `rootOnly` or `none`, got "sometimes"',
    ]);
  });

  it('maps a JSON path to the line and column of its key or value, and a missing field to its parent', () => {
    const [doc] = parseYamlDocuments(FLEET, 'flotilla.yaml').docs;
    expect(doc!.at(['spec', 'clusters', 1, 'server'])).toEqual({ line: 14, column: 7 });
    expect(doc!.at(['spec', 'clusters', 1, 'server'], 'value')).toEqual({ line: 14, column: 15 });
    expect(doc!.at(['spec', 'clusters', 0])).toEqual({ line: 10, column: 7 });
    expect(doc!.at(['spec', 'clusters', 1, 'labels', 'tier'])).toEqual({ line: 13, column: 7 });
    expect(doc!.at(['spec', 'nothing'])).toEqual({ line: 5, column: 1 });
  });

  it('suggests by edit distance, and only what is close', () => {
    expect(editDistance('clusterz', 'clusters')).toBe(1);
    expect(didYouMean('promotionTemplate', ['promote', 'stages', 'git'])).toBeUndefined();
    expect(didYouMean('stagez', ['promote', 'stages', 'git'])).toBe('stages');
  });
});
