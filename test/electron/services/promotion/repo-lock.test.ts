import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withRepoLock } from '../../../../electron/services/promotion/repo-lock';
import { tempDir } from '../../../helpers/git-fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function lockFile(): string {
  const t = tempDir('flotilla-lock-');
  cleanups.push(t.cleanup);
  return path.join(t.dir, 'flotilla-promotion.lock');
}

describe('the promotion lock', () => {
  it('runs callers one at a time and removes the lock file afterwards', async () => {
    const file = lockFile();
    const order: string[] = [];
    const job = (name: string) => async (): Promise<void> => {
      order.push(`${name} start`);
      expect(existsSync(file)).toBe(true);
      await new Promise((r) => setTimeout(r, 30));
      order.push(`${name} end`);
    };
    await Promise.all([withRepoLock(file, job('a')), withRepoLock(file, job('b')), withRepoLock(file, job('c'))]);
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect(existsSync(file)).toBe(false);
  });

  it('waits for another live process holding the lock, then gives up naming it', async () => {
    const file = lockFile();
    writeFileSync(file, `${process.ppid}\n`);
    await expect(withRepoLock(file, async () => 'ran', { timeoutMs: 300 })).rejects.toThrow(`another promotion of this repository is running (process ${process.ppid}); try again when it has finished`);
    expect(existsSync(file)).toBe(true);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const file = lockFile();
    writeFileSync(file, '2147483646\n');
    expect(await withRepoLock(file, async () => 'ran', { timeoutMs: 300 })).toBe('ran');
    expect(existsSync(file)).toBe(false);
  });

  it('releases the lock when the job fails', async () => {
    const file = lockFile();
    await expect(withRepoLock(file, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(file)).toBe(false);
    expect(await withRepoLock(file, async () => 'next')).toBe('next');
  });
});
