import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';

/** What one run of a command cost: wall and CPU (user + system of the command and every process it waited for), ms. */
export interface ChildRun {
  readonly wall_ms: number;
  readonly cpu_ms: number;
  /** Peak resident memory of a Node command (MB), when it was measured. */
  readonly max_rss_mb?: number;
  /** The machine's 1-minute load average when the run ended. */
  readonly load: number;
  readonly stdout: string;
}

/** The repository's root: the working directory or a folder above it holding bin/flotilla.js. */
export function projectRoot(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'bin', 'flotilla.js'))) return dir;
    if (path.dirname(dir) === dir) throw new Error('cannot find bin/flotilla.js: run the benchmarks from the repository');
  }
}

/** Builds dist/cli.js when it is missing (the CLI benchmarks run the shipped binary). */
export function ensureBuilt(root: string): void {
  if (!existsSync(path.join(root, 'dist', 'cli.js'))) execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}

// bash's `time` reports the CPU of the processes it waited for from getrusage(RUSAGE_CHILDREN), in microseconds,
// including their own children (git, helm) — the same measure for flotilla, kubectl and `node -e 0`.
const TIMED = 'TIMEFORMAT="%3R %3U %3S"; { time "$@" > "$FLOTILLA_BENCH_OUT" 2> "$FLOTILLA_BENCH_ERR"; } 2> "$FLOTILLA_BENCH_TIME"';

/** The last lines of a failed command's stderr, for the benchmark's error (the command's own words on why it failed). */
function stderrTail(file: string, lines = 20): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8').trimEnd();
  return text ? `:\n${text.split('\n').slice(-lines).join('\n')}` : '';
}
const RSS_HOOK = `process.on('exit', () => require('fs').writeFileSync(process.env.FLOTILLA_BENCH_RSS, String(process.resourceUsage().maxRSS)));`;

/** Runs a command once and measures it; `rss` adds a preload that reports a Node command's peak memory. */
export function timeCommand(cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; rss?: boolean } = {}): ChildRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-bench-run-'));
  try {
    const out = path.join(dir, 'out');
    const time = path.join(dir, 'time');
    const err = path.join(dir, 'err');
    const rssFile = path.join(dir, 'rss');
    const hook = path.join(dir, 'rss.js');
    if (opts.rss) writeFileSync(hook, RSS_HOOK);
    const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env, FLOTILLA_BENCH_OUT: out, FLOTILLA_BENCH_ERR: err, FLOTILLA_BENCH_TIME: time, ...(opts.rss ? { FLOTILLA_BENCH_RSS: rssFile, NODE_OPTIONS: `--require ${hook}` } : {}) };
    const r = spawnSync('bash', ['-c', TIMED, 'bench', cmd, ...args], { cwd: opts.cwd, env, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})${stderrTail(err)}`);
    const [real, user, sys] = readFileSync(time, 'utf8').trim().split(/\s+/).map(Number);
    const rss = opts.rss && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : undefined;
    return { wall_ms: real! * 1000, cpu_ms: (user! + sys!) * 1000, load: loadavg()[0]!, ...(rss !== undefined ? { max_rss_mb: Math.round(rss) } : {}), stdout: readFileSync(out, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
