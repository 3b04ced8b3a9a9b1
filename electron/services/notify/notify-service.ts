// Notifications for a session: after every recorded refresh, sync and promotion, the fleet's Applications are
// evaluated against argocd-notifications-cm; what became due is delivered with retries, recorded in the delivery
// history, and remembered in Argo CD's notified-state so each is sent once per change.
import type { PendingNotification, ServiceConfig } from '../../../shared/notify';
import { evaluateNotifications, maskSecrets, resolveService } from '../../../shared/notify';
import { ExprTime } from '../../../shared/notify/expr';
import type { Problem } from '../../../shared/problem';
import { toProblem } from '../../../shared/problem';
import type { Session } from '../session';
import type { DeliveryOptions } from './delivery';
import { deliver, nothingToSend } from './delivery';
import { notifyApps } from './notify-apps';
import { loadNotifyConfig } from './notify-config-source';
import type { DeliveryRecord } from './notify-store';
import { NotifyStore, notifyStoreFile } from './notify-store';

/** How a session's notifications run. */
export interface NotifyServiceOptions {
  readonly delivery?: DeliveryOptions;
  /** The clock (ms), for `time.Now()` in conditions. */
  readonly now?: () => number;
  /** A cluster whose Argo CD namespace holds argocd-notifications-cm and its Secret (when no file has them). */
  readonly configCluster?: string;
  /** That namespace (default `argocd`). */
  readonly configNamespace?: string;
}

/** What one evaluation did. */
export interface NotifyPass {
  /** Where the configuration was read from; undefined when no argocd-notifications-cm was found. */
  readonly source?: string;
  readonly deliveries: readonly DeliveryRecord[];
  readonly problems: readonly Problem[];
}

/** Evaluates and delivers notifications for one session, one pass at a time. */
export class NotifyService {
  private queue: Promise<unknown> = Promise.resolve();
  private store: NotifyStore | undefined;
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly session: Session,
    private readonly options: NotifyServiceOptions = {},
  ) {
    session.onClose(() => this.close());
  }

  /**
   * Evaluates after every recorded refresh and every promotion outcome, and every `resyncMs` (default 3 minutes) as
   * Argo CD's controller resyncs, so time-based conditions (`time.Now().Sub(...)`) fire without a new event.
   */
  start(onPass?: (pass: NotifyPass) => void, resyncMs = 180_000): void {
    const run = (): void => {
      void this.evaluate().then(onPass, () => undefined);
    };
    const timer = setInterval(run, resyncMs);
    timer.unref();
    this.offs.push(this.session.events.on('fleet:updated', run), this.session.events.on('promotion:outcome', run), () => clearInterval(timer));
  }

  /** One evaluation (queued behind a running one): the deliveries it made and the problems it met. */
  evaluate(): Promise<NotifyPass> {
    const next = this.queue.then(() => this.pass());
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The latest deliveries, newest first. */
  deliveries(limit = 100): DeliveryRecord[] {
    return this.notifyStore().deliveries(limit);
  }

  private notifyStore(): NotifyStore {
    this.store ??= NotifyStore.open(notifyStoreFile(this.session.options.dataDir));
    return this.store;
  }

  private async pass(): Promise<NotifyPass> {
    const fleet = await this.session.fleet();
    const overview = await fleet.overview();
    const configCluster = this.options.configCluster;
    const loaded = await loadNotifyConfig({
      dataDir: this.session.options.dataDir,
      tree: fleet.repo.treeAt(overview.repo.head.sha),
      ...(configCluster ? { cluster: { name: configCluster, connection: (await this.session.clusterManager()).connection(configCluster), ...(this.options.configNamespace ? { namespace: this.options.configNamespace } : {}) } } : {}),
    });
    const problems: Problem[] = [...loaded.problems];
    const config = loaded.config;
    if (!config) return { deliveries: [], problems };
    const source = config.source;
    const fleetStore = this.session.store();
    const latest = fleetStore.fleetAt();
    const nowMs = (this.options.now ?? Date.now)();
    const apps = notifyApps(
      overview.apps.map((a) => a.application),
      latest?.appClusters ?? [],
      fleetStore.latestEvents(['sync-run', 'health-changed']),
      new Date(nowMs).toISOString(),
    );
    const store = this.notifyStore();
    const evaluation = evaluateNotifications(apps, config, store, { now: () => new ExprTime(BigInt(nowMs) * 1_000_000n) });
    problems.push(...evaluation.problems);
    store.apply(evaluation.cleared);
    const deliveries: DeliveryRecord[] = [];
    for (const n of evaluation.pending) {
      const configured = config.services.get(n.destination.service);
      if (!configured) continue;
      const resolved = resolveService(configured, loaded.secrets, loaded.secretSource);
      if (!resolved.service) {
        problems.push(resolved.problem!);
        deliveries.push(this.recordFailure(n, 0, resolved.problem!.message));
        continue;
      }
      const skip = nothingToSend(n, resolved.service);
      if (skip) {
        problems.push({ ...toProblem(new Error(skip)), severity: 'warning' });
        store.apply([{ appKey: n.appKey, stateKey: n.stateKey, notified: true }]);
        continue;
      }
      deliveries.push(await this.send(n, resolved.service, loaded.secrets, problems));
    }
    return { source, deliveries, problems };
  }

  private async send(n: PendingNotification, service: ServiceConfig, secrets: ReadonlyMap<string, string>, problems: Problem[]): Promise<DeliveryRecord> {
    const store = this.notifyStore();
    const result = await deliver(n, service, this.options.delivery);
    if (result.error !== undefined) {
      const error = maskSecrets(result.error, secrets);
      problems.push(toProblem(new Error(`notification ${n.trigger} → ${n.destination.service}${n.destination.recipient ? `:${n.destination.recipient}` : ''} for ${n.appKey} failed after ${result.attempts} attempts: ${error}`)));
      return this.recordFailure(n, result.attempts, error);
    }
    // Argo CD marks a notification sent once its service accepted it; a failed one is tried again next time.
    store.apply([{ appKey: n.appKey, stateKey: n.stateKey, notified: true }]);
    return this.record(n, 'sent', result.attempts);
  }

  private recordFailure(n: PendingNotification, attempts: number, error: string): DeliveryRecord {
    return this.record(n, 'failed', attempts, error);
  }

  private record(n: PendingNotification, outcome: 'sent' | 'failed', attempts: number, error?: string): DeliveryRecord {
    const d = { appKey: n.appKey, trigger: n.trigger, template: n.template, service: n.destination.service, recipient: n.destination.recipient, outcome, attempts, ...(error !== undefined ? { error } : {}) };
    return this.notifyStore().record(d);
  }

  /** Stops listening and closes the notification store. */
  close(): void {
    for (const off of this.offs.splice(0)) off();
    this.store?.close();
    this.store = undefined;
  }
}
