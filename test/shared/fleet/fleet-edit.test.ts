import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { upsertCluster } from '../../../shared/fleet/fleet-edit';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import { scanRepository } from '../../../shared/repo/scan';
import { repoRoot } from '../../helpers/paths';

const example = readFileSync(path.join(repoRoot, 'examples/fleet/flotilla.yaml'), 'utf8');

describe('upsertCluster', () => {
  it('adds a cluster to the example fleet file, keeping its comments', () => {
    const out = upsertCluster(example, { name: 'prod-us', context: 'flotilla-prod-us', environment: 'prod', labels: { region: 'us-east-1' } });
    expect(out).toContain('# The fleet file: which clusters exist');
    expect(out).toContain('# The URL the ApplicationSets use for this repository');
    const scan = scanRepository(new MemoryFileTree({ 'flotilla.yaml': out }));
    expect(scan.problems).toEqual([]);
    expect(scan.fleet.clusters.map((c) => c.name)).toEqual(['dev', 'staging', 'prod', 'prod-us']);
    expect(scan.fleet.clusters[3]).toMatchObject({ context: 'flotilla-prod-us', environment: 'prod', labels: { environment: 'prod', region: 'us-east-1' } });
  });

  it('relabels an existing cluster in place and leaves the others byte for byte', () => {
    const out = upsertCluster(example, { name: 'staging', context: 'flotilla-staging', server: 'https://127.0.0.1:26443', environment: 'staging', labels: { region: 'eu-central-1' } });
    const scan = scanRepository(new MemoryFileTree({ 'flotilla.yaml': out }));
    expect(scan.fleet.clusters.find((c) => c.name === 'staging')?.labels).toEqual({ environment: 'staging', region: 'eu-central-1' });
    const devBlock = (t: string): string => t.slice(t.indexOf('    - name: dev'), t.indexOf('    - name: staging'));
    expect(devBlock(out)).toBe(devBlock(example));
  });

  it('writes a new fleet file when there is none, and refuses an invalid name', () => {
    const out = upsertCluster(undefined, { name: 'dev', context: 'kind-dev', labels: {} });
    expect(scanRepository(new MemoryFileTree({ 'flotilla.yaml': out })).fleet.clusters.map((c) => c.context)).toEqual(['kind-dev']);
    expect(() => upsertCluster(example, { name: 'Prod_EU', context: 'x', labels: {} })).toThrow(/DNS-1123/);
  });
});
