// `flotilla status` with every API server dead: each cell says unreachable (not Unknown/Unknown) and each cluster
// header says so; the exit code says nothing could be read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadKubeconfig } from '../../helpers/dead-clusters';
import { exampleRepo, tempDir } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';

let repo: { dir: string; cleanup: () => void };
let dir: { dir: string; cleanup: () => void };
let kubeconfig: string;

beforeAll(async () => {
  repo = exampleRepo();
  dir = tempDir('flotilla-dead-');
  kubeconfig = await deadKubeconfig(dir.dir);
});

afterAll(() => {
  repo?.cleanup();
  dir?.cleanup();
});

describe('status with unreachable clusters', () => {
  it('prints unreachable in every cell and in each cluster header, and fails', async () => {
    const r = await cli(['status', '--repo', repo.dir, '--kubeconfig', kubeconfig, '--timeout', '3']);
    expect(r.code).not.toBe(0);
    const lines = r.out.split('\n');
    expect(lines[1]).toMatch(/^APP\s+DEV \(UNREACHABLE\)\s+STAGING \(UNREACHABLE\)\s+PROD \(UNREACHABLE\)\s*$/);
    expect(r.out).toMatch(/^frontend\s+unreachable\s+unreachable\s+unreachable\s*$/m);
    expect(r.out).not.toContain('Unknown/Unknown');
  });
});
