// The git processes a discovery at HEAD starts: each revision resolved once, nothing asked that is already known.
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetDiscoveries } from '../../../electron/services/fleet-service';
import { localGitReader } from '../../../electron/services/git-reader';
import { GitRepository } from '../../../electron/services/git-repo';
import { exampleRepo, git, tempDir } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';

describe('git processes of a discovery', () => {
  let repo: { dir: string; cleanup: () => void };
  let shim: { dir: string; cleanup: () => void };
  let log: string;
  const savedPath = process.env['PATH'];
  beforeAll(() => {
    repo = exampleRepo();
    shim = tempDir('flotilla-git-shim-');
    log = path.join(shim.dir, 'git.log');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    // A `git` first on PATH that writes down each command line, then runs the real one.
    writeFileSync(path.join(shim.dir, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realGit}' "$@"\n`);
    chmodSync(path.join(shim.dir, 'git'), 0o755);
  });
  afterAll(() => {
    process.env['PATH'] = savedPath;
    repo.cleanup();
    shim.cleanup();
  });

  it('generate resolves HEAD once, reads its tree without asking again, and asks for the origin remote only when needed', async () => {
    forgetDiscoveries();
    writeFileSync(log, '');
    process.env['PATH'] = `${shim.dir}${path.delimiter}${savedPath ?? ''}`;
    let r: Awaited<ReturnType<typeof cli>>;
    try {
      r = await cli(['generate', '-o', 'json', '--repo', repo.dir], repo.dir);
    } finally {
      process.env['PATH'] = savedPath;
    }
    expect(r.err).not.toContain('error');
    expect((JSON.parse(r.out) as unknown[]).length).toBeGreaterThan(0);
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo.dir, encoding: 'utf8' }).trim();
    const commands = readFileSync(log, 'utf8').split('\n').filter(Boolean).sort();
    // The example fleet's git generators read HEAD at the repository's own URL (spec.repoURL of flotilla.yaml).
    expect(commands).toEqual(['cat-file --batch', `log -1 --format=%s ${sha}`, 'rev-parse --abbrev-ref HEAD', 'rev-parse --show-toplevel --absolute-git-dir --git-common-dir', 'rev-parse --verify --quiet HEAD^{commit}'].sort());
  });

  it('still reads the repository at its origin URL when the fleet file does not list it, and only there', async () => {
    const origin = 'https://git.example.com/other/origin.git';
    git(repo.dir, 'remote', 'add', 'origin', origin);
    try {
      const opened = await GitRepository.open(repo.dir);
      const reader = localGitReader(opened, []);
      expect(reader.localURL).toBe(origin);
      expect(reader.treeAt(`${origin}/`, 'HEAD').read('flotilla.yaml')).toContain('kind: Fleet');
      expect(() => reader.treeAt('https://git.example.com/someone/else.git', 'HEAD')).toThrow('is not the open repository');
      // A revision resolved by the caller is taken as given.
      const sha = opened.resolve('HEAD')!;
      expect(localGitReader(opened, [origin], { HEAD: sha }).treeAt(origin, 'HEAD').revision).toBe(sha);
      opened.close();
    } finally {
      git(repo.dir, 'remote', 'remove', 'origin');
    }
  });
});
