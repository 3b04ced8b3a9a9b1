// Runs the template-side cases of the ApplicationSet conformance corpus (template, interpolate_generator, values_interpolation, helper).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendTemplatedValues, interpolateGenerator, renderString, renderTemplateParams, sanitizeName, slugify } from '../../../shared/appset/template';
import type { TemplateMode } from '../../../shared/appset/template';
import type { Params } from '../../../shared/model/params';
import { conformanceDir } from '../../helpers/paths';

const dir = conformanceDir('applicationset');
const KINDS = ['template', 'interpolate_generator', 'values_interpolation', 'helper'] as const;
type Kind = (typeof KINDS)[number];

type Case = Record<string, unknown> & { readonly kind: string; readonly name: string };

function loadCases(): Case[] {
  if (!dir) return [];
  return (JSON.parse(readFileSync(path.join(dir, 'cases.json'), 'utf8')) as Case[]).filter((c) => (KINDS as readonly string[]).includes(c.kind));
}

function modeOf(c: Case): TemplateMode {
  const opts = c.go_template_options;
  return { goTemplate: c.go_template === true, goTemplateOptions: Array.isArray(opts) ? (opts as string[]) : undefined };
}

/** Structural equality where object key order does not matter. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** Multiset equality of two lists. */
function elementsMatch(actual: unknown, expected: unknown[]): boolean {
  if (!Array.isArray(actual)) return expected.length === 0 && (actual === undefined || actual === null);
  if (actual.length !== expected.length) return false;
  const rest = [...actual];
  for (const e of expected) {
    const i = rest.findIndex((a) => same(a, e));
    if (i < 0) return false;
    rest.splice(i, 1);
  }
  return true;
}

/** Resolves a dotted path; a key that itself contains dots is matched whole (longest key first). */
function at(value: unknown, dotted: string): unknown {
  const walk = (v: unknown, segs: string[]): unknown => {
    if (segs.length === 0) return v;
    if (Array.isArray(v) && /^\d+$/.test(segs[0]!)) return walk(v[Number(segs[0])], segs.slice(1));
    if (!v || typeof v !== 'object') return undefined;
    for (let j = segs.length; j >= 1; j--) {
      const key = segs.slice(0, j).join('.');
      if (Object.prototype.hasOwnProperty.call(v, key)) return walk((v as Record<string, unknown>)[key], segs.slice(j));
    }
    return undefined;
  };
  return walk(value, dotted.split('.'));
}

function setAt(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const segs = dotted.split('.');
  let cur = obj;
  for (const s of segs.slice(0, -1)) {
    if (typeof cur[s] !== 'object' || cur[s] === null) cur[s] = {};
    cur = cur[s] as Record<string, unknown>;
  }
  cur[segs[segs.length - 1]!] = value;
}

