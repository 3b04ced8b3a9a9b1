// The body of the health-check worker thread. It runs as source text (Function.prototype.toString) inside a
// worker_threads Worker, so this function must be self-contained: no imports, no outer bindings, plain syntax.
import type * as Fengari from 'fengari';
import type { LuaState } from 'fengari';
import type { MessagePort } from 'node:worker_threads';

/** What the worker is given: fengari, the heap statistics reader, its port, and its settings. */
export interface LuaWorkerEnv {
  readonly fengari: typeof Fengari;
  readonly heapUsed: () => number;
  readonly port: MessagePort;
  /** [0]: 0 idle, 1 running, 2 done — how the blocked caller learns that a check started and finished. */
  readonly state: Int32Array;
  /** Bytes of strings and buffers allocated since the last reset (counted by the worker's Uint8Array). */
  readonly allocated: { bytes: number; limit: number; max: number; exceeded: boolean };
}

/** The fixed settings of one worker. */
export interface LuaWorkerSettings {
  readonly instructions: number;
  readonly timeoutMs: number;
  readonly stringBytes: number;
  readonly heapBytes: number;
  readonly maxRepBytes: number;
  readonly healthOrder: readonly string[];
  readonly scripts: Readonly<Record<string, string>>;
}

/** One request: run the script stored under `key` for `obj`, reporting `what` (group/kind) in messages. */
export interface LuaWorkerRun {
  readonly key: string;
  readonly what: string;
  readonly obj: unknown;
}

/** A message to the worker: its settings (once, first), or a check to run. */
export type LuaWorkerRequest = { readonly configure: LuaWorkerSettings } | { readonly run: LuaWorkerRun };

/** One answer: a health result, undefined when the script returned nil. */
export interface LuaWorkerResponse {
  readonly result: { status: string; message: string } | undefined;
}

/**
 * The worker's main: builds one sandboxed Lua state (base minus code loading, table, string, math, clock-only os;
 * read-only libraries; a fresh global table per run), compiles each script once, and answers requests. Each run has
 * an instruction limit, a time limit and a memory limit checked every HOOK_EVERY instructions; the string budget is
 * also enforced inside library calls (every Lua string is a Uint8Array the worker counts). The caller enforces the
 * hard deadline by terminating the worker.
 */
