// Delivering a rendered notification to its service, as Argo CD's notification services do: a webhook request
// (method, path and body from the template's `webhook.<service>`), a Slack message (chat.postMessage with a token, or
// an incoming-webhook URL), or an e-mail over SMTP (nodemailer). Each delivery is retried with exponential backoff.
import nodemailer from 'nodemailer';
import type { PendingNotification, ServiceConfig } from '../../../shared/notify';

/** How hard to try. */
export interface DeliveryOptions {
  /** Attempts in all (default 3). */
  readonly attempts?: number;
  /** The first wait between attempts, doubled after each (default 500 ms). */
  readonly backoffMs?: number;
  /** The deadline of one attempt (default 10 s). */
  readonly timeoutMs?: number;
}

/** How a delivery ended: how many attempts it took, and the last error when every one failed. */
export interface DeliveryResult {
  readonly attempts: number;
  readonly error?: string;
}

/** Why a delivery is pointless to attempt (the template has nothing for this service). */
export function nothingToSend(n: PendingNotification, service: ServiceConfig): string | undefined {
  if (service.type === 'webhook' && !n.notification.webhook?.[service.name]) return `template ${n.template} has no webhook.${service.name} section: nothing to send to webhook ${service.name}`;
  return undefined;
}

async function post(url: string, init: { method: string; headers: Record<string, string>; body?: string }, timeoutMs: number): Promise<string> {
  const res = await fetch(url, { method: init.method, headers: init.headers, ...(init.body !== undefined && init.method !== 'GET' ? { body: init.body } : {}), signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  // Only the host: a webhook's path is often its secret (Slack's incoming-webhook URLs are).
  if (!res.ok) throw new Error(`${init.method} to ${new URL(url).host} answered ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`);
  return text;
}

function json(text: string | undefined, what: string): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${what} is not JSON: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

async function sendOnce(n: PendingNotification, service: ServiceConfig, timeoutMs: number): Promise<void> {
  const msg = n.notification;
  switch (service.type) {
    case 'webhook': {
      const w = msg.webhook?.[service.name];
      if (!w) return;
      const headers: Record<string, string> = {};
      for (const h of service.headers) headers[h.name] = h.value;
      if (service.basicAuth) headers.Authorization = `Basic ${Buffer.from(`${service.basicAuth.username}:${service.basicAuth.password}`).toString('base64')}`;
      await post(service.url.replace(/\/$/, '') + w.path, { method: w.method.toUpperCase(), headers, body: w.body }, timeoutMs);
      return;
    }
    case 'slack': {
      const payload = {
        ...(n.destination.recipient ? { channel: n.destination.recipient } : {}),
        text: msg.message,
        ...(msg.slack?.attachments ? { attachments: json(msg.slack.attachments, `template ${n.template} slack.attachments`) } : {}),
        ...(msg.slack?.blocks ? { blocks: json(msg.slack.blocks, `template ${n.template} slack.blocks`) } : {}),
        ...(service.username ? { username: service.username } : {}),
        ...(service.icon ? { icon_emoji: service.icon } : {}),
      };
      const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
      if (service.webhook) {
        await post(service.webhook, { method: 'POST', headers, body: JSON.stringify(payload) }, timeoutMs);
        return;
      }
      const api = (service.apiURL ?? 'https://slack.com/api/').replace(/\/?$/, '/');
      const text = await post(`${api}chat.postMessage`, { method: 'POST', headers: { ...headers, Authorization: `Bearer ${service.token ?? ''}` }, body: JSON.stringify(payload) }, timeoutMs);
      const answer = json(text, 'Slack\'s answer') as { ok?: boolean; error?: string } | undefined;
      if (!answer?.ok) throw new Error(`Slack refused the message: ${answer?.error ?? 'no answer'}`);
      return;
    }
    case 'email': {
      const transport = nodemailer.createTransport({
        host: service.host,
        port: service.port,
        secure: service.port === 465,
        ...(service.username ? { auth: { user: service.username, pass: service.password ?? '' } } : {}),
        tls: { rejectUnauthorized: !service.insecureSkipVerify },
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      });
      try {
        await transport.sendMail({ from: service.from, to: n.destination.recipient, subject: msg.emailSubject ?? msg.title ?? '', text: msg.message });
      } finally {
        transport.close();
      }
      return;
    }
  }
}

/** Delivers one notification, retrying with exponential backoff; resolves with the attempts made and the last error. */
export async function deliver(n: PendingNotification, service: ServiceConfig, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const timeoutMs = options.timeoutMs ?? 10_000;
  let wait = options.backoffMs ?? 500;
  let last = '';
  for (let i = 1; i <= attempts; i++) {
    try {
      await sendOnce(n, service, timeoutMs);
      return { attempts: i };
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
      if (i < attempts) {
        await new Promise((r) => setTimeout(r, wait));
        wait *= 2;
      }
    }
  }
  return { attempts, error: last };
}
