// The shapes of Argo CD's notifications configuration (argocd-notifications-cm) as Flotilla reads it, and of the
// notifications the engine decides to send.
import type { CompiledExpr } from './expr';
import type { SourcePosition } from '../yaml/node-position';

/** One condition of a trigger (`trigger.<name>` is a list of them). */
export interface TriggerCondition {
  readonly when: string;
  readonly oncePer?: string;
  readonly send: readonly string[];
  readonly description?: string;
  /** `[i].<sha1 of when>`: the key Argo CD's notified-state uses for this condition. */
  readonly key: string;
  readonly compiledWhen: CompiledExpr;
  readonly compiledOncePer?: CompiledExpr;
}

/** A webhook section of a template, for one webhook service. */
export interface WebhookTemplate {
  readonly method?: string;
  readonly path?: string;
  readonly body?: string;
}

/** A template (`template.<name>`): Go template texts for each field. */
export interface NotificationTemplate {
  readonly name: string;
  readonly message?: string;
  readonly title?: string;
  readonly email?: { readonly subject?: string };
  readonly slack?: { readonly attachments?: string; readonly blocks?: string; readonly groupingKey?: string; readonly notifyBroadcast?: boolean; readonly deliveryPolicy?: string };
  readonly webhook?: Readonly<Record<string, WebhookTemplate>>;
}

/** A configured service (`service.webhook.<name>`, `service.slack`, `service.email`), secrets still as `$name`. */
export type ServiceConfig =
  | { readonly type: 'webhook'; readonly name: string; readonly url: string; readonly headers: readonly { readonly name: string; readonly value: string }[]; readonly basicAuth?: { readonly username: string; readonly password: string } }
  | { readonly type: 'slack'; readonly name: string; readonly token?: string; readonly apiURL?: string; readonly webhook?: string; readonly username?: string; readonly icon?: string }
  | { readonly type: 'email'; readonly name: string; readonly host: string; readonly port: number; readonly from: string; readonly username?: string; readonly password?: string; readonly insecureSkipVerify?: boolean };

/** A subscription of the ConfigMap's `subscriptions`: recipients (`service:recipient`) for triggers of selected apps. */
export interface Subscription {
  readonly recipients: readonly string[];
  readonly triggers: readonly string[];
  /** Label selector (`key=value,key2!=v,key3`). */
  readonly selector?: string;
}

/** The notifications configuration of a fleet, from argocd-notifications-cm. */
export interface NotifyConfig {
  /** Where it was read from (a repository path, the data folder, or `cluster <name>`). */
  readonly source: string;
  readonly triggers: ReadonlyMap<string, readonly TriggerCondition[]>;
  readonly templates: ReadonlyMap<string, NotificationTemplate>;
  readonly services: ReadonlyMap<string, ServiceConfig>;
  readonly subscriptions: readonly Subscription[];
  readonly defaultTriggers: readonly string[];
  /** `context`: values templates read as `.context` (argocdUrl, …). */
  readonly context: Readonly<Record<string, string>>;
  /** Where each `data` key is written, for problems found later (a template that fails to render). */
  readonly positions: ReadonlyMap<string, SourcePosition>;
}

/** Where a notification goes: a service and a recipient (Slack channel, e-mail address, or '' for a webhook). */
export interface Destination {
  readonly service: string;
  readonly recipient: string;
}

/** A rendered notification, ready for delivery. */
export interface Notification {
  readonly message: string;
  readonly title?: string;
  readonly emailSubject?: string;
  readonly slack?: { readonly attachments?: string; readonly blocks?: string };
  readonly webhook?: Readonly<Record<string, { readonly method: string; readonly path: string; readonly body: string }>>;
}

/** One notification the engine decided to send: which app, trigger, template and destination, and its state key. */
export interface PendingNotification {
  /** `<cluster>/<app>`: the Application the notification is about. */
  readonly appKey: string;
  readonly trigger: string;
  readonly template: string;
  readonly destination: Destination;
  /** Argo CD's notified-state key (`[oncePer:]trigger:[i].hash:service:recipient`). */
  readonly stateKey: string;
  readonly notification: Notification;
}
