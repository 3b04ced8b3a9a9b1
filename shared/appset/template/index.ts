// ApplicationSet template engine: fasttemplate and Go text/template (+ Sprig and Argo CD's functions), as Argo CD renders them.
import type { Params } from '../../model/params';
import {
  appendTemplatedValues as appendValuesImpl,
  compileTemplateParams as compileParamsImpl,
  interpolateGenerator as interpolateImpl,
  renderString as renderStringImpl,
  renderTemplateParams as renderParamsImpl,
} from './render';
import type { TemplateMode } from './render';

export type { TemplateMode } from './render';
export { TemplateError } from './errors';
export { sanitizeName, slugify } from './names';

/** Renders one string template against params (fasttemplate or Go template). Throws TemplateError. */
export function renderString(template: string, params: Params, mode: TemplateMode): string {
  return renderStringImpl(template, params, mode);
}

/** Argo CD's Render.RenderTemplateParams: deep-renders an Application-shaped template (values AND map keys), adds the resources finalizer per syncPolicy rules; empty params → template returned unchanged. */
export function renderTemplateParams(template: unknown, syncPolicy: unknown, params: Params, mode: TemplateMode): unknown {
  return renderParamsImpl(template, syncPolicy, params, mode);
}

/** renderTemplateParams compiled once for a template (one per generator): the function renders it for one parameter set, as renderTemplateParams does. */
export function compileTemplateParams(template: unknown, syncPolicy: unknown, mode: TemplateMode): (params: Params) => unknown {
  return compileParamsImpl(template, syncPolicy, mode);
}

/** Argo CD's InterpolateGenerator / RenderGeneratorParams: interpolates a generator spec with a previous generator's params (matrix/merge second child), with the `values` rule. */
export function interpolateGenerator(generator: unknown, params: Params, mode: TemplateMode): unknown {
  return interpolateImpl(generator, params, mode);
}

/** Argo CD's appendTemplatedValues: adds `values.<k>` (flat) or `values: {...}` (goTemplate) rendered against params as they were before. */
export function appendTemplatedValues(values: Readonly<Record<string, string>> | undefined, params: Params, mode: TemplateMode): Params {
  return appendValuesImpl(values, params, mode);
}
