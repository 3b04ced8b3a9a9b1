import type { ApiEvents, EventName } from '../../shared/api/contract';

/** A listener for one pushed event. */
export type EventListener<E extends EventName> = (payload: ApiEvents[E]) => void;

/** Typed publish/subscribe for the events of the API contract; every transport forwards from one bus. */
export class EventBus {
  private readonly listeners = new Map<EventName, Set<(p: unknown) => void>>();
  private readonly any = new Set<(event: EventName, payload: unknown) => void>();

  /** Publishes an event to its listeners and to every forwarder. */
  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) l(payload);
    for (const l of this.any) l(event, payload);
  }

  /** Subscribes to one event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: EventListener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = listener as (p: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  /** Subscribes to every event (transports use this to forward); returns the unsubscribe function. */
  onAny(listener: (event: EventName, payload: unknown) => void): () => void {
    this.any.add(listener);
    return () => this.any.delete(listener);
  }
}
