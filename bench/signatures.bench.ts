import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommitSignatureVerifier } from '../electron/services/git-signatures';
import { buildGrid } from '../shared/fleet/grid';
import type { GridCell } from '../shared/fleet/grid';
import { gridRevisions, withSignatures } from '../shared/fleet/revision-signature';
import type { BenchResult } from './types';
import { sample, stats } from './types';

const REVISIONS = 300;
const RUNS = 5;
const GRID_APPS = 1000;
const GRID_REVISIONS = 8;

/** CPU (ms) of this process and of the children it waited for (git, and the ssh-keygen processes git waited for). */
function cpuWithChildren(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  const tick = 1000 / 100; // USER_HZ
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * tick;
}

/** Verifying the signatures of 300 distinct revisions: cold (git runs ssh-keygen -Y verify per signed commit) and cached. */
export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-sign-'));
  try {
    const key = (name: string): string => {
      const file = path.join(dir, name);
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
      return file;
    };
    const alice = key('alice');
    const mallory = key('mallory');
    writeFileSync(path.join(dir, 'allowed'), `alice@example.com ${readFileSync(`${alice}.pub`, 'utf8')}`);
    const repo = path.join(dir, 'repo');
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@flotilla.invalid', ...args], { cwd: repo, encoding: 'utf8' });
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    git('config', 'gpg.format', 'ssh');
    git('config', 'gpg.ssh.allowedSignersFile', path.join(dir, 'allowed'));
    const shas: string[] = [];
    // Two thirds signed by an allowed signer, one sixth by an unknown key, one sixth unsigned.
    for (let i = 0; i < REVISIONS; i++) {
      const how = i % 6 === 4 ? ['-c', `user.signingkey=${mallory}`, '-c', 'commit.gpgsign=true'] : i % 6 === 5 ? ['-c', 'commit.gpgsign=false'] : ['-c', `user.signingkey=${alice}`, '-c', 'commit.gpgsign=true'];
      git(...how, 'commit', '-q', '--allow-empty', '-m', `revision ${i}`);
      shas.push(git('rev-parse', 'HEAD').trim());
    }
    const counts = new Map<string, number>();
    for (const s of (await new CommitSignatureVerifier(repo).verify(shas)).values()) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
    if (counts.get('good') !== 200 || counts.get('unknown-key') !== 50 || counts.get('unsigned') !== 50) throw new Error(`unexpected verdicts: ${JSON.stringify([...counts])}`);
    const out: BenchResult[] = [];
    const cpu: number[] = [];
    const cold = await sample(RUNS, async () => {
      const c = cpuWithChildren();
      await new CommitSignatureVerifier(repo).verify(shas);
      cpu.push(cpuWithChildren() - c);
    });
    cpu.shift(); // the warm-up
    cold.cpu = cpu;
    out.push({ name: `verify ${REVISIONS} distinct revisions, cold (200 good, 50 unknown key, 50 unsigned; a git process per core); cpu = git, ssh-keygen and this process`, ...stats(cold), extra: { revisions: REVISIONS, target_ms: 2000 } });
    const cached = new CommitSignatureVerifier(repo);
    await cached.verify(shas);
    const warm = await sample(RUNS, () => cached.verify(shas));
    out.push({ name: `verify ${REVISIONS} revisions again, cached per commit (trust unchanged)`, ...stats(warm), extra: { revisions: REVISIONS } });
    // The fleet grid: many app × clusters share few revisions, so signing a grid costs one git process for the few
    // distinct commits (cold) or none (cached), plus a pass over the cells.
    const clusters = ['dev', 'staging', 'prod-eu', 'prod-us', 'edge'].map((name) => ({ name, environment: name }));
    const cells: GridCell[] = [];
    for (let a = 0; a < GRID_APPS; a++) for (const [i, c] of clusters.entries()) cells.push({ app: `app-${a}-${c.name}`, cluster: c.name, sync: 'Synced', health: 'Healthy', healthMessage: '', version: '', revision: shas[(a + i) % GRID_REVISIONS]!, outOfSync: 0, observedAt: '' });
    const grid = buildGrid(cells, clusters);
    const signGrid = async (v: CommitSignatureVerifier): Promise<void> => {
      const signed = withSignatures(grid, await v.verify(gridRevisions(grid)));
      if (!signed.rows[0]!.cells.dev!.signature) throw new Error('the grid was not signed');
    };
    const gridCold = await sample(RUNS, () => signGrid(new CommitSignatureVerifier(repo)));
    out.push({ name: `sign a grid of ${cells.length} app × clusters running ${GRID_REVISIONS} distinct revisions, cold (one git process)`, ...stats(gridCold), extra: { cells: cells.length, revisions: GRID_REVISIONS } });
    const gridWarm = await sample(RUNS, () => signGrid(cached));
    out.push({ name: `sign the same grid again, verdicts cached per commit`, ...stats(gridWarm), extra: { cells: cells.length, revisions: GRID_REVISIONS } });
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
