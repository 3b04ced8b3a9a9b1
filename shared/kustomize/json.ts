/** The JSON-like values the kustomize build holds (what YAML reads into and what is printed). */

/** A JSON-like value as kustomize holds it; integers beyond 2^53 are bigints. */
export type Json = null | boolean | number | bigint | string | Json[] | JsonMap;
/** A YAML mapping. */
export interface JsonMap {
  [key: string]: Json;
}

/** Whether a value is a mapping. */
export function isMapValue(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
