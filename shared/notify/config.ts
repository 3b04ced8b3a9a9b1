// Reading argocd-notifications-cm: `trigger.*` (conditions compiled once), `template.*`, `service.*`,
// `subscriptions`, `defaultTriggers` and `context`, each bad entry a Problem at its file:line:col naming the
// trigger, template or service, the rest kept.
import { parse } from 'yaml';
import { sha1Hex, utf8 } from '../appset/template/sprig/hashes';
import { base64Encode } from '../appset/template/sprig/hashes';
import type { Problem } from '../problem';
import { problem } from '../problem';
import { isRecord, parseYamlDocuments } from '../yaml/documents';
import type { SourcePosition } from '../yaml/node-position';
import type { ConfigOrigin } from '../yaml/config-map';
export type { ConfigOrigin } from '../yaml/config-map';
import { innerPosition, readNamedConfigMapFile } from '../yaml/config-map';
import { compileExpr, ExprCompileError } from './expr';
import type { NotificationTemplate, NotifyConfig, ServiceConfig, Subscription, TriggerCondition, WebhookTemplate } from './types';

/** The ConfigMap Argo CD's notifications controller reads. */
export const NOTIFICATIONS_CONFIGMAP = 'argocd-notifications-cm';
/** The Secret its `$name` references resolve from. */
export const NOTIFICATIONS_SECRET = 'argocd-notifications-secret';

/** The `data` of the argocd-notifications-cm ConfigMap file, with where each value is written. */
export function readConfigMapFile(text: string, file: string): { data?: Record<string, string>; origin: ConfigOrigin; problems: Problem[] } {
  return readNamedConfigMapFile(text, file, NOTIFICATIONS_CONFIGMAP);
}

