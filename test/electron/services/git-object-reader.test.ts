import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveNumbered } from '../../../electron/services/flag-wait';
import { GitObjectReader } from '../../../electron/services/git-object-reader';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';

// A scripted stand-in for the reader's worker, speaking its protocol (a request { seq }; a reply { seq, value } posted,
// then the flag set to seq and notified), with the interleavings a loaded machine can produce made certain.
const SCRIPTED = `
const { workerData } = require('node:worker_threads');
const { port, buffer, script } = workerData;
const flag = new Int32Array(buffer);
const nap = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms) => Atomics.wait(nap, 0, 0, ms);
const reply = (seq, value) => { port.postMessage({ seq, value }); Atomics.store(flag, 0, seq); Atomics.notify(flag, 0); };
let held;
port.on('message', ({ seq }) => {
  if (script === 'stray-notify') {
    if (seq === 1) { reply(1, 'one'); return; }
    // Request 1's notify, delayed on this thread until the caller waits for reply 2: wake that wait (spin until it is
    // asleep, so the wake-up surely lands in it), and answer 2 only 100 ms later.
    while (Atomics.notify(flag, 0) === 0) {}
    sleep(100);
    reply(2, 'two');
  } else if (script === 'late-reply') {
    // Request 1 is answered only once request 2 arrives (its caller gave up before): reply 1, then reply 2 50 ms later.
    if (seq === 1) { held = seq; return; }
    reply(held, 'one');
    sleep(50);
    reply(2, 'two');
  }
});
`;

function scripted(script: 'stray-notify' | 'late-reply'): { port: MessagePort; flag: Int32Array; stop: () => Promise<number> } {
  const { port1, port2 } = new MessageChannel();
  const buffer = new SharedArrayBuffer(4);
  const worker = new Worker(SCRIPTED, { eval: true, workerData: { port: port2, buffer, script }, transferList: [port2] });
  return { port: port1, flag: new Int32Array(buffer), stop: () => (port1.close(), worker.terminate()) };
}

/** Waits until the worker has its message listener (a request posted before it is queued, but a start takes ~30 ms). */
function settle(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('the reader waits for the reply numbered as its request', () => {
  it('a notify left over from the previous request does not end the wait for this one', async () => {
    const w = scripted('stray-notify');
    try {
      settle(50);
      w.port.postMessage({ seq: 1 });
      expect(receiveNumbered<{ seq: number; value: string }>(w.port, w.flag, 1, 5_000)?.value).toBe('one');
      w.port.postMessage({ seq: 2 });
      expect(receiveNumbered<{ seq: number; value: string }>(w.port, w.flag, 2, 5_000)?.value).toBe('two');
    } finally {
      await w.stop();
    }
  });

  it('a reply posted after its caller gave up is dropped, not taken for the next request', async () => {
    const w = scripted('late-reply');
    try {
      settle(50);
      w.port.postMessage({ seq: 1 });
      expect(receiveNumbered(w.port, w.flag, 1, 50)).toBeUndefined();
      w.port.postMessage({ seq: 2 });
      expect(receiveNumbered<{ seq: number; value: string }>(w.port, w.flag, 2, 5_000)?.value).toBe('two');
    } finally {
      await w.stop();
    }
  });
});

describe('GitObjectReader', () => {
  let repo: { dir: string; cleanup: () => void };
  const shas: string[] = [];
  beforeAll(() => {
    repo = tempDir();
    git(repo.dir, 'init', '-q');
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`f${i}.txt`] = `file ${i}\n`;
    writeFiles(repo.dir, files);
    commitAll(repo.dir, 'forty files');
    for (let i = 0; i < 40; i++) shas.push(git(repo.dir, 'rev-parse', `HEAD:f${i}.txt`).trim());
  });
  afterAll(() => repo.cleanup());

  it('answers many requests in a row, each with its own objects, and a missing object as missing', () => {
    const reader = new GitObjectReader(repo.dir);
    try {
      const text = (r: ReturnType<GitObjectReader['read']>[number]): string => (r.kind === 'object' ? Buffer.from(r.data).toString('utf8') : r.kind);
      for (let round = 0; round < 200; round++) {
        const i = round % 40;
        const j = (round * 7) % 40;
        expect(reader.read([shas[i]!, shas[j]!]).map(text)).toEqual([`file ${i}\n`, `file ${j}\n`]);
      }
      expect(reader.read(['0'.repeat(40)])).toEqual([{ kind: 'missing' }]);
      expect(text(reader.read([shas[3]!])[0]!)).toBe('file 3\n');
    } finally {
      reader.close();
    }
  });
});
