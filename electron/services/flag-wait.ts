// Waiting on a shared Int32Array flag that another thread sets and notifies (the Lua health workers' handshake). A
// wake-up alone proves nothing: a notify meant for an earlier state (the worker's "started", say) can land after the
// caller already saw that state and began waiting for the next one, so the flag is read again after each wake-up.

import { receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

/** Atomics.waitAsync (ES2024; Node 16+), which the ES2023 library typings lack. */
interface AtomicsWaitAsync {
  waitAsync(a: Int32Array, index: number, value: number, timeoutMs: number): { async: false; value: string } | { async: true; value: Promise<string> };
}

/** Blocks the calling thread while `flag[0]` is `value`, for at most `ms`. */
export function blockWhile(flag: Int32Array, value: number, ms: number): void {
  const end = Date.now() + ms;
  for (let left = ms; left > 0 && Atomics.load(flag, 0) === value; left = end - Date.now()) {
    Atomics.wait(flag, 0, value, left);
  }
}

/** Resolves when `flag[0]` is no longer `value`, or after `ms`, without blocking the thread (as `blockWhile`). */
export async function waitWhile(flag: Int32Array, value: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (let left = ms; left > 0 && Atomics.load(flag, 0) === value; left = end - Date.now()) {
    const r = (Atomics as unknown as AtomicsWaitAsync).waitAsync(flag, 0, value, left);
    if (r.async) await r.value;
  }
}

/** A reply that carries the number of the request it answers. */
export interface NumberedReply {
  readonly seq: number;
}

/**
 * Takes the reply numbered `seq` from `port`, blocking for at most `ms`; undefined when it did not come in time. The
 * other thread posts each reply, then stores its number in `flag[0]` and notifies. A wake-up, a flag value or a message
 * left over from an earlier request (a late notify, a reply posted after its caller gave up) is never taken for this
 * one: earlier replies are dropped and the wait goes on until the reply with this number arrives or the deadline passes.
 */
export function receiveNumbered<T extends NumberedReply>(port: MessagePort, flag: Int32Array, seq: number, ms: number): T | undefined {
  const end = Date.now() + ms;
  for (;;) {
    // The flag is read before the port: a reply posted after this read changes the flag, so the wait below returns.
    const seen = Atomics.load(flag, 0);
    for (let got = receiveMessageOnPort(port); got !== undefined; got = receiveMessageOnPort(port)) {
      const reply = got.message as T;
      if (reply.seq === seq) return reply;
    }
    const left = end - Date.now();
    if (left <= 0) return undefined;
    blockWhile(flag, seen, left);
  }
}
