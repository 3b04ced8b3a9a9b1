// Deciding which notifications to send, with Argo CD's semantics (notifications-engine's controller): for every
// trigger an Application is subscribed to, each condition is evaluated; a condition that became true is sent once
// per destination (once per `oncePer` value when set), a condition that became false is forgotten so it can fire
// again (unless it has `oncePer`). What was sent is the caller's notified-state, keyed as Argo CD keys it.
import type { Problem } from '../problem';
import { problem } from '../problem';
import type { ExprTime, ExprValue } from './expr';
import { ExprFunc, ExprRuntimeError, timeHelpers } from './expr';
import { canonicalString } from './format';
import { renderTemplate, TemplateRenderError } from './render';
import { destinationsOf } from './subscriptions';
import type { Destination, NotifyConfig, PendingNotification, TriggerCondition } from './types';

/** An Application in Argo CD's shape (metadata, spec, status) as plain JSON, and the cluster it runs on. */
export interface NotifyApp {
  /** `<cluster>/<app>`: unique across the fleet. */
  readonly key: string;
  readonly object: Readonly<Record<string, unknown>>;
}

/** What has been notified already, per app: Argo CD's notified-state keys. */
export interface NotifiedState {
  has(appKey: string, stateKey: string): boolean;
}

/** A change of the notified-state the caller applies (a set only once the notification was delivered). */
export interface StateChange {
  readonly appKey: string;
  readonly stateKey: string;
  readonly notified: boolean;
}

/** The outcome of one evaluation over the fleet. */
export interface Evaluation {
  readonly pending: readonly PendingNotification[];
  /** Keys of conditions that are false again: to forget (their notification may be sent again later). */
  readonly cleared: readonly StateChange[];
  readonly problems: readonly Problem[];
}

/** Argo CD's StateItemKey: `[oncePer:]trigger:conditionKey:service:recipient`. */
export function stateItemKey(trigger: string, conditionKey: string, oncePer: string, d: Destination): string {
  const key = `${trigger}:${conditionKey}:${d.service}:${d.recipient}`;
  return oncePer !== '' ? `${oncePer}:${key}` : key;
}

const STRINGS = { ReplaceAll: new ExprFunc('ReplaceAll', (a) => String(a[0] ?? '').split(String(a[1] ?? '')).join(String(a[2] ?? ''))) };

/** Options of an evaluation. */
export interface EvaluateOptions {
  /** What `time.Now()` returns in conditions. */
  readonly now: () => ExprTime;
  /** Render templates (default true; the benchmark of trigger evaluation alone turns it off). */
  readonly render?: boolean;
}

interface ConditionResult {
  readonly condition: TriggerCondition;
  readonly triggered: boolean;
  readonly oncePer: string;
}

/** Reports a failed condition once per trigger condition (with the first app it failed on), not once per app. */
function warnOnce(problems: Problem[], seen: Set<string>, key: string, message: string): void {
  if (seen.has(key)) return;
  seen.add(key);
  problems.push({ ...problem(message), severity: 'warning' });
}

function runTrigger(name: string, conditions: readonly TriggerCondition[], env: Record<string, ExprValue>, appKey: string, problems: Problem[], seen: Set<string>): ConditionResult[] {
  return conditions.map((condition, i) => {
    let triggered = false;
    try {
      triggered = condition.compiledWhen.run(env) === true;
    } catch (e) {
      // Argo CD logs a failed condition and takes it as false.
      if (!(e instanceof ExprRuntimeError)) throw e;
      warnOnce(problems, seen, `${name}[${i}]`, `trigger ${name}: condition [${i}] failed (first on ${appKey}): ${e.message}`);
    }
    let oncePer = '';
    if (triggered && condition.compiledOncePer) {
      try {
        oncePer = canonicalString(condition.compiledOncePer.run(env));
      } catch (e) {
        if (!(e instanceof ExprRuntimeError)) throw e;
        warnOnce(problems, seen, `${name}[${i}].oncePer`, `trigger ${name}: oncePer of condition [${i}] failed (first on ${appKey}): ${e.message}`);
      }
    }
    return { condition, triggered, oncePer };
  });
}

function stringMap(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Evaluates every subscribed trigger on every app: the notifications to send now, and the state to forget. */
export function evaluateNotifications(apps: readonly NotifyApp[], config: NotifyConfig, state: NotifiedState, options: EvaluateOptions): Evaluation {
  const pending: PendingNotification[] = [];
  const cleared: StateChange[] = [];
  const problems: Problem[] = [];
  const time = timeHelpers(options.now);
  const reportedTriggers = new Set<string>();
  for (const app of apps) {
    const meta = (app.object.metadata ?? {}) as Record<string, unknown>;
    const subscriptions = destinationsOf(stringMap(meta.annotations), stringMap(meta.labels), config);
    if (subscriptions.size === 0) continue;
    const env: Record<string, ExprValue> = { app: app.object as ExprValue, time, strings: STRINGS };
    for (const [trigger, destinations] of subscriptions) {
      const conditions = config.triggers.get(trigger);
      if (!conditions) {
        if (!reportedTriggers.has(trigger)) problems.push({ ...problem(`trigger ${trigger} is subscribed to (by ${app.key}) but not configured in ${config.source}`), severity: 'warning' });
        reportedTriggers.add(trigger);
        continue;
      }
      for (const r of runTrigger(trigger, conditions, env, app.key, problems, reportedTriggers)) {
        for (const d of destinations) {
          const key = stateItemKey(trigger, r.condition.key, r.oncePer, d);
          const notified = state.has(app.key, key);
          if (!r.triggered) {
            if (notified && r.oncePer === '') cleared.push({ appKey: app.key, stateKey: key, notified: false });
            continue;
          }
          if (notified) continue;
          for (const template of r.condition.send) {
            const t = config.templates.get(template);
            const service = config.services.get(d.service);
            if (!t || !service) {
              problems.push(problem(`trigger ${trigger}: ${!t ? `template ${template} is not defined` : `service ${d.service} is not configured`} (${app.key})`));
              continue;
            }
            try {
              const notification = options.render === false ? { message: '' } : renderTemplate(t, { app: app.object, context: config.context, serviceType: service.type });
              pending.push({ appKey: app.key, trigger, template, destination: d, stateKey: key, notification });
            } catch (e) {
              if (!(e instanceof TemplateRenderError)) throw e;
              const at = config.positions.get(`template.${template}`);
              problems.push(problem(`${e.message} (${app.key})`, at && !config.source.startsWith('cluster ') ? { file: config.source, ...at } : {}));
            }
          }
        }
      }
    }
  }
  return { pending, cleared, problems };
}
