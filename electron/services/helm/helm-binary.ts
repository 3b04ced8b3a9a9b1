import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

let found: string | null | undefined;

/** The helm binary: `$FLOTILLA_HELM`, else `helm` on the PATH, else `~/go/bin/helm`; null when there is none. */
export function findHelm(): string | null {
  if (found !== undefined) return found;
  const candidates = [process.env.FLOTILLA_HELM, 'helm', path.join(os.homedir(), 'go', 'bin', 'helm')].filter((c): c is string => !!c);
  for (const c of candidates) {
    try {
      execFileSync(c, ['version', '--short'], { stdio: 'ignore', timeout: 10_000 });
      return (found = c);
    } catch {
      // not this one
    }
  }
  return (found = null);
}

const versions = new Map<string, string>();

/** `helm version --short` of a binary (part of every cache key: another helm may render differently). */
export function helmVersion(helm: string): string {
  let v = versions.get(helm);
  if (v === undefined) {
    try {
      v = execFileSync(helm, ['version', '--short'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      v = 'unknown';
    }
    versions.set(helm, v);
  }
  return v;
}

/** An environment for helm whose cache, config and data folders live under `home`, away from the user's own helm setup. */
export function helmEnv(home: string): NodeJS.ProcessEnv {
  return { ...process.env, HELM_CACHE_HOME: path.join(home, 'cache'), HELM_CONFIG_HOME: path.join(home, 'config'), HELM_DATA_HOME: path.join(home, 'data') };
}

/** Helm's error text from a failed run: its stderr (the last lines, where helm puts `Error: …`), else the spawn error. */
export function helmError(err: unknown, maxLines = 6): string {
  const e = err as { stderr?: string | Buffer; message?: string; code?: string; signal?: string };
  if (e.code === 'ETIMEDOUT' || e.signal === 'SIGTERM') return 'helm timed out';
  if (e.code === 'ENOBUFS') return 'helm printed more than the output limit';
  const stderr = typeof e.stderr === 'string' ? e.stderr : e.stderr ? e.stderr.toString('utf8') : '';
  const lines = (stderr || e.message || String(err)).trim().split('\n').filter((l) => l.trim() !== '' && !/^walk\.go:|^WARNING: |^Use --debug flag/.test(l));
  return lines.slice(-maxLines).join('\n');
}
