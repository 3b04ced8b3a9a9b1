// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- fengari ships no types; this brings its declaration into every tsconfig that compiles this file
/// <reference path="./lua/fengari.d.ts" />
import type { LuaWorkerSettings } from './lua/worker-main';
import type { LuaCallOutcome, LuaWorker } from './lua/worker-pool';
import { LUA_WORKER_RESOURCE_LIMITS, takeLuaWorker } from './lua/worker-pool';
import { groupOf } from '../../shared/health/fields';
import type { CustomHealthChecks, HealthCustomizations } from '../../shared/health/types';
import type { HealthResult, HealthStatus, KubeObject } from '../../shared/model/status';
import { HEALTH_ORDER } from '../../shared/model/status';
import type { Problem } from '../../shared/problem';
import type { SourcePosition } from '../../shared/yaml/node-position';

/** Limits of one health-script run: VM instructions, wall-clock milliseconds, and memory. */
export interface LuaLimits {
  readonly instructions: number;
  readonly timeoutMs: number;
  /** Bytes of Lua strings one run may allocate, counted inside library calls too (`s..s`, table.concat, gsub). */
  readonly stringBytes?: number;
  /** The worker's JavaScript heap in use above which a run is stopped (checked every 1,000 instructions). */
  readonly heapBytes?: number;
}

/** Default limits: far above what Argo CD's bundled scripts need (a few thousand instructions, a few KiB). */
export const DEFAULT_LUA_LIMITS: LuaLimits = { instructions: 1_000_000, timeoutMs: 1_000, stringBytes: 64 << 20, heapBytes: 64 << 20 };

/** Extra time past the time limit before the caller ends the worker (the in-VM check normally stops a run first). */
const HARD_DEADLINE_GRACE_MS = 250;

/**
 * Scripts (by their text) stopped at the hard deadline or by the worker's memory cap in this process (a `serve`
 * session, a CLI run), with why: such a script is marked bad for the session and not run again on the next
 * comparison, so one hostile check costs its deadline once, not once per refresh. Restarting the process clears it.
 */
const STOPPED_SCRIPTS = new Map<string, string>();

/** Largest string `string.rep` may build in a health script (1 MiB). */
export const MAX_REP_BYTES = 1 << 20;

/**
 * Runs Argo CD-style custom health checks (`resource.customizations.health.<group>_<kind>` Lua scripts)
 * in a sandboxed Lua VM (fengari, Lua 5.3 in pure JS) inside a worker thread: the script sees the live object as the
 * global `obj` and returns a table `{status, message}`. Only the base (minus file and code loading), table, string
 * and math libraries and a clock-only `os` are available; each run has its own globals and an instruction, time and
 * memory limit. The worker has V8 resource limits and is terminated at a hard deadline even inside a library call
 * (a pathological string.find), so no script can hang or exhaust the process. A script error or a limit is reported
 * as Unknown, naming the group/kind and the limit; a script that hit the deadline is not run again in this process. `serve` and the CLI
 * run the checks with `evaluate`, which awaits the worker and never blocks the main thread.
 */
export class LuaHealthRunner implements CustomHealthChecks {
  private readonly exact = new Map<string, string>();
  private readonly globs: { key: string; re: RegExp }[] = [];
  private readonly scripts: Record<string, string> = {};
  private readonly settings: LuaWorkerSettings;
  private worker: LuaWorker | undefined;
  /** Answers awaited off the main thread by `evaluate`, per live object. */
  private readonly prefetched = new WeakMap<KubeObject, { readonly result: HealthResult | undefined }>();
  /** Runs of `evaluate` one after another: a worker takes one check at a time. */
  private queue: Promise<void> = Promise.resolve();

  /** Scripts this runner found stopped (now or earlier in the process), by key: reported once each by `stoppedProblems`. */
  private readonly stopped = new Set<string>();

  /**
   * `source` names the file the checks come from; `positions` says where each check's key is written in it, so a
   * failed check names its file, line and column.
   */
  constructor(
    customizations: HealthCustomizations,
    private readonly limits: LuaLimits = DEFAULT_LUA_LIMITS,
    private readonly source?: string,
    private readonly positions: Readonly<Record<string, SourcePosition>> = {},
  ) {
    for (const [key, script] of Object.entries(customizations)) {
      const gk = keyToGroupKind(key);
      this.scripts[key] = script;
      if (gk.includes('*')) {
        this.globs.push({ key, re: new RegExp('^' + gk.split('*').map(escapeRe).join('.*') + '$') });
      } else {
        this.exact.set(gk, key);
      }
    }
    this.globs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.settings = {
      instructions: limits.instructions,
      timeoutMs: limits.timeoutMs,
      stringBytes: limits.stringBytes ?? DEFAULT_LUA_LIMITS.stringBytes ?? 64 << 20,
      heapBytes: limits.heapBytes ?? DEFAULT_LUA_LIMITS.heapBytes ?? 64 << 20,
      maxRepBytes: MAX_REP_BYTES,
      healthOrder: HEALTH_ORDER,
      scripts: this.scripts,
    };
  }

  /** Whether a script is configured for a group/kind. */
  has(group: string, kind: string): boolean {
    return this.lookup(group, kind) !== undefined;
  }

