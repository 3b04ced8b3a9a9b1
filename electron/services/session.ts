import { fleetClusters } from '../../shared/fleet/overview';
import { FleetStore } from '../store/fleet-store';
import { ClusterManager } from './cluster/cluster-manager';
import { clusterView } from './cluster-view';
import { storeFile } from '../store/location';
import { EventBus } from './event-bus';
import type { KubeconfigChoice } from './kubeconfig-choice';
import { chooseKubeconfig } from './kubeconfig-choice';
import { FleetService } from './fleet-service';

/** Where a session starts: the repository to open and the data folder for state. */
export interface SessionOptions {
  readonly repoPath: string;
  readonly dataDir: string;
  /** Kubeconfig files; default `$KUBECONFIG`, else the running sandbox's, else `~/.kube/config`. */
  readonly kubeconfig?: readonly string[];
}

/** The engine's state for one UI or CLI run: the open repository and the event bus. */
export class Session {
  readonly events = new EventBus();
  private fleetPromise: Promise<FleetService> | undefined;
  private repoPath: string;
  private openStore: FleetStore | undefined;
  private clusterConnections: { readonly key: string; readonly manager: ClusterManager } | undefined;
  private readonly closers = new Set<() => void>();

  constructor(readonly options: SessionOptions) {
    this.repoPath = options.repoPath;
  }

  /** The open repository's service (opened once; a failed open is retried on the next call). */
  fleet(): Promise<FleetService> {
    if (!this.fleetPromise) {
      const p = FleetService.open(this.repoPath);
      this.fleetPromise = p;
      p.catch(() => {
        if (this.fleetPromise === p) this.fleetPromise = undefined;
      });
    }
    return this.fleetPromise;
  }

  /** The kubeconfig files clusters are reached with: chosen as every command chooses them (see kubeconfig-choice). */
  kubeconfig(): readonly string[] {
    return this.kubeconfigChoice().files;
  }

  /** The kubeconfig in force and why: configured, `$KUBECONFIG`, the running sandbox's, else `~/.kube/config`. */
  kubeconfigChoice(): KubeconfigChoice {
    return chooseKubeconfig({ ...(this.options.kubeconfig?.length ? { flag: this.options.kubeconfig } : {}), dataDir: this.options.dataDir });
  }

  /** The SQLite store of the data folder, opened once (Node side only). */
  store(): FleetStore {
    this.openStore ??= FleetStore.open(storeFile(this.options.dataDir));
    return this.openStore;
  }

  /**
   * One long-lived connection per fleet cluster (rebuilt when HEAD's clusters or the kubeconfig change), with a
   * heartbeat; every state change is pushed to the UIs as a `cluster:state` event.
   */
  async clusterManager(): Promise<ClusterManager> {
    const fleet = await this.fleet();
    const { scan } = await fleet.scanHead();
    const clusters = fleetClusters(scan);
    const kubeconfig = this.kubeconfig();
    const key = JSON.stringify([clusters.map((c) => [c.name, c.context, c.server, c.environment, c.labels]), kubeconfig ?? null]);
    if (this.clusterConnections?.key === key) return this.clusterConnections.manager;
    this.clusterConnections?.manager.close();
    const manager = ClusterManager.fromKubeconfig({ clusters, kubeconfigPaths: kubeconfig, timeoutMs: 5000 });
    manager.onStateChange(({ info }) => this.events.emit('cluster:state', clusterView(info)));
    manager.startHeartbeat(30_000);
    this.clusterConnections = { key, manager };
    return manager;
  }

  /** Registers something to stop when the session closes (watches, timers). */
  onClose(fn: () => void): void {
    this.closers.add(fn);
  }

  /** Closes the store and the cluster connections; the session can still be used (both reopen on demand). */
  close(): void {
    for (const fn of this.closers) fn();
    this.openStore?.close();
    this.openStore = undefined;
    this.clusterConnections?.manager.close();
    this.clusterConnections = undefined;
  }

  /** Switches to another repository; the old one stays open if the new one cannot be opened. */
  async openRepo(dir: string): Promise<FleetService> {
    const svc = await FleetService.open(dir);
    this.repoPath = svc.repo.root;
    this.fleetPromise = Promise.resolve(svc);
    return svc;
  }
}
