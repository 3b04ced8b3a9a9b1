// The metrics endpoint: `GET /metrics` in Prometheus' text format on its own port (loopback by default), apart from
// the UI's token-guarded bridge, so a Prometheus on this machine can scrape it as it scrapes Argo CD.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FleetMetrics } from './fleet-metrics';

/** A running metrics endpoint. */
export interface MetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `metrics` at `http://host:port/metrics` (port 0: a free one). */
export async function startMetricsServer(metrics: FleetMetrics, opts: { readonly host: string; readonly port: number }): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://metrics');
    if (req.method !== 'GET' || url.pathname !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: metrics are at /metrics\n');
      return;
    }
    metrics.text().then(
      (text) => res.writeHead(200, { 'Content-Type': metrics.contentType }).end(text),
      (err: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`metrics failed: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return { url: `http://${host}:${port}/metrics`, close: () => new Promise((r) => server.close(() => r())) };
}
