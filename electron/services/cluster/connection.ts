import type { ApiResourceInfo, DiscoveryCache } from './discovery';
import { discover, resourcePath } from './discovery';
import type { LoadedKubeconfig } from './kubeconfig';
import { resolveCredentials } from './kubeconfig';
import type { KubeRequest, WatchStream } from './transport';
import { KubeApiError, KubeTransport } from './transport';
import type { KubeObject } from '../../../shared/model/status';

/** A cluster connection's state. */
export type ClusterState = 'connecting' | 'ready' | 'unreachable' | 'forbidden';

/** What the UI and CLI may know of a cluster: names, server, state — never credentials. */
export interface ClusterInfo {
  /** The cluster's name in Flotilla. */
  readonly cluster: string;
  readonly context: string;
  readonly server: string;
  readonly environment?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly state: ClusterState;
  /** The API server's gitVersion (e.g. `v1.32.3`) once connected. */
  readonly version?: string;
  /** Why the cluster is unreachable or forbidden. */
  readonly reason?: string;
  /** ISO time the state was entered. */
  readonly since: string;
  /** Number of group/kinds discovered. */
  readonly resources?: number;
}

/** A state change of one cluster. */
export interface ClusterStateChange {
  readonly previous: ClusterState;
  readonly info: ClusterInfo;
}

/** Options of a cluster connection. */
export interface ClusterConnectionOptions {
  readonly name: string;
  readonly context: string;
  readonly environment?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly kubeconfig: LoadedKubeconfig;
  /** Deadline of every API call (default 10 s). */
  readonly timeoutMs?: number;
  /** Deadline of an exec credential plugin (default 10 s). */
  readonly execTimeoutMs?: number;
  /** First reconnection delay (default 1 s), doubled per failure up to `maxBackoffMs` (default 30 s). */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** How long discovery is reused before being read again (default 5 min). */
  readonly discoveryTtlMs?: number;
}

/** A page of a list call. */
export interface ListResult {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
}

/**
 * One connection per cluster: explicit state, server version, cached discovery, a deadline on every call,
 * reconnection with backoff, and state-change events. Calls made while the cluster is unreachable fail at once
 * with the reason until the next reconnection attempt is due.
 */
export class ClusterConnection {
  private transport: KubeTransport | undefined;
  private discoveryCache: DiscoveryCache | undefined;
  private current: ClusterInfo;
  private inFlight: Promise<ClusterInfo> | undefined;
  private rediscovering: Promise<DiscoveryCache> | undefined;
  private failures = 0;
  private nextAttemptAt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly listeners = new Set<(change: ClusterStateChange) => void>();
  private readonly timeoutMs: number;

  constructor(private readonly opts: ClusterConnectionOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    const server = opts.kubeconfig.contexts.find((c) => c.name === opts.context)?.server ?? '';
    this.current = {
      cluster: opts.name, context: opts.context, server, labels: opts.labels ?? {},
      ...(opts.environment ? { environment: opts.environment } : {}),
      state: 'connecting', since: new Date().toISOString(),
    };
  }

  /** The cluster's name. */
  get name(): string {
    return this.opts.name;
  }

  /** The current state. */
  get state(): ClusterState {
    return this.current.state;
  }

