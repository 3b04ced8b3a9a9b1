// Packed answers (the fleet grid, the fleet's findings counts) send each distinct value once and refer to it by index.

/** Distinct values in the order they were first seen, each referred to by its index. */
export interface Interned<T> {
  /** The values, each once. */
  readonly values: T[];
  /** The index of `v`, which is added at the end the first time it is seen. */
  indexOf(v: T): number;
}

/** A new, empty table of distinct values (compared as Map keys: strings by value, objects by identity). */
export function interned<T>(): Interned<T> {
  const values: T[] = [];
  const index = new Map<T, number>();
  return {
    values,
    indexOf(v: T): number {
      let i = index.get(v);
      if (i === undefined) {
        i = values.length;
        values.push(v);
        index.set(v, i);
      }
      return i;
    },
  };
}
