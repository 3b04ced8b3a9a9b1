import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../../electron/cli/output';
import { writeJson } from '../../../electron/cli/output';

/** Everything writeJson writes, and how many writes it took. */
function written(data: unknown): { text: string; writes: number } {
  let text = '';
  let writes = 0;
  const io: CliIO = {
    out: (t) => {
      text += t;
      writes++;
    },
    err: () => undefined,
  };
  writeJson(io, data);
  return { text, writes };
}

describe('writeJson', () => {
  it('writes what JSON.stringify(data, null, 2) gives, byte for byte, for lists and other values', () => {
    const samples: unknown[] = [
      [],
      [{}],
      [[]],
      [1, 'two', null, true],
      [undefined, () => 1, Symbol('s')],
      [{ a: { b: [1, { c: 'x\ny "q" \\ \u2028' }], d: [] }, e: {} }, [['nested'], []], 'last'],
      [new Date(0), { toJSON: (key: string) => `key=${key}` }],
      { not: ['a', 'list'] },
      'text',
      null,
    ];
    for (const data of samples) expect(written(data).text).toBe(JSON.stringify(data, null, 2) + '\n');
  });

  it('streams a long list in chunks instead of one string', () => {
    const apps = Array.from({ length: 3000 }, (_, i) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: `app-${i}`, labels: { n: String(i) } }, spec: { destination: { namespace: `ns-${i}` } } }));
    const { text, writes } = written(apps);
    expect(text).toBe(JSON.stringify(apps, null, 2) + '\n');
    expect(writes).toBeGreaterThan(5);
  });
});