export function luaHealthWorkerMain(env: LuaWorkerEnv): void {
  let runner: ((req: LuaWorkerRun) => LuaWorkerResponse['result']) | undefined;
  env.port.on('message', (msg: LuaWorkerRequest) => {
    if ('configure' in msg) {
      runner = makeVm(msg.configure);
      return;
    }
    const req = msg.run;
    Atomics.store(env.state, 0, 1);
    Atomics.notify(env.state, 0);
    let response: LuaWorkerResponse;
    try {
      if (!runner) throw new Error('the worker was not configured');
      response = { result: runner(req) };
    } catch (err) {
      // A JavaScript error thrown inside the VM (the string budget, an allocation the engine refuses) ends this
      // state's usefulness: answer, then mark the worker spent so that the caller starts a fresh one.
      const message = err instanceof Error ? err.message : String(err);
      env.port.postMessage({ result: { status: 'Unknown', message: 'health check for ' + req.what + ' failed: ' + message } });
      Atomics.store(env.state, 0, 3);
      Atomics.notify(env.state, 0);
      return;
    }
    env.port.postMessage(response);
    Atomics.store(env.state, 0, 2);
    Atomics.notify(env.state, 0);
  });

  function makeVm(s: LuaWorkerSettings): (req: LuaWorkerRun) => LuaWorkerResponse['result'] {
    const { lua, lauxlib, lualib, to_luastring } = env.fengari;
    const HOOK_EVERY = 1000;
    const L: LuaState = lauxlib.luaL_newstate();
    let used = 0;
    let deadline = 0;
    const compiled = new Map<string, { ref?: number; error?: string }>();

    const setup = [
      'local rep = string.rep',
      'string.rep = function(s, n, sep)',
      '  local size = #tostring(s) + #tostring(sep or "")',
      '  if type(n) == "number" and n > 0 and size * n > ' + s.maxRepBytes + ' then',
      '    error("string.rep: result larger than ' + s.maxRepBytes + ' bytes", 2)',
      '  end',
      '  return rep(s, n, sep)',
      'end',
      'local function readonly(t, name)',
      '  return setmetatable({}, {',
      '    __index = t,',
      '    __newindex = function() error(name .. " is read-only", 2) end,',
      '    __metatable = false,',
      '  })',
      'end',
      'getmetatable("").__metatable = false',
      'string = readonly(string, "string")',
      'table = readonly(table, "table")',
      'math = readonly(math, "math")',
      'os = readonly(os, "os")',
    ].join('\n');

    function lenOf(S: LuaState): number {
      let n = 0;
      while (lua.lua_rawgeti(S, 1, n + 1) !== lua.LUA_TNIL) {
        lua.lua_pop(S, 1);
        n++;
      }
      lua.lua_pop(S, 1);
      return n;
    }

    function buildSandbox(): number {
      lauxlib.luaL_requiref(L, to_luastring('_G'), lualib.luaopen_base, 1);
      lua.lua_pop(L, 1);
      lauxlib.luaL_requiref(L, to_luastring('table'), lualib.luaopen_table, 1);
      lua.lua_pop(L, 1);
      lauxlib.luaL_requiref(L, to_luastring('string'), lualib.luaopen_string, 1);
      lua.lua_pop(L, 1);
      lauxlib.luaL_requiref(L, to_luastring('math'), lualib.luaopen_math, 1);
      lua.lua_pop(L, 1);
      // os: only the clock functions (Argo CD's safe os); never execute, exit, remove, rename, getenv, tmpname.
      lauxlib.luaL_requiref(L, to_luastring('os'), lualib.luaopen_os, 0);
      lua.lua_createtable(L, 0, 4);
      for (const name of ['time', 'date', 'clock', 'difftime']) {
        lua.lua_getfield(L, -2, to_luastring(name));
        lua.lua_setfield(L, -2, to_luastring(name));
      }
      lua.lua_setglobal(L, to_luastring('os'));
      lua.lua_pop(L, 1);
      for (const name of ['dofile', 'loadfile', 'load', 'loadstring', 'require', 'module', 'collectgarbage', 'io', 'package', 'debug']) {
        lua.lua_pushnil(L);
        lua.lua_setglobal(L, to_luastring(name));
      }
      // print exists in Argo CD's VM (some bundled scripts call it); here it writes nowhere.
      lua.lua_pushjsfunction(L, () => 0);
      lua.lua_setglobal(L, to_luastring('print'));
      // Lua 5.1 (gopher-lua) names that Argo CD scripts use.
      lua.lua_getglobal(L, to_luastring('table'));
      lua.lua_getfield(L, -1, to_luastring('unpack'));
      lua.lua_setglobal(L, to_luastring('unpack'));
      lua.lua_pushjsfunction(L, (S) => {
        lua.lua_pushinteger(S, lenOf(S));
        return 1;
      });
      lua.lua_setfield(L, -2, to_luastring('getn'));
      lua.lua_pop(L, 1);
      const status = lauxlib.luaL_loadbufferx(L, to_luastring(setup), null, to_luastring('=sandbox'), to_luastring('t'));
      if (status !== lua.LUA_OK || lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) throw new Error('Lua sandbox setup failed: ' + lua.lua_tojsstring(L, -1));
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
      return lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    }

    function pushValue(v: unknown): void {
      if (v === null || v === undefined) lua.lua_pushnil(L);
      else if (typeof v === 'boolean') lua.lua_pushboolean(L, v);
      else if (typeof v === 'number') {
        if (Number.isSafeInteger(v)) lua.lua_pushinteger(L, v);
        else lua.lua_pushnumber(L, v);
      } else if (typeof v === 'string') lua.lua_pushstring(L, to_luastring(v));
      else if (Array.isArray(v)) {
        lua.lua_createtable(L, v.length, 0);
        for (let i = 0; i < v.length; i++) {
          pushValue(v[i]);
          lua.lua_rawseti(L, -2, i + 1);
        }
      } else if (typeof v === 'object') {
        const entries = Object.entries(v as Record<string, unknown>);
        lua.lua_createtable(L, 0, entries.length);
        for (const [k, item] of entries) {
          if (item === null || item === undefined) continue;
          pushValue(item);
          lua.lua_setfield(L, -2, to_luastring(k));
        }
      } else lua.lua_pushnil(L);
    }

    function readStringField(name: string): string | undefined {
      const t = lua.lua_getfield(L, -1, to_luastring(name));
      const v = t === lua.LUA_TSTRING || t === lua.LUA_TNUMBER ? lua.lua_tojsstring(L, -1) : undefined;
      lua.lua_pop(L, 1);
      return v;
    }

    function typeName(t: number): string {
      if (t === lua.LUA_TBOOLEAN) return 'boolean';
      if (t === lua.LUA_TNUMBER) return 'number';
      if (t === lua.LUA_TSTRING) return 'string';
      return 'a non-table value';
    }

    function compile(key: string): { ref?: number; error?: string } {
      const hit = compiled.get(key);
      if (hit) return hit;
      const script = s.scripts[key] ?? '';
      const status = lauxlib.luaL_loadbufferx(L, to_luastring(script), null, to_luastring('=' + key), to_luastring('t'));
      let out: { ref?: number; error?: string };
      if (status !== lua.LUA_OK) {
        out = { error: lua.lua_tojsstring(L, -1) };
        lua.lua_pop(L, 1);
      } else out = { ref: lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX) };
      compiled.set(key, out);
      return out;
    }

    const mib = (n: number): string => Math.round(n / 1048576) + ' MiB';
    const stringLimit = 'memory limit of ' + mib(s.stringBytes) + ' (strings) exceeded';
    // A JavaScript error inside the VM (the string budget, an allocation the engine refuses) becomes a Lua error.
    lua.lua_atnativeerror(L, (S) => {
      const e = lua.lua_touserdata(S, 1);
      lua.lua_pushstring(S, to_luastring(e instanceof Error ? e.message : String(e)));
      return 1;
    });
    const sandboxRef = buildSandbox();
    lua.lua_sethook(L, () => {
      used += HOOK_EVERY;
      if (used > s.instructions) lauxlib.luaL_error(L, to_luastring('instruction limit of ' + s.instructions + ' exceeded'));
      if (Date.now() > deadline) lauxlib.luaL_error(L, to_luastring('time limit of ' + s.timeoutMs + ' ms exceeded'));
      if (env.allocated.exceeded) lauxlib.luaL_error(L, to_luastring(stringLimit));
      if (env.heapUsed() > s.heapBytes) lauxlib.luaL_error(L, to_luastring('memory limit of ' + mib(s.heapBytes) + ' (heap) exceeded'));
    }, lua.LUA_MASKCOUNT, HOOK_EVERY);

    function run(req: LuaWorkerRun): LuaWorkerResponse['result'] {
      // An error value can be as large as a string the script built: keep the message readable.
    const failed = (message: string) => ({ status: 'Unknown', message: 'health check for ' + req.what + ' failed: ' + (message.length > 400 ? message.slice(0, 400) + '…' : message) });
      const c = compile(req.key);
      if (c.ref === undefined) return failed(c.error ?? 'not compiled');
      const top = lua.lua_gettop(L);
      env.allocated.bytes = 0;
      env.allocated.limit = s.stringBytes;
      env.allocated.max = s.stringBytes;
      env.allocated.exceeded = false;
      try {
        lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, c.ref);
        // A fresh global environment per run: reads fall through to the sandbox, writes stay in this run.
        lua.lua_createtable(L, 0, 2);
        pushValue(req.obj);
        lua.lua_setfield(L, -2, to_luastring('obj'));
        lua.lua_pushvalue(L, -1);
        lua.lua_setfield(L, -2, to_luastring('_G'));
        lua.lua_createtable(L, 0, 1);
        lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, sandboxRef);
        lua.lua_setfield(L, -2, to_luastring('__index'));
        lua.lua_setmetatable(L, -2);
        lua.lua_setupvalue(L, -2, 1);
        used = 0;
        deadline = Date.now() + s.timeoutMs;
        const status = lua.lua_pcall(L, 0, 1, 0);
        if (env.allocated.exceeded) return failed(stringLimit);
        if (status !== lua.LUA_OK) {
          return failed(lua.lua_type(L, -1) === lua.LUA_TSTRING ? lua.lua_tojsstring(L, -1) : 'error object is not a string');
        }
        const t = lua.lua_type(L, -1);
        if (t === lua.LUA_TNIL) return undefined;
        if (t !== lua.LUA_TTABLE) return failed('expected the script to return a table, got ' + typeName(t));
        const statusValue = readStringField('status');
        const message = readStringField('message') ?? '';
        if (statusValue === undefined || !s.healthOrder.includes(statusValue)) return { status: 'Unknown', message: 'Lua returned an invalid health status' };
        return { status: statusValue, message };
      } finally {
        env.allocated.limit = Infinity;
        lua.lua_settop(L, top);
      }
    }

    return run;
  }
}

