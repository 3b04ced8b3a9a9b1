// Argo CD's Render: Replace (one string), RenderTemplateParams (an Application), RenderGeneratorParams (a child generator) and appendTemplatedValues.
import type { Params } from '../../model/params';
import { TemplateError } from './errors';
import { renderFast, TEMPLATED } from './fasttemplate';
import type { FuncMap, GoFunc, MissingKey, SimpleTemplate } from './go';
import { BUILTINS, compileSimple, GoExecError, GoParseError, GoTemplateCache, runSimple } from './go';
import { sanitizeName, slugify } from './names';
import { setEntry } from './go/values';
import { argoYamlFuncs, sprigFuncs } from './sprig/funcs';

/** How an ApplicationSet renders: fasttemplate (default) or Go text/template with options such as `missingkey=error`. */
export interface TemplateMode {
  readonly goTemplate: boolean;
  readonly goTemplateOptions?: readonly string[];
}

const FINALIZER = 'resources-finalizer.argocd.argoproj.io';

function buildFuncs(): FuncMap {
  const m = new Map<string, GoFunc>(BUILTINS);
  for (const [k, v] of sprigFuncs()) m.set(k, v);
  m.set('normalize', { params: ['string'], fn: sanitizeName });
  m.set('slugify', {
    params: [],
    variadic: 'any',
    fn: (...args: unknown[]) => {
      let maxSize = 50;
      let smart = true;
      let name = '';
      args.forEach((a, i) => {
        if (i === args.length - 1) {
          if (typeof a !== 'string') throw new Error(`interface conversion: interface {} is ${a === null ? 'nil' : typeof a}, not string`);
          name = a;
        } else if (i === 0) {
          if (typeof a !== 'bigint') throw new Error('interface conversion: interface {} is not int');
          maxSize = Number(a);
        } else if (i === 1) {
          if (typeof a !== 'boolean') throw new Error('interface conversion: interface {} is not bool');
          smart = a;
        }
      });
      return slugify(name, maxSize, smart);
    },
  });
  for (const [k, v] of argoYamlFuncs()) m.set(k, v);
  m.set('tpl', { params: ['string', 'any'], fn: () => '', special: 'tpl' });
  return m;
}

const goCache = new GoTemplateCache(buildFuncs());

const missingKeyCache = new WeakMap<readonly string[], MissingKey>();

function missingKeyOf(options: readonly string[] | undefined): MissingKey {
  if (!options || options.length === 0) return 'default';
  let mk = missingKeyCache.get(options);
  if (mk === undefined) {
    mk = parseOptions(options);
    missingKeyCache.set(options, mk);
  }
  return mk;
}

function parseOptions(options: readonly string[]): MissingKey {
  let mk: MissingKey = 'default';
  for (const opt of options ?? []) {
    const m = /^missingkey=(.*)$/.exec(opt);
    if (!m) throw new TemplateError(`unrecognized option: ${opt}`);
    switch (m[1]) {
      case 'invalid':
      case 'default':
        mk = 'default';
        break;
      case 'zero':
        mk = 'zero';
        break;
      case 'error':
        mk = 'error';
        break;
      default:
        throw new TemplateError(`unrecognized option: ${opt}`);
    }
  }
  return mk;
}

/** Why a Go template render failed: parse or execution, with Argo CD's wrapped message. */
class GoRenderError extends TemplateError {
  constructor(
    message: string,
    readonly phase: 'parse' | 'execute',
    readonly goMessage: string,
  ) {
    super(message);
  }
}

const simpleCache = new Map<string, SimpleTemplate | null>();
const MAX_SIMPLE = 50_000;

/** The fast form of a Go template made only of text and field lookups (cached), or undefined. */
function simpleOf(tmpl: string): SimpleTemplate | undefined {
  let s = simpleCache.get(tmpl);
  if (s === undefined) {
    s = compileSimple(tmpl) ?? null;
    if (simpleCache.size >= MAX_SIMPLE) simpleCache.clear();
    simpleCache.set(tmpl, s);
  }
  return s ?? undefined;
}

function renderGo(tmpl: string, params: Params | null | undefined, missingKey: MissingKey): string {
  // Text and field lookups that all resolve to strings: no interpreter needed (anything else falls through to it).
  const simple = simpleOf(tmpl);
  if (simple) {
    const out = runSimple(simple, params ?? null);
    if (out !== undefined) return out;
  }
  let parsed;
  try {
    parsed = goCache.parse(tmpl);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new GoRenderError(`failed to parse template ${tmpl}: ${msg}`, 'parse', msg);
  }
  try {
    return goCache.execute(parsed, params ?? null, missingKey);
  } catch (e) {
    if (!(e instanceof GoExecError) && !(e instanceof GoParseError) && !(e instanceof RangeError)) throw e;
    const msg = e instanceof RangeError ? `template: base: ${e.message}` : e.message;
    throw new GoRenderError(`failed to execute go template ${tmpl}: ${msg}`, 'execute', msg);
  }
}

