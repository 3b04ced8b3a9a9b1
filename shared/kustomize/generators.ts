/** configMapGenerator and secretGenerator: literals, files and env files into ConfigMaps and Secrets. */
import { basename } from '../repo/paths';
import { Resource } from './resource';
import type { Json, JsonMap } from './yaml';
import { isMapValue } from './yaml';
import { stringList, stringMap } from './kustomization';

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

/** Reads a file for a generator (the caller enforces the load restrictor and records the read). */
export type GeneratorFileReader = (path: string) => Uint8Array;

/** Thrown for bad generator input. */
export class GeneratorError extends Error {}

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

/** Parses env-file lines (`KEY=VALUE`, comments and blank lines skipped). */
export function parseEnvFile(text: string, file: string): [string, string][] {
  const out: [string, string][] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (key === '' ) throw new GeneratorError(`${file}:${i + 1}: invalid env line '${raw}'`);
    if (/\s/.test(key.trimEnd()) ) throw new GeneratorError(`${file}:${i + 1}: key '${key}' may not contain whitespace`);
    out.push([key, eq < 0 ? '' : line.slice(eq + 1)]);
  });
  return out;
}

/** Builds one ConfigMap or Secret from generator args (`behavior` and hashing are returned with it). */
export function generate(kind: 'ConfigMap' | 'Secret', args: JsonMap, options: GeneratorOptions | undefined, read: GeneratorFileReader, where: string): Resource {
  const name = typeof args.name === 'string' ? args.name : '';
  if (name === '') throw new GeneratorError(`a ${kind} generator needs a name`);
  const data: [string, string, boolean][] = []; // key, value, isBinary
  const add = (key: string, value: string, binary = false): void => {
    if (data.some(([k]) => k === key)) throw new GeneratorError(`${kind.toLowerCase()} ${name} illegally repeats the key \`${key}\``);
    data.push([key, value, binary]);
  };
  for (const file of [...stringList(args.envs), ...(typeof args.env === 'string' ? [args.env] : [])]) {
    const bytes = read(file);
    for (const [k, v] of parseEnvFile(new TextDecoder().decode(bytes), file)) add(k, v);
  }
  for (const lit of stringList(args.literals)) {
    const eq = lit.indexOf('=');
    if (eq <= 0) throw new GeneratorError(`invalid literal source ${lit}, expected key=value`);
    add(lit.slice(0, eq), removeQuotes(lit.slice(eq + 1)));
  }
  for (const spec of stringList(args.files)) {
    const eq = spec.indexOf('=');
    const key = eq < 0 ? basename(spec) : spec.slice(0, eq);
    const path = eq < 0 ? spec : spec.slice(eq + 1);
    if (key === '') throw new GeneratorError(`file source ${spec} has an empty key`);
    const bytes = read(path);
    if (isValidUtf8(bytes)) add(key, new TextDecoder().decode(bytes));
    else add(key, base64Wrapped(bytes), true);
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
    throw new GeneratorError(`invalid behavior '${behavior}' in ${kind} generator ${name} (expected create, merge or replace)`);
  }
  r.behavior = behavior === '' ? 'create' : behavior;
  return r;
}
