// The Notifications page's data: the delivery history kept in notifications.sqlite and what is wrong with the
// notifications configuration (argocd-notifications-cm). Plain data: no secret value, no webhook URL, ever.
import type { Problem } from '../problem';

/** One delivery of a notification, as recorded: sent, or failed after its attempts. */
export interface NotificationDelivery {
  readonly id: number;
  /** ISO time it was recorded. */
  readonly at: string;
  /** The Application it was about, as Argo CD keys it (`<cluster>/<name>`). */
  readonly appKey: string;
  readonly trigger: string;
  readonly template: string;
  /** The service (`slack`, `webhook.github`, `email`…) and, when the subscription names one, the recipient. */
  readonly service: string;
  readonly recipient: string;
  readonly outcome: 'sent' | 'failed';
  readonly attempts: number;
  /** The receiver's error, secrets masked. */
  readonly error?: string;
}

/** The Notifications page: where the configuration was read, its problems, and the latest deliveries, newest first. */
export interface NotificationsView {
  /** Where argocd-notifications-cm was read from; absent when none was found. */
  readonly source?: string;
  /** Where Flotilla looks for it, for the empty state. */
  readonly places: readonly string[];
  /**
   * What is wrong: a trigger that does not compile or a template that fails (file:line:col), a subscription to a
   * trigger not configured, a secret not found — from reading the configuration now and from the last evaluation.
   */
  readonly problems: readonly Problem[];
  /** ISO time of the last evaluation in this session (absent before the first). */
  readonly evaluatedAt?: string;
  readonly deliveries: readonly NotificationDelivery[];
}
