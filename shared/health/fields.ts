import type { HealthResult, HealthStatus, KubeObject } from '../model/status';

/** Builds a HealthResult. */
export function health(status: HealthStatus, message = ''): HealthResult {
  return { status, message };
}

/** Whether a value is a plain object. */
export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at a path of keys, or undefined when any step is missing. */
export function get(obj: unknown, ...path: readonly (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[key];
    } else {
      if (!isObj(cur)) return undefined;
      cur = cur[key];
    }
  }
  return cur;
}

/** A nested plain object, or undefined. */
export function getObj(obj: unknown, ...path: readonly (string | number)[]): Record<string, unknown> | undefined {
  const v = get(obj, ...path);
  return isObj(v) ? v : undefined;
}

/** A nested string, or '' (Go's zero value) when absent or not a string. */
export function str(obj: unknown, ...path: readonly (string | number)[]): string {
  const v = get(obj, ...path);
  return typeof v === 'string' ? v : '';
}

/** A nested string when present (numbers and booleans are not strings). */
export function optStr(obj: unknown, ...path: readonly (string | number)[]): string | undefined {
  const v = get(obj, ...path);
  return typeof v === 'string' ? v : undefined;
}

/** A nested integer, or 0 (Go's zero value); numeric strings are read as numbers. */
export function int(obj: unknown, ...path: readonly (string | number)[]): number {
  return optInt(obj, ...path) ?? 0;
}

/** A nested number when present; numeric strings are read as numbers. */
export function optInt(obj: unknown, ...path: readonly (string | number)[]): number | undefined {
  const v = get(obj, ...path);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

/** A nested array, or [] when absent. */
export function arr(obj: unknown, ...path: readonly (string | number)[]): readonly unknown[] {
  const v = get(obj, ...path);
  return Array.isArray(v) ? v : [];
}

/** One `status.conditions` entry, as most controllers write it. */
export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
  readonly raw: Record<string, unknown>;
}

/** The object's `status.conditions` (or the list at another path), entries that are not objects skipped. */
export function conditions(obj: unknown, ...path: readonly string[]): readonly Condition[] {
  const list = path.length ? arr(obj, ...path) : arr(obj, 'status', 'conditions');
  const out: Condition[] = [];
  for (const c of list) {
    if (!isObj(c)) continue;
    out.push({ type: str(c, 'type'), status: str(c, 'status'), reason: str(c, 'reason'), message: str(c, 'message'), raw: c });
  }
  return out;
}

/** The first condition of a type, if any. */
export function condition(obj: unknown, type: string, ...path: readonly string[]): Condition | undefined {
  return conditions(obj, ...path).find((c) => c.type === type);
}

/** `metadata.generation` and `status.observedGeneration` as numbers (0 when absent). */
export function generations(obj: KubeObject): { readonly generation: number; readonly observed: number } {
  return { generation: int(obj, 'metadata', 'generation'), observed: int(obj, 'status', 'observedGeneration') };
}

/** Go's `%q` of a string (close enough for Kubernetes names, which are plain ASCII). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** The API group of an `apiVersion` ('' for the core group). */
export function groupOf(apiVersion: string | undefined): string {
  if (!apiVersion) return '';
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** The version part of an `apiVersion`. */
export function versionOf(apiVersion: string | undefined): string {
  if (!apiVersion) return '';
  const i = apiVersion.indexOf('/');
  return i < 0 ? apiVersion : apiVersion.slice(i + 1);
}

/** Go's `GroupVersionKind.String()`, used in "unsupported ... GVK" messages. */
export function gvkString(obj: KubeObject): string {
  const group = groupOf(obj.apiVersion);
  const version = versionOf(obj.apiVersion);
  return `${group}/${version}, Kind=${obj.kind ?? ''}`;
}

/** Lua's string concatenation of a value: numbers print as integers when whole. */
export function luaStr(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  return '';
}
