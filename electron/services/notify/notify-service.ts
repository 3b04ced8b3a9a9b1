// Notifications for a session: after every recorded refresh, sync and promotion, the fleet's Applications are
// evaluated against argocd-notifications-cm; what became due is delivered with retries, recorded in the delivery
// history, and remembered in Argo CD's notified-state so each is sent once per change.
import { existsSync } from 'node:fs';
import type { NotificationsView } from '../../../shared/api/notifications';
import type { PendingNotification, ServiceConfig } from '../../../shared/notify';
import { evaluateNotifications, maskSecrets, NOTIFICATIONS_CONFIGMAP, resolveService } from '../../../shared/notify';
import { ExprTime } from '../../../shared/notify/expr';
import type { Problem } from '../../../shared/problem';
import { toProblem } from '../../../shared/problem';
import type { Session } from '../session';
import type { DeliveryOptions } from './delivery';
import { deliver, nothingToSend } from './delivery';
import { notifyApps } from './notify-apps';
import type { LoadedNotifyConfig } from './notify-config-source';
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

/** The notification service of each session (the one made last), so the API's Notifications page reads its history. */
const bySession = new WeakMap<Session, NotifyService>();

/** Evaluates and delivers notifications for one session, one pass at a time. */
export class NotifyService {
  private queue: Promise<unknown> = Promise.resolve();
  private store: NotifyStore | undefined;
  private readonly offs: (() => void)[] = [];
  /**
   * When the last evaluation ran, the configuration it read, and what it found beyond reading that configuration
   * (templates that fail, deliveries refused…).
   */
  private last: { readonly at: string; readonly source?: string; readonly problems: readonly Problem[] } | undefined;

  constructor(
    private readonly session: Session,
    private readonly options: NotifyServiceOptions = {},
  ) {
    session.onClose(() => this.close());
    bySession.set(session, this);
  }

  /** The session's notification service: the one its UI or CLI started, else a new one (that sends nothing until asked). */
  static of(session: Session): NotifyService {
    return bySession.get(session) ?? new NotifyService(session);
  }

  /**
   * The Notifications page: the configuration read now (so a fixed trigger's problem goes at once), the problems of
   * the last evaluation when it read the same configuration (a removed or moved one's no longer apply), and the latest
   * deliveries. No secret value: errors were masked before they were recorded.
   */
  async view(limit = 200): Promise<NotificationsView> {
    const loaded = await this.loadConfig();
    const seen = new Set(loaded.problems.map((p) => JSON.stringify(p)));
    const lastProblems = this.last && this.last.source === loaded.config?.source ? this.last.problems : [];
    return {
      ...(loaded.config ? { source: loaded.config.source } : {}),
      places: [
        `${NOTIFICATIONS_CONFIGMAP}.yaml in the data folder (${this.session.options.dataDir})`,
        `a ConfigMap ${NOTIFICATIONS_CONFIGMAP} in the repository (a YAML file with "notif" in its path)`,
        ...(this.options.configCluster ? [`the ${this.options.configNamespace ?? 'argocd'} namespace of cluster ${this.options.configCluster}`] : []),
      ],
      problems: [...loaded.problems, ...lastProblems.filter((p) => !seen.has(JSON.stringify(p)))],
      ...(this.last ? { evaluatedAt: this.last.at } : {}),
      // A data folder that never sent anything has no notifications.sqlite: the page does not create one.
      deliveries: this.store || existsSync(notifyStoreFile(this.session.options.dataDir)) ? this.deliveries(limit) : [],
    };
  }

  /**
   * Evaluates once at once — as Argo CD's controller processes every Application when it starts, so what the last
   * recorded refresh made due is sent without waiting for the next one (what was sent before is not: the notified
   * state is kept in notifications.sqlite; with nothing recorded yet there is nothing to evaluate) — then after every
   * recorded refresh and every promotion outcome, and every `resyncMs` (default 3 minutes) as Argo CD's controller
   * resyncs, so time-based conditions (`time.Now().Sub(...)`) fire without a new event.
   */
  start(onPass?: (pass: NotifyPass) => void, resyncMs = 180_000): void {
    const run = (): void => {
      void this.evaluate().then(onPass, () => undefined);
    };
    const timer = setInterval(run, resyncMs);
    timer.unref();
    this.offs.push(this.session.events.on('fleet:updated', run), this.session.events.on('promotion:outcome', run), () => clearInterval(timer));
    run();
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

  /** Reads argocd-notifications-cm and its secrets from the first place that has them. */
  private async loadConfig(): Promise<LoadedNotifyConfig> {
    const fleet = await this.session.fleet();
    const overview = await fleet.overview();
    const configCluster = this.options.configCluster;
    return loadNotifyConfig({
      dataDir: this.session.options.dataDir,
      tree: fleet.repo.treeAt(overview.repo.head.sha),
      treePaths: await fleet.repo.filePaths(overview.repo.head.sha),
      ...(configCluster ? { cluster: { name: configCluster, connection: (await this.session.clusterManager()).connection(configCluster), ...(this.options.configNamespace ? { namespace: this.options.configNamespace } : {}) } } : {}),
    });
  }

  private async pass(): Promise<NotifyPass> {
    const { pass, fromConfig } = await this.evaluateOnce();
    const at = new Date().toISOString();
    this.last = { at, ...(pass.source !== undefined ? { source: pass.source } : {}), problems: pass.problems.slice(fromConfig) };
    this.session.events.emit('notify:evaluated', { at, deliveries: pass.deliveries.length });
    return pass;
  }

  /** One evaluation, and how many of its problems (the first ones) came from reading the configuration. */
  private async evaluateOnce(): Promise<{ readonly pass: NotifyPass; readonly fromConfig: number }> {
    const fleet = await this.session.fleet();
    const overview = await fleet.overview();
    const loaded = await this.loadConfig();
    const problems: Problem[] = [...loaded.problems];
    const config = loaded.config;
    const fromConfig = problems.length;
    if (!config) return { pass: { deliveries: [], problems }, fromConfig };
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
    return { pass: { source, deliveries, problems }, fromConfig };
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
