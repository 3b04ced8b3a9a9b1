// Waiting on a shared Int32Array flag that another thread sets and notifies (the Lua health workers' handshake). A
// wake-up alone proves nothing: a notify meant for an earlier state (the worker's "started", say) can land after the
// caller already saw that state and began waiting for the next one, so the flag is read again after each wake-up.

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
