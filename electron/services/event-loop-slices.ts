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

/**
 * One turn of the event loop (setImmediate: the I/O that arrived meanwhile is handled first): awaited between the
 * long synchronous steps of one answer (discovery's scan and generation, the store's read, packing), so requests that
 * need none of it — the page's HTML and scripts while the first grid is built — are answered in between.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
