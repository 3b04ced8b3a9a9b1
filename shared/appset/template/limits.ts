/**
 * Cost limits of one template execution (goTemplate and sprig functions), checked while it runs, never after:
 * a template from a repository cannot hang the app or exhaust its memory. Go has no such limits; real
 * ApplicationSet templates stay far below them.
 */
export const TEMPLATE_LIMITS = {
  /** Range iterations one execution may run (`{{range 1000000000}}`). */
  maxRangeIterations: 5_000_000,
  /** Elements a list-building function may return (`until`, `untilStep`, `seq`). */
  maxListLength: 1_000_000,
  /** Characters one execution may write, and the largest string one function may build (`repeat`). */
  maxOutputBytes: 16 * 1024 * 1024,
  /** Go's own cap on a printf width or precision (fmt's tooLarge): larger ones print %!(BADWIDTH) / %!(BADPREC). */
  maxFormatWidth: 1_000_000,
} as const;

/** Throws when a list function would return more than the limit. */
export function checkListLength(fn: string, n: bigint): void {
  if (n > BigInt(TEMPLATE_LIMITS.maxListLength)) {
    throw new Error(`${fn}: would build a list of ${n} elements, more than the limit of ${TEMPLATE_LIMITS.maxListLength} (TEMPLATE_LIMITS.maxListLength)`);
  }
}

/** Throws when a function would build a string longer than the limit. */
export function checkStringLength(fn: string, n: number): void {
  if (n > TEMPLATE_LIMITS.maxOutputBytes) {
    throw new Error(`${fn}: would build a string of ${n} characters, more than the limit of ${TEMPLATE_LIMITS.maxOutputBytes} (TEMPLATE_LIMITS.maxOutputBytes)`);
  }
}
