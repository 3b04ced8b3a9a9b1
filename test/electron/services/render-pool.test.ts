import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleRepo, git, tempDir } from '../../helpers/git-fixtures';
import { repoRoot } from '../../helpers/paths';
import { cli } from '../../helpers/run-cli';

/** Every file under a folder, relative path → content. */
function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else out[path.relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  visit(dir);
  return out;
}

// The worker threads run from the CLI bundle (dist/render-worker.js), so this runs the built `flotilla` binary.
describe('render --all in worker threads (the CLI bundle)', () => {
  const bin = path.join(repoRoot, 'bin', 'flotilla.js');
  let repo: { dir: string; cleanup: () => void };
  beforeAll(() => {
    if (!existsSync(path.join(repoRoot, 'dist', 'render-worker.js'))) execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot });
    repo = exampleRepo();
  });
  afterAll(() => repo.cleanup());

  const flotilla = (args: string[], cwd: string) =>
    spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FLOTILLA_RENDER_WORKERS: '3', FLOTILLA_COMPILE_CACHE: 'off' } });

  it('writes exactly the files the in-process render writes', async () => {
    const a = tempDir();
    const b = tempDir();
    try {
      const inProcess = await cli(['render', '--all', '-o', a.dir], repo.dir);
      expect(inProcess.code).toBe(0);
      const workers = flotilla(['render', '--all', '-o', b.dir], repo.dir);
      expect(workers.stderr).toContain('wrote 12 of 12 Applications');
      expect(workers.status).toBe(0);
      const expected = readTree(a.dir);
      expect(Object.keys(expected)).toHaveLength(12);
      expect(readTree(b.dir)).toEqual(expected);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });

  it('one Application that cannot be read fails alone, named with its path, exit 2', () => {
    const t = tempDir('flotilla-pool-missing-');
    const out = tempDir();
    try {
      execFileSync('cp', ['-r', `${repo.dir}/.`, t.dir]);
      const sha = git(t.dir, 'rev-parse', 'HEAD:apps/worker/overlays/dev/kustomization.yaml').trim();
      rmSync(path.join(t.dir, '.git', 'objects', sha.slice(0, 2), sha.slice(2)));
      const r = flotilla(['render', '--all', '-o', out.dir], t.dir);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('cannot read apps/worker/overlays/dev/kustomization.yaml at revision');
      expect(r.stderr).toContain('wrote 11 of 12 Applications');
      expect(Object.keys(readTree(out.dir))).toHaveLength(11);
    } finally {
      t.cleanup();
      out.cleanup();
    }
  });
});
