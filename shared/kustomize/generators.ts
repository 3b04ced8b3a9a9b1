/** configMapGenerator and secretGenerator: literals, files and env files into ConfigMaps and Secrets. */
import { basename } from '../repo/paths';
import { Resource } from './resource';
import type { Json, JsonMap } from './yaml';
import { isMapValue } from './yaml';
import { stringMap } from './kustomization';
import type { JsonPath } from '../yaml/node-position';

/** Options shared by generators (`generatorOptions` and per-generator `options`). */
export interface GeneratorOptions {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly disableNameSuffixHash?: boolean;
  readonly immutable?: boolean;
}

/** Reads generator options from YAML. */
export function readGeneratorOptions(v: Json | undefined): GeneratorOptions | undefined {
  if (!isMapValue(v)) return undefined;
  return {
    ...(isMapValue(v.labels) ? { labels: stringMap(v.labels) } : {}),
    ...(isMapValue(v.annotations) ? { annotations: stringMap(v.annotations) } : {}),
    ...(v.disableNameSuffixHash === true ? { disableNameSuffixHash: true } : {}),
    ...(v.immutable === true ? { immutable: true } : {}),
  };
}

/** kustomize's MergeGlobalOptionsIntoLocal. */
export function mergeOptions(local: GeneratorOptions | undefined, global: GeneratorOptions | undefined): GeneratorOptions | undefined {
  if (!global) return local;
  if (!local) return global;
  return {
    labels: { ...(global.labels ?? {}), ...(local.labels ?? {}) },
    annotations: { ...(global.annotations ?? {}), ...(local.annotations ?? {}) },
    disableNameSuffixHash: Boolean(global.disableNameSuffixHash || local.disableNameSuffixHash),
    immutable: Boolean(global.immutable || local.immutable),
  };
}

/**
 * Reads a file for a generator (the caller enforces the load restrictor and records the read); `at` is the entry naming
 * it. Returns the bytes and the file's repository-relative path.
 */
export type GeneratorFileReader = (path: string, at: JsonPath) => { readonly bytes: Uint8Array; readonly path: string };

