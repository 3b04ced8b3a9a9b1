// Notifications in Argo CD's format (argocd-notifications-cm): configuration, subscriptions, trigger evaluation
// with oncePer semantics, template rendering and secret references.
export { argoApplication } from './application';
export type { ObservedApp, OperationRecord } from './application';
export { conditionKey, NOTIFICATIONS_CONFIGMAP, NOTIFICATIONS_SECRET, parseNotifyConfig, readConfigMapFile } from './config';
export type { ConfigOrigin } from './config';
export { evaluateNotifications, stateItemKey } from './engine';
export type { EvaluateOptions, Evaluation, NotifiedState, NotifyApp, StateChange } from './engine';
export { renderTemplate, TemplateRenderError } from './render';
export { maskSecrets, resolveService } from './secrets';
export { destinationsOf, selectorMatches, SUBSCRIBE_PREFIX } from './subscriptions';
export type { Destination, Notification, NotificationTemplate, NotifyConfig, PendingNotification, ServiceConfig, Subscription, TriggerCondition } from './types';
