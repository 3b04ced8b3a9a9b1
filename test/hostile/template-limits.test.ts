import { describe, expect, it } from 'vitest';
import { renderString } from '../../shared/appset/template';
import type { TemplateMode } from '../../shared/appset/template';

const GO: TemplateMode = { goTemplate: true };

function attempt(t: string): { message: string; ms: number } {
  const started = Date.now();
  try {
    renderString(t, { a: 1 }, GO);
    return { message: '', ms: Date.now() - started };
  } catch (e) {
    return { message: (e as Error).message, ms: Date.now() - started };
  }
}

describe('goTemplate cost limits stop a hostile template fast, naming the limit', () => {
  it('range until 50000000 stops at once instead of building fifty million numbers', () => {
    const heap = process.memoryUsage().heapUsed;
    const r = attempt('{{range until 50000000}}x{{end}}');
    expect(r.ms).toBeLessThan(2_000);
    expect(r.message).toContain('until: would build a list of 50000000 elements, more than the limit of 1000000 (TEMPLATE_LIMITS.maxListLength)');
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(256 * 1024 * 1024);
  });

  it('untilStep and seq obey the same list limit', () => {
    expect(attempt('{{untilStep 0 100000000 1}}').message).toContain('TEMPLATE_LIMITS.maxListLength');
    expect(attempt('{{seq 1 100000000}}').message).toContain('TEMPLATE_LIMITS.maxListLength');
  });

  it('output is bounded while it is written, not after', () => {
    const r = attempt('{{range until 1000000}}{{range until 100}}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{{end}}{{end}}');
    expect(r.ms).toBeLessThan(10_000);
    expect(r.message).toMatch(/output larger than 16777216 characters \(TEMPLATE_LIMITS\.maxOutputBytes\)|TEMPLATE_LIMITS\.maxRangeIterations/);
  });

  it('repeat refuses to build a string beyond the limit', () => {
    const r = attempt('{{repeat 1000000000 "abc"}}');
    expect(r.ms).toBeLessThan(1_000);
    expect(r.message).toContain('repeat: would build a string of 3000000000 characters, more than the limit of 16777216 (TEMPLATE_LIMITS.maxOutputBytes)');
  });

  it('printf widths beyond Go’s own cap print %!(BADWIDTH) instead of padding to gigabytes', () => {
    const started = Date.now();
    expect(renderString('{{printf "%1000000000d" 1}}', {}, GO)).toBe('%!(NOVERB)%!(EXTRA int=1)');
    expect(renderString('{{printf "%*d" 1000000000 1}}', {}, GO)).toBe('%!(BADWIDTH)1');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('templates of ordinary size are unaffected', () => {
    expect(renderString('{{range until 3}}{{.}}{{end}}-{{repeat 3 "ab"}}-{{printf "%5d" 7}}', {}, GO)).toBe('012-ababab-    7');
  });
});
