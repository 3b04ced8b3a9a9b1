// YAML text of objects as `argocd app diff` shows them (sigs.k8s.io/yaml style: keys sorted, sequences not
// indented under their key, multi-line strings as literal blocks). A small emitter for plain JSON data, written
// because the general-purpose `yaml` stringifier was most of the diff's cost at fleet scale (20,000 objects).

import { isPlainObject } from './json-path';

/** An object as sorted-key YAML; empty for undefined. */
export function toDiffYaml(obj: unknown): string {
  if (obj === undefined) return '';
  const out: string[] = [];
  if (isPlainObject(obj) && Object.keys(obj).length > 0) emitMap(obj, '', out);
  else if (Array.isArray(obj) && obj.length > 0) emitSeq(obj, '', out);
  else out.push(scalar(obj, ''));
  return out.join('\n') + '\n';
}

function emitMap(m: Record<string, unknown>, indent: string, out: string[]): void {
  for (const k of Object.keys(m).sort()) emitEntry(key(k), m[k], indent, out, indent);
}

/** One `key: value` line (or block); `first` is the prefix of the first line (for `- ` in a sequence item). */
function emitEntry(k: string, v: unknown, indent: string, out: string[], first: string): void {
  if (isPlainObject(v) && Object.keys(v).length > 0) {
    out.push(`${first}${k}:`);
    emitMap(v, indent + '  ', out);
  } else if (Array.isArray(v) && v.length > 0) {
    out.push(`${first}${k}:`);
    emitSeq(v, indent, out);
  } else {
    const s = scalar(v, indent + '  ');
    out.push(`${first}${k}: ${s}`);
  }
}

function emitSeq(a: readonly unknown[], indent: string, out: string[]): void {
  for (const item of a) {
    if (isPlainObject(item) && Object.keys(item).length > 0) {
      const keys = Object.keys(item).sort();
      keys.forEach((k, i) => emitEntry(key(k), item[k], indent + '  ', out, i === 0 ? indent + '- ' : indent + '  '));
    } else if (Array.isArray(item) && item.length > 0) {
      out.push(`${indent}-`);
      emitSeq(item, indent + '  ', out);
    } else {
      out.push(`${indent}- ${scalar(item, indent + '  ')}`);
    }
  }
}

/** Keys repeat across objects (`apiVersion`, `metadata`, label keys): their rendering is remembered. */
const keyCache = new Map<string, string>();

function key(k: string): string {
  let out = keyCache.get(k);
  if (out === undefined) {
    out = needsQuotes(k) ? JSON.stringify(k) : k;
    if (keyCache.size < 10_000) keyCache.set(k, out);
  }
  return out;
}

function scalar(v: unknown, blockIndent: string): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? '.inf' : v < 0 ? '-.inf' : '.nan';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return '[]';
  if (isPlainObject(v)) return '{}';
  const s = String(v);
  if (s.includes('\n') && /^[^\s]/.test(s) && !/[\r\t]/.test(s) && !/ \n|[ ]$/.test(s)) {
    const trailing = s.endsWith('\n') ? (s.endsWith('\n\n') ? '+' : '') : '-';
    const body = s.endsWith('\n') ? s.slice(0, trailing === '+' ? s.length : -1) : s;
    const lines = (trailing === '+' ? body.slice(0, -1) : body).split('\n');
    return `|${trailing}\n` + lines.map((l) => (l === '' ? '' : blockIndent + l)).join('\n');
  }
  return needsQuotes(s) ? JSON.stringify(s) : s;
}

/** Words YAML 1.1 reads as booleans or null. */
const RESERVED = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;
const NUMBERISH = /^[-+]?(?:\.?[0-9]|\.(?:inf|Inf|INF|nan|NaN|NAN)$)|^0[xob]|^[0-9][0-9_:.eE+-]*$/;
const SAFE = /^(?:[A-Za-z0-9_./$()=+]|-(?=[^\s]))[^:#\n\r\t'"`{}[\],&*!|>%@\\]*$/;

function needsQuotes(s: string): boolean {
  if (s === '' || s !== s.trim()) return true;
  if (RESERVED.test(s) || NUMBERISH.test(s)) return true;
  if (SAFE.test(s)) return false;
  // Colons and hashes are fine inside a plain scalar unless they start a mapping value or a comment.
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) || s.includes(': ') || s.includes(' #') || s.endsWith(':')) return true;
  return /[\n\r\t"\\]/.test(s) || /[^\x20-\x7e]/.test(s);
}
