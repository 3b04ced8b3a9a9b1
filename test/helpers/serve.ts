import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './paths';

/** A `flotilla serve` child process and the URL it printed. */
export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** What it printed on stdout so far. */
  output(): string;
  /** What it printed on stderr so far (its log). */
  log(): string;
  stop(): Promise<void>;
}

/** Starts the built CLI's `flotilla serve` on a repository and waits for the URL it prints. */
export function startServe(repo: string, dataDir: string, env: Readonly<Record<string, string>> = {}, args: readonly string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'flotilla.js'), 'serve', '--repo', repo, ...args], {
    env: { ...process.env, FLOTILLA_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return servedProcess(child);
}

/** Waits for a spawned `flotilla serve` (stdout and stderr piped) to print its URL; rejects when it exits first or prints none in 30 s. */
export function servedProcess(child: ChildProcess): Promise<ServeProcess> {
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`flotilla serve printed no URL in 30 s\n${out}\n${err}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (process.env.FLOTILLA_TEST_SERVE_LOG) process.stderr.write(d);
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Open (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          child,
          output: () => out,
          log: () => err,
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`flotilla serve exited with ${code}\n${out}\n${err}`));
    });
  });
}
