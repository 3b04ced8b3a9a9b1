import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, exampleRepo, writeFiles } from '../helpers/git-fixtures';
import { cli } from '../helpers/run-cli';
import { readYaml } from '../../shared/kustomize/yaml';
import { parseYamlDocuments } from '../../shared/yaml/documents';
import { YAML_LIMITS } from '../../shared/yaml/limits';

/** "Billion laughs": ten levels of ten aliases each, 10^10 strings once expanded. */
function aliasBomb(): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: lol', 'laughs:', '  l0: &l0 "lol"'];
  for (let i = 1; i <= 10; i++) lines.push(`  l${i}: &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

describe('YAML cost limits hold on every path that reads repository YAML', () => {
  let repo: { dir: string; cleanup: () => void };
  beforeAll(() => {
    repo = exampleRepo();
    writeFiles(repo.dir, {
      'apps/worker/overlays/prod/bomb.yaml': aliasBomb(),
      'apps/worker/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\n  - bomb.yaml\n',
    });
    commitAll(repo.dir, 'plant an alias bomb in worker-prod');
  });
  afterAll(() => repo.cleanup());

  it('render PATH refuses an alias bomb in a kustomize resource at once, naming the file and the limit', async () => {
    const started = Date.now();
    const r = await cli(['render', 'apps/worker/overlays/prod'], repo.dir);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    expect(r.err).toContain('bomb.yaml');
    expect(r.err).toContain('YAML_LIMITS.maxAliasCount');
  });

  it('render --app refuses the same bomb, and the other apps still render', async () => {
    const started = Date.now();
    const r = await cli(['render', '--repo', repo.dir, '--app', 'worker-prod', '--cluster', 'prod']);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    expect(r.err).toContain('bomb.yaml');
    expect(r.err).toContain('YAML_LIMITS.maxAliasCount');
    const other = await cli(['render', '--repo', repo.dir, '--app', 'api-prod', '--cluster', 'prod']);
    expect(other.code).toBe(0);
  });

  it('the kustomize reader and the scan reader both stop the bomb with a line and column', () => {
    const k = readYaml(aliasBomb(), 'bomb.yaml', { duplicateKeys: 'error' });
    expect(k.docs).toEqual([]);
    expect(k.problems[0]).toMatchObject({ file: 'bomb.yaml', line: expect.any(Number), column: expect.any(Number) });
    expect(k.problems[0]!.message).toContain(`beyond ${YAML_LIMITS.maxAliasCount}`);
    const s = parseYamlDocuments(aliasBomb(), 'bomb.yaml');
    expect(s.docs).toEqual([]);
    expect(s.problems[0]!.message).toContain('YAML_LIMITS.maxAliasCount');
  });

  it('a YAML file over the size limit is refused with the limit named, not parsed', () => {
    const big = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: "' + 'x'.repeat(YAML_LIMITS.maxFileBytes) + '"\n';
    const started = Date.now();
    const k = readYaml(big, 'big.yaml', { duplicateKeys: 'error' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(k.problems[0]!.message).toMatch(/over the limit of 16 MiB for a YAML file \(YAML_LIMITS\.maxFileBytes\)/);
    expect(parseYamlDocuments(big, 'big.yaml').problems[0]!.message).toContain('YAML_LIMITS.maxFileBytes');
  });

  it('health -f refuses the bomb with the same limit', async () => {
    writeFiles(repo.dir, { 'bomb-health.yaml': aliasBomb() });
    const r = await cli(['health', '-f', `${repo.dir}/bomb-health.yaml`]);
    expect(r.err).toContain('YAML_LIMITS.maxAliasCount');
  });
});
