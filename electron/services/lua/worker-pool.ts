import { createRequire } from 'node:module';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { LuaWorkerRequest, LuaWorkerResponse, LuaWorkerSettings } from './worker-main';
import { luaWorkerSource } from './worker-main';
import { blockWhile, waitWhile } from '../flag-wait';

/** Hard caps of a health-check worker thread (V8's own limits; the worker is ended when it passes them). */
export const LUA_WORKER_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16, codeRangeSizeMb: 16, stackSizeMb: 4 } as const;

/** How long a freshly started worker may take to pick up its first check (startup on a loaded machine). */
const START_TIMEOUT_MS = 20_000;

/** The outcome of one check in a worker: an answer, or why there is none. */
export type LuaCallOutcome =
  | { readonly kind: 'answer'; readonly result: LuaWorkerResponse['result']; readonly spent: boolean }
  | { readonly kind: 'deadline'; readonly elapsedMs: number }
  | { readonly kind: 'lost'; readonly reason: string };

let fengariPath: string | undefined;

function resolveFengari(): string {
  if (fengariPath === undefined) {
    // The CLI bundle is CommonJS (__filename); tests and benchmarks run as ES modules from the checkout.
    const from = typeof __filename === 'string' ? __filename : path.join(process.cwd(), 'package.json');
    fengariPath = createRequire(from).resolve('fengari');
  }
  return fengariPath;
}

/**
 * One health-check worker thread, called synchronously: the caller posts a check and blocks on a shared flag
 * (Atomics.wait) until the answer or the hard deadline, when the worker is terminated. It never holds the process open.
 */
export class LuaWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly state: Int32Array;
  private configured = false;
  private dead = false;

  constructor() {
    const shared = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    this.state = new Int32Array(shared);
    this.port = port1;
    this.worker = new Worker(luaWorkerSource(), {
      eval: true,
      workerData: { fengari: resolveFengari(), port: port2, state: shared },
      transferList: [port2],
      resourceLimits: LUA_WORKER_RESOURCE_LIMITS,
      stdout: true,
      stderr: true,
    });
    this.worker.on('error', () => {
      this.dead = true;
    });
    this.worker.on('exit', () => {
      this.dead = true;
    });
    this.worker.unref();
    this.port.unref();
  }

  /** Whether the worker can take checks (not terminated, not out of memory, not spent by a JavaScript error). */
  get usable(): boolean {
    return !this.dead;
  }

  /** Sends the worker its settings (once). */
  configure(settings: LuaWorkerSettings): void {
    if (this.configured) throw new Error('a Lua health worker is configured once');
    this.configured = true;
    this.port.postMessage({ configure: settings } satisfies LuaWorkerRequest);
  }

  /** Runs one check; blocks the calling thread (tests and offline tools; `serve` and the CLI use callAsync) until the answer, or until `deadlineMs` after the worker started it (then terminates it). */
  call(run: Extract<LuaWorkerRequest, { run: unknown }>['run'], deadlineMs: number): LuaCallOutcome {
    if (this.dead) return { kind: 'lost', reason: 'the worker has stopped' };
    Atomics.store(this.state, 0, 0);
    this.port.postMessage({ run } satisfies LuaWorkerRequest);
    blockWhile(this.state, 0, START_TIMEOUT_MS);
    if (Atomics.load(this.state, 0) === 0) {
      this.terminate();
      return { kind: 'lost', reason: `the worker did not start the check within ${START_TIMEOUT_MS} ms` };
    }
    const started = Date.now();
    blockWhile(this.state, 1, deadlineMs);
    return this.outcome(started);
  }

  /**
   * Runs one check without blocking the calling thread: awaits the worker's start and answer (Atomics.waitAsync on the
   * same shared flag) and terminates the worker `deadlineMs` after it started the check. One call at a time per worker.
   */
  async callAsync(run: Extract<LuaWorkerRequest, { run: unknown }>['run'], deadlineMs: number): Promise<LuaCallOutcome> {
    if (this.dead) return { kind: 'lost', reason: 'the worker has stopped' };
    Atomics.store(this.state, 0, 0);
    this.port.postMessage({ run } satisfies LuaWorkerRequest);
    // A pending Atomics.waitAsync does not keep Node's event loop alive: a timer does, for as long as the check runs.
    const keepAlive = setInterval(() => undefined, 60_000);
    try {
      await waitWhile(this.state, 0, START_TIMEOUT_MS);
      if (Atomics.load(this.state, 0) === 0) {
        this.terminate();
        return { kind: 'lost', reason: `the worker did not start the check within ${START_TIMEOUT_MS} ms` };
      }
      const started = Date.now();
      await waitWhile(this.state, 1, deadlineMs);
      return this.outcome(started);
    } finally {
      clearInterval(keepAlive);
    }
  }

  private outcome(started: number): LuaCallOutcome {
    const state = Atomics.load(this.state, 0);
    if (state === 1) {
      this.terminate();
      return { kind: 'deadline', elapsedMs: Date.now() - started };
    }
    const message = receiveMessageOnPort(this.port);
    if (!message) {
      this.terminate();
      return { kind: 'lost', reason: 'the worker ended without an answer' };
    }
    const spent = state === 3;
    if (spent) this.terminate();
    return { kind: 'answer', result: (message.message as LuaWorkerResponse).result, spent };
  }

  /** Ends the worker thread (asynchronously; the caller does not wait). */
  terminate(): void {
    this.dead = true;
    void this.worker.terminate();
  }
}

/** Started workers not yet configured, so a check after a terminated worker does not wait for a cold start. */
const warm: LuaWorker[] = [];

/** A fresh worker: a warm one when there is one (and a replacement is started), else a new one. */
export function takeLuaWorker(): LuaWorker {
  let w: LuaWorker | undefined;
  while ((w = warm.shift()) && !w.usable) { /* skip workers that died while waiting */ }
  const out = w ?? new LuaWorker();
  warm.push(new LuaWorker());
  return out;
}
