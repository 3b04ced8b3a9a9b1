import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommitSignatureVerifier } from '../electron/services/git-signatures';
import type { BenchResult } from './types';
import { sample, stats } from './types';

const REVISIONS = 300;
const RUNS = 5;

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
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
