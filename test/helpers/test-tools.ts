import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './paths';

let toolsDir: string | undefined;

/**
 * The path of a Go test tool under test/tools/ (expr-eval, prom-parse), built once by scripts/test-tools.sh into a
 * cache outside the repository (CI builds it up front; a missing Go toolchain fails the test, never skips it).
 */
export function goTestTool(name: 'expr-eval' | 'prom-parse'): string {
  toolsDir ??= execFileSync(path.join(repoRoot, 'scripts', 'test-tools.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    .trim()
    .split('\n')
    .pop()!;
  return path.join(toolsDir, name);
}

/** Runs a Go test tool with `input` on stdin and returns its stdout. */
export function runGoTestTool(name: 'expr-eval' | 'prom-parse', input: string): string {
  return execFileSync(goTestTool(name), { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}