  /** Runs the script configured for the object's group/kind; undefined when none is, or when the script returns nil. */
  check(obj: KubeObject, group: string, kind: string): HealthResult | undefined {
    const key = this.lookup(group, kind);
    if (key === undefined) return undefined;
    const ready = this.prefetched.get(obj);
    if (ready) return ready.result;
    const what = group ? `${group}/${kind}` : kind;
    const earlier = this.stoppedReason(key);
    if (earlier !== undefined) return this.failed(key, what, earlier);
    return this.answer(key, what, this.workerFor().call({ key, what, obj }, this.limits.timeoutMs + HARD_DEADLINE_GRACE_MS));
  }

  /**
   * Runs the checks of these objects in the worker without blocking this thread (what `serve` and the CLI do before
   * they assess health): `check` then answers from what was awaited here. Calls run one after another.
   */
  evaluate(objects: readonly KubeObject[]): Promise<void> {
    const run = this.queue.then(async () => {
      for (const obj of objects) {
        if (this.prefetched.has(obj)) continue;
        const group = groupOf(obj.apiVersion);
        const kind = obj.kind ?? '';
        const key = this.lookup(group, kind);
        if (key === undefined) continue;
        const what = group ? `${group}/${kind}` : kind;
        const earlier = this.stoppedReason(key);
        const result = earlier !== undefined
          ? this.failed(key, what, earlier)
          : this.answer(key, what, await this.workerFor().callAsync({ key, what, obj }, this.limits.timeoutMs + HARD_DEADLINE_GRACE_MS));
        this.prefetched.set(obj, { result });
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** `flotilla.yaml:12:7`: where the check of `key` is written, as far as it is known. */
  private where(key: string): string | undefined {
    if (!this.source) return undefined;
    const at = this.positions[key];
    return at ? `${this.source}:${at.line}:${at.column}` : this.source;
  }

  private failed(key: string, what: string, message: string): HealthResult {
    const where = this.where(key);
    return { status: 'Unknown', message: `health check for ${what}${where ? ` (${where})` : ''} failed: ${message}` };
  }

  /** Why this script was stopped at its hard deadline or memory cap earlier in this process, if it was. */
  private stoppedReason(key: string): string | undefined {
    const why = STOPPED_SCRIPTS.get(this.scripts[key] ?? '');
    if (why !== undefined) this.stopped.add(key);
    return why;
  }

  /**
   * One Problem per check this runner found stopped (at its deadline or memory cap, now or earlier in the process):
   * the check's key, its file, line and column, and that it is not run again in this session.
   */
  stoppedProblems(): Problem[] {
    return [...this.stopped].sort().map((key) => {
      const at = this.positions[key];
      return {
        severity: 'error',
        message: `custom health check ${key} failed: ${STOPPED_SCRIPTS.get(this.scripts[key] ?? '') ?? 'stopped'}; it is marked failed and not run again in this session (the health of the ${keyToGroupKind(key).replace(/^\//, '')} objects it judges is Unknown)`,
        ...(this.source ? { file: this.source } : {}),
        ...(at ? { line: at.line, column: at.column } : {}),
      };
    });
  }

  private answer(key: string, what: string, outcome: LuaCallOutcome): HealthResult | undefined {
    const failed = (message: string): HealthResult => this.failed(key, what, message);
    if (outcome.kind === 'answer') {
      if (outcome.spent) this.worker = undefined;
      const r = outcome.result;
      if (r === undefined) return undefined;
      const sourced = this.source && r.message.startsWith(`health check for ${what} failed: `) ? failed(r.message.slice(`health check for ${what} failed: `.length)) : undefined;
      return sourced ?? { status: r.status as HealthStatus, message: r.message };
    }
    this.worker = undefined;
    const why = outcome.kind === 'deadline'
      ? `time limit of ${this.limits.timeoutMs} ms exceeded (stopped inside a library call after ${outcome.elapsedMs} ms; the worker was ended)`
      : `the health-check worker stopped (${outcome.reason}; its memory limit is ${LUA_WORKER_RESOURCE_LIMITS.maxOldGenerationSizeMb} MiB)`;
    STOPPED_SCRIPTS.set(this.scripts[key] ?? '', why);
    this.stopped.add(key);
    return failed(why);
  }

  /** Ends this runner's worker; later checks start a fresh one. */
  close(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }

  private workerFor(): LuaWorker {
    if (this.worker?.usable) return this.worker;
    const w = takeLuaWorker();
    w.configure(this.settings);
    this.worker = w;
    return w;
  }

  private lookup(group: string, kind: string): string | undefined {
    const gk = `${group}/${kind}`;
    const hit = this.exact.get(gk);
    if (hit !== undefined) return hit;
    for (const g of this.globs) if (g.re.test(gk)) return g.key;
    return undefined;
  }
}

/** `<group>_<kind>` (Argo CD's argocd-cm spelling; `_Kind` or `Kind` for the core group) → `group/kind`. */
export function keyToGroupKind(key: string): string {
  const i = key.lastIndexOf('_');
  if (i < 0) return `/${key}`;
  return `${key.slice(0, i)}/${key.slice(i + 1)}`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

