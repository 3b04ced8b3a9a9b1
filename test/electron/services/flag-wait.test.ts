import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { blockWhile, waitWhile } from '../../../electron/services/flag-wait';

// The other thread: after 50 ms it notifies without changing the flag (a late notify meant for an earlier state), and
// only 150 ms later sets the flag to 2 and notifies again.
const LATE_NOTIFY = `
const { workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData);
const nap = new Int32Array(new SharedArrayBuffer(4));
Atomics.wait(nap, 0, 0, 50);
Atomics.notify(flag, 0);
Atomics.wait(nap, 0, 0, 150);
Atomics.store(flag, 0, 2);
Atomics.notify(flag, 0);
`;

function lateNotifier(): { flag: Int32Array; worker: Worker } {
  const buffer = new SharedArrayBuffer(4);
  const flag = new Int32Array(buffer);
  Atomics.store(flag, 0, 1);
  return { flag, worker: new Worker(LATE_NOTIFY, { eval: true, workerData: buffer }) };
}

describe('waiting on a shared flag', () => {
  it('a notify that leaves the flag unchanged does not end the blocking wait', async () => {
    const { flag, worker } = lateNotifier();
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    const t = Date.now();
    blockWhile(flag, 1, 5_000);
    expect(Atomics.load(flag, 0)).toBe(2);
    expect(Date.now() - t).toBeGreaterThanOrEqual(150);
    await exited;
  });

  it('a notify that leaves the flag unchanged does not end the asynchronous wait', async () => {
    const { flag, worker } = lateNotifier();
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    await waitWhile(flag, 1, 5_000);
    expect(Atomics.load(flag, 0)).toBe(2);
    await exited;
  });

  it('gives up after the deadline with the flag unchanged', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const t = Date.now();
    blockWhile(flag, 0, 60);
    await waitWhile(flag, 0, 60);
    expect(Atomics.load(flag, 0)).toBe(0);
    expect(Date.now() - t).toBeGreaterThanOrEqual(110);
  });
});
