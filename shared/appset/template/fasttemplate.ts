// Argo CD's default (non-Go) templating: valyala/fasttemplate with `{{` `}}`, replacing only known string keys.
import type { Params } from '../../model/params';
import { TemplateError } from './errors';

interface Compiled {
  readonly texts: readonly string[];
  /** Tag bodies between the delimiters, untrimmed, and their trimmed lookup keys. */
  readonly tags: readonly string[];
  readonly keys: readonly string[];
}

const cache = new Map<string, Compiled>();
const MAX_CACHE = 50_000;
/** Argo CD's isTemplatedRegex `.*{{.*}}.*`: a `{{` and a later `}}` on the same line (Go's `.` stops only at \n). */
export const TEMPLATED = /\{\{[^\n]*\}\}/;

function compile(tmpl: string): Compiled {
  const hit = cache.get(tmpl);
  if (hit) return hit;
  const texts: string[] = [];
  const tags: string[] = [];
  let s = tmpl;
  for (;;) {
    const n = s.indexOf('{{');
    if (n < 0) {
      texts.push(s);
      break;
    }
    texts.push(s.slice(0, n));
    s = s.slice(n + 2);
    const e = s.indexOf('}}');
    if (e < 0) {
      throw new TemplateError(`invalid template: cannot find end tag="}}" in the template=${JSON.stringify(tmpl)} starting from ${JSON.stringify(s)}`);
    }
    tags.push(s.slice(0, e));
    s = s.slice(e + 2);
  }
  const compiled = { texts, tags, keys: tags.map((t) => t.trim()) };
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(tmpl, compiled);
  return compiled;
}

/** Renders `{{ key }}` placeholders whose trimmed key is a string param; leaves everything else as written. Not recursive. */
export function renderFast(tmpl: string, params: Params | null | undefined): string {
  if (!TEMPLATED.test(tmpl)) return tmpl;
  const c = compile(tmpl);
  let out = c.texts[0]!;
  for (let i = 0; i < c.tags.length; i++) {
    const key = c.keys[i]!;
    const v = key.length > 0 && params ? (Object.prototype.hasOwnProperty.call(params, key) ? params[key] : undefined) : undefined;
    out += typeof v === 'string' ? v : `{{${c.tags[i]}}}`;
    out += c.texts[i + 1]!;
  }
  return out;
}
