import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../electron/services/api-handlers';
import { FsFileTree } from '../../electron/services/fs-file-tree';
import { Session } from '../../electron/services/session';
import { walkFiles } from '../../shared/repo/file-tree';
import { commitAll, exampleRepo, tempDir, writeFiles } from '../helpers/git-fixtures';
import { cli } from '../helpers/run-cli';

const OUTSIDE_SECRET = 'outside-the-repository-7f3a';

describe('reads and writes stay inside the repository; symbolic links never lead out', () => {
  let repo: { dir: string; cleanup: () => void };
  let outside: { dir: string; cleanup: () => void };
  let data: { dir: string; cleanup: () => void };
  const outsideFile = (): string => path.join(outside.dir, 'cm.yaml');

  beforeAll(() => {
    repo = exampleRepo();
    outside = tempDir();
    data = tempDir();
    writeFileSync(outsideFile(), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stolen\ndata:\n  x: ${OUTSIDE_SECRET}\n`);
    mkdirSync(path.join(outside.dir, 'kdir'));
    writeFileSync(path.join(outside.dir, 'kdir', 'kustomization.yaml'), 'resources:\n  - ../cm.yaml\n');
    writeFileSync(path.join(outside.dir, 'props.env'), `SECRET=${OUTSIDE_SECRET}\n`);
    const lk = (target: string, at: string): void => symlinkSync(target, path.join(repo.dir, at));
    // A linked file and a linked folder in resources:, and a linked configMapGenerator file.
    writeFiles(repo.dir, {
      'hostile/file/kustomization.yaml': 'resources:\n  - stolen.yaml\n',
      'hostile/dir/kustomization.yaml': 'resources:\n  - stolen\n',
      'hostile/gen/kustomization.yaml': 'configMapGenerator:\n  - name: gen\n    files:\n      - props.env\n',
      'hostile/inside/kustomization.yaml': 'resources:\n  - cm.yaml\n',
      'hostile/inside/real.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inside\n',
    });
    lk(outsideFile(), 'hostile/file/stolen.yaml');
    lk(path.join(outside.dir, 'kdir'), 'hostile/dir/stolen');
    lk(path.join(outside.dir, 'props.env'), 'hostile/gen/props.env');
    lk('real.yaml', 'hostile/inside/cm.yaml');
    lk(path.join(outside.dir, 'nowhere.yaml'), 'hostile/inside/dangling.yaml');
    // Committed links the UI API must neither read nor write through.
    lk(outsideFile(), 'appsets/linked.yaml');
    commitAll(repo.dir, 'hostile links');
  });
  afterAll(() => {
    repo.cleanup();
    outside.cleanup();
    data.cleanup();
  });

  it.each([
    ['a linked file in resources:', 'hostile/file', '2:5'],
    ['a linked folder in resources:', 'hostile/dir', '2:5'],
    ['a linked configMapGenerator file', 'hostile/gen', '4:9'],
  ])('render PATH refuses %s as kubectl kustomize does, at the entry naming it', async (_what, dir, at) => {
    const r = await cli(['render', dir], repo.dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^error: ${dir}/kustomization\\.yaml:${at}: security; file '.*' is not in or below '`));
    expect(r.out).not.toContain(OUTSIDE_SECRET);
  });

  it('follows a link that stays inside the repository, and skips a dangling one', async () => {
    const r = await cli(['render', 'hostile/inside'], repo.dir);
    expect(r.err).toBe('');
    expect(r.out).toContain('name: inside');
    const tree = new FsFileTree(repo.dir);
    expect(tree.resolveLinks('hostile/inside/cm.yaml')).toEqual({ path: 'hostile/inside/real.yaml' });
    expect(tree.resolveLinks('hostile/inside/dangling.yaml')).toBeUndefined();
    expect(tree.list('hostile/inside')?.map((e) => e.name)).toEqual(['cm.yaml', 'dangling.yaml', 'kustomization.yaml', 'real.yaml']);
    expect(tree.kind('hostile/inside/dangling.yaml')).toBeUndefined();
    expect(tree.resolveLinks('hostile/file/stolen.yaml')).toMatchObject({ refused: expect.stringMatching(/^security; file '.*cm\.yaml' is not in or below '/) });
    expect(tree.read('hostile/file/stolen.yaml')).toBeUndefined();
    expect(walkFiles(tree, 'hostile').join('\n')).not.toContain('kdir');
  });

  it('a link committed to git is resolved inside the commit or refused (render --revision HEAD)', async () => {
    const outsideLink = await cli(['render', 'hostile/file', '--revision', 'HEAD'], repo.dir);
    expect(outsideLink.code).toBe(2);
    expect(outsideLink.err).toContain('is not in or below');
    expect(outsideLink.out).not.toContain(OUTSIDE_SECRET);
    const inside = await cli(['render', 'hostile/inside', '--revision', 'HEAD'], repo.dir);
    expect(inside.err).toBe('');
    expect(inside.out).toContain('name: inside');
  });

  it('appset:source and appset:save refuse a committed link; the outside file is untouched', async () => {
    const session = new Session({ repoPath: repo.dir, dataDir: data.dir });
    const api = createApiHandlers(session);
    await expect(api['appset:source']({ file: 'appsets/linked.yaml' })).rejects.toThrow(/refusing to read appsets\/linked\.yaml: it is a symbolic link/);
    await expect(api['appset:save']({ file: 'appsets/linked.yaml', text: 'pwned: true\n' })).rejects.toThrow(/refusing to write appsets\/linked\.yaml: it is a symbolic link/);
    expect(readFileSync(outsideFile(), 'utf8')).toContain(OUTSIDE_SECRET);
  });

  it('clusters:save refuses a fleet file that is a link', async () => {
    const other = exampleRepo();
    try {
      const target = path.join(outside.dir, 'fleet.yaml');
      writeFileSync(target, readFileSync(path.join(other.dir, 'flotilla.yaml')));
      const { rmSync } = await import('node:fs');
      rmSync(path.join(other.dir, 'flotilla.yaml'));
      symlinkSync(target, path.join(other.dir, 'flotilla.yaml'));
      const before = readFileSync(target, 'utf8');
      const api = createApiHandlers(new Session({ repoPath: other.dir, dataDir: data.dir }));
      await expect(api['clusters:save']({ name: 'evil', context: 'evil' } as never)).rejects.toThrow(/refusing to write flotilla\.yaml: it is a symbolic link/);
      expect(readFileSync(target, 'utf8')).toBe(before);
    } finally {
      other.cleanup();
    }
  });
});
