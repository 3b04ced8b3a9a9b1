// Go RE2 regular expressions on top of JavaScript RegExp: syntax translation and Go's match-iteration and $-expansion rules.

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp>();

/** Compiles a Go regular expression; throws Go's `error parsing regexp: ...` text on bad syntax. */
export function goRegexp(expr: string): RegExp {
  const hit = cache.get(expr);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  let src = expr;
  let flags = 'g';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    src = src.slice(lead[0].length);
    for (const f of lead[1]!) {
      if (f === 'i' && !flags.includes('i')) flags += 'i';
      if (f === 'm' && !flags.includes('m')) flags += 'm';
      if (f === 's' && !flags.includes('s')) flags += 's';
      if (f === 'U') throw new Error(`error parsing regexp: ungreedy flag is not supported: \`${expr}\``);
    }
  }
  src = src
    .replace(/\(\?P</g, '(?<')
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => {
      const cls = POSIX[name];
      if (!cls) return m;
      return neg ? `^${cls}` : cls;
    })
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])');
  if (/\\[pP]/.test(src)) {
    src = src.replace(/\\([pP])([A-Za-z])(?![A-Za-z{])/g, '\\$1{$2}');
    flags += 'u';
  }
  let re: RegExp;
  try {
    re = new RegExp(src, flags);
  } catch (e) {
    const raw = e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '') : String(e);
    throw new Error(`error parsing regexp: ${goRegexpMessage(raw)}: \`${expr}\``, { cause: e });
  }
  if (cache.size > 500) cache.clear();
  cache.set(expr, re);
  return re;
}

const JS_TO_GO: readonly (readonly [RegExp, string])[] = [
  [/unterminated group/i, 'missing closing )'],
  [/unmatched '\)'/i, 'unexpected )'],
  [/unterminated character class/i, 'missing closing ]'],
  [/nothing to repeat/i, 'missing argument to repetition operator'],
  [/invalid group/i, 'invalid or unsupported Perl syntax'],
  [/range out of order/i, 'invalid character class range'],
  [/\\ at end of pattern/i, 'trailing backslash at end of expression'],
];

function goRegexpMessage(js: string): string {
  for (const [re, go] of JS_TO_GO) if (re.test(js)) return go;
  return js.toLowerCase();
}

/** One match: its span and the capture groups (undefined for groups that did not take part). */
export interface GoMatch {
  readonly start: number;
  readonly end: number;
  readonly groups: readonly (string | undefined)[];
  readonly named: Readonly<Record<string, string | undefined>>;
}

/** Go's FindAll iteration: at most n matches (n < 0: all), never an empty match right after a previous match. */
export function findAll(re: RegExp, s: string, n: number): GoMatch[] {
  const out: GoMatch[] = [];
  let pos = 0;
  let prevEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    let accept = true;
    if (end === start) {
      if (start === prevEnd) accept = false;
      const cp = s.codePointAt(start);
      pos = start + (cp !== undefined && cp > 0xffff ? 2 : 1);
    } else {
      pos = end;
    }
    prevEnd = end;
    if (accept) out.push({ start, end, groups: Array.from(m), named: m.groups ?? {} });
  }
  return out;
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
export function replaceAll(re: RegExp, src: string, repl: string, literal: boolean): string {
  let out = '';
  let lastEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    re.lastIndex = searchPos;
    const m = re.exec(src);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    out += src.slice(lastEnd, start);
    if (end > lastEnd || start === 0) {
      out += literal ? repl : expand(repl, { start, end, groups: Array.from(m), named: m.groups ?? {} });
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
export function split(re: RegExp, s: string, n: number, exprLength: number): string[] {
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
