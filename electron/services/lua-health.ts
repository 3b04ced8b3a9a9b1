// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- fengari ships no types; this brings its declaration into every tsconfig that compiles this file
/// <reference path="./lua/fengari.d.ts" />
import type * as Fengari from 'fengari';
import type { LuaState } from 'fengari';
import type { CustomHealthChecks, HealthCustomizations } from '../../shared/health/types';
import type { HealthResult, HealthStatus, KubeObject } from '../../shared/model/status';
import { HEALTH_ORDER } from '../../shared/model/status';
import { lazyModule } from './lazy-module';

/** fengari, loaded when the first runner is built: commands that run no health script never compile the Lua VM. */
const fengari = lazyModule<typeof Fengari>('fengari');
let lua: typeof Fengari.lua;
let lauxlib: typeof Fengari.lauxlib;
let lualib: typeof Fengari.lualib;
let to_luastring: typeof Fengari.to_luastring;

/** Binds fengari's API to this module's names (every function below runs only once a runner exists). */
function bindFengari(): void {
  if (lua !== undefined) return;
  ({ lua, lauxlib, lualib, to_luastring } = fengari());
}

/** Limits of one health-script run: Lua VM instructions and wall-clock milliseconds. */
export interface LuaLimits {
  readonly instructions: number;
  readonly timeoutMs: number;
}

/** Default limits: far above what Argo CD's bundled scripts need (a few thousand instructions). */
export const DEFAULT_LUA_LIMITS: LuaLimits = { instructions: 1_000_000, timeoutMs: 1_000 };

/** How often (in VM instructions) the limit hook runs. */
const HOOK_EVERY = 1_000;

/** Argo CD's message when a script returns a status that is not a health status. */
const INVALID_STATUS = 'Lua returned an invalid health status';

/** Largest string `string.rep` may build in a health script (1 MiB). */
export const MAX_REP_BYTES = 1 << 20;

/**
 * Runs once when the sandbox is built: caps string.rep, and makes the libraries read-only so that one script
 * cannot change what the next one sees (each run's own globals are a fresh table already).
 */
const SANDBOX_SETUP = `local rep = string.rep
string.rep = function(s, n, sep)
  local size = #tostring(s) + #tostring(sep or "")
  if type(n) == "number" and n > 0 and size * n > ${MAX_REP_BYTES} then
    error("string.rep: result larger than ${MAX_REP_BYTES} bytes", 2)
  end
  return rep(s, n, sep)
end
local function readonly(t, name)
  return setmetatable({}, {
    __index = t,
    __newindex = function() error(name .. " is read-only", 2) end,
    __metatable = false,
  })
end
getmetatable("").__metatable = false
string = readonly(string, "string")
table = readonly(table, "table")
math = readonly(math, "math")
os = readonly(os, "os")`;

interface Compiled {
  readonly key: string;
  readonly ref: number | undefined;
  readonly error: string | undefined;
}

/**
 * Runs Argo CD-style custom health checks (`resource.customizations.health.<group>_<kind>` Lua scripts)
 * in a sandboxed Lua VM (fengari, Lua 5.3 in pure JS): the script sees the live object as the global `obj`
 * and returns a table `{status, message}`. Only the base (minus file and code loading), table, string and math
 * libraries and a clock-only `os` are available; each run has an instruction and a time limit, and its own
 * globals. A script error is reported as Unknown, naming the group/kind.
 */
export class LuaHealthRunner implements CustomHealthChecks {
  private readonly L: LuaState;
  private readonly sandboxRef: number;
  private readonly compiled = new Map<string, Compiled>();
  private readonly exact = new Map<string, { key: string; script: string }>();
  private readonly globs: { key: string; re: RegExp; script: string }[] = [];
  private deadlineInstr = 0;
  private deadlineTime = 0;
  private used = 0;

  constructor(customizations: HealthCustomizations, private readonly limits: LuaLimits = DEFAULT_LUA_LIMITS) {
    bindFengari();
    for (const [key, script] of Object.entries(customizations)) {
      const gk = keyToGroupKind(key);
      if (gk.includes('*')) {
        this.globs.push({ key, re: new RegExp('^' + gk.split('*').map(escapeRe).join('.*') + '$'), script });
      } else {
        this.exact.set(gk, { key, script });
      }
    }
    this.globs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.L = lauxlib.luaL_newstate();
    this.sandboxRef = this.buildSandbox();
    lua.lua_sethook(this.L, () => this.onHook(), lua.LUA_MASKCOUNT, HOOK_EVERY);
  }

  /** Whether a script is configured for a group/kind. */
  has(group: string, kind: string): boolean {
    return this.lookup(group, kind) !== undefined;
  }

  /** Runs the script configured for the object's group/kind; undefined when none is, or when the script returns nil. */
  check(obj: KubeObject, group: string, kind: string): HealthResult | undefined {
    const entry = this.lookup(group, kind);
    if (!entry) return undefined;
    const what = group ? `${group}/${kind}` : kind;
    const compiled = this.compile(entry.key, entry.script);
    if (compiled.error !== undefined || compiled.ref === undefined) {
      return { status: 'Unknown', message: `health check for ${what} failed: ${compiled.error ?? 'not compiled'}` };
    }
    return this.run(compiled.ref, obj, what);
  }

