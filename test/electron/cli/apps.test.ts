import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, exampleRepo, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';

describe('flotilla apps on the bundled example fleet (a real git repository)', () => {
  let repo: { dir: string; cleanup: () => void };
  beforeAll(() => void (repo = exampleRepo()));
  afterAll(() => repo.cleanup());

  it('lists the nine matrix apps, three list apps and the two plain Applications, with HEAD', async () => {
    const r = await cli(['apps', '--repo', repo.dir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const head = git(repo.dir, 'rev-parse', '--short=7', 'HEAD').trim();
    expect(r.out).toContain(`at ${head} (main)`);
    for (const app of ['frontend-dev', 'api-staging', 'worker-prod', 'platform-dev', 'platform-prod', 'guestbook', 'hello']) expect(r.out).toMatch(new RegExp(`\\b${app}\\b`));
    expect(r.out).toMatch(/guestbook\s+file applications\/guestbook\.yaml:3\s+default/);
  });

  it('prints JSON with -o json: every app with its origin, destination and source', async () => {
    const r = await cli(['apps', '--repo', repo.dir, '-o', 'json']);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.out) as { name: string; origin: string; appset?: string; destination: { server: string; namespace: string }; source: { path: string } }[];
    expect([...new Set(data.flatMap((a) => a.appset ?? []))].sort()).toEqual(['apps', 'platform']);
    expect(data.filter((a) => a.appset === 'apps')).toHaveLength(9);
    expect(data.find((a) => a.name === 'api-prod')).toMatchObject({ origin: 'ApplicationSet apps', destination: { server: 'https://127.0.0.1:36443', namespace: 'api' }, source: { path: 'apps/api/overlays/prod' } });
    expect(data.find((a) => a.name === 'guestbook')).toMatchObject({ origin: 'file applications/guestbook.yaml:3', source: { path: 'guestbook' } });
    expect(data.find((a) => a.name === 'hello')).toMatchObject({ origin: 'file applications/hello.yaml:3', source: { path: 'charts/hello' } });
  });

  it('reads committed git objects, not the working tree', async () => {
    writeFileSync(path.join(repo.dir, 'appsets', 'platform.yaml'), 'not: [valid');
    const r = await cli(['apps', '--repo', repo.dir, '-o', 'json']);
    expect(r.code).toBe(0);
    git(repo.dir, 'checkout', '--', 'appsets/platform.yaml');
  });

  it('has --help on the command', async () => {
    const r = await cli(['apps', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--repo <dir>');
    expect(r.out).toContain('--output <format>');
  });
});

describe('flotilla apps on bad input', () => {
  it('names a missing folder and exits 2', async () => {
    const r = await cli(['apps', '--repo', '/nonexistent/fleet']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('repository folder does not exist: /nonexistent/fleet');
  });

  it('names a folder that is not a git repository and exits 2', async () => {
    const t = tempDir();
    try {
      const r = await cli(['apps', '--repo', t.dir]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`not a git repository: ${t.dir}`);
    } finally {
      t.cleanup();
    }
  });

  it('says plainly that a repository has no Applications or ApplicationSets, and exits 2', async () => {
    const t = tempDir();
    try {
      git(t.dir, 'init', '-q', '-b', 'main');
      writeFiles(t.dir, { 'README.md': '# empty\n' });
      commitAll(t.dir, 'empty');
      const r = await cli(['apps', '--repo', t.dir]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('no Applications or ApplicationSets found in');
    } finally {
      t.cleanup();
    }
  });

  it('names the file, line and column of a YAML error, exits 2, and still shows the rest of the repo', async () => {
    const repo = exampleRepo();
    try {
      writeFiles(repo.dir, { 'appsets/broken.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: broken\n  labels: {a: b\n' });
      commitAll(repo.dir, 'broken appset');
      const r = await cli(['apps', '--repo', repo.dir]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/appsets\/broken\.yaml:\d+:\d+: YAML/);
      expect(r.out).toContain('frontend-dev');
    } finally {
      repo.cleanup();
    }
  });
});
