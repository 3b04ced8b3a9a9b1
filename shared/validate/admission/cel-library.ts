// The CEL environment of ValidatingAdmissionPolicy expressions: the variables the API server declares (`object`,
// `oldObject`, `params`, `namespaceObject`, `request`, `variables`) and the Kubernetes CEL libraries that
// @marcbachmann/cel-js lacks (lists, extended strings, regex, URLs, quantities, sets). `authorizer` is not offered:
// offline there is no one to ask, so a policy that uses it is reported as not checkable.

import { Environment } from '@marcbachmann/cel-js';
import { findAll, goRegexp } from '../../appset/template/sprig/regex';

/** A Kubernetes resource quantity (`quantity("500m")`), compared by value. */
export class Quantity {
  constructor(readonly text: string, readonly value: number) {}
}

/** A parsed URL (`url("https://example.com:8080/p?q=1")`): scheme, host, port, escaped path and raw query. */
export class KubeUrl {
  constructor(readonly scheme: string, readonly hostname: string, readonly port: string, readonly path: string, readonly query: string) {}
}

class SetsNamespace {}

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;
const SUFFIX: Readonly<Record<string, number>> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** Parses a quantity as the Kubernetes library does, or undefined when the text is not one. */
export function parseKubeQuantity(text: string): Quantity | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const factor = m[2] ? Number(`1${m[2]}`) : SUFFIX[m[3] ?? ''];
  if (factor === undefined) return undefined;
  return new Quantity(text, Number(m[1]) * factor);
}

function quantityOf(text: string): Quantity {
  const q = parseKubeQuantity(text);
  if (!q) throw new Error('quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'');
  return q;
}

// An absolute URI or an absolute path, as Go's url.ParseRequestURI accepts them (a `#` is not a fragment there).
const ABSOLUTE_URL = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(?:[^@/?]*@)?(\[[^\]]*\]|[^:/?]*)(?::(\d*))?([^?]*)(?:\?(.*))?$/s;
const ABSOLUTE_PATH = /^(\/[^?]*)(?:\?(.*))?$/s;

function urlOf(text: string): KubeUrl {
  const a = ABSOLUTE_URL.exec(text);
  if (a) return new KubeUrl(a[1]!.toLowerCase(), (a[2] ?? '').replace(/^\[(.*)\]$/, '$1'), a[3] ?? '', a[4] ?? '', a[5] ?? '');
  const p = ABSOLUTE_PATH.exec(text);
  if (p) return new KubeUrl('', '', '', p[1] ?? '', p[2] ?? '');
  throw new Error(`URL parse error during conversion from string: parse "${text}": invalid URI for request`);
}

/** CEL equality for the values policies compare in sets and lists (numbers across int/double, deep for maps/lists). */
export function celEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEqual(x, b[i]));
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && celEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

function less(a: unknown, b: unknown): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return a < b;
  if (typeof a === 'string' && typeof b === 'string') return a < b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return !a && b;
  throw new Error('no such overload for comparison');
}

function extreme(list: readonly unknown[], pick: (a: unknown, b: unknown) => boolean, name: string): unknown {
  if (list.length === 0) throw new Error(`${name} called on empty list`);
  return list.reduce((m, x) => (pick(x, m) ? x : m));
}

function sum(list: readonly unknown[]): bigint | number {
  if (list.length === 0) return 0n;
  if (list.every((x) => typeof x === 'bigint')) return (list as bigint[]).reduce((a, b) => a + b, 0n);
  return list.reduce<number>((a, b) => a + Number(b), 0);
}

function replaceN(s: string, from: string, to: string, n: number): string {
  if (n < 0) return s.split(from).join(to);
  let out = s;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const j = out.indexOf(from, at);
    if (j < 0) break;
    out = out.slice(0, j) + to + out.slice(j + from.length);
    at = j + to.length + (from === '' ? 1 : 0);
  }
  return out;
}

function queryOf(u: KubeUrl): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of u.query.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    const dec = (x: string): string => decodeURIComponent(x.replace(/\+/g, ' '));
    (out[dec(i < 0 ? part : part.slice(0, i))] ??= []).push(i < 0 ? '' : dec(part.slice(i + 1)));
  }
  return out;
}

