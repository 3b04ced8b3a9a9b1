import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256, sha256Hex } from '../../../electron/store/canonical-json';

describe('canonical JSON: digests', () => {
  it('sha256 gives the digest bytes and sha256Hex their hex, as node:crypto does', () => {
    for (const text of ['', 'a', '{"kind":"ConfigMap"}', 'naïve × ünïcode ✓']) {
      const expected = createHash('sha256').update(text, 'utf8').digest();
      expect(sha256(text).equals(expected)).toBe(true);
      expect(sha256Hex(text)).toBe(expected.toString('hex'));
    }
  });
});
