// Rendering a notification template: Go text/template with Sprig (the engine ApplicationSets use) over `.app`,
// `.context`, `.notificationType` and `.serviceType`, as Argo CD's notifications engine does.
import { BUILTINS, GoTemplateCache } from '../appset/template/go';
import type { FuncMap, GoFunc } from '../appset/template/go';
import { sprigFuncs } from '../appset/template/sprig/funcs';
import type { Notification, NotificationTemplate } from './types';

function buildFuncs(): FuncMap {
  const m = new Map<string, GoFunc>(BUILTINS);
  for (const [k, v] of sprigFuncs()) if (k !== 'env' && k !== 'expandenv') m.set(k, v);
  return m;
}

const cache = new GoTemplateCache(buildFuncs());

/** A template that failed to parse or execute: which field, and Go's message. */
export class TemplateRenderError extends Error {
  constructor(
    readonly template: string,
    readonly field: string,
    message: string,
  ) {
    super(`template ${template}: ${field}: ${message}`);
    this.name = 'TemplateRenderError';
  }
}

function renderField(t: NotificationTemplate, field: string, text: string | undefined, vars: Record<string, unknown>): string | undefined {
  if (text === undefined) return undefined;
  if (!text.includes('{{')) return text;
  try {
    return cache.execute(cache.parse(text), vars, 'default');
  } catch (e) {
    throw new TemplateRenderError(t.name, field, e instanceof Error ? e.message : String(e));
  }
}

/** Renders every field of a template for one service type; throws TemplateRenderError naming the field. */
export function renderTemplate(t: NotificationTemplate, vars: { readonly app: unknown; readonly context: Readonly<Record<string, string>>; readonly serviceType: string }): Notification {
  const data: Record<string, unknown> = { app: vars.app, context: vars.context, notificationType: vars.serviceType, serviceType: vars.serviceType };
  const message = renderField(t, 'message', t.message, data) ?? '';
  const title = renderField(t, 'title', t.title, data);
  const emailSubject = renderField(t, 'email.subject', t.email?.subject, data);
  const attachments = renderField(t, 'slack.attachments', t.slack?.attachments, data);
  const blocks = renderField(t, 'slack.blocks', t.slack?.blocks, data);
  const webhook: Record<string, { method: string; path: string; body: string }> = {};
  for (const [svc, w] of Object.entries(t.webhook ?? {})) {
    webhook[svc] = {
      method: renderField(t, `webhook.${svc}.method`, w.method, data) ?? 'GET',
      path: renderField(t, `webhook.${svc}.path`, w.path, data) ?? '',
      body: renderField(t, `webhook.${svc}.body`, w.body, data) ?? '',
    };
  }
  return {
    message,
    ...(title !== undefined ? { title } : {}),
    ...(emailSubject !== undefined ? { emailSubject } : {}),
    ...(attachments !== undefined || blocks !== undefined ? { slack: { ...(attachments !== undefined ? { attachments } : {}), ...(blocks !== undefined ? { blocks } : {}) } } : {}),
    ...(Object.keys(webhook).length > 0 ? { webhook } : {}),
  };
}