/** `%s` of a CEL value as cel-go's string formatter prints it. */
function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (v instanceof Quantity) return v.text;
  if (typeof v === 'object') return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${formatValue(x)}`).join(', ')}}`;
  return String(v);
}

/** `'%s has %d items'.format([name, n])`: the verbs of cel-go's strings extension (%s %d %f %e %x %X %o %b %%). */
function format(template: string, args: readonly unknown[]): string {
  let i = 0;
  return template.replace(/%(?:\.(\d+))?([sdfeExXob%])/g, (_m, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) throw new Error(`index ${i} out of range`);
    const v = args[i++];
    const num = (): number => {
      if (typeof v === 'bigint' || typeof v === 'number') return Number(v);
      throw new Error(`error during formatting: ${verb === 'f' || verb === 'e' ? 'fixed-point' : 'decimal'} clause can only be used on numbers, was given ${typeof v}`);
    };
    switch (verb) {
      case 's': return formatValue(v);
      case 'd': if (typeof v !== 'bigint') throw new Error('error during formatting: decimal clause can only be used on integers'); return String(v);
      case 'f': return num().toFixed(precision === undefined ? 6 : Number(precision));
      case 'e': case 'E': {
        const t = num().toExponential(precision === undefined ? 6 : Number(precision)).replace(/e([+-])(\d)$/, (_x, sign: string, d: string) => `e${sign}0${d}`);
        return verb === 'E' ? t.toUpperCase() : t;
      }
      case 'x': case 'X': {
        const t = typeof v === 'string' ? [...new TextEncoder().encode(v)].map((b) => b.toString(16).padStart(2, '0')).join('') : BigInt(num()).toString(16);
        return verb === 'X' ? t.toUpperCase() : t;
      }
      case 'o': return BigInt(num()).toString(8);
      default: return typeof v === 'boolean' ? (v ? '1' : '0') : BigInt(num()).toString(2);
    }
  });
}

let shared: Environment | undefined;

