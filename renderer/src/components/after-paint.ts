/**
 * Runs `fn` once the next frame is painted (a task after the frame's animation callbacks), so what it starts (a read,
 * its parsing, the re-render it brings) comes after what is on screen now; returns a function that cancels it.
 */
export function afterPaint(fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(fn, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}
