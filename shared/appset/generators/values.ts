import type { Params } from '../../model/params';
import type { TemplateMode } from '../template';
import { appendTemplatedValues } from '../template';
import { isPlainObject } from '../go-values';

/** The `values` map of a generator (string values only), or undefined when absent or empty. */
export function generatorValues(gen: Record<string, unknown>): Record<string, string> | undefined {
  const v = gen['values'];
  if (!isPlainObject(v) || Object.keys(v).length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const [k, item] of Object.entries(v)) out[k] = typeof item === 'string' ? item : JSON.stringify(item);
  return out;
}

/** Adds a generator's rendered `values` to a parameter set (values.<key> flat, values: {…} in goTemplate mode). */
export function withValues(values: Record<string, string> | undefined, params: Params, mode: TemplateMode): Params {
  return appendTemplatedValues(values, params, mode);
}
