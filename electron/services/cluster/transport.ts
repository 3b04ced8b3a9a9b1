import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { ResolvedCredentials } from './kubeconfig';

// A small HTTP client for the Kubernetes API over node:https: keep-alive, a deadline on every call, JSON
// bodies, Status errors turned into KubeApiError, and newline-delimited watch streams.

/** Why a call failed, as the cluster layer classifies it. */
export type KubeErrorKind = 'unauthorized' | 'forbidden' | 'notFound' | 'conflict' | 'gone' | 'invalid' | 'timeout' | 'network' | 'server';

/** An error from a Kubernetes API call, with the HTTP status and the API's Status reason when there is one. */
export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly kind: KubeErrorKind,
    readonly status?: number,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  /** Whether the failure says the cluster cannot be reached (rather than refusing one request). */
  get unreachable(): boolean {
    return this.kind === 'timeout' || this.kind === 'network';
  }
}

/** One request to the API server. */
export interface KubeRequest {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with query string, e.g. `/api/v1/namespaces?limit=500`. */
  readonly path: string;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly accept?: string;
  /** Deadline of the whole call in ms (default: the transport's). */
  readonly timeoutMs?: number;
  /** Resolve with the body as text instead of parsed JSON (pod logs). */
  readonly text?: boolean;
}

/** Maps an HTTP status to an error kind. */
function kindOf(status: number): KubeErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 409) return 'conflict';
  if (status === 410) return 'gone';
  if (status === 400 || status === 422 || status === 415) return 'invalid';
  if (status === 504) return 'timeout';
  return 'server';
}

/** Builds a KubeApiError from a response status and body (a Status object when the server sent one). */
export function errorFromResponse(status: number, text: string, what: string): KubeApiError {
  let message = text.slice(0, 500);
  let reason: string | undefined;
  try {
    const s = JSON.parse(text) as { message?: string; reason?: string };
    if (s.message) message = s.message;
    reason = s.reason;
  } catch {
    // not a Status
  }
  return new KubeApiError(`${what}: ${status} ${message}`.trim(), kindOf(status), status, reason);
}

/** How late a deadline timer may fire before the event loop counts as having been busy at the deadline. */
const BUSY_LOOP_SLACK_MS = 100;

/**
 * The deadline of one call, judged on what the server did rather than on when this process looked. A timer alone is
 * wrong when the event loop was busy (rendering thousands of apps): on the loop's next turn timers run before the
 * sockets are read, so an answer that arrived in time would be declared late, and a request that could not even go
 * out while the loop was busy would be blamed on the server. So:
 * - the verdict waits one turn of the loop (setImmediate runs after the I/O that arrived meanwhile is read);
 * - the server's time counts from when the request went out (`sent`), and again from its last sign of life
 *   (`heard`: the headers, then each piece of the body);
 * - a request that had not gone out when the timer fired late (the loop was busy at the deadline) gets a full
 *   deadline from the moment the loop is free again.
 * A server that never answers, on a loop that is free, times out on time: nothing resets its clock.
 */
class CallDeadline {
  private timer: NodeJS.Timeout | undefined;
  private sentAt: number | undefined;
  private heardAt: number | undefined;
  private over = false;

  constructor(private readonly ms: number, private readonly expire: () => void) {
    this.arm(ms);
  }

  /** The request was handed to the operating system. */
  sent(): void {
    this.sentAt = performance.now();
  }

  /** The server answered something (headers or body). */
  heard(): void {
    this.heardAt = performance.now();
  }

  /** The call settled: no verdict is needed. */
  clear(): void {
    this.over = true;
    clearTimeout(this.timer);
  }

  private arm(ms: number): void {
    const due = performance.now() + ms;
    this.timer = setTimeout(() => {
      const late = performance.now() - due;
      setImmediate(() => this.verdict(late));
    }, ms);
  }

  private verdict(late: number): void {
    if (this.over) return;
    const since = this.heardAt ?? this.sentAt;
    if (since === undefined && late > BUSY_LOOP_SLACK_MS) return this.arm(this.ms);
    const left = since === undefined ? 0 : since + this.ms - performance.now();
    if (left > 0) return this.arm(left);
    this.over = true;
    this.expire();
  }
}

/** A handle on a running watch stream. */
export interface WatchStream {
  /** Ends the stream (no further lines are delivered). */
  close(): void;
  /** Resolves when the stream ends, rejects on an HTTP error (a KubeApiError) or a network error. */
  readonly done: Promise<void>;
}

/** HTTP transport to one API server with fixed credentials. */
export class KubeTransport {
  private readonly agent: http.Agent;
  /** Watches hold their socket for minutes: they get their own agent so they never queue ordinary calls. */
  private readonly streamAgent: http.Agent;
  private readonly url: URL;

  constructor(
    private readonly creds: ResolvedCredentials,
    private readonly defaultTimeoutMs: number,
  ) {
    this.url = new URL(creds.server);
    this.agent = this.makeAgent({ keepAlive: true, maxSockets: 32 });
    this.streamAgent = this.makeAgent({ keepAlive: false });
  }

  private makeAgent(common: http.AgentOptions): http.Agent {
    const creds = this.creds;
    return this.url.protocol === 'http:'
      ? new http.Agent(common)
      : new https.Agent({
        ...common,
        ...(creds.ca ? { ca: creds.ca } : {}),
        ...(creds.cert ? { cert: creds.cert } : {}),
        ...(creds.key ? { key: creds.key } : {}),
        ...(creds.servername ? { servername: creds.servername } : {}),
        rejectUnauthorized: creds.rejectUnauthorized,
      });
  }

