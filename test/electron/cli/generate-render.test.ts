import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, exampleRepo, tempDir, writeFiles } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';

describe('flotilla generate and flotilla render on the example fleet', () => {
  let repo: { dir: string; cleanup: () => void };
  let out: { dir: string; cleanup: () => void };
  beforeAll(() => {
    repo = exampleRepo();
    out = tempDir();
  });
  afterAll(() => {
    repo.cleanup();
    out.cleanup();
  });

  it('generate -o json prints a JSON array of the Application objects (generated and plain)', async () => {
    const r = await cli(['generate', '--repo', repo.dir, '-o', 'json']);
    expect(r.code).toBe(0);
    const apps = JSON.parse(r.out) as { kind: string; metadata: { name: string }; spec: { source: { path: string } } }[];
    expect(apps).toHaveLength(14);
    expect(apps.find((a) => a.metadata.name === 'guestbook')?.spec.source.path).toBe('guestbook');
    expect(apps.every((a) => a.kind === 'Application')).toBe(true);
    expect(apps.find((a) => a.metadata.name === 'worker-staging')?.spec.source.path).toBe('apps/worker/overlays/staging');
  });

  it('generate --explain adds the generator path and parameters of each app; --appset limits to one file', async () => {
    const r = await cli(['generate', '--repo', repo.dir, '--appset', 'appsets/apps.yaml', '--explain', '-o', 'json']);
    const apps = JSON.parse(r.out) as { metadata: { name: string }; explain: { generators: string[]; params: { name: string; path: { basename: string } } } }[];
    expect(apps).toHaveLength(9);
    const api = apps.find((a) => a.metadata.name === 'api-staging')!;
    expect(api.explain.generators).toEqual(['matrix', 'clusters', 'git']);
    expect(api.explain.params).toMatchObject({ name: 'staging', path: { basename: 'api' } });
  });

  it('generate --appset takes a name: one ApplicationSet, and an ambiguous name is an error naming both files', async () => {
    const twin = tempDir('flotilla-twin-');
    try {
      execFileSync('git', ['clone', '-q', repo.dir, twin.dir]);
      const text = readFileSync(path.join(repo.dir, 'appsets/platform.yaml'), 'utf8');
      writeFiles(twin.dir, { 'appsets/team-b.yaml': text.replace('namespace: argocd', 'namespace: team-b').replace("'platform-{{cluster}}'", "'b-platform-{{cluster}}'") });
      commitAll(twin.dir, 'a second ApplicationSet named platform');
      const one = await cli(['generate', '--repo', twin.dir, '--appset', 'apps', '-o', 'json']);
      expect(one.code).toBe(0);
      expect((JSON.parse(one.out) as unknown[]).length).toBe(9);
      const both = await cli(['generate', '--repo', twin.dir, '--appset', 'platform']);
      expect(both.code).toBe(2);
      expect(both.out).toBe('');
      expect(both.err).toContain('--appset platform is ambiguous: 2 ApplicationSets are named platform (appsets/platform.yaml:');
      expect(both.err).toContain('appsets/team-b.yaml:');
      const byFile = await cli(['generate', '--repo', twin.dir, '--appset', 'appsets/team-b.yaml', '-o', 'json']);
      const byNs = await cli(['generate', '--repo', twin.dir, '--appset', 'team-b/platform', '-o', 'json']);
      expect(byNs.out).toBe(byFile.out);
      expect((JSON.parse(byFile.out) as unknown[]).length).toBeGreaterThan(0);
    } finally {
      twin.cleanup();
    }
  });

  it('generate names an unknown --appset file and exits 2', async () => {
    const r = await cli(['generate', '--repo', repo.dir, '--appset', 'nope.yaml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no ApplicationSet in file or named nope.yaml (ApplicationSets: apps, platform; in files: appsets/apps.yaml, appsets/platform.yaml)');
  });

  it('render . from inside an overlay builds it, as kustomize build . does; a path outside the repository is refused', async () => {
    const dir = path.join(repo.dir, 'apps/frontend/overlays/prod');
    const r = await cli(['render', '.'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe((await cli(['render', 'apps/frontend/overlays/prod'], repo.dir)).out);
    expect((await cli(['render', '../dev'], dir)).out).toBe((await cli(['render', 'apps/frontend/overlays/dev'], repo.dir)).out);
    const outside = await cli(['render', '../../../../..'], dir);
    expect(outside.code).toBe(2);
    expect(outside.err).toContain('is outside the repository');
  });

  it('render PATH prints exactly what kubectl kustomize prints', async () => {
    for (const p of ['apps/frontend/overlays/prod', 'apps/worker/overlays/dev', 'platform/overlays/staging']) {
      const r = await cli(['render', p], repo.dir);
      expect(r.err).toBe('');
      expect(r.out).toBe(execFileSync('kubectl', ['kustomize', path.join(repo.dir, p)], { encoding: 'utf8' }));
    }
  });

  it('render --app --cluster renders a generated Application with its destination namespace', async () => {
    const r = await cli(['render', '--repo', repo.dir, '--app', 'api-prod', '--cluster', 'prod']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('namespace: api');
    expect(r.out).toContain('image: ghcr.io/example/api:2.3.1');
    // Which source type rendered each source goes to stderr; stdout stays the manifests.
    expect(r.err).toMatch(/^api-prod: source 1: kustomize at apps\/api\/overlays\/prod → \d+ objects\n$/);
  });

  it('render --all -o DIR writes every app × cluster', async () => {
    const r = await cli(['render', '--repo', repo.dir, '--all', '-o', out.dir]);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(out.dir, 'staging', 'frontend-staging.yaml'), 'utf8')).toContain('replicas: 2');
  });

  it('render names a missing resource file and exits 2, while --all still renders the other apps', async () => {
    writeFiles(repo.dir, { 'apps/worker/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\n  - missing.yaml\n' });
    commitAll(repo.dir, 'break worker-prod');
    const one = await cli(['render', 'apps/worker/overlays/prod'], repo.dir);
    expect(one.code).toBe(2);
    expect(one.err).toContain('missing.yaml');
    const all = await cli(['render', '--repo', repo.dir, '--all', '-o', path.join(out.dir, 'again')]);
    expect(all.code).toBe(2);
    expect(all.err).toContain('wrote 14 of 15 Applications');
    expect(all.err).toMatch(/worker-prod/);
  });
});
