import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

// A real OCI registry on loopback for tests: the CNCF Distribution registry that scripts/registry-bin.sh builds from
// its Go module (.ci/run runs it), with its storage in a temporary folder.

/** The registry binary: $FLOTILLA_REGISTRY, else the one scripts/registry-bin.sh built, else null. */
export function findRegistry(): string | null {
  const fromEnv = process.env['FLOTILLA_REGISTRY'];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const cache = process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache');
  const built = path.join(cache, 'flotilla', 'registry', process.env['FLOTILLA_REGISTRY_VERSION'] ?? 'v3.1.2', 'registry');
  return existsSync(built) ? built : null;
}

/** A running registry: its `host:port` on 127.0.0.1, and how to stop it. */
export interface OciRegistry {
  readonly host: string;
  stop(): Promise<void>;
}

/** Starts the registry on a free loopback port with storage under `dir`; resolves once it answers `/v2/`. */
export async function startRegistry(binary: string, dir: string): Promise<OciRegistry> {
  const port = await freePort();
  mkdirSync(path.join(dir, 'storage'), { recursive: true });
  const config = path.join(dir, 'config.yml');
  writeFileSync(config, `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, 'storage')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const child: ChildProcess = spawn(binary, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the registry exited (${child.exitCode}): ${stderr.slice(-2000)}`);
    try {
      if ((await fetch(`http://${host}/v2/`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the registry did not answer on ${host} within 20 s: ${stderr.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}
