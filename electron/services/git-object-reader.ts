import { spawn as spawnProcess } from 'node:child_process';
import { runInThisContext } from 'node:vm';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { receiveNumbered } from './flag-wait';

/** One reply of `git cat-file --batch`: an object, or why there is none. */
export type GitObjectReply =
  | { readonly kind: 'object'; readonly type: string; readonly data: Uint8Array }
  | { readonly kind: 'missing' }
  | { readonly kind: 'error'; readonly message: string };

// Why a worker thread: the engine reads files through the synchronous FileTree interface, and blobs should be read
// only when a render asks for them, through one long-lived `git cat-file --batch` process (a process per file costs
// ~3 ms; reading every blob up front costs the whole repository's size in time and memory). Node cannot read a child's
// pipe synchronously, so a worker thread owns the git process with ordinary async pipes; the calling thread posts a
// numbered request and blocks on Atomics.wait until the worker signals, then takes the reply with its number. This is
// portable (no FIFOs), costs one worker start (~30 ms CPU) per repository, and ~0.1 ms per round trip, so callers
// batch (GitTree asks for a folder's files at once).
//
// The server side is one function expression, run in the reader's own worker thread, or (hostGitObjects) in a thread
// whose event loop is free, for readers in other threads: `render --all`'s main thread serves its render workers, which
// then need no second thread each.
const SERVER_SOURCE = String.raw`(function serveGitObjects(port, flag, cwd, spawn) {
const ctl = new Int32Array(flag);
let git;
let stderr = '';
let chunks = [];
let len = 0;
let job;
/** The number of the request being answered. */
let seq = 0;
// Each reply carries its request's number, and the flag is set to that number after the reply is posted (the caller's
// receiveNumbered waits for its own number; see flag-wait.ts).
function reply(message, transfer) {
  message.seq = seq;
  port.postMessage(message, transfer);
  Atomics.store(ctl, 0, message.seq);
  Atomics.notify(ctl, 0);
}
function start() {
  stderr = '';
  chunks = [];
  len = 0;
  git = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const self = git;
  git.stdout.on('data', (d) => { if (git !== self) return; chunks.push(d); len += d.length; drain(); });
  git.stderr.setEncoding('utf8').on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  git.stdin.on('error', () => {});
  const fail = (why) => {
    if (git !== self) return;
    git = undefined;
    if (job) { job = undefined; reply({ error: stderr.split('\n').map((l) => l.trim()).filter(Boolean).join(' ') || why }); }
  };
  git.on('error', (e) => fail('git could not run: ' + e.message));
  git.on('close', (code, signal) => fail('git cat-file exited (' + (signal || code) + ')'));
}
function stop() { const g = git; git = undefined; try { g.kill(); } catch {} }
function bytes() { return chunks.length === 1 ? chunks[0] : (chunks = [Buffer.concat(chunks, len)])[0]; }
function consume(n) { const b = bytes(); const rest = b.subarray(n); chunks = rest.length ? [rest] : []; len = rest.length; }
function drain() {
  while (job && len > 0) {
    // A large object arrives in many chunks: join them once it is all here, not on every chunk (that copies the
    // object once per chunk, quadratic in its size: minutes for a 50 MB blob).
    if (job.size >= 0 && len < job.size + 1) return;
    const b = bytes();
    if (job.size < 0) {
      const nl = b.indexOf(10);
      if (nl < 0) return;
      const header = b.subarray(0, nl).toString('utf8');
      const sha = job.shas[job.out.length];
      const parts = header.split(' ');
      if (parts.length === 2 && parts[1] === 'missing' && parts[0] === sha) { consume(nl + 1); job.out.push({ kind: 'missing' }); }
      else if (parts.length === 3 && parts[0] === sha && /^[0-9]+$/.test(parts[2])) { consume(nl + 1); job.type = parts[1]; job.size = Number(parts[2]); }
      else { job = undefined; stop(); reply({ error: 'unexpected reply from git cat-file for ' + sha + ': ' + JSON.stringify(header.slice(0, 200)) }); return; }
    } else {
      if (len < job.size + 1) return;
      const data = new Uint8Array(job.size);
      data.set(b.subarray(0, job.size));
      if (b[job.size] !== 10) { job = undefined; stop(); reply({ error: 'unexpected reply from git cat-file: an object not followed by a newline' }); return; }
      consume(job.size + 1);
      job.out.push({ kind: 'object', type: job.type, data });
      job.transfer.push(data.buffer);
      job.size = -1;
    }
    if (job.out.length === job.shas.length) { const j = job; job = undefined; reply({ replies: j.out }, j.transfer); }
  }
}
// git starts with the worker: a reader warmed before a tree listing has it ready by the first read.
start();
port.on('message', (request) => {
  if (!git) start();
  seq = request.seq;
  const shas = request.shas;
  job = { shas, out: [], transfer: [], size: -1, type: '' };
  if (shas.length === 0) { job = undefined; reply({ replies: [] }); return; }
  git.stdin.write(shas.join('\n') + '\n');
});
return { close() { port.close(); if (git) stop(); } };
})`;