  private lookup(group: string, kind: string): { key: string; script: string } | undefined {
    const gk = `${group}/${kind}`;
    const hit = this.exact.get(gk);
    if (hit) return hit;
    for (const g of this.globs) if (g.re.test(gk)) return g;
    return undefined;
  }

  private compile(key: string, script: string): Compiled {
    const cached = this.compiled.get(key);
    if (cached) return cached;
    const L = this.L;
    const status = lauxlib.luaL_loadbufferx(L, to_luastring(script), null, to_luastring(`=${key}`), to_luastring('t'));
    let result: Compiled;
    if (status !== lua.LUA_OK) {
      result = { key, ref: undefined, error: lua.lua_tojsstring(L, -1) };
      lua.lua_pop(L, 1);
    } else {
      result = { key, ref: lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX), error: undefined };
    }
    this.compiled.set(key, result);
    return result;
  }

  private run(ref: number, obj: KubeObject, what: string): HealthResult | undefined {
    const L = this.L;
    const top = lua.lua_gettop(L);
    try {
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
      // A fresh global environment per run: reads fall through to the sandbox, writes stay in this run.
      lua.lua_createtable(L, 0, 2);
      pushValue(L, obj);
      lua.lua_setfield(L, -2, to_luastring('obj'));
      lua.lua_pushvalue(L, -1);
      lua.lua_setfield(L, -2, to_luastring('_G'));
      lua.lua_createtable(L, 0, 1);
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.sandboxRef);
      lua.lua_setfield(L, -2, to_luastring('__index'));
      lua.lua_setmetatable(L, -2);
      lua.lua_setupvalue(L, -2, 1);
      this.used = 0;
      this.deadlineInstr = this.limits.instructions;
      this.deadlineTime = Date.now() + this.limits.timeoutMs;
      let status: number;
      try {
        status = lua.lua_pcall(L, 0, 1, 0);
      } catch (err) {
        // A JavaScript error inside the VM (an allocation the engine refuses) is not a Lua error: report it the same way.
        return { status: 'Unknown', message: `health check for ${what} failed: ${err instanceof Error ? err.message : String(err)}` };
      }
      if (status !== lua.LUA_OK) {
        const message = lua.lua_type(L, -1) === lua.LUA_TSTRING ? lua.lua_tojsstring(L, -1) : 'error object is not a string';
        return { status: 'Unknown', message: `health check for ${what} failed: ${message}` };
      }
      const t = lua.lua_type(L, -1);
      if (t === lua.LUA_TNIL) return undefined;
      if (t !== lua.LUA_TTABLE) {
        return { status: 'Unknown', message: `health check for ${what} failed: expected the script to return a table, got ${typeName(t)}` };
      }
      const statusValue = readStringField(L, 'status');
      const message = readStringField(L, 'message') ?? '';
      if (statusValue === undefined || !(HEALTH_ORDER as readonly string[]).includes(statusValue)) {
        return { status: 'Unknown', message: INVALID_STATUS };
      }
      return { status: statusValue as HealthStatus, message };
    } finally {
      lua.lua_settop(L, top);
    }
  }

  private onHook(): void {
    this.used += HOOK_EVERY;
    if (this.used > this.deadlineInstr) lauxlib.luaL_error(this.L, to_luastring(`instruction limit of ${this.limits.instructions} exceeded`));
    if (Date.now() > this.deadlineTime) lauxlib.luaL_error(this.L, to_luastring(`time limit of ${this.limits.timeoutMs} ms exceeded`));
  }

  /** Builds the read-only-by-convention table of globals scripts see, and returns its registry reference. */
  private buildSandbox(): number {
    const L = this.L;
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
    // No file access and no loading of code or bytecode from inside a script.
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
    // string.rep is the one library call that allocates without running instructions: cap what it may build; freeze the libraries.
    const cap = lauxlib.luaL_loadbufferx(L, to_luastring(SANDBOX_SETUP), null, to_luastring('=sandbox'), to_luastring('t'));
    if (cap !== lua.LUA_OK || lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) throw new Error(`Lua sandbox setup failed: ${lua.lua_tojsstring(L, -1)}`);
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
    return lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  }
}

function lenOf(L: LuaState): number {
  // table.getn(t) = #t
  let n = 0;
  while (lua.lua_rawgeti(L, 1, n + 1) !== lua.LUA_TNIL) {
    lua.lua_pop(L, 1);
    n++;
  }
  lua.lua_pop(L, 1);
  return n;
}

function readStringField(L: LuaState, name: string): string | undefined {
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

/** Pushes a JSON value as Lua: objects and arrays become tables (arrays 1-based), null becomes nil, whole numbers integers. */
function pushValue(L: LuaState, v: unknown): void {
  if (v === null || v === undefined) lua.lua_pushnil(L);
  else if (typeof v === 'boolean') lua.lua_pushboolean(L, v);
  else if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) lua.lua_pushinteger(L, v);
    else lua.lua_pushnumber(L, v);
  } else if (typeof v === 'string') lua.lua_pushstring(L, to_luastring(v));
  else if (Array.isArray(v)) {
    lua.lua_createtable(L, v.length, 0);
    v.forEach((item, i) => {
      pushValue(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    lua.lua_createtable(L, 0, entries.length);
    for (const [k, item] of entries) {
      if (item === null || item === undefined) continue;
      pushValue(L, item);
      lua.lua_setfield(L, -2, to_luastring(k));
    }
  } else lua.lua_pushnil(L);
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