/** The one CEL environment of admission expressions (built once; parse per expression, evaluate per object). */
export function admissionCelEnvironment(): Environment {
  if (shared) return shared;
  const env = new Environment({ homogeneousAggregateLiterals: false, enableOptionalTypes: true });
  for (const v of ['object', 'oldObject', 'params', 'namespaceObject', 'request']) env.registerVariable(v, 'dyn');
  env.registerVariable('variables', 'map<string, dyn>');
  env.registerType('Quantity', Quantity).registerType('URL', KubeUrl);
  env.registerType('SetsNamespace', SetsNamespace).registerConstant('sets', 'SetsNamespace', new SetsNamespace());

  // Lists (k8s.io/apiserver/pkg/cel/library/lists.go).
  env.registerFunction('list.isSorted(): bool', (l: unknown[]) => l.every((x, i) => i === 0 || !less(x, l[i - 1])));
  env.registerFunction('list.sum(): dyn', (l: unknown[]) => sum(l));
  env.registerFunction('list.min(): dyn', (l: unknown[]) => extreme(l, less, 'min'));
  env.registerFunction('list.max(): dyn', (l: unknown[]) => extreme(l, (a, b) => less(b, a), 'max'));
  env.registerFunction('list.indexOf(dyn): int', (l: unknown[], x: unknown) => BigInt(l.findIndex((y) => celEqual(x, y))));
  env.registerFunction('list.lastIndexOf(dyn): int', (l: unknown[], x: unknown) => BigInt(l.findLastIndex((y) => celEqual(x, y))));

  // Extended strings (cel-go ext.Strings) beyond what cel-js has.
  env.registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
    const chars = [...s];
    if (i < 0n || i > BigInt(chars.length)) throw new Error(`index out of range: ${i}`);
    return chars[Number(i)] ?? '';
  });
  env.registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => replaceN(s, a, b, -1));
  env.registerFunction('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => replaceN(s, a, b, Number(n)));
  env.registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''));
  env.registerFunction('string.format(list): string', (s: string, args: unknown[]) => format(s, args));

  // Regex (library/regex.go), RE2 as the API server's Go regexp.
  env.registerFunction('string.find(string): string', (s: string, re: string) => {
    const m = findAll(goRegexp(re), s, 1)[0];
    return m ? s.slice(m.start, m.end) : '';
  });
  env.registerFunction('string.findAll(string): list<string>', (s: string, re: string) => findAll(goRegexp(re), s, -1).map((m) => s.slice(m.start, m.end)));
  env.registerFunction('string.findAll(string, int): list<string>', (s: string, re: string, n: bigint) => findAll(goRegexp(re), s, Number(n)).map((m) => s.slice(m.start, m.end)));

  // URLs (library/urls.go).
  env.registerFunction('url(string): URL', (s: string) => urlOf(s));
  env.registerFunction('isURL(string): bool', (s: string) => {
    try { urlOf(s); return true; } catch { return false; }
  });
  env.registerFunction('URL.getScheme(): string', (u: KubeUrl) => u.scheme);
  env.registerFunction('URL.getHost(): string', (u: KubeUrl) => (u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname) + (u.port ? `:${u.port}` : ''));
  env.registerFunction('URL.getHostname(): string', (u: KubeUrl) => u.hostname);
  env.registerFunction('URL.getPort(): string', (u: KubeUrl) => u.port);
  env.registerFunction('URL.getEscapedPath(): string', (u: KubeUrl) => u.path);
  env.registerFunction('URL.getQuery(): map<string, list<string>>', (u: KubeUrl) => queryOf(u));

  // Quantities (library/quantity.go).
  env.registerFunction('quantity(string): Quantity', (s: string) => quantityOf(s));
  env.registerFunction('isQuantity(string): bool', (s: string) => parseKubeQuantity(s) !== undefined);
  env.registerFunction('Quantity.isInteger(): bool', (q: Quantity) => Number.isSafeInteger(q.value));
  env.registerFunction('Quantity.asInteger(): int', (q: Quantity) => {
    if (!Number.isSafeInteger(q.value)) throw new Error('cannot convert value to integer');
    return BigInt(q.value);
  });
  env.registerFunction('Quantity.asApproximateFloat(): double', (q: Quantity) => q.value);
  env.registerFunction('Quantity.sign(): int', (q: Quantity) => BigInt(Math.sign(q.value)));
  env.registerFunction('Quantity.add(Quantity): Quantity', (a: Quantity, b: Quantity) => new Quantity(String(a.value + b.value), a.value + b.value));
  env.registerFunction('Quantity.add(int): Quantity', (a: Quantity, b: bigint) => new Quantity(String(a.value + Number(b)), a.value + Number(b)));
  env.registerFunction('Quantity.sub(Quantity): Quantity', (a: Quantity, b: Quantity) => new Quantity(String(a.value - b.value), a.value - b.value));
  env.registerFunction('Quantity.sub(int): Quantity', (a: Quantity, b: bigint) => new Quantity(String(a.value - Number(b)), a.value - Number(b)));
  env.registerFunction('Quantity.isGreaterThan(Quantity): bool', (a: Quantity, b: Quantity) => a.value > b.value);
  env.registerFunction('Quantity.isLessThan(Quantity): bool', (a: Quantity, b: Quantity) => a.value < b.value);
  env.registerFunction('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) => BigInt(Math.sign(a.value - b.value)));

  // Sets (cel-go ext.Sets).
  env.registerFunction('SetsNamespace.contains(list, list): bool', (_: SetsNamespace, a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => celEqual(x, y))));
  env.registerFunction('SetsNamespace.equivalent(list, list): bool', (_: SetsNamespace, a: unknown[], b: unknown[]) =>
    b.every((x) => a.some((y) => celEqual(x, y))) && a.every((x) => b.some((y) => celEqual(x, y))));
  env.registerFunction('SetsNamespace.intersects(list, list): bool', (_: SetsNamespace, a: unknown[], b: unknown[]) => b.some((x) => a.some((y) => celEqual(x, y))));
  shared = env;
  return env;
}
