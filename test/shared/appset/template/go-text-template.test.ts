// Go text/template + Sprig behaviour, checked against outputs recorded from Go itself (see the fixture's `about`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TemplateError, renderString } from '../../../../shared/appset/template';
import type { Params } from '../../../../shared/model/params';

interface GoCase {
  readonly template: string;
  readonly options?: readonly string[];
  readonly output?: string;
  readonly error?: string;
}

const fixture = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'go-text-template.json'), 'utf8')) as {
  readonly data: Params;
  readonly cases: readonly GoCase[];
};

function render(c: GoCase): string {
  return renderString(c.template, structuredClone(fixture.data), { goTemplate: true, goTemplateOptions: c.options ?? [] });
}

describe('Go text/template with Sprig renders as Go does', () => {
  const outputs = fixture.cases.filter((c) => c.output !== undefined);
  const errors = fixture.cases.filter((c) => c.error !== undefined);

  it('has a broad recorded table', () => {
    expect(outputs.length).toBeGreaterThan(140);
    expect(errors.length).toBeGreaterThan(70);
  });

  it.each(outputs.map((c) => [c.template, c] as const))('%s', (_t, c) => {
    expect(render(c)).toBe(c.output);
  });

  it.each(errors.map((c) => [c.template, c] as const))('fails like Go: %s', (_t, c) => {
    const phase = c.error!.includes('executing "') ? 'failed to execute go template' : 'failed to parse template';
    let err: unknown;
    try {
      render(c);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TemplateError);
    expect((err as Error).message).toBe(`${phase} ${c.template}: ${c.error}`);
  });
});