/** Argo CD's Render.Replace: renders one string with fasttemplate or Go text/template. Throws TemplateError. */
export function renderString(template: string, params: Params, mode: TemplateMode): string {
  if (mode.goTemplate) {
    const mk = missingKeyOf(mode.goTemplateOptions);
    // A string without an action renders to itself; skip the cache lookup.
    if (!template.includes('{{')) return template;
    return renderGo(template, params, mk);
  }
  return renderFast(template, params);
}

type StringRenderer = (s: string) => string;

/** Deep-renders strings and map keys of a JSON value (null map entries are dropped, as Argo CD's deeplyReplace skips nil values). */
function deepRender(value: unknown, render: StringRenderer): unknown {
  if (typeof value === 'string') return render(value);
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      try {
        out[i] = deepRender(value[i], render);
      } catch (e) {
        throw at(e, i);
      }
    }
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    const src = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(src)) {
      const v = src[k];
      if (v === null || v === undefined) continue;
      try {
        const rendered = deepRender(v, render);
        if (k.includes('{{')) setEntry(out, render(k), rendered);
        else if (k === '__proto__') setEntry(out, k, rendered);
        else out[k] = rendered;
      } catch (e) {
        throw at(e, k);
      }
    }
    return out;
  }
  return value;
}

/** Records one step of where a template error happened (innermost first), so it can point at the failing field. */
function at(e: unknown, step: string | number): unknown {
  if (e instanceof TemplateError) e.fieldPath.unshift(step);
  return e;
}

function isEmptyParams(params: Params | null | undefined): boolean {
  if (!params) return true;
  for (const _ in params) return false;
  return true;
}

/** Renders one string against params: the work that does not depend on the params (mode, options, parsing) done once. */
type CompiledString = (params: Params) => string;

/** `renderString(template, ·, mode)` with what does not depend on the params worked out once. */
function compileString(template: string, mode: TemplateMode): CompiledString {
  if (!mode.goTemplate) {
    if (!TEMPLATED.test(template)) return () => template;
    return (params) => renderFast(template, params);
  }
  let mk: MissingKey;
  try {
    mk = missingKeyOf(mode.goTemplateOptions);
  } catch {
    // Bad options fail every string, as renderString does: with a new error each time (errors collect their path).
    return (params) => renderString(template, params, mode);
  }
  if (!template.includes('{{')) return () => template;
  const simple = simpleOf(template);
  if (!simple) return (params) => renderGo(template, params, mk);
  return (params) => runSimple(simple, params) ?? renderGo(template, params, mk);
}

/** A template value compiled for deep rendering: builds a fresh copy with every string (and templated key) rendered. */
type CompiledValue = (params: Params) => unknown;

/** One map entry of a compiled template: its key as written, how to render a templated key, and its value. */
interface CompiledEntry {
  readonly key: string;
  readonly renderKey: CompiledString | undefined;
  readonly value: CompiledValue;
}

/** deepRender compiled: the same output and errors (value before key, innermost step first), without walking the template per render. */
function compileValue(value: unknown, mode: TemplateMode): CompiledValue {
  if (typeof value === 'string') return compileString(value, mode);
  if (Array.isArray(value)) {
    const items = value.map((v) => compileValue(v, mode));
    return (params) => {
      const out = new Array<unknown>(items.length);
      for (let i = 0; i < items.length; i++) {
        try {
          out[i] = items[i]!(params);
        } catch (e) {
          throw at(e, i);
        }
      }
      return out;
    };
  }
  if (typeof value === 'object' && value !== null) {
    const src = value as Record<string, unknown>;
    const entries: CompiledEntry[] = [];
    for (const key of Object.keys(src)) {
      const v = src[key];
      if (v === null || v === undefined) continue;
      entries.push({ key, renderKey: key.includes('{{') ? compileString(key, mode) : undefined, value: compileValue(v, mode) });
    }
    return (params) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        try {
          const rendered = e.value(params);
          if (e.renderKey) setEntry(out, e.renderKey(params), rendered);
          else if (e.key === '__proto__') setEntry(out, e.key, rendered);
          else out[e.key] = rendered;
        } catch (err) {
          throw at(err, e.key);
        }
      }
      return out;
    };
  }
  return () => value;
}

/**
 * Argo CD's RenderTemplateParams compiled once for a template: the returned function renders it for one parameter
 * set as renderTemplateParams does (a fresh object each time; the template itself when the params are empty), without
 * walking the template again. The template must not change while the function is in use.
 */