/** A place in a file other than the kustomization (a line of an env file). */
export interface GeneratorSource {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Thrown for bad generator input: `at` is the offending node inside the generator entry, `source` a line of a file it read. */
export class GeneratorError extends Error {
  constructor(
    message: string,
    readonly at: JsonPath = [],
    readonly source?: GeneratorSource,
  ) {
    super(message);
  }
}

function removeQuotes(s: string): string {
  if (s.length >= 2 && ((s[0] === '"' && s[s.length - 1] === '"') || (s[0] === "'" && s[s.length - 1] === "'"))) return s.slice(1, -1);
  return s;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Base64 as kustomize writes generated data: lines of 70 characters, each ending in a newline, once it reaches 70. */
function base64Wrapped(bytes: Uint8Array): string {
  const enc = base64(bytes);
  if (enc.length < 70) return enc;
  let out = '';
  for (let i = 0; i < enc.length; i += 70) out += enc.slice(i, i + 70) + '\n';
  return out;
}

function base64(bytes: Uint8Array): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += chars[a >> 2]! + chars[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : chars[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : chars[c & 63]!;
  }
  return out;
}

/** One `KEY=VALUE` of an env file, with the line and column of its key. */
export interface EnvEntry {
  readonly key: string;
  readonly value: string;
  readonly line: number;
  readonly column: number;
}

/** Parses env-file lines (`KEY=VALUE`, comments and blank lines skipped); a bad line throws at its line and column. */
export function parseEnvFile(text: string, file: string, at: JsonPath = []): EnvEntry[] {
  const out: EnvEntry[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const trimmed = raw.replace(/\r$/, '');
    const line = trimmed.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const column = trimmed.length - line.length + 1;
    const source = { file, line: i + 1, column };
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (key === '') throw new GeneratorError(`invalid env line '${trimmed}' in ${file}: a line needs KEY=VALUE`, at, source);
    if (/\s/.test(key.trimEnd())) throw new GeneratorError(`key '${key}' in ${file} may not contain whitespace`, at, source);
    out.push({ key, value: eq < 0 ? '' : line.slice(eq + 1), line: i + 1, column });
  });
  return out;
}

function strings(v: Json | undefined): [string, number][] {
  if (!Array.isArray(v)) return [];
  const out: [string, number][] = [];
  v.forEach((x, i) => {
    if (typeof x === 'string') out.push([x, i]);
  });
  return out;
}

/** Builds one ConfigMap or Secret from generator args (`behavior` and hashing are returned with it). */
export function generate(kind: 'ConfigMap' | 'Secret', args: JsonMap, options: GeneratorOptions | undefined, read: GeneratorFileReader, where: string): Resource {
  const name = typeof args.name === 'string' ? args.name : '';
  if (name === '') throw new GeneratorError(`a ${kind} generator needs a name`);
  const data: [string, string, boolean][] = []; // key, value, isBinary
  const add = (key: string, value: string, binary: boolean, at: JsonPath, source?: GeneratorSource): void => {
    if (data.some(([k]) => k === key)) throw new GeneratorError(`${kind.toLowerCase()} ${name} illegally repeats the key \`${key}\``, at, source);
    data.push([key, value, binary]);
  };
  const envs: [string, JsonPath][] = strings(args.envs).map(([f, i]) => [f, ['envs', i]]);
  if (typeof args.env === 'string') envs.push([args.env, ['env']]);
  for (const [file, at] of envs) {
    const { bytes, path } = read(file, at);
    for (const e of parseEnvFile(new TextDecoder().decode(bytes), path, at)) add(e.key, e.value, false, at, { file: path, line: e.line, column: e.column });
  }
  for (const [lit, i] of strings(args.literals)) {
    const eq = lit.indexOf('=');
    if (eq <= 0) throw new GeneratorError(`invalid literal source ${lit}, expected key=value`, ['literals', i]);
    add(lit.slice(0, eq), removeQuotes(lit.slice(eq + 1)), false, ['literals', i]);
  }
  for (const [spec, i] of strings(args.files)) {
    const eq = spec.indexOf('=');
    const key = eq < 0 ? basename(spec) : spec.slice(0, eq);
    const path = eq < 0 ? spec : spec.slice(eq + 1);
    if (key === '') throw new GeneratorError(`file source ${spec} has an empty key`, ['files', i]);
    const { bytes } = read(path, ['files', i]);
    if (isValidUtf8(bytes)) add(key, new TextDecoder().decode(bytes), false, ['files', i]);
    else add(key, base64Wrapped(bytes), true, ['files', i]);
  }
  const obj: JsonMap = { apiVersion: 'v1', kind, metadata: { name } };
  const meta = obj.metadata as JsonMap;
  if (typeof args.namespace === 'string' && args.namespace !== '') meta.namespace = args.namespace;
  if (options?.labels && Object.keys(options.labels).length > 0) meta.labels = { ...options.labels };
  if (options?.annotations && Object.keys(options.annotations).length > 0) meta.annotations = { ...options.annotations };
  if (kind === 'ConfigMap') {
    const d: JsonMap = {};
    const b: JsonMap = {};
    for (const [k, v, bin] of data) (bin ? b : d)[k] = v;
    if (Object.keys(d).length > 0) obj.data = d;
    if (Object.keys(b).length > 0) obj.binaryData = b;
  } else {
    const d: JsonMap = {};
    for (const [k, v, bin] of data) d[k] = bin ? v : base64Wrapped(new TextEncoder().encode(v));
    obj.type = typeof args.type === 'string' && args.type !== '' ? args.type : 'Opaque';
    obj.data = d;
  }
  if (options?.immutable) obj.immutable = true;
  const r = new Resource(obj, where);
  r.needsHash = !options?.disableNameSuffixHash;
  const behavior = typeof args.behavior === 'string' ? args.behavior : 'create';
  if (behavior !== 'create' && behavior !== 'merge' && behavior !== 'replace' && behavior !== '') {
    throw new GeneratorError(`invalid behavior '${behavior}' in ${kind} generator ${name} (expected create, merge or replace)`, ['behavior']);
  }
  r.behavior = behavior === '' ? 'create' : behavior;
  return r;
}
