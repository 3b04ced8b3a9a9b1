import type { ApiEvents, Channel, EventName, FlotillaApi } from '../../../shared/api/contract';
import { CHANNELS, EVENTS } from '../../../shared/api/contract';
import type { Envelope } from '../../../shared/api/envelope';
import { fromEnvelope } from '../../../shared/api/envelope';

/** The API over `flotilla serve`'s HTTP bridge: POST /api/invoke/<channel>, events over server-sent events. The token travels in the server's cookie. */
export function createWebBridge(base = ''): FlotillaApi {
  const api: Record<string, unknown> = {};
  for (const channel of CHANNELS) {
    api[channel] = async (req: unknown) => {
      const res = await fetch(`${base}/api/invoke/${encodeURIComponent(channel as Channel)}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(req ?? {}),
      });
      if (res.status === 401) throw new Error('the Flotilla server refused the request: open the URL that `flotilla serve` printed (it carries the access token)');
      return fromEnvelope((await res.json()) as Envelope<unknown>);
    };
  }
  let source: EventSource | undefined;
  api.on = <E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): (() => void) => {
    if (!(EVENTS as readonly string[]).includes(event)) throw new Error(`unknown event ${event}`);
    source ??= new EventSource(`${base}/api/events`, { withCredentials: true });
    const handler = (e: MessageEvent<string>): void => listener(JSON.parse(e.data) as ApiEvents[E]);
    source.addEventListener(event, handler as EventListener);
    return () => source?.removeEventListener(event, handler as EventListener);
  };
  return api as unknown as FlotillaApi;
}
