import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A loopback port that was free a moment ago: connecting to it is refused, as to a dead API server. */
export async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Writes `dir/kubeconfig` with a context `flotilla-<name>` per cluster (the example fleet's context names), each
 * pointing at a dead loopback API server; returns its path.
 */
export async function deadKubeconfig(dir: string, names: readonly string[] = ['dev', 'staging', 'prod']): Promise<string> {
  const file = path.join(dir, 'kubeconfig');
  const clusters = await Promise.all(names.map(async (name) => ({ name, port: await deadPort() })));
  writeFileSync(file, [
    'apiVersion: v1', 'kind: Config', `current-context: flotilla-${names[0]}`,
    'clusters:', ...clusters.flatMap((c) => [`- name: ${c.name}`, '  cluster:', `    server: https://127.0.0.1:${c.port}`, '    insecure-skip-tls-verify: true']),
    'users:', '- name: admin', '  user:', '    token: t',
    'contexts:', ...clusters.flatMap((c) => [`- name: flotilla-${c.name}`, '  context:', `    cluster: ${c.name}`, '    user: admin']),
    '',
  ].join('\n'));
  return file;
}
