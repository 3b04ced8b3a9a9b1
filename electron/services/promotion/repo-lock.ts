import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { FlotillaError, problem } from '../../../shared/problem';

// One promotion of a repository at a time: a promise chain within this process and a lock file (in the git folder,
// created exclusively, holding the owner's pid) across processes. A lock file whose process is gone is stale and taken.

const chains = new Map<string, Promise<unknown>>();

/** Options of the promotion lock. */
export interface LockOptions {
  /** How long to wait for another promotion to finish (default 120 s). */
  readonly timeoutMs?: number;
}

/** Runs `fn` holding the lock file `lockFile`; concurrent callers (this process or others) wait their turn. */
export async function withRepoLock<T>(lockFile: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const previous = chains.get(lockFile) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(async () => {
    await acquire(lockFile, opts.timeoutMs ?? 120_000);
    try {
      return await fn();
    } finally {
      rmSync(lockFile, { force: true });
    }
  });
  chains.set(lockFile, run);
  try {
    return await run;
  } finally {
    if (chains.get(lockFile) === run) chains.delete(lockFile);
  }
}

async function acquire(lockFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number.parseInt(safeRead(lockFile), 10);
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new FlotillaError(problem(`another promotion of this repository is running (process ${Number.isInteger(owner) ? owner : 'unknown'}); try again when it has finished`, { file: lockFile }));
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
