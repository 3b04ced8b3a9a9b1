// Go regular expressions: RE2 syntax and linear-time matching (re2js, a port of the engine Go's regexp derives from),
// with Go's own match-iteration, Split and $-expansion rules on top.
import { RE2JS } from 're2js';

const cache = new Map<string, RE2JS>();

/** A compiled Go (RE2) regular expression. */
export type GoRegexp = RE2JS;

/** Compiles a Go regular expression with RE2 semantics (linear time); throws Go's `error parsing regexp: ...` text. */
export function goRegexp(expr: string): GoRegexp {
  const hit = cache.get(expr);
  if (hit) return hit;
  let re: RE2JS;
  try {
    re = RE2JS.compile(expr);
  } catch (e) {
    throw new Error(e instanceof Error ? e.message : String(e), { cause: e });
  }
  if (cache.size > 500) cache.clear();
  cache.set(expr, re);
  return re;
}

/** One match: its span and the capture groups (undefined for groups that did not take part). */
export interface GoMatch {
  readonly start: number;
  readonly end: number;
  readonly groups: readonly (string | undefined)[];
  readonly named: Readonly<Record<string, string | undefined>>;
}

/** Go's FindAll iteration: at most n matches (n < 0: all), never an empty match right after a previous match. */
export function findAll(re: GoRegexp, s: string, n: number): GoMatch[] {
  const out: GoMatch[] = [];
  let pos = 0;
  let prevEnd = -1;
  const m = re.matcher(s);
  while ((n < 0 || out.length < n) && pos <= s.length) {
    if (!m.find(pos)) break;
    const start = m.start();
    const end = m.end();
    let accept = true;
    if (end === start) {
      if (start === prevEnd) accept = false;
      const cp = s.codePointAt(start);
      pos = start + (cp !== undefined && cp > 0xffff ? 2 : 1);
    } else {
      pos = end;
    }
    prevEnd = end;
    if (accept) out.push(matchOf(re, m, start, end));
  }
  return out;
}

function matchOf(re: GoRegexp, m: ReturnType<GoRegexp['matcher']>, start: number, end: number): GoMatch {
  const groups: (string | undefined)[] = [];
  for (let i = 0; i <= re.groupCount(); i++) groups.push(m.group(i) ?? undefined);
  const named: Record<string, string | undefined> = {};
  for (const [name, idx] of Object.entries(re.namedGroups() as Record<string, number>)) named[name] = groups[idx];
  return { start, end, groups, named };
}

/** Go's Regexp.Expand of a replacement template: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
export function expand(template: string, m: GoMatch): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$' || i + 1 >= template.length) {
      out += c;
      continue;
    }
    const nextCh = template[i + 1]!;
    if (nextCh === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    let len = 0;
    if (nextCh === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close >= 0 && /^[A-Za-z0-9_]+$/.test(inner)) {
        name = inner;
        len = close - i + 1;
      }
    } else {
      const mm = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (mm) {
        name = mm[0];
        len = mm[0].length + 1;
      }
    }
    if (name === undefined) {
      out += c;
      continue;
    }
    if (/^[0-9]+$/.test(name)) out += m.groups[Number(name)] ?? '';
    else out += m.named[name] ?? '';
    i += len - 1;
  }
  return out;
}

/** Go's ReplaceAllString / ReplaceAllLiteralString. */
export function replaceAll(re: GoRegexp, src: string, repl: string, literal: boolean): string {
  let out = '';
  let lastEnd = 0;
  let searchPos = 0;
  const m = re.matcher(src);
  while (searchPos <= src.length) {
    if (!m.find(searchPos)) break;
    const start = m.start();
    const end = m.end();
    out += src.slice(lastEnd, start);
    if (end > lastEnd || start === 0) {
      out += literal ? repl : expand(repl, matchOf(re, m, start, end));
    }
    lastEnd = end;
    const cp = src.codePointAt(searchPos);
    const width = cp !== undefined && cp > 0xffff ? 2 : 1;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + src.slice(lastEnd);
}

/** Go's Regexp.Split. */
export function split(re: GoRegexp, s: string, n: number, exprLength: number): string[] {
  if (n === 0) return [];
  if (exprLength > 0 && s.length === 0) return [''];
  const matches = findAll(re, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m.start;
    if (m.end !== 0) out.push(s.slice(beg, end));
    beg = m.end;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** regexp.QuoteMeta */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
