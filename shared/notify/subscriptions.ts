// Who is subscribed to what: the `notifications.argoproj.io/subscribe.<trigger>.<service>` annotations of an
// Application and the ConfigMap's `subscriptions` (label selectors), as Argo CD's notifications engine reads them.
import type { Destination, NotifyConfig, Subscription } from './types';

/** The annotation prefix of subscriptions. */
export const SUBSCRIBE_PREFIX = 'notifications.argoproj.io/subscribe.';

/** Destinations per trigger name. */
export type TriggerDestinations = Map<string, Destination[]>;

function recipientsOf(value: string): string[] {
  const out = value.split(';').map((s) => s.trim()).filter((s) => s !== '');
  // A webhook subscription names no recipient (`subscribe.on-sync-succeeded.github: ""`).
  return out.length > 0 ? out : [''];
}

function add(out: TriggerDestinations, trigger: string, d: Destination): void {
  const list = out.get(trigger) ?? [];
  if (!list.some((x) => x.service === d.service && x.recipient === d.recipient)) list.push(d);
  out.set(trigger, list);
}

/** Whether labels match a Kubernetes equality-based selector (`a=b,c!=d,e,!f`). */
export function selectorMatches(selector: string, labels: Readonly<Record<string, string>>): boolean {
  for (const raw of selector.split(',')) {
    const req = raw.trim();
    if (req === '') continue;
    let m;
    if ((m = /^([^!=\s]+)\s*!=\s*(.*)$/.exec(req))) {
      if (labels[m[1]!] === m[2]!.trim()) return false;
    } else if ((m = /^([^!=\s]+)\s*==?\s*(.*)$/.exec(req))) {
      if (labels[m[1]!] !== m[2]!.trim()) return false;
    } else if (req.startsWith('!')) {
      if (Object.hasOwn(labels, req.slice(1).trim())) return false;
    } else if (!Object.hasOwn(labels, req)) return false;
  }
  return true;
}

function fromSubscription(s: Subscription, config: NotifyConfig, out: TriggerDestinations): void {
  const triggers = s.triggers.length > 0 ? s.triggers : config.defaultTriggers;
  for (const r of s.recipients) {
    const colon = r.indexOf(':');
    const d: Destination = colon < 0 ? { service: r.trim(), recipient: '' } : { service: r.slice(0, colon).trim(), recipient: r.slice(colon + 1).trim() };
    for (const t of triggers) add(out, t, d);
  }
}

/** The destinations of every trigger an Application is subscribed to (annotations and ConfigMap subscriptions). */
export function destinationsOf(annotations: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>, config: NotifyConfig): TriggerDestinations {
  const out: TriggerDestinations = new Map();
  for (const [k, v] of Object.entries(annotations)) {
    if (!k.startsWith(SUBSCRIBE_PREFIX)) continue;
    const rest = k.slice(SUBSCRIBE_PREFIX.length);
    const dot = rest.indexOf('.');
    const [triggers, service] = dot < 0 ? [config.defaultTriggers, rest] : [[rest.slice(0, dot)], rest.slice(dot + 1)];
    for (const t of triggers) for (const r of recipientsOf(v)) add(out, t, { service, recipient: r });
  }
  for (const s of config.subscriptions) if (!s.selector || selectorMatches(s.selector, labels)) fromSubscription(s, config, out);
  return out;
}
