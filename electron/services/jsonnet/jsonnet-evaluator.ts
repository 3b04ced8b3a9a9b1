import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FileTree } from '../../../shared/repo/file-tree';
import { walkFiles } from '../../../shared/repo/file-tree';
import type { JsonnetEvaluator, JsonnetRequest } from '../../../shared/sources/types';
import { FsFileTree } from '../fs-file-tree';

/** The go-jsonnet version scripts/jsonnet-bin.sh builds (the one Argo CD links). */
export const GO_JSONNET_VERSION = 'v0.21.0';

let found: string | null | undefined;

/**
 * go-jsonnet's `jsonnet` command: `$FLOTILLA_JSONNET`, else the one scripts/jsonnet-bin.sh built into
 * `~/.cache/flotilla/jsonnet/<version>/`, else `jsonnet` on the PATH; null when there is none.
 */
export function findJsonnet(): string | null {
  if (found !== undefined) return found;
  const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'flotilla', 'jsonnet', GO_JSONNET_VERSION, 'jsonnet');
  for (const c of [process.env.FLOTILLA_JSONNET, cache, 'jsonnet'].filter((c): c is string => !!c)) {
    if (path.isAbsolute(c) && !existsSync(c)) continue;
    try {
      execFileSync(c, ['--version'], { stdio: 'ignore', timeout: 10_000 });
      return (found = c);
    } catch {
      // not this one
    }
  }
  return (found = null);
}

/** Bounds of one evaluation. */
export interface JsonnetLimits {
  /** Wall time (default 30 s). */
  readonly timeoutMs?: number;
  /** Memory of the jsonnet process (default 1 GiB; a hard limit through prlimit where it exists). */
  readonly memoryBytes?: number;
  /** What the program may print (default 64 MB). */
  readonly maxOutputBytes?: number;
}

/**
 * A JsonnetEvaluator running go-jsonnet on files read from a FileTree: a working tree is read in place, any other tree
 * is written once to a temporary folder (kept for the process, keyed by tree), so imports, `importstr` and `-J` library
 * folders resolve exactly as in a checkout. Errors name the repo-relative file and line as jsonnet prints them.
 */
export function createJsonnetEvaluator(jsonnet: string, limits: JsonnetLimits = {}): JsonnetEvaluator {
  const timeout = limits.timeoutMs ?? 30_000;
  const memory = limits.memoryBytes ?? 1024 * 1024 * 1024;
  const maxBuffer = limits.maxOutputBytes ?? 64 * 1024 * 1024;
  const prlimit = ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => process.platform === 'linux' && existsSync(p));
  const roots = new WeakMap<FileTree, string>();
  const temps: string[] = [];
  const rootOf = (tree: FileTree): string => {
    if (tree instanceof FsFileTree) return tree.root;
    let dir = roots.get(tree);
    if (dir) return dir;
    dir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-jsonnet-'));
    if (temps.length === 0) process.once('exit', () => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
    temps.push(dir);
    for (const f of walkFiles(tree)) {
      const target = path.join(dir, f);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, tree.readBytes(f) ?? new Uint8Array());
    }
    roots.set(tree, dir);
    return dir;
  };
  return {
    evaluate(req: JsonnetRequest) {
      const root = rootOf(req.tree);
      const args: string[] = [];
      for (const lib of req.libs) args.push('-J', lib === '' ? '.' : lib);
      for (const v of req.extVars) args.push(v.code ? '--ext-code' : '--ext-str', `${v.name}=${v.value}`);
      for (const v of req.tlas) args.push(v.code ? '--tla-code' : '--tla-str', `${v.name}=${v.value}`);
      args.push('--', req.file);
      const [cmd, cmdArgs] = prlimit ? [prlimit, [`--data=${memory}`, jsonnet, ...args]] : [jsonnet, args];
      try {
        const json = execFileSync(cmd, cmdArgs, { cwd: root, encoding: 'utf8', timeout, maxBuffer, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GOMEMLIMIT: String(Math.floor(memory * 0.8)) } });
        return { json };
      } catch (err) {
        const e = err as { stderr?: string; message?: string; code?: string; signal?: string };
        if (e.code === 'ETIMEDOUT' || e.signal === 'SIGTERM') return { error: `${req.file}: jsonnet did not finish within ${timeout >= 1000 ? `${Math.round(timeout / 1000)} s` : `${timeout} ms`}` };
        if (e.code === 'ENOBUFS') return { error: `${req.file}: jsonnet printed more than ${Math.round(maxBuffer / 1024 / 1024)} MB` };
        const stderr = (e.stderr ?? '').trim();
        if (/fatal error: (?:runtime: )?out of memory/.test(stderr)) return { error: `${req.file}: jsonnet ran out of memory (limit ${Math.round(memory / 1024 / 1024)} MB)` };
        const text = (stderr || e.message || String(err)).split(`${root}${path.sep}`).join('');
        return { error: text.split('\n').slice(0, 12).join('\n') };
      }
    },
  };
}