/** Checks expected_fields: equality by default, `contains` for maps, `elements_match` for lists; an expected [] also matches an absent list (Go nil). */
function checkFields(actual: unknown, fields: Record<string, unknown>, match: unknown): string | undefined {
  for (const [p, want] of Object.entries(fields)) {
    const got = at(actual, p);
    let ok: boolean;
    if (match === 'contains' && want && typeof want === 'object' && !Array.isArray(want)) {
      ok = !!got && typeof got === 'object' && Object.entries(want).every(([k, v]) => same((got as Record<string, unknown>)[k], v));
    } else if (Array.isArray(want) && (match === 'elements_match' || want.length === 0)) {
      ok = want.length === 0 ? got === undefined || got === null || (Array.isArray(got) && got.length === 0) : elementsMatch(got, want);
    } else {
      ok = same(got, want);
    }
    if (!ok) return `${p}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
  }
  return undefined;
}

/** Runs `fn`; compares its error with expected_error/error_match, or returns the result for further checks. */
function outcome(c: Case, fn: () => unknown): { readonly failure?: string; readonly value?: unknown; readonly errored: boolean } {
  const wantErr = c.error_match !== null && c.error_match !== undefined;
  try {
    const value = fn();
    if (wantErr) return { failure: `expected an error (${String(c.expected_error)}), got ${JSON.stringify(value)}`, errored: false };
    return { value, errored: false };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (!wantErr) return { failure: `unexpected error: ${msg}`, errored: true };
    const want = String(c.expected_error ?? '');
    if (c.error_match === 'exact' && msg !== want) return { failure: `error text differs:\n      want: ${want}\n      got:  ${msg}`, errored: true };
    if (c.error_match === 'contains' && !msg.includes(want)) return { failure: `error lacks "${want}": ${msg}`, errored: true };
    return { errored: true };
  }
}

function runTemplate(c: Case): string | undefined {
  const mode = modeOf(c);
  const params = (c.params ?? {}) as Params;
  switch (c.template_kind) {
    case 'string': {
      const r = outcome(c, () => renderString(c.template as string, params, mode));
      return r.failure ?? (r.errored || same(r.value, c.expected) ? undefined : `expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(r.value)}`);
    }
    case 'string_field': {
      const app = c.application as Record<string, unknown>;
      for (const field of c.fields as string[]) {
        const input = structuredClone(app);
        setAt(input, field, c.template);
        const r = outcome(c, () => renderTemplateParams(input, null, params, mode));
        if (r.failure) return `${field}: ${r.failure}`;
        if (r.errored) continue;
        const got = at(r.value, field);
        if (got !== c.expected) return `${field}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(got)}`;
        const meta = at(r.value, 'metadata') as Record<string, unknown>;
        const wantMeta = app.metadata as Record<string, unknown>;
        for (const k of ['name', 'namespace', 'labels', 'annotations']) {
          if (!same(meta[k], wantMeta[k])) return `metadata.${k} changed: ${JSON.stringify(meta[k])}`;
        }
      }
      return undefined;
    }
    case 'application': {
      const r = outcome(c, () => renderTemplateParams(structuredClone(c.template), c.sync_policy ?? null, params, mode));
      if (r.failure || r.errored) return r.failure;
      return checkFields(r.value, c.expected_fields as Record<string, unknown>, c.expected_fields_match);
    }
  }
  return `unknown template_kind ${String(c.template_kind)}`;
}

function runInterpolate(c: Case): string | undefined {
  const r = outcome(c, () => interpolateGenerator(c.generator === null ? null : structuredClone(c.generator), (c.params ?? {}) as Params, modeOf(c)));
  if (r.failure || r.errored) return r.failure;
  if (c.expected_fields) return checkFields(r.value, c.expected_fields as Record<string, unknown>, c.expected_fields_match);
  if (c.expected_generator !== null && c.expected_generator !== undefined) {
    return same(r.value, c.expected_generator) ? undefined : `expected generator ${JSON.stringify(c.expected_generator)}, got ${JSON.stringify(r.value)}`;
  }
  return 'case states no expectation';
}

function runValues(c: Case): string | undefined {
  const params = structuredClone((c.params ?? {}) as Params);
  const r = outcome(c, () => appendTemplatedValues(c.values as Record<string, string>, params, modeOf(c)));
  if (r.failure || r.errored) return r.failure;
  return same(r.value, c.expected_params) ? undefined : `expected ${JSON.stringify(c.expected_params)}, got ${JSON.stringify(r.value)}`;
}

function runHelper(c: Case): string | undefined {
  const input = c.input as Record<string, unknown>;
  let got: string;
  if (c.helper === 'SanitizeName') got = sanitizeName(input.name as string);
  else if (c.helper === 'SlugifyName') got = slugify(input.name as string, input.maxSize as number, input.enableSmartTruncate as boolean);
  else return `unknown helper ${String(c.helper)}`;
  return got === c.expected ? undefined : `expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(got)}`;
}

const RUNNERS: Record<Kind, (c: Case) => string | undefined> = {
  template: runTemplate,
  interpolate_generator: runInterpolate,
  values_interpolation: runValues,
  helper: runHelper,
};

describe.skipIf(!dir)('ApplicationSet template conformance corpus', () => {
  const cases = loadCases();

  for (const kind of KINDS) {
    it(`passes at least 95% of the ${kind} cases`, () => {
      const mine = cases.filter((c) => c.kind === kind);
      expect(mine.length).toBeGreaterThan(0);
      const failures: string[] = [];
      for (const c of mine) {
        let reason: string | undefined;
        try {
          reason = RUNNERS[kind](c);
        } catch (e) {
          reason = `harness error: ${e instanceof Error ? e.stack : String(e)}`;
        }
        if (reason) failures.push(`  ✗ ${c.name}: ${reason}`);
      }
      const passed = mine.length - failures.length;
      console.log(`conformance ${kind} - ${passed} passed, ${failures.length} failed${failures.length ? '\n' + failures.join('\n') : ''}`);
      expect(passed / mine.length).toBeGreaterThanOrEqual(0.95);
    });
  }
});
