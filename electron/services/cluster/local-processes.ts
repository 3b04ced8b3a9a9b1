import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Detached processes of a local fleet, each in its own process group, known by the pid files under `<dir>/pids`.

/**
 * Spawns a detached process (own process group) logging to a file, and records its pid. `memoryLimitMiB` sets the Go
 * runtime's soft memory limit (GOMEMLIMIT): the garbage collector works harder near it instead of growing the heap.
 */
export function spawnDetached(bin: string, args: readonly string[], logFile: string, pidFile: string, memoryLimitMiB?: number): number {
  const fd = openSync(logFile, 'a');
  try {
    const env = memoryLimitMiB ? { ...process.env, GOMEMLIMIT: `${memoryLimitMiB}MiB` } : process.env;
    const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd], env });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${bin}`);
    writeFileSync(pidFile, String(child.pid));
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** Kills a process group (SIGTERM, or SIGKILL) and ignores it being gone already. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Whether a pid is alive (a zombie left by a dead parent counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // Linux: a zombie still answers kill(0); its state letter is Z.
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** The pid recorded in a pid file, or undefined. */
export function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const n = Number(readFileSync(pidFile, 'utf8'));
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The pids recorded under `<dir>/pids`. */
export function readPids(dir: string): number[] {
  const pidDir = path.join(dir, 'pids');
  if (!existsSync(pidDir)) return [];
  return readdirSync(pidDir)
    .filter((f) => f.endsWith('.pid'))
    .map((f) => readPid(path.join(pidDir, f)))
    .filter((n): n is number => n !== undefined);
}