/**
 * The worker's bootstrap (CommonJS source): counts the bytes of every Uint8Array the worker allocates (fengari's Lua
 * strings), so a string budget holds inside library calls (`s..s`, table.concat, gsub), then starts the main.
 */
export function luaWorkerSource(): string {
  return `'use strict';
const { workerData } = require('node:worker_threads');
const v8 = require('node:v8');
const allocated = { bytes: 0, limit: Infinity, max: Infinity, exceeded: false };
// Past the budget: throw, and leave 1 MiB of headroom so the error can be reported (a script that catches the error
// with pcall is stopped at the next instruction check, which sees \`exceeded\`).
function charge(n) {
  allocated.bytes += n;
  if (allocated.bytes > allocated.limit) {
    allocated.exceeded = true;
    allocated.limit = allocated.bytes + 1048576;
    throw new RangeError('memory limit of ' + Math.round(allocated.max / 1048576) + ' MiB (strings) exceeded');
  }
}
const Base = Uint8Array;
class CountedUint8Array extends Base {
  constructor(a, b, c) {
    if (typeof a === 'number') {
      charge(a);
      super(a);
    } else if (arguments.length >= 3) super(a, b, c);
    else if (arguments.length === 2) super(a, b);
    else if (arguments.length === 1) {
      if (a && typeof a.length === 'number') charge(a.length);
      super(a);
    } else super();
  }
}
globalThis.Uint8Array = CountedUint8Array;
const fengari = require(workerData.fengari);
const main = ${luaHealthWorkerMain.toString()};
main({
  fengari,
  heapUsed: () => v8.getHeapStatistics().used_heap_size,
  port: workerData.port,
  state: new Int32Array(workerData.state),
  allocated,
});
`;
}
