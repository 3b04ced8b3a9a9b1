// Every place in the UI has a URL: `#/apps/frontend/dev/Diff`, `#/clusters/prod`, `#/promotions/12`.
// Hash routing, because it works the same in Electron's file:// page, in the browser via `flotilla serve`,
// and behind a `flotilla://` deep link (`flotilla://apps/frontend/dev/Diff` opens the same place).

/** The top-level pages of the shell, in sidebar order. */
export const ROUTE_PAGES = ['fleet', 'applications', 'applicationsets', 'promotions', 'reports', 'notifications', 'clusters'] as const;
/** A top-level page of the shell. */
export type RoutePage = (typeof ROUTE_PAGES)[number];

/** A place in the UI: a page, optionally narrowed to one thing on it. */
export type Route =
  | { readonly page: 'fleet' | 'applications' | 'reports' | 'notifications' }
  | { readonly page: 'applicationsets'; readonly file?: string }
  | { readonly page: 'promotions'; readonly id?: number }
  | { readonly page: 'clusters'; readonly cluster?: string }
  | { readonly page: 'app'; readonly app: string; readonly cluster: string; readonly tab?: string };

/** The route of an empty or unknown URL. */
export const HOME_ROUTE: Route = { page: 'fleet' };

/** The URL scheme a desktop deep link uses. */
export const DEEP_LINK_SCHEME = 'flotilla';

const enc = (s: string): string => encodeURIComponent(s);

/** The hash (`#/…`) that shows a route. */
export function routeToHash(r: Route): string {
  switch (r.page) {
    case 'app':
      return `#/apps/${enc(r.app)}/${enc(r.cluster)}${r.tab ? `/${enc(r.tab)}` : ''}`;
    case 'applicationsets':
      return r.file ? `#/applicationsets/${r.file.split('/').map(enc).join('/')}` : '#/applicationsets';
    case 'promotions':
      return r.id !== undefined ? `#/promotions/${r.id}` : '#/promotions';
    case 'clusters':
      return r.cluster ? `#/clusters/${enc(r.cluster)}` : '#/clusters';
    default:
      return `#/${r.page}`;
  }
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** The route a hash (or a path like `apps/x/y`) names, or undefined when it names nothing Flotilla shows. */
export function parseRoute(hash: string): Route | undefined {
  const raw = hash.replace(/^#/, '').replace(/^\/+/, '').replace(/[?#].*$/, '').replace(/\/+$/, '');
  if (raw === '') return HOME_ROUTE;
  const parts = raw.split('/').map(decode);
  if (parts.some((p) => p === undefined || p === '')) return undefined;
  const [head, ...rest] = parts as string[];
  switch (head) {
    case 'fleet':
    case 'applications':
    case 'reports':
    case 'notifications':
      return rest.length === 0 ? { page: head } : undefined;
    case 'applicationsets':
      return rest.length === 0 ? { page: head } : { page: head, file: rest.join('/') };
    case 'promotions': {
      if (rest.length === 0) return { page: head };
      const id = Number(rest[0]);
      return rest.length === 1 && /^\d+$/.test(rest[0]!) && Number.isSafeInteger(id) ? { page: head, id } : undefined;
    }
    case 'clusters':
      return rest.length === 0 ? { page: head } : rest.length === 1 ? { page: head, cluster: rest[0]! } : undefined;
    case 'apps':
    case 'app':
      if (rest.length === 2) return { page: 'app', app: rest[0]!, cluster: rest[1]! };
      if (rest.length === 3) return { page: 'app', app: rest[0]!, cluster: rest[1]!, tab: rest[2]! };
      return undefined;
    default:
      return undefined;
  }
}

/**
 * The hash a `flotilla://` deep link opens, or undefined when the link is not Flotilla's or names nothing.
 * `flotilla://apps/frontend/dev/Diff`, `flotilla:///apps/frontend/dev` and `flotilla://open#/apps/frontend/dev` all work.
 */
export function deepLinkToHash(link: string): string | undefined {
  const prefix = `${DEEP_LINK_SCHEME}:`;
  if (!link.toLowerCase().startsWith(prefix)) return undefined;
  let rest = link.slice(prefix.length).replace(/^\/+/, '');
  const hashAt = rest.indexOf('#');
  if (hashAt >= 0) rest = rest.slice(hashAt + 1);
  const route = parseRoute(rest);
  return route ? routeToHash(route) : undefined;
}

/** Two routes show the same place. */
export function sameRoute(a: Route, b: Route): boolean {
  return routeToHash(a) === routeToHash(b);
}

/** The first `flotilla://` deep link among a process's arguments (how Windows and Linux hand a link to the app), as a hash. */
export function deepLinkFromArgv(argv: readonly string[]): string | undefined {
  for (const a of argv) {
    if (a.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) return deepLinkToHash(a);
  }
  return undefined;
}
