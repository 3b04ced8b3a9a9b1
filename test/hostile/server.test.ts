import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleRepo, tempDir } from '../helpers/git-fixtures';
import type { ServeProcess } from '../helpers/serve';
import { startServe } from '../helpers/serve';

/** A TCP server that accepts connections and never answers: a cluster API server that hangs. */
function silentServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, sockets })));
}

function kubeconfig(port: number): string {
  const names = ['flotilla-dev', 'flotilla-staging', 'flotilla-prod'];
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${names[0]}`,
    'clusters:',
    ...names.map((n) => `  - name: ${n}\n    cluster:\n      server: https://127.0.0.1:${port}\n      insecure-skip-tls-verify: true`),
    'contexts:',
    ...names.map((n) => `  - name: ${n}\n    context:\n      cluster: ${n}\n      user: u`),
    'users:',
    '  - name: u\n    user:\n      token: t',
  ].join('\n') + '\n';
}

describe('flotilla serve under hostile input: bounded request bodies, prompt exit on SIGTERM', () => {
  let repo: { dir: string; cleanup: () => void };
  let data: { dir: string; cleanup: () => void };
  let hang: Awaited<ReturnType<typeof silentServer>>;
  let serve: ServeProcess;
  let token: string;

  beforeAll(async () => {
    repo = exampleRepo();
    data = tempDir();
    hang = await silentServer();
    const kc = path.join(data.dir, 'kubeconfig');
    writeFileSync(kc, kubeconfig(hang.port));
    serve = await startServe(repo.dir, data.dir, { KUBECONFIG: kc });
    token = new URL(serve.url).searchParams.get('token')!;
  });
  afterAll(async () => {
    if (serve.child.exitCode === null) await serve.stop();
    for (const s of hang.sockets) s.destroy();
    hang.server.close();
    repo.cleanup();
    data.cleanup();
  });

  it('answers 413 to a 20 MB request body, naming the limit, and keeps serving', async () => {
    const base = new URL(serve.url).origin;
    const big = JSON.stringify({ file: 'appsets/x.yaml', text: 'x'.repeat(20 * 1000 * 1000) });
    const r = await fetch(`${base}/api/invoke/appset:save`, { method: 'POST', body: big, headers: { Authorization: `Bearer ${token}` } });
    expect(r.status).toBe(413);
    expect(((await r.json()) as { problem: { message: string } }).problem.message).toContain('request body larger than 16 MiB, the API\'s limit (MAX_REQUEST_BODY_BYTES)');
    const ok = await fetch(`${base}/api/invoke/fleet:overview`, { method: 'POST', body: '{}', headers: { Authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
  });

  it('exits promptly on SIGTERM while a refresh waits on a cluster that never answers', async () => {
    const base = new URL(serve.url).origin;
    const refresh = fetch(`${base}/api/invoke/fleet:refresh`, { method: 'POST', body: '{}', headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
    // The refresh is under way once the hanging server has been dialled.
    const until = Date.now() + 20_000;
    while (hang.sockets.size === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(hang.sockets.size).toBeGreaterThan(0);
    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => serve.child.once('exit', (code) => resolve(code)));
    serve.child.kill('SIGTERM');
    const code = await exited;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(code).toBe(0);
    await refresh;
  });
});