const WORKER_SOURCE = `const { workerData } = require('node:worker_threads');
${SERVER_SOURCE}(workerData.port, workerData.flag, workerData.cwd, require('node:child_process').spawn);`;

/** What a GitObjectReader in another thread needs to read through a served git process (hostGitObjects). */
export interface GitObjectLink {
  readonly port: MessagePort;
  readonly flag: SharedArrayBuffer;
}

/**
 * Serves git objects of the repository at `cwd` from this thread, through one `git cat-file --batch`, to one
 * GitObjectReader in another thread (transfer `link.port` to it). This thread's event loop must stay free (it answers
 * between its other work); `close()` stops the git process.
 */
export function hostGitObjects(cwd: string): { readonly link: GitObjectLink; close(): void } {
  const { port1, port2 } = new MessageChannel();
  const flag = new SharedArrayBuffer(4);
  const serve = runInThisContext(SERVER_SOURCE, { filename: 'git-object-server' }) as (port: MessagePort, flag: SharedArrayBuffer, cwd: string, spawn: typeof spawnProcess) => { close(): void };
  const server = serve(port1, flag, cwd, spawnProcess);
  return { link: { port: port2, flag }, close: () => server.close() };
}

/** How long one request may take before the reader gives up (a partial clone may fetch blobs from its remote). */
const REQUEST_TIMEOUT_MS = 120_000;
/** A reader unused this long stops its worker and git process (the next read starts them again). */
const IDLE_MS = 5_000;

/**
 * Reads git objects synchronously through one long-lived `git cat-file --batch` process (see the comment above).
 * Replies are checked against the request: a `missing` reply is reported as missing, anything unexpected as an error.
 */
export class GitObjectReader {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private ctl: Int32Array | undefined;
  private idleTimer: ReturnType<typeof setInterval> | undefined;
  private lastUse = 0;
  private seq = 0;
  private linkClosed = false;

  constructor(
    /** The repository folder git runs in. */
    private readonly cwd: string,
    /** A git process served by another thread (hostGitObjects): read through it instead of starting a worker. */
    private readonly link?: GitObjectLink,
  ) {}

  /** The objects named by `shas`, one reply each, in order. Throws only when the reader itself fails. */
  read(shas: readonly string[]): GitObjectReply[] {
    if (shas.length === 0) return [];
    this.lastUse = Date.now();
    const { port, ctl } = this.ensureStarted();
    // Requests are numbered (never 0, the flag's first value) and a reply is taken only with its request's number.
    const seq = (this.seq = (this.seq % 0x7fffffff) + 1);
    port.postMessage({ seq, shas: [...shas] });
    const msg = receiveNumbered<{ seq: number; replies?: GitObjectReply[]; error?: string }>(port, ctl, seq, REQUEST_TIMEOUT_MS);
    if (msg === undefined) {
      this.close();
      throw new Error(`git cat-file did not answer within ${REQUEST_TIMEOUT_MS / 1000} s in ${this.cwd}`);
    }
    if (msg.error !== undefined) return shas.map(() => ({ kind: 'error', message: msg.error! }));
    const replies = msg.replies ?? [];
    if (replies.length !== shas.length) throw new Error(`git cat-file answered ${replies.length} of ${shas.length} objects in ${this.cwd}`);
    return replies;
  }

  /**
   * Starts the worker and its git process without waiting for them: called before other work (listing a tree), the
   * thread and the process start beside it instead of delaying the first read.
   */
  warm(): void {
    this.lastUse = Date.now();
    this.ensureStarted();
  }

  /** Stops the worker and its git process (a served reader only lets go of its link). */
  close(): void {
    if (this.link) {
      this.linkClosed = true;
      this.link.port.close();
      this.port = this.ctl = undefined;
      return;
    }
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.idleTimer = undefined;
    const worker = this.worker;
    this.port?.close();
    this.worker = this.port = this.ctl = undefined;
    if (worker) void worker.terminate();
  }

  private ensureStarted(): { port: MessagePort; ctl: Int32Array } {
    if (this.worker && this.port && this.ctl) return { port: this.port, ctl: this.ctl };
    if (this.link) {
      if (this.linkClosed) throw new Error(`the git object reader of ${this.cwd} is closed`);
      this.port ??= this.link.port;
      this.ctl ??= new Int32Array(this.link.flag);
      return { port: this.port, ctl: this.ctl };
    }
    const { port1, port2 } = new MessageChannel();
    const flag = new SharedArrayBuffer(4);
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, flag, cwd: this.cwd }, transferList: [port2] });
    // Neither the worker nor its git process keeps the process alive: both end with it.
    worker.unref();
    worker.on('error', () => {
      if (this.worker === worker) this.close();
    });
    this.worker = worker;
    this.port = port1;
    this.ctl = new Int32Array(flag);
    this.idleTimer = setInterval(() => {
      if (Date.now() - this.lastUse > IDLE_MS) this.close();
    }, IDLE_MS);
    this.idleTimer.unref();
    return { port: this.port, ctl: this.ctl };
  }
}