/** Argo CD's condition key: `[i].` and the unpadded base64url SHA-1 of the `when` text. */
export function conditionKey(index: number, when: string): string {
  const hex = sha1Hex(utf8(when));
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return `[${index}].${base64Encode(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

function where(origin: ConfigOrigin, key: string): Omit<Problem, 'message' | 'severity'> {
  const at = origin.positions?.get(key);
  return origin.file ? { file: origin.file, ...(at ?? {}) } : {};
}

function located(origin: ConfigOrigin, message: string, key: string, inner?: SourcePosition): Problem {
  const suffix = origin.file ? '' : ` (${origin.source}: data.${key})`;
  return problem(message + suffix, inner ? innerPosition(origin, key, inner) : where(origin, key));
}

function stringList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

/**
 * The position of a compile error inside a YAML scalar: the scalar's start moved to the error's column when both sit
 * on the scalar's first line (a plain or quoted one-line condition, the usual case); else the scalar's start.
 */
function within(text: string, scalar: SourcePosition, e: unknown): SourcePosition {
  if (!(e instanceof ExprCompileError) || e.line !== 1) return scalar;
  const first = text.split('\n')[scalar.line - 1] ?? '';
  const quoted = first[scalar.column - 1] === '"' || first[scalar.column - 1] === "'";
  return { line: scalar.line, column: scalar.column + (quoted ? 1 : 0) + e.column - 1 };
}

function parseTriggers(name: string, text: string, origin: ConfigOrigin, problems: Problem[]): TriggerCondition[] {
  const key = `trigger.${name}`;
  const parsed = parseYamlDocuments(text, origin.file ?? key);
  const doc = parsed.docs[0];
  if (parsed.problems.length > 0 || !doc || !Array.isArray(doc.value)) {
    problems.push(located(origin, `trigger ${name}: must be a YAML list of conditions (when, send, oncePer)`, key));
    return [];
  }
  const out: TriggerCondition[] = [];
  (doc.value as unknown[]).forEach((c, i) => {
    if (!isRecord(c)) {
      problems.push(located(origin, `trigger ${name}: condition [${i}] must be a mapping`, key, doc.at([i])));
      return;
    }
    const when = typeof c.when === 'string' ? c.when : typeof c.when === 'boolean' ? String(c.when) : '';
    const send = stringList(c.send);
    if (!send) {
      problems.push(located(origin, `trigger ${name}: condition [${i}] needs send: a list of template names`, key, doc.at([i])));
      return;
    }
    let compiledWhen;
    let compiledOncePer;
    try {
      compiledWhen = compileExpr(when === '' ? 'false' : when);
    } catch (e) {
      const msg = e instanceof ExprCompileError ? e.message : String(e);
      problems.push(located(origin, `trigger ${name}: condition [${i}] when does not compile: ${msg}`, key, within(text, doc.at([i, 'when'], 'value'), e)));
      return;
    }
    if (typeof c.oncePer === 'string' && c.oncePer !== '') {
      try {
        compiledOncePer = compileExpr(c.oncePer);
      } catch (e) {
        const msg = e instanceof ExprCompileError ? e.message : String(e);
        problems.push(located(origin, `trigger ${name}: condition [${i}] oncePer does not compile: ${msg}`, key, within(text, doc.at([i, 'oncePer'], 'value'), e)));
        return;
      }
    }
    out.push({
      when,
      send,
      key: conditionKey(i, when),
      compiledWhen,
      ...(typeof c.oncePer === 'string' && c.oncePer !== '' ? { oncePer: c.oncePer } : {}),
      ...(compiledOncePer ? { compiledOncePer } : {}),
      ...(typeof c.description === 'string' ? { description: c.description } : {}),
    });
  });
  return out;
}

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function parseTemplate(name: string, text: string, origin: ConfigOrigin, problems: Problem[]): NotificationTemplate | undefined {
  let v: unknown;
  try {
    v = parse(text);
  } catch (e) {
    problems.push(located(origin, `template ${name}: not YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, `template.${name}`));
    return undefined;
  }
  if (!isRecord(v)) {
    problems.push(located(origin, `template ${name}: must be a mapping (message, title, email, slack, webhook)`, `template.${name}`));
    return undefined;
  }
  const webhook: Record<string, WebhookTemplate> = {};
  if (isRecord(v.webhook)) {
    for (const [svc, w] of Object.entries(v.webhook)) {
      if (!isRecord(w)) continue;
      webhook[svc] = { ...(optionalString(w.method) ? { method: optionalString(w.method)! } : {}), ...(optionalString(w.path) !== undefined ? { path: optionalString(w.path)! } : {}), ...(optionalString(w.body) !== undefined ? { body: optionalString(w.body)! } : {}) };
    }
  }
  const slack = isRecord(v.slack) ? v.slack : undefined;
  return {
    name,
    ...(optionalString(v.message) !== undefined ? { message: optionalString(v.message)! } : {}),
    ...(optionalString(v.title) !== undefined ? { title: optionalString(v.title)! } : {}),
    ...(isRecord(v.email) && optionalString(v.email.subject) !== undefined ? { email: { subject: optionalString(v.email.subject)! } } : {}),
    ...(slack
      ? {
          slack: {
            ...(optionalString(slack.attachments) !== undefined ? { attachments: optionalString(slack.attachments)! } : {}),
            ...(optionalString(slack.blocks) !== undefined ? { blocks: optionalString(slack.blocks)! } : {}),
          },
        }
      : {}),
    ...(Object.keys(webhook).length > 0 ? { webhook } : {}),
  };
}