  /** Credentials expiry (exec plugins), if any. */
  get expiresAt(): number | undefined {
    return this.creds.expiresAt;
  }

  /** A SHA-256 over the server and what authenticates (headers, client certificate): who these calls act as, never the secret. */
  get fingerprint(): string {
    const h = createHash('sha256').update(this.creds.server);
    for (const k of Object.keys(this.creds.headers).sort()) h.update(`\x1f${k}=${this.creds.headers[k]!}`);
    if (this.creds.cert) h.update('\x1fcert=').update(this.creds.cert);
    return h.digest('hex');
  }

  /** Closes idle sockets. */
  destroy(): void {
    this.agent.destroy();
    this.streamAgent.destroy();
  }

  private open(req: KubeRequest, onResponse: (res: http.IncomingMessage) => void, onError: (err: Error) => void, agent: http.Agent = this.agent): http.ClientRequest {
    const lib = this.url.protocol === 'http:' ? http : https;
    const base = this.url.pathname.replace(/\/+$/, '');
    const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    const headers: Record<string, string> = { ...this.creds.headers, Accept: req.accept ?? 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const r = lib.request({ protocol: this.url.protocol, hostname: this.url.hostname, port: this.url.port, path: base + req.path, method: req.method ?? 'GET', headers, agent }, onResponse);
    r.on('error', onError);
    if (body !== undefined) r.write(body);
    r.end();
    return r;
  }

  /** Sends a request and resolves its parsed JSON body; rejects with a KubeApiError (timeouts included). */
  request<T = unknown>(req: KubeRequest): Promise<T> {
    const timeoutMs = req.timeoutMs ?? this.defaultTimeoutMs;
    const what = `${req.method ?? 'GET'} ${req.path.split('?')[0]}`;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | null, value?: T): void => {
        if (settled) return;
        settled = true;
        deadline.clear();
        if (err) reject(err);
        else resolve(value as T);
      };
      const deadline = new CallDeadline(timeoutMs, () => {
        finish(new KubeApiError(`${what}: no answer within ${timeoutMs} ms`, 'timeout'));
        r.destroy();
      });
      const r = this.open(req, (res) => {
        deadline.heard();
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          deadline.heard();
          chunks.push(c);
        });
        res.on('error', (e) => finish(new KubeApiError(`${what}: ${e.message}`, 'network')));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300 && req.text) finish(null, text as T);
          else if (status >= 200 && status < 300) {
            try {
              finish(null, (text ? JSON.parse(text) : undefined) as T);
            } catch (e) {
              finish(new KubeApiError(`${what}: invalid JSON: ${e instanceof Error ? e.message : String(e)}`, 'server', status));
            }
          } else finish(errorFromResponse(status, text, what));
        });
      }, (e) => finish(new KubeApiError(`${what}: ${networkMessage(e)}`, 'network')));
      r.on('finish', () => deadline.sent());
    });
  }

  /**
   * Opens a streaming GET (a watch) and calls `onLine` with each JSON line. The response headers must arrive
   * within `connectTimeoutMs`; after that a stream silent for `idleTimeoutMs` (a server that froze without closing
   * the connection; watch bookmarks keep a live one talking) is dropped as lost.
   */
  stream(path: string, onLine: (obj: unknown) => void, connectTimeoutMs = this.defaultTimeoutMs, idleTimeoutMs = 330_000): WatchStream {
    let req: http.ClientRequest | undefined;
    let closed = false;
    const done = new Promise<void>((resolve, reject) => {
      const deadline = new CallDeadline(connectTimeoutMs, () => {
        reject(new KubeApiError(`watch ${path.split('?')[0]}: no answer within ${connectTimeoutMs} ms`, 'timeout'));
        req?.destroy();
      });
      req = this.open({ path }, (res) => {
        deadline.clear();
        res.socket.setTimeout(idleTimeoutMs, () => res.destroy(new Error(`no data for ${idleTimeoutMs} ms`)));
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => reject(errorFromResponse(status, text, `watch ${path.split('?')[0]}`)));
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          buf += d;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (line && !closed) onLine(JSON.parse(line));
          }
        });
        res.on('end', () => resolve());
        res.on('error', (e) => (closed ? resolve() : reject(new KubeApiError(`watch ${path.split('?')[0]}: ${networkMessage(e)}`, 'network'))));
        res.on('aborted', () => (closed ? resolve() : reject(new KubeApiError(`watch ${path.split('?')[0]}: connection lost`, 'network'))));
      }, (e) => {
        deadline.clear();
        if (closed) resolve();
        else reject(new KubeApiError(`watch ${path.split('?')[0]}: ${networkMessage(e)}`, 'network'));
      }, this.streamAgent);
      req.on('finish', () => deadline.sent());
    });
    return {
      close: () => {
        closed = true;
        req?.destroy();
      },
      done,
    };
  }
}

/** A readable message for a socket error (ECONNREFUSED and friends). */
function networkMessage(e: Error & { code?: string }): string {
  if (e.code === 'ECONNREFUSED') return `connection refused (${e.message.replace(/^connect ECONNREFUSED /, '')})`;
  if (e.code === 'ECONNRESET') return 'connection reset by the server';
  return e.message;
}
