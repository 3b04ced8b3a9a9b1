// `$name` references in service settings (Argo CD's argocd-notifications-secret keys): resolved at delivery,
// never stored or logged; a missing one is a Problem naming the service and the key, not the value.
import type { Problem } from '../problem';
import { problem } from '../problem';
import type { ServiceConfig } from './types';

const REF = /\$(\{[A-Za-z0-9_.-]+\}|[A-Za-z0-9_.-]+)/g;

/** Replaces `$name` / `${name}` in one setting; records the names that are missing. */
function expand(value: string, secrets: ReadonlyMap<string, string>, missing: Set<string>): string {
  return value.replace(REF, (whole, ref: string) => {
    const name = ref.startsWith('{') ? ref.slice(1, -1) : ref;
    const v = secrets.get(name);
    if (v === undefined) {
      missing.add(name);
      return whole;
    }
    return v;
  });
}

/** A service with its secret references resolved, or a Problem naming the missing keys. */
export function resolveService(service: ServiceConfig, secrets: ReadonlyMap<string, string>, secretSource: string): { service?: ServiceConfig; problem?: Problem } {
  const missing = new Set<string>();
  const x = (v: string): string => expand(v, secrets, missing);
  let out: ServiceConfig;
  switch (service.type) {
    case 'webhook':
      out = {
        ...service,
        url: x(service.url),
        headers: service.headers.map((h) => ({ name: h.name, value: x(h.value) })),
        ...(service.basicAuth ? { basicAuth: { username: x(service.basicAuth.username), password: x(service.basicAuth.password) } } : {}),
      };
      break;
    case 'slack':
      out = { ...service, ...(service.token ? { token: x(service.token) } : {}), ...(service.webhook ? { webhook: x(service.webhook) } : {}), ...(service.apiURL ? { apiURL: x(service.apiURL) } : {}) };
      break;
    case 'email':
      out = { ...service, host: x(service.host), ...(service.username ? { username: x(service.username) } : {}), ...(service.password ? { password: x(service.password) } : {}) };
      break;
  }
  if (missing.size > 0) {
    return { problem: problem(`service ${service.name}: secret ${[...missing].map((m) => `$${m}`).join(', ')} is not in ${secretSource}`) };
  }
  return { service: out };
}

/** Masks every secret value found in a text (an error message from a receiver, say) before it is kept or shown. */
export function maskSecrets(text: string, secrets: ReadonlyMap<string, string>): string {
  let out = text;
  for (const v of secrets.values()) if (v.length >= 4) out = out.split(v).join('******');
  return out;
}