export function compileTemplateParams(template: unknown, syncPolicy: unknown, mode: TemplateMode): (params: Params) => unknown {
  if (template === null || template === undefined) throw new TemplateError('application template is empty');
  const build = compileValue(template, mode);
  const preserve = typeof syncPolicy === 'object' && syncPolicy !== null && (syncPolicy as Record<string, unknown>).preserveResourcesOnDeletion === true;
  return (params) => {
    if (isEmptyParams(params)) return template;
    const out = build(params);
    if (preserve || typeof out !== 'object' || out === null || Array.isArray(out)) return out;
    const app = out as Record<string, unknown>;
    const meta = app.metadata;
    if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
      app.metadata = { finalizers: [FINALIZER] };
      return app;
    }
    // The rendered metadata is a fresh map: the finalizer goes in place (where `{ ...meta, finalizers }` puts it).
    const finalizers = (meta as Record<string, unknown>).finalizers;
    if (!Array.isArray(finalizers) || finalizers.length === 0) (meta as Record<string, unknown>).finalizers = [FINALIZER];
    return app;
  };
}

/** Argo CD's RenderTemplateParams: deep-renders an Application-shaped template (values and map keys) and adds the resources finalizer. */
export function renderTemplateParams(template: unknown, syncPolicy: unknown, params: Params, mode: TemplateMode): unknown {
  return compileTemplateParams(template, syncPolicy, mode)(params);
}

const GENERATOR_LISTS = new Set(['matrix', 'merge']);

/** Whether a Go execution error only says that the params lack a key (the entry is then left for the generator itself). */
function isMissingKeyError(e: unknown): boolean {
  return e instanceof GoRenderError && e.phase === 'execute' && /map has no entry for key|nil data; no entry for key/.test(e.goMessage);
}

function renderValues(values: Record<string, unknown>, params: Params, mode: TemplateMode, render: StringRenderer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v !== 'string') {
      out[k] = deepRender(v, render);
      continue;
    }
    if (!mode.goTemplate) {
      out[k] = renderFast(v, params);
      continue;
    }
    try {
      // Resolve only what the previous generator's params can answer; anything else stays for the generator's own params.
      out[k] = v.includes('{{') ? renderGo(v, params, 'error') : v;
    } catch (e) {
      if (isMissingKeyError(e)) {
        out[k] = v;
        continue;
      }
      const msg = e instanceof Error ? e.message : String(e);
      throw new TemplateError(`failed to pre-resolve Values key ${JSON.stringify(k)}: ${msg}`);
    }
  }
  return out;
}

function interpolateSpec(gen: Record<string, unknown>, params: Params, mode: TemplateMode, render: StringRenderer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [type, spec] of Object.entries(gen)) {
    if (spec === null || spec === undefined) continue;
    if (typeof spec !== 'object' || Array.isArray(spec) || type === 'selector') {
      out[type] = deepRender(spec, render);
      continue;
    }
    const body: Record<string, unknown> = {};
    let values: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(spec as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      if (k === 'values' && typeof v === 'object' && !Array.isArray(v)) {
        values = v as Record<string, unknown>;
        body[k] = v;
      } else if (k === 'generators' && GENERATOR_LISTS.has(type) && Array.isArray(v)) {
        body[k] = v.map((child) => (typeof child === 'object' && child !== null && !Array.isArray(child) ? interpolateSpec(child as Record<string, unknown>, params, mode, render) : deepRender(child, render)));
      } else {
        body[k.includes('{{') ? render(k) : k] = deepRender(v, render);
      }
    }
    if (values) body.values = renderValues(values, params, mode, render);
    out[type] = body;
  }
  return out;
}

/** Argo CD's InterpolateGenerator: renders a child generator spec with a previous generator's params; `values` entries resolve only when the params answer them. */
export function interpolateGenerator(generator: unknown, params: Params, mode: TemplateMode): unknown {
  if (generator === null || generator === undefined) throw new TemplateError('generator is empty');
  if (isEmptyParams(params)) return generator;
  const render = (s: string): string => renderString(s, params, mode);
  try {
    if (typeof generator !== 'object' || Array.isArray(generator)) return deepRender(generator, render);
    return interpolateSpec(generator as Record<string, unknown>, params, mode, render);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new TemplateError(`failed to replace parameters in generator: ${msg}`);
  }
}

/** Argo CD's appendTemplatedValues: adds `values.<k>` (flat) or `values: {...}` (goTemplate), each rendered against the params as they were before. */
export function appendTemplatedValues(values: Readonly<Record<string, string>> | undefined, params: Params, mode: TemplateMode): Params {
  if (!values) return params;
  const out: Params = { ...params };
  const rendered: Record<string, string> = {};
  let any = false;
  for (const [k, v] of Object.entries(values)) {
    let result: string;
    try {
      result = renderString(v, params, mode);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new TemplateError(`failed to replace templated string: failed to replace templated string with rendered values: ${msg}`);
    }
    any = true;
    if (mode.goTemplate) rendered[k] = result;
    else out[`values.${k}`] = result;
  }
  if (mode.goTemplate && any) out.values = rendered;
  return out;
}
