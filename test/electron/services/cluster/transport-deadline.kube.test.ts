import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterManager } from '../../../../electron/services/cluster/cluster-manager';
import { KubeApiError, KubeTransport } from '../../../../electron/services/cluster/transport';
import { useFleetAdmin } from '../../../helpers/kube-fleet';

// A call's deadline judges the server, not this process: an event loop kept busy by CPU work (rendering 30,000 apps)
// past the deadline must not turn an answer that already arrived into a timeout, while a server that never answers
// still times out on time, as Unknown with its cluster named.

const shared = useFleetAdmin();

/**
 * Keeps the event loop busy for `ms` with synchronous CPU work, as a big render does, from an I/O-side phase (the
 * check phase, as work continuing after an answer runs): when it ends, the loop's next turn starts with its timers,
 * before it reads the sockets.
 */
function busy(ms: number): Promise<void> {
  return new Promise((resolve) => setImmediate(() => {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // spin
    }
    resolve();
  }));
}

let silent: net.Server;
const sockets: net.Socket[] = [];

beforeAll(async () => {
  // A loopback server that accepts connections and never says a word (a hung API server).
  silent = net.createServer((s) => void sockets.push(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe('the deadline of an API call under a busy event loop', () => {
  it('resolves a call the server answered in time although the loop was busy past its deadline when the answer came', async () => {
    const dev = shared.admin.connection('dev');
    await dev.request({ path: '/version' }); // connected: the next call goes out at once on the kept-alive socket
    const call = dev.request<{ gitVersion?: string }>({ path: '/version', timeoutMs: 300 });
    // The request goes out on the kept-alive socket before the loop's check phase (process.nextTick), and the server
    // answers within milliseconds; this process looks at its sockets again only after 1.2 s of CPU work.
    await busy(1200);
    await expect(call).resolves.toMatchObject({ gitVersion: expect.stringMatching(/^v1\.32\./) });
    expect(dev.info.state).toBe('ready');
  });

  it('resolves a call whose request could not even go out before the loop got busy', async () => {
    const staging = ClusterManager.fromKubeconfig({ kubeconfigPaths: [shared.fleet.kubeconfig], clusters: [{ name: 'staging', context: shared.fleet.clusters.find((c) => c.name === 'staging')!.context, labels: {}, annotations: {} }], timeoutMs: 300 });
    try {
      // A new connection: TCP and TLS handshakes and /version need the loop, which the CPU work holds for 1.2 s.
      const status = staging.status();
      await busy(1200);
      expect((await status).map((i) => [i.cluster, i.state, i.reason])).toEqual([['staging', 'ready', undefined]]);
    } finally {
      staging.close();
    }
  });

  it('still times out on time when the server never answers, and names the cluster (unknown is never success)', async () => {
    const port = (silent.address() as net.AddressInfo).port;
    const kc = JSON.parse(readFileSync(shared.fleet.kubeconfig, 'utf8')) as { users: { name: string }[]; clusters: { cluster: Record<string, unknown> }[] };
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'flotilla-deadline-')), 'kubeconfig');
    writeFileSync(file, JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'hung',
      clusters: [{ name: 'hung', cluster: { ...kc.clusters[0]!.cluster, server: `https://127.0.0.1:${port}` } }],
      contexts: [{ name: 'hung', context: { cluster: 'hung', user: kc.users[0]!.name } }],
      users: kc.users,
    }));
    const m = ClusterManager.fromKubeconfig({ kubeconfigPaths: [file], clusters: [{ name: 'hung', context: 'hung', labels: {}, annotations: {} }], timeoutMs: 400 });
    try {
      const t = performance.now();
      const [info] = await m.status();
      const took = performance.now() - t;
      expect(info).toMatchObject({ cluster: 'hung', state: 'unreachable', reason: 'hung: GET /version: no answer within 400 ms' });
      expect(took).toBeGreaterThanOrEqual(395);
      expect(took).toBeLessThan(1500);
      const call = m.connection('hung').request({ path: '/api/v1/namespaces' });
      await expect(call).rejects.toBeInstanceOf(KubeApiError);
      await expect(call).rejects.toMatchObject({ message: expect.stringMatching(/^hung: /) });
    } finally {
      m.close();
    }
  });

  it('times out a server that never answers even when the loop was busy past the deadline', async () => {
    const port = (silent.address() as net.AddressInfo).port;
    const t = new KubeTransport({ server: `http://127.0.0.1:${port}`, headers: {}, rejectUnauthorized: true, fromExec: false }, 300);
    try {
      const call = t.request({ path: '/version' });
      const settled = call.then(() => 'answered', (e: unknown) => e);
      await new Promise((r) => setTimeout(r, 50));
      await busy(600);
      const started = performance.now();
      const err = await settled;
      expect(err).toBeInstanceOf(KubeApiError);
      expect(err).toMatchObject({ kind: 'timeout', message: 'GET /version: no answer within 300 ms' });
      // Decided within a turn or two of the loop coming back (the request went out 50 ms in; 300 ms after that).
      expect(performance.now() - started).toBeLessThan(300);
    } finally {
      t.destroy();
    }
  });
});
