// Long synchronous loops on the Node side (rendering a whole fleet, validating every app) run in slices, so the server
// answers other calls — the grid's rows in view, an app page — between them instead of after minutes.

/** How long one slice of synchronous work may hold the event loop before other calls are answered. */
export const SLICE_MS = 20;

/**
 * A checkpoint for a long loop: await it after each item. Once the current slice has run `sliceMs`, it yields to the
 * event loop (setImmediate: pending I/O first) and starts the next slice; before that it costs a resolved promise.
 */
export function sliceYielder(sliceMs: number = SLICE_MS): () => Promise<void> {
  let start = performance.now();
  return () => {
    if (performance.now() - start <= sliceMs) return Promise.resolve();
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        start = performance.now();
        resolve();
      }),
    );
  };
}
