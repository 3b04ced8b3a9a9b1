import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ApiHandlers, Channel } from '../../shared/api/contract';
import { CHANNELS } from '../../shared/api/contract';
import { toEnvelope } from '../../shared/api/envelope';
import type { EventBus } from '../services/event-bus';
import { CONTENT_SECURITY_POLICY } from './csp';

/** Options of the local web server that serves the UI and the API to a browser. */
export interface HttpBridgeOptions {
  readonly handlers: ApiHandlers;
  readonly events: EventBus;
  /** The built renderer (index.html and assets). */
  readonly staticDir: string;
  /** Default 127.0.0.1: loopback only. */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** Default: 32 random bytes, hex. */
  readonly token?: string;
}

/** A running bridge: the URL to open (with its token) and how to stop it. */
export interface HttpBridge {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const COOKIE = 'flotilla_token';
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
};
const channelSet = new Set<string>(CHANNELS);
/** Largest API request body (16 MiB); a larger one is answered 413. */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Serves the renderer and the API contract over HTTP + server-sent events, for `flotilla serve`. Every request needs
 * the token (the `?token=` of the printed URL, kept afterwards in a SameSite=Strict HttpOnly cookie, or a Bearer
 * header); the Host header must name the server itself, so a DNS-rebinding page cannot reach it.
 */
export async function startHttpBridge(opts: HttpBridgeOptions): Promise<HttpBridge> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(32).toString('hex');
  const sse = new Set<ServerResponse>();
  const unsubscribe = opts.events.onAny((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sse) res.write(frame);
  });
  let port = 0;
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'application/json', JSON.stringify({ ok: false, problem: { severity: 'error', message: String(err) } }));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (!hostAllowed(req.headers.host, port)) return send(res, 421, 'text/plain', 'misdirected request: unknown Host header\n');
    const presented = url.searchParams.get('token') ?? bearer(req.headers.authorization) ?? cookie(req.headers.cookie, COOKIE);
    if (!presented || !safeEqual(presented, token)) return send(res, 401, 'text/plain', 'unauthorized: open the URL that `flotilla serve` printed (it carries the token)\n');
    if (url.searchParams.has('token')) {
      // Keep the token in a cookie and drop it from the address bar.
      res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      res.writeHead(303, { Location: url.pathname === '/' ? '/' : url.pathname });
      return void res.end();
    }
    if (url.pathname.startsWith('/api/invoke/')) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'use POST\n');
      const origin = req.headers.origin;
      if (origin && origin !== `http://${req.headers.host}`) return send(res, 403, 'text/plain', 'cross-origin request refused\n');
      const channel = decodeURIComponent(url.pathname.slice('/api/invoke/'.length));
      if (!channelSet.has(channel)) return send(res, 404, 'application/json', JSON.stringify({ ok: false, problem: { severity: 'error', message: `unknown API channel "${channel}"` } }));
      const body = await readBody(req);
      if (body === undefined) {
        const message = `request body larger than ${MAX_REQUEST_BODY_BYTES / (1024 * 1024)} MiB, the API's limit (MAX_REQUEST_BODY_BYTES)`;
        res.setHeader('Connection', 'close');
        return send(res, 413, 'application/json', JSON.stringify({ ok: false, problem: { severity: 'error', message } }));
      }
      let arg: unknown;
      try {
        arg = body.length ? JSON.parse(body) : {};
      } catch {
        return send(res, 400, 'application/json', JSON.stringify({ ok: false, problem: { severity: 'error', message: 'request body is not JSON' } }));
      }
      const handler = opts.handlers[channel as Channel] as (a: unknown) => Promise<unknown>;
      const env = await toEnvelope(() => handler(arg));
      return send(res, 200, 'application/json', JSON.stringify(env));
    }
    if (url.pathname === '/api/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      sse.add(res);
      req.on('close', () => sse.delete(res));
      return;
    }
    return serveStatic(url.pathname, res);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = path.resolve(opts.staticDir, rel);
    const inside = file.startsWith(path.resolve(opts.staticDir) + path.sep);
    // Unknown paths fall back to index.html so client-side routes load.
    const target = inside && existsSync(file) && statSync(file).isFile() ? file : path.join(opts.staticDir, 'index.html');
    if (!existsSync(target)) return send(res, 500, 'text/plain', `the UI is not built (${opts.staticDir} is missing): run npm run build\n`);
    const type = MIME[path.extname(target)] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      ...(type.startsWith('text/html') ? { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Frame-Options': 'DENY' } : {}),
    });
    res.end(readFileSync(target));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const res of sse) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function hostAllowed(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  return ['127.0.0.1', 'localhost', '[::1]'].some((h) => hostHeader === `${h}:${port}`);
}

function bearer(h: string | undefined): string | undefined {
  return h?.startsWith('Bearer ') ? h.slice(7) : undefined;
}

function cookie(h: string | undefined, name: string): string | undefined {
  for (const part of (h ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

/**
 * The request body as text, or undefined when it is larger than the limit: an announced Content-Length over it is
 * refused before reading; a longer stream stops being kept as soon as it passes the limit (the rest is discarded).
 */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const announced = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const refuse = (): void => {
      tooLarge = true;
      chunks.length = 0;
      resolve(undefined);
    };
    if (announced > MAX_REQUEST_BODY_BYTES) refuse();
    req.on('data', (c: Buffer) => {
      if (tooLarge) return;
      size += c.length;
      if (size > MAX_REQUEST_BODY_BYTES) refuse();
      else chunks.push(c);
    });
    req.on('end', () => {
      if (!tooLarge) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}
