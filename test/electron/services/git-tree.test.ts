import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitObjectReader } from '../../../electron/services/git-object-reader';
import { GitRepository } from '../../../electron/services/git-repo';
import { GitTree } from '../../../electron/services/git-tree';
import { walkFiles } from '../../../shared/repo/file-tree';
import { commitAll, exampleRepo, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';

const OVERLAY = 'apps/api/overlays/prod';

/** Removes the loose object file of `sha` from a repository (what a pruned or damaged clone looks like). */
function deleteLooseObject(repo: string, sha: string): void {
  rmSync(path.join(repo, '.git', 'objects', sha.slice(0, 2), sha.slice(2)));
}

describe('reading files from git objects', () => {
  let repo: { dir: string; cleanup: () => void };
  let expected: string;
  beforeAll(async () => {
    repo = exampleRepo();
    expected = execFileSync('kubectl', ['kustomize', path.join(repo.dir, OVERLAY)], { encoding: 'utf8' });
    const r = await cli(['render', OVERLAY, '--repo', repo.dir], repo.dir);
    expect(r.out).toBe(expected);
  });
  afterAll(() => repo.cleanup());

  it('render --revision reads the blobs the overlay needs and prints what the working tree renders', async () => {
    const r = await cli(['render', OVERLAY, '--repo', repo.dir, '--revision', 'HEAD'], repo.dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(expected);
  });

  it('a revision that does not exist is an error naming it, exit 2', async () => {
    const r = await cli(['render', OVERLAY, '--repo', repo.dir, '--revision', 'no-such-branch'], repo.dir);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('revision "no-such-branch" does not exist');
  });

  it('a missing blob is an error naming the path and the revision, exit 2, and never another file’s content', async () => {
    const t = tempDir('flotilla-missing-blob-');
    try {
      execFileSync('cp', ['-r', `${repo.dir}/.`, t.dir]);
      const head = git(t.dir, 'rev-parse', 'HEAD').trim();
      // The patch is read after the kustomization and before the base: with a reader that mis-parses `missing`,
      // every later file would be read from the wrong offset.
      const patch = `${OVERLAY}/resources-patch.yaml`;
      deleteLooseObject(t.dir, git(t.dir, 'rev-parse', `HEAD:${patch}`).trim());

      const r = await cli(['render', OVERLAY, '--repo', t.dir, '--revision', 'HEAD'], t.dir);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(`cannot read ${patch} at revision HEAD (${head.slice(0, 12)})`);
      expect(r.err).toContain('is missing from the repository');

      // The same commit's other files still read exactly; only the missing one fails.
      const repoObj = await GitRepository.open(t.dir);
      try {
        const tree = repoObj.treeAt('HEAD');
        expect(() => tree.read(patch)).toThrow(new RegExp(`cannot read ${patch} at revision HEAD`));
        expect(tree.read(`${OVERLAY}/kustomization.yaml`)).toBe(git(repo.dir, 'show', `HEAD:${OVERLAY}/kustomization.yaml`));
        expect(tree.read('apps/api/base/deployment.yaml')).toBe(git(repo.dir, 'show', 'HEAD:apps/api/base/deployment.yaml'));
      } finally {
        repoObj.close();
      }

      // A generated Application that needs the file fails alone, with the same error; the others render.
      const one = await cli(['render', '--repo', t.dir, '--app', 'api-prod'], t.dir);
      expect(one.code).toBe(2);
      expect(one.out).toBe('');
      expect(one.err).toContain(`cannot read ${patch} at revision`);
      const clean = tempDir();
      const out = tempDir();
      try {
        // Against the intact repository: how many apps render here (a helm chart app needs helm installed).
        const whole = await cli(['render', '--repo', repo.dir, '--all', '-o', clean.dir], repo.dir);
        const [, written, total] = /wrote (\d+) of (\d+) Applications/.exec(whole.err)!.map(Number);
        const all = await cli(['render', '--repo', t.dir, '--all', '-o', out.dir], t.dir);
        expect(all.code).toBe(2);
        expect(all.err).toContain(`wrote ${written! - 1} of ${total} Applications`);
        expect(existsSync(path.join(out.dir, 'prod', 'api-prod.yaml'))).toBe(false);
        expect(readFileSync(path.join(out.dir, 'dev', 'api-dev.yaml'), 'utf8')).toBe(readFileSync(path.join(clean.dir, 'dev', 'api-dev.yaml'), 'utf8'));
      } finally {
        clean.cleanup();
        out.cleanup();
      }
    } finally {
      t.cleanup();
    }
  });

  it('folders are read as they are looked into, and the tree is the commit’s: every path and file as git lists and shows it', async () => {
    const repoObj = await GitRepository.open(repo.dir);
    try {
      const tree = repoObj.treeAt('HEAD');
      // Looking into one folder first, then the whole tree: the same listing as `git ls-tree -r`, in every order.
      expect(tree.kind(`${OVERLAY}/kustomization.yaml`)).toBe('file');
      expect(tree.kind(OVERLAY)).toBe('dir');
      expect(tree.kind(`${OVERLAY}/no-such-file.yaml`)).toBeUndefined();
      expect(tree.kind('apps/no-such-app/base')).toBeUndefined();
      const listed = git(repo.dir, 'ls-tree', '-r', '--name-only', '-z', 'HEAD').split('\0').filter(Boolean).sort();
      expect(walkFiles(tree)).toEqual(listed);
      expect(repoObj.treeAt('HEAD')).toBe(tree);
      for (const f of listed) expect(tree.read(f), f).toBe(git(repo.dir, 'show', `HEAD:${f}`));
      const fresh = (await GitRepository.open(repo.dir)).treeAt('HEAD') as unknown as { paths(): string[] };
      expect(fresh.paths()).toEqual(listed);
    } finally {
      repoObj.close();
    }
  });

  it('a missing tree is an error naming the folder and the revision, exit 2; the other folders still read', async () => {
    const t = tempDir('flotilla-missing-tree-');
    try {
      execFileSync('cp', ['-r', `${repo.dir}/.`, t.dir]);
      const head = git(t.dir, 'rev-parse', 'HEAD').trim();
      deleteLooseObject(t.dir, git(t.dir, 'rev-parse', `HEAD:${OVERLAY}`).trim());
      const r = await cli(['render', OVERLAY, '--repo', t.dir, '--revision', 'HEAD'], t.dir);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(`cannot read ${OVERLAY}/ at revision HEAD (${head.slice(0, 12)})`);
      expect(r.err).toContain('is missing from the repository');
      const repoObj = await GitRepository.open(t.dir);
      try {
        const tree = repoObj.treeAt('HEAD');
        expect(() => tree.read(`${OVERLAY}/kustomization.yaml`)).toThrow(`cannot read ${OVERLAY}/ at revision HEAD`);
        expect(() => tree.list(OVERLAY)).toThrow('is missing from the repository');
        expect(tree.read('apps/api/base/deployment.yaml')).toBe(git(repo.dir, 'show', 'HEAD:apps/api/base/deployment.yaml'));
      } finally {
        repoObj.close();
      }
    } finally {
      t.cleanup();
    }
  });

  it('a partial clone (--filter=blob:none) fetches the blobs it needs; without its remote it fails naming the path', async () => {
    const t = tempDir('flotilla-partial-');
    try {
      const bare = path.join(t.dir, 'remote.git');
      git(t.dir, 'clone', '-q', '--bare', repo.dir, bare);
      git(bare, 'config', 'uploadpack.allowFilter', 'true');
      git(bare, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
      const clone = path.join(t.dir, 'clone');
      git(t.dir, 'clone', '-q', '--no-checkout', '--filter=blob:none', `file://${bare}`, clone);
      const r = await cli(['render', OVERLAY, '--repo', clone, '--revision', 'HEAD'], clone);
      expect(r.err).toBe('');
      expect(r.out).toBe(expected);

      const offline = path.join(t.dir, 'offline');
      git(t.dir, 'clone', '-q', '--no-checkout', '--filter=blob:none', `file://${bare}`, offline);
      rmSync(bare, { recursive: true });
      const f = await cli(['render', OVERLAY, '--repo', offline, '--revision', 'HEAD'], offline);
      expect(f.code).toBe(2);
      expect(f.out).toBe('');
      expect(f.err).toMatch(new RegExp(`cannot read ${OVERLAY}/kustomization.yaml at revision HEAD \\([0-9a-f]{12}\\): .*promisor remote`));
    } finally {
      t.cleanup();
    }
  });

  it('a shallow clone names itself when a revision lies beyond its history', async () => {
    const t = tempDir('flotilla-shallow-');
    try {
      const src = path.join(t.dir, 'src');
      execFileSync('cp', ['-r', repo.dir, src]);
      writeFiles(src, { 'README.md': 'second commit\n' });
      commitAll(src, 'Second');
      const shallow = path.join(t.dir, 'shallow');
      git(t.dir, 'clone', '-q', '--depth', '1', `file://${src}`, shallow);
      const r = await cli(['render', OVERLAY, '--repo', shallow, '--revision', 'HEAD~1'], shallow);
      expect(r.code).toBe(2);
      expect(r.err).toContain('revision "HEAD~1" does not exist');
      expect(r.err).toContain('shallow clone');
    } finally {
      t.cleanup();
    }
  });

  it('a path that is a submodule, not a file, is an error naming it', async () => {
    const t = tempDir('flotilla-gitlink-');
    try {
      execFileSync('cp', ['-r', `${repo.dir}/.`, t.dir]);
      const head = git(t.dir, 'rev-parse', 'HEAD').trim();
      git(t.dir, 'update-index', '--add', '--cacheinfo', `160000,${head},${OVERLAY}/vendored`);
      git(t.dir, 'commit', '-q', '-m', 'gitlink');
      const repoObj = await GitRepository.open(t.dir);
      try {
        const tree = repoObj.treeAt('HEAD');
        expect(tree.kind(`${OVERLAY}/vendored`)).toBe('file');
        expect(() => tree.read(`${OVERLAY}/vendored`)).toThrow(`cannot read ${OVERLAY}/vendored at revision HEAD`);
        expect(() => tree.read(`${OVERLAY}/vendored`)).toThrow('submodule');
        expect(tree.read(`${OVERLAY}/kustomization.yaml`)).toBe(git(repo.dir, 'show', `HEAD:${OVERLAY}/kustomization.yaml`));
      } finally {
        repoObj.close();
      }
    } finally {
      t.cleanup();
    }
  });
});

describe('a tree keeps a bounded number of folder entries', () => {
  let repo: { dir: string; cleanup: () => void };
  let root: string;
  let head: string;
  beforeAll(() => {
    repo = tempDir('flotilla-tree-bound-');
    git(repo.dir, 'init', '-q');
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) {
      files[`apps/app-${i}/base/kustomization.yaml`] = `resources: [cm.yaml] # ${i}\n`;
      files[`apps/app-${i}/base/cm.yaml`] = `kind: ConfigMap # ${i}\n`;
      files[`apps/app-${i}/base/svc.yaml`] = `kind: Service # ${i}\n`;
      files[`apps/app-${i}/base/hpa.yaml`] = `kind: HorizontalPodAutoscaler # ${i}\n`;
    }
    writeFiles(repo.dir, files);
    execFileSync('ln', ['-s', 'app-3', path.join(repo.dir, 'apps', 'latest')]);
    git(repo.dir, 'add', '-A');
    git(repo.dir, 'commit', '-q', '-m', 'thirty apps and a link to one');
    head = git(repo.dir, 'rev-parse', 'HEAD').trim();
    root = git(repo.dir, 'rev-parse', 'HEAD^{tree}').trim();
  });
  afterAll(() => repo.cleanup());

  /** A GitTree over the commit whose reader records the tree objects asked for. */
  function boundedTree(kept: number): { tree: GitTree; trees: string[]; blobRequests: () => number; close: () => void } {
    const reader = new GitObjectReader(repo.dir);
    const trees: string[] = [];
    let blobRequests = 0;
    const read = reader.read.bind(reader);
    reader.read = (shas) => {
      const replies = read(shas);
      replies.forEach((r, i) => { if (r.kind === 'object' && r.type === 'tree') trees.push(shas[i]!); });
      if (replies.some((r) => r.kind === 'object' && r.type === 'blob')) blobRequests++;
      return replies;
    };
    return { tree: new GitTree(root, head, 'HEAD', reader, kept), trees, blobRequests: () => blobRequests, close: () => reader.close() };
  }

  it('past the bound it forgets its folders and reads them again, with the same answers', () => {
    // 31 entries in apps/ and 5 per app: past four times the largest folder (124) the tree forgets.
    const { tree, trees, close } = boundedTree(8);
    try {
      const app0 = git(repo.dir, 'rev-parse', 'HEAD:apps/app-0').trim();
      for (let i = 0; i < 30; i++) {
        expect(tree.read(`apps/app-${i}/base/cm.yaml`)).toBe(`kind: ConfigMap # ${i}\n`);
        expect(tree.list(`apps/app-${i}/base`)?.map((e) => e.name)).toEqual(['cm.yaml', 'hpa.yaml', 'kustomization.yaml', 'svc.yaml']);
      }
      const before = trees.filter((t) => t === app0).length;
      expect(tree.read('apps/app-0/base/kustomization.yaml')).toBe('resources: [cm.yaml] # 0\n');
      expect(trees.filter((t) => t === app0).length).toBe(before + 1);
      expect(tree.read('apps/latest/base/cm.yaml')).toBe('kind: ConfigMap # 3\n');
      expect(tree.kind('apps/latest')).toBe('dir');
      expect(tree.readLink('apps/latest')).toBe('app-3');
      const whole = boundedTree(1_000);
      try {
        expect(walkFiles(tree, '')).toEqual(walkFiles(whole.tree, ''));
        expect(walkFiles(tree, '').length).toBe(120);
      } finally {
        whole.close();
      }
    } finally {
      close();
    }
  });

  it('reads the files of the next folders with those of the one asked for, up to 64 blobs a request', () => {
    const { tree, blobRequests, close } = boundedTree(1_000);
    try {
      // 30 apps of 4 files: 16 apps a request at most (64 blobs), and only folders already read are read ahead.
      for (let i = 0; i < 30; i++) expect(tree.read(`apps/app-${i}/base/hpa.yaml`)).toBe(`kind: HorizontalPodAutoscaler # ${i}\n`);
      expect(blobRequests()).toBeLessThanOrEqual(4);
    } finally {
      close();
    }
  });

  it('within the bound it reads each folder once', () => {
    const { tree, trees, close } = boundedTree(1_000);
    try {
      for (let i = 0; i < 30; i++) expect(tree.read(`apps/app-${i}/base/cm.yaml`)).toBe(`kind: ConfigMap # ${i}\n`);
      expect(tree.read('apps/app-0/base/kustomization.yaml')).toBe('resources: [cm.yaml] # 0\n');
      expect(new Set(trees).size).toBe(trees.length);
    } finally {
      close();
    }
  });
});