function parseService(key: string, text: string, origin: ConfigOrigin, problems: Problem[]): ServiceConfig | undefined {
  const parts = key.slice('service.'.length).split('.');
  const type = parts[0]!;
  const name = parts.length > 1 ? parts.slice(1).join('.') : type;
  let v: unknown;
  try {
    v = parse(text);
  } catch (e) {
    problems.push(located(origin, `service ${name}: not YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, key));
    return undefined;
  }
  if (!isRecord(v)) {
    problems.push(located(origin, `service ${name}: must be a mapping`, key));
    return undefined;
  }
  switch (type) {
    case 'webhook': {
      if (typeof v.url !== 'string' || v.url === '') {
        problems.push(located(origin, `service ${name}: a webhook needs url`, key));
        return undefined;
      }
      const headers = Array.isArray(v.headers) ? v.headers.filter(isRecord).map((h) => ({ name: String(h.name ?? ''), value: String(h.value ?? '') })) : [];
      const basicAuth = isRecord(v.basicAuth) ? { username: String(v.basicAuth.username ?? ''), password: String(v.basicAuth.password ?? '') } : undefined;
      return { type: 'webhook', name, url: v.url, headers, ...(basicAuth ? { basicAuth } : {}) };
    }
    case 'slack':
      if (typeof v.token !== 'string' && typeof v.webhook !== 'string') {
        problems.push(located(origin, `service ${name}: Slack needs token (chat.postMessage) or webhook (an incoming-webhook URL)`, key));
        return undefined;
      }
      return {
        type: 'slack',
        name,
        ...(optionalString(v.token) ? { token: optionalString(v.token)! } : {}),
        ...(optionalString(v.apiURL) ? { apiURL: optionalString(v.apiURL)! } : {}),
        ...(optionalString(v.webhook) ? { webhook: optionalString(v.webhook)! } : {}),
        ...(optionalString(v.username) ? { username: optionalString(v.username)! } : {}),
        ...(optionalString(v.icon) ? { icon: optionalString(v.icon)! } : {}),
      };
    case 'email': {
      const port = typeof v.port === 'number' ? v.port : Number(v.port);
      if (typeof v.host !== 'string' || !Number.isInteger(port) || typeof v.from !== 'string') {
        problems.push(located(origin, `service ${name}: e-mail needs host, port and from`, key));
        return undefined;
      }
      return {
        type: 'email',
        name,
        host: v.host,
        port,
        from: v.from,
        ...(optionalString(v.username) ? { username: optionalString(v.username)! } : {}),
        ...(optionalString(v.password) ? { password: optionalString(v.password)! } : {}),
        ...(v.insecure_skip_verify === true ? { insecureSkipVerify: true } : {}),
      };
    }
    default:
      problems.push({ ...located(origin, `service ${name}: type ${type} is not supported by Flotilla (webhook, slack, email are); its subscriptions are skipped`, key), severity: 'warning' });
      return undefined;
  }
}

function parseSubscriptions(text: string, origin: ConfigOrigin, problems: Problem[]): Subscription[] {
  let v: unknown;
  try {
    v = parse(text);
  } catch {
    v = undefined;
  }
  if (!Array.isArray(v)) {
    problems.push(located(origin, 'subscriptions: must be a YAML list of {recipients, triggers, selector}', 'subscriptions'));
    return [];
  }
  const out: Subscription[] = [];
  for (const s of v) {
    const recipients = isRecord(s) ? stringList(s.recipients) : undefined;
    if (!isRecord(s) || !recipients) {
      problems.push(located(origin, 'subscriptions: every entry needs recipients (service:recipient)', 'subscriptions'));
      continue;
    }
    out.push({ recipients, triggers: stringList(s.triggers) ?? [], ...(typeof s.selector === 'string' ? { selector: s.selector } : {}) });
  }
  return out;
}

/** Builds the notifications configuration from a ConfigMap's data; every bad entry is a Problem, the rest is kept. */
export function parseNotifyConfig(data: Readonly<Record<string, string>>, origin: ConfigOrigin): { config: NotifyConfig; problems: Problem[] } {
  const problems: Problem[] = [];
  const triggers = new Map<string, TriggerCondition[]>();
  const templates = new Map<string, NotificationTemplate>();
  const services = new Map<string, ServiceConfig>();
  let subscriptions: Subscription[] = [];
  let defaultTriggers: string[] = [];
  let context: Record<string, string> = {};
  for (const [key, text] of Object.entries(data)) {
    if (key.startsWith('trigger.')) triggers.set(key.slice(8), parseTriggers(key.slice(8), text, origin, problems));
    else if (key.startsWith('template.')) {
      const t = parseTemplate(key.slice(9), text, origin, problems);
      if (t) templates.set(t.name, t);
    } else if (key.startsWith('service.')) {
      const s = parseService(key, text, origin, problems);
      if (s) services.set(s.name, s);
    } else if (key === 'subscriptions') subscriptions = parseSubscriptions(text, origin, problems);
    else if (key === 'defaultTriggers') defaultTriggers = stringList(parse(text)) ?? [];
    else if (key === 'context') {
      const c: unknown = parse(text);
      if (isRecord(c)) context = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, String(v)]));
    }
  }
  for (const [name, conds] of triggers) {
    for (const c of conds) {
      for (const t of c.send) if (!templates.has(t)) problems.push(located(origin, `trigger ${name}: sends template ${t}, which is not defined (template.${t})`, `trigger.${name}`));
    }
  }
  return { config: { source: origin.source, triggers, templates, services, subscriptions, defaultTriggers, context, positions: origin.positions ?? new Map() }, problems };
}