  /** The current info (no credentials). */
  get info(): ClusterInfo {
    return this.current;
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onStateChange(listener: (change: ClusterStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setState(state: ClusterState, extra: { version?: string; reason?: string; resources?: number }): void {
    const previous = this.current.state;
    const { version: _v, reason: _r, resources: _n, ...base } = this.current;
    const version = extra.version ?? this.current.version;
    const resources = extra.resources ?? this.current.resources;
    this.current = {
      ...base, state,
      since: previous === state ? this.current.since : new Date().toISOString(),
      ...(version ? { version } : {}),
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(resources !== undefined ? { resources } : {}),
    };
    if (previous !== state || extra.reason !== _r) for (const l of this.listeners) l({ previous, info: this.current });
  }

  /** Connects (credentials, /version, discovery) unless already ready; concurrent callers share one attempt. */
  async connect(): Promise<ClusterInfo> {
    if (this.current.state === 'ready' && this.transport) return this.current;
    return await this.attempt();
  }

  /** Reads version and discovery again now, whatever the state. */
  async refresh(): Promise<ClusterInfo> {
    return await this.attempt();
  }

  private attempt(): Promise<ClusterInfo> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.doConnect().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async doConnect(): Promise<ClusterInfo> {
    // An unreachable cluster stays unreachable while it is retried, so the UI does not flicker.
    try {
      // Rejected credentials are read again (an exec plugin may hand out new ones) before every retry.
      if (!this.transport || this.credentialsExpired() || this.current.state === 'forbidden') await this.newTransport();
      const t = this.transport!;
      const version = await t.request<{ gitVersion?: string }>({ path: '/version' });
      const disc = await discover(t);
      this.discoveryCache = disc;
      this.failures = 0;
      this.clearRetry();
      this.setState('ready', { ...(version.gitVersion ? { version: version.gitVersion } : {}), resources: disc.size });
    } catch (err) {
      this.fail(err);
    }
    return this.current;
  }

  private credentialsExpired(): boolean {
    const exp = this.transport?.expiresAt;
    return exp !== undefined && Date.now() > exp - 10_000;
  }

  private async newTransport(): Promise<void> {
    const creds = await resolveCredentials(this.opts.kubeconfig, this.opts.context, this.opts.execTimeoutMs ?? 10_000);
    this.transport?.destroy();
    this.transport = new KubeTransport(creds, this.timeoutMs);
  }

  /** Records a failure: forbidden for rejected credentials, unreachable otherwise, and schedules a retry. */
  private fail(err: unknown): void {
    const e = err instanceof KubeApiError ? err : undefined;
    const reason = err instanceof Error ? err.message : String(err);
    if (e && (e.kind === 'unauthorized' || e.kind === 'forbidden')) {
      this.setState('forbidden', { reason: `${this.opts.name}: ${reason}` });
    } else {
      this.setState('unreachable', { reason: `${this.opts.name}: ${reason}` });
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    const base = this.opts.initialBackoffMs ?? 1000;
    const delay = Math.min(base * 2 ** this.failures, this.opts.maxBackoffMs ?? 30_000);
    this.failures++;
    this.nextAttemptAt = Date.now() + delay;
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.closed && this.current.state !== 'ready') void this.attempt();
    }, delay);
    this.retryTimer.unref();
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** Waits for a usable connection, or throws the reason it is not (at once while a retry is not yet due). */
  private async ready(): Promise<KubeTransport> {
    if (this.closed) throw new KubeApiError(`${this.opts.name}: connection closed`, 'network');
    if (this.current.state === 'ready' && this.transport && !this.credentialsExpired()) return this.transport;
    if (this.current.state === 'ready' && this.credentialsExpired()) await this.newTransport();
    else if (this.inFlight) await this.inFlight;
    else if (this.current.state === 'connecting' || Date.now() >= this.nextAttemptAt) await this.attempt();
    if (this.current.state === 'ready' && this.transport) return this.transport;
    const kind = this.current.state === 'forbidden' ? 'unauthorized' : 'network';
    throw new KubeApiError(this.current.reason ?? `${this.opts.name} is ${this.current.state}`, kind);
  }

  /** Sends an API call with the connection's deadline; network failures and timeouts mark it unreachable. */
  async request<T = unknown>(req: KubeRequest): Promise<T> {
    const t = await this.ready();
    try {
      return await t.request<T>(req);
    } catch (err) {
      if (err instanceof KubeApiError && err.unreachable) this.fail(err);
      else if (err instanceof KubeApiError && err.kind === 'unauthorized') {
        // Exec credentials may have been revoked or rotated: fetch new ones once, then give up.
        if (t === this.transport) {
          await this.newTransport();
          try {
            return await this.transport!.request<T>(req);
          } catch (again) {
            if (again instanceof KubeApiError && again.kind === 'unauthorized') this.fail(again);
            throw again;
          }
        }
      }
      throw err;
    }
  }

  /**
   * Who this connection acts as, for caches of what it may do: a SHA-256 over the server and the credentials in use
   * (bearer header, client certificate), never the credentials themselves. Connects first when needed.
   */
  async credentialFingerprint(): Promise<string> {
    const t = await this.ready();
    return t.fingerprint;
  }

  /** A cheap liveness check (GET /version) that moves the state like any call; resolves the current info. */
  async ping(): Promise<ClusterInfo> {
    try {
      const v = await this.request<{ gitVersion?: string }>({ path: '/version' });
      if (v.gitVersion && v.gitVersion !== this.current.version) this.setState(this.current.state, { version: v.gitVersion });
    } catch {
      // the state and reason already say what went wrong
    }
    return this.current;
  }

  /** Opens a watch stream (no overall deadline; the response must start within the call deadline). */
  async stream(path: string, onLine: (obj: unknown) => void, idleTimeoutMs?: number): Promise<WatchStream> {
    const t = await this.ready();
    return t.stream(path, onLine, this.timeoutMs, idleTimeoutMs);
  }

  /** Marks the cluster unreachable after a watch lost its server (so the UI hears of it at once). */
  reportFailure(err: unknown): void {
    if (err instanceof KubeApiError && err.unreachable && this.current.state === 'ready') this.fail(err);
  }

  /** The cached discovery, read again when older than the TTL. */
  async discovery(): Promise<DiscoveryCache> {
    await this.ready();
    const ttl = this.opts.discoveryTtlMs ?? 300_000;
    if (!this.discoveryCache || Date.now() - this.discoveryCache.fetchedAt > ttl) {
      this.discoveryCache = await discover(this.transport!);
    }
    return this.discoveryCache;
  }

  /** Reads discovery again, sharing one read among concurrent callers and skipping it when under 250 ms old. */
  private async rediscover(): Promise<DiscoveryCache> {
    const cached = this.discoveryCache;
    if (cached && Date.now() - cached.fetchedAt < 250) return cached;
    if (!this.rediscovering) {
      this.rediscovering = discover(this.transport!).then((d) => (this.discoveryCache = d)).finally(() => (this.rediscovering = undefined));
    }
    return await this.rediscovering;
  }

  /** The resource serving an apiVersion and kind. On a miss, discovery is read again once (a CRD may be new). */
  async resourceFor(apiVersion: string, kind: string): Promise<ApiResourceInfo | undefined> {
    const hit = (await this.discovery()).find(apiVersion, kind);
    return hit ?? (await this.rediscover()).find(apiVersion, kind);
  }

  /** The preferred resource of a group and kind (same refresh-on-miss rule). */
  async resourceForGroupKind(group: string, kind: string): Promise<ApiResourceInfo | undefined> {
    const hit = (await this.discovery()).findGroupKind(group, kind);
    return hit ?? (await this.rediscover()).findGroupKind(group, kind);
  }

  /** Lists a resource (every namespace, or one), following `continue` pages of 500. */
  async list(r: ApiResourceInfo, opts: { namespace?: string; labelSelector?: string } = {}): Promise<ListResult> {
    const items: KubeObject[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const q = new URLSearchParams({ limit: '500' });
      if (cont) q.set('continue', cont);
      if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
      const page = await this.request<{ items?: KubeObject[]; metadata?: { resourceVersion?: string; continue?: string } }>({ path: `${resourcePath(r, opts.namespace)}?${q}` });
      const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
      for (const item of page.items ?? []) items.push({ ...item, apiVersion, kind: r.kind });
      rv = page.metadata?.resourceVersion ?? rv;
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return { items, resourceVersion: rv };
  }

  /** Stops reconnecting and closes idle sockets. */
  close(): void {
    this.closed = true;
    this.clearRetry();
    this.transport?.destroy();
  }
}
