import { FleetStore } from '../store/fleet-store';
import { storeFile } from '../store/location';
import { EventBus } from './event-bus';
import { sandboxStatus } from './sandbox';
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

  /** The kubeconfig files clusters are reached with (undefined: the client's default, `~/.kube/config`). */
  kubeconfig(): readonly string[] | undefined {
    if (this.options.kubeconfig?.length) return this.options.kubeconfig;
    if (process.env.KUBECONFIG) return undefined;
    const sandbox = sandboxStatus(this.options.dataDir);
    return sandbox.running && sandbox.kubeconfig ? [sandbox.kubeconfig] : undefined;
  }

  /** The SQLite store of the data folder, opened once (Node side only). */
  store(): FleetStore {
    this.openStore ??= FleetStore.open(storeFile(this.options.dataDir));
    return this.openStore;
  }

  /** Closes the store; the session can still be used (the store reopens on demand). */
  close(): void {
    this.openStore?.close();
    this.openStore = undefined;
  }

  /** Switches to another repository; the old one stays open if the new one cannot be opened. */
  async openRepo(dir: string): Promise<FleetService> {
    const svc = await FleetService.open(dir);
    this.repoPath = svc.repo.root;
    this.fleetPromise = Promise.resolve(svc);
    return svc;
  }
}
