import type { ClusterSpec } from '../../../shared/model/fleet';
import type { Problem } from '../../../shared/problem';
import { problem, toProblem } from '../../../shared/problem';
import type { ClusterInfo, ClusterStateChange } from './connection';
import { ClusterConnection } from './connection';
import type { LoadedKubeconfig } from './kubeconfig';
import { loadKubeconfig } from './kubeconfig';

/** The outcome of a fleet-wide operation on one cluster. */
export type ClusterResult<T> =
  | { readonly cluster: string; readonly ok: true; readonly value: T; readonly ms: number }
  | { readonly cluster: string; readonly ok: false; readonly problem: Problem; readonly ms: number };

/** Options of a ClusterManager. */
export interface ClusterManagerOptions {
  /** Kubeconfig files (default: `$KUBECONFIG`, else `~/.kube/config`). */
  readonly kubeconfigPaths?: readonly string[];
  /** The fleet's clusters; when absent, every kubeconfig context is a cluster named after it. */
  readonly clusters?: readonly ClusterSpec[];
  /** Deadline of every API call (default 10 s). */
  readonly timeoutMs?: number;
  readonly execTimeoutMs?: number;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/**
 * Every cluster of the fleet, one connection each. Fleet-wide calls run per cluster in parallel and settle
 * separately: a dead or slow cluster costs its own result, never the others'.
 */
export class ClusterManager {
  private readonly connections = new Map<string, ClusterConnection>();
  private readonly listeners = new Set<(change: ClusterStateChange) => void>();
  private heartbeat: NodeJS.Timeout | undefined;
  /** Problems met loading the kubeconfig or mapping the fleet's clusters to contexts. */
  readonly problems: readonly Problem[];

  constructor(readonly kubeconfig: LoadedKubeconfig, opts: ClusterManagerOptions = {}) {
    const problems: Problem[] = [...kubeconfig.problems];
    const specs: readonly ClusterSpec[] = opts.clusters ?? kubeconfig.contexts.map((c) => ({ name: c.name, context: c.name, labels: {}, annotations: {} }));
    for (const spec of specs) {
      const context = spec.context ?? spec.name;
      if (!kubeconfig.contexts.some((c) => c.name === context)) {
        problems.push(problem(`cluster ${spec.name}: context ${context} is not in the kubeconfig (${kubeconfig.files.join(', ') || 'no file'})`, { cluster: spec.name, ...(spec.source ? { file: spec.source.file, ...(spec.source.line ? { line: spec.source.line } : {}) } : {}) }));
      }
      const conn = new ClusterConnection({
        name: spec.name, context, kubeconfig, labels: spec.labels,
        ...(spec.environment ? { environment: spec.environment } : {}),
        ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
        ...(opts.execTimeoutMs ? { execTimeoutMs: opts.execTimeoutMs } : {}),
        ...(opts.initialBackoffMs ? { initialBackoffMs: opts.initialBackoffMs } : {}),
        ...(opts.maxBackoffMs ? { maxBackoffMs: opts.maxBackoffMs } : {}),
      });
      conn.onStateChange((change) => {
        for (const l of this.listeners) l(change);
      });
      this.connections.set(spec.name, conn);
    }
    this.problems = problems;
  }

  /** A manager over the kubeconfig files in force and, when given, the fleet's clusters. */
  static fromKubeconfig(opts: ClusterManagerOptions = {}): ClusterManager {
    return new ClusterManager(loadKubeconfig(opts.kubeconfigPaths), opts);
  }

  /** The cluster names, in fleet order. */
  names(): string[] {
    return [...this.connections.keys()];
  }

  /** One cluster's connection; throws for an unknown name. */
  connection(name: string): ClusterConnection {
    const c = this.connections.get(name);
    if (!c) throw new Error(`unknown cluster ${name} (known: ${this.names().join(', ')})`);
    return c;
  }

  /** Current info of every cluster, without contacting any. */
  infos(): ClusterInfo[] {
    return [...this.connections.values()].map((c) => c.info);
  }

  /** Connects every cluster (in parallel) and returns each one's info; a failing cluster reports its state. */
  async status(): Promise<ClusterInfo[]> {
    await Promise.allSettled([...this.connections.values()].map((c) => c.connect()));
    return this.infos();
  }

  /** Reads version and discovery of the named clusters (default: all) again. */
  async refresh(names?: readonly string[]): Promise<ClusterInfo[]> {
    const conns = (names ?? this.names()).map((n) => this.connection(n));
    await Promise.allSettled(conns.map((c) => c.refresh()));
    return conns.map((c) => c.info);
  }

  /** Subscribes to every cluster's state changes; returns the unsubscribe function. */
  onStateChange(listener: (change: ClusterStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs `fn` on each named cluster (default: all) in parallel and returns one settled result per cluster. */
  async forEachCluster<T>(fn: (conn: ClusterConnection) => Promise<T>, names?: readonly string[]): Promise<ClusterResult<T>[]> {
    const conns = (names ?? this.names()).map((n) => this.connection(n));
    const settled = await Promise.allSettled(conns.map(async (c) => {
      const started = Date.now();
      try {
        return { value: await fn(c), ms: Date.now() - started };
      } catch (err) {
        throw { err, ms: Date.now() - started };
      }
    }));
    return settled.map((s, i): ClusterResult<T> => {
      const cluster = conns[i]!.name;
      if (s.status === 'fulfilled') return { cluster, ok: true, value: s.value.value, ms: s.value.ms };
      const { err, ms } = s.reason as { err: unknown; ms: number };
      return { cluster, ok: false, problem: toProblem(err, { cluster }), ms };
    });
  }

  /**
   * Pings every cluster each `intervalMs` (GET /version), so a cluster that dies while nobody calls it is reported
   * unreachable, and a dead one that comes back is seen as ready, without waiting for the next operation.
   */
  startHeartbeat(intervalMs = 30_000): void {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      for (const c of this.connections.values()) void c.ping();
    }, intervalMs);
    this.heartbeat.unref();
  }

  /** Stops the heartbeat. */
  stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Closes every connection. */
  close(): void {
    this.stopHeartbeat();
    for (const c of this.connections.values()) c.close();
    this.listeners.clear();
  }
}
