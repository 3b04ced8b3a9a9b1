// Types for objects built field by field before they are handed out read-only.

/** `T` with its top-level fields writable: an object being built, before it is returned as `T`. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** `T` with its top-level fields writable and optional: an object filled in field by field. */
export type MutablePartial<T> = { -readonly [K in keyof T]?: T[K] };
